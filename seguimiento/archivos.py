"""Evidence files: what is accepted, checked by content; safe names; storing and removing them.

The type comes from the bytes, never from the name or the browser's
Content-Type: a renamed file is judged by what it is. Images and PDFs that
carry HTML or script near the start are refused, because a browser that
sniffs content could run them; images are also opened with Pillow, so a PNG
signature glued to anything else does not pass. DOCX and XLSX are zip files
and are recognised by their members, not by the first bytes alone.
"""

import hashlib
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from PIL import Image

from seguimiento.models import ArchivoEvidencia, almacen_privado

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Content type → extensions a name may keep (the first one is used otherwise).
EXTENSIONES = {
    PDF: ("pdf",),
    JPEG: ("jpg", "jpeg"),
    PNG: ("png",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
}
IMAGENES = {JPEG: "JPEG", PNG: "PNG"}
# Only these are shown inline (previews); everything else is downloaded as an attachment.
TIPOS_EN_LINEA = frozenset(IMAGENES)
# What the file input offers; the server does not trust it.
ACCEPT = ",".join([*(f".{ext}" for exts in EXTENSIONES.values() for ext in exts), *EXTENSIONES])

BYTES_CABECERA = 8192
BYTES_REVISION_HTML = 1024
MAX_MIEMBROS_ZIP = 5000
MARCAS_HTML = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)\b|javascript:", re.IGNORECASE
)


@dataclass(frozen=True)
class ArchivoRevisado:
    """An upload that passed every check, with what we keep about it."""

    subido: object
    nombre: str
    tipo: str
    tamano: int
    sha256: str


def tamano_legible(n):
    return filesizeformat(n)


def nombre_seguro(nombre, tipo):
    """A file name safe to show and to send in Content-Disposition, with the extension of its real type."""
    base = re.split(r"[\\/]", nombre or "")[-1]
    base = unicodedata.normalize("NFC", base)
    # Control and format characters (including right-to-left overrides that disguise extensions).
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    raiz, punto, extension = base.rpartition(".")
    if not punto:
        raiz, extension = base, ""
    raiz = re.sub(r"[^\w\s().,+-]+", "_", raiz)
    raiz = re.sub(r"\s+", " ", raiz).strip(" ._-")[:100].strip(" ._-") or "archivo"
    permitidas = EXTENSIONES[tipo]
    extension = extension.lower() if extension.lower() in permitidas else permitidas[0]
    return f"{raiz}.{extension}"


def _tipo_office(subido, nombre):
    try:
        subido.seek(0)
        with zipfile.ZipFile(subido) as comprimido:
            miembros = comprimido.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(
            _("El archivo «%(nombre)s» está dañado: no se puede abrir como documento de Office."),
            params={"nombre": nombre},
            code="danado",
        ) from error
    if len(miembros) > MAX_MIEMBROS_ZIP or "[Content_Types].xml" not in miembros:
        return None
    if any(m.lower().endswith("vbaproject.bin") for m in miembros):
        raise ValidationError(
            _("El archivo «%(nombre)s» contiene macros y no se acepta. Guárdelo como documento sin macros."),
            params={"nombre": nombre},
            code="macros",
        )
    es_word = any(m.startswith("word/") for m in miembros)
    es_excel = any(m.startswith("xl/") for m in miembros)
    if es_word == es_excel:
        return None
    return DOCX if es_word else XLSX


def _verificar_imagen(subido, tipo, nombre):
    error = ValidationError(
        _("La imagen «%(nombre)s» está dañada o no es realmente una imagen %(formato)s."),
        params={"nombre": nombre, "formato": IMAGENES[tipo]},
        code="imagen_invalida",
    )
    subido.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(subido) as imagen:
                if imagen.format != IMAGENES[tipo]:
                    raise error
                imagen.verify()
    except ValidationError:
        raise
    except Exception as falla:  # Pillow raises many kinds of errors on hostile input.
        raise error from falla


def detectar_tipo(subido, nombre):
    """The accepted content type of an upload, read from its bytes; None when it is none of them."""
    subido.seek(0)
    cabecera = subido.read(BYTES_CABECERA)
    if cabecera.startswith(b"PK\x03\x04"):
        return _tipo_office(subido, nombre)
    adivinado = filetype.guess(cabecera)
    tipo = adivinado.mime if adivinado else None
    if tipo not in (PDF, JPEG, PNG):
        return None
    if MARCAS_HTML.search(cabecera[:BYTES_REVISION_HTML]):
        raise ValidationError(
            _("El archivo «%(nombre)s» contiene código HTML o de script y no se acepta."),
            params={"nombre": nombre},
            code="html",
        )
    if tipo in IMAGENES:
        _verificar_imagen(subido, tipo, nombre)
    return tipo


def revisar_archivo(subido):
    """Check one upload; return what to store, or raise ValidationError with a message a delegate understands."""
    nombre_mostrado = re.split(r"[\\/]", subido.name or "")[-1][:100] or _("sin nombre")
    if not subido.size:
        raise ValidationError(
            _("El archivo «%(nombre)s» está vacío."), params={"nombre": nombre_mostrado}, code="vacio"
        )
    if subido.size > settings.ARCHIVO_MAX_BYTES:
        raise ValidationError(
            _("El archivo «%(nombre)s» pesa %(tamano)s; el máximo por archivo es %(maximo)s."),
            params={
                "nombre": nombre_mostrado,
                "tamano": tamano_legible(subido.size),
                "maximo": tamano_legible(settings.ARCHIVO_MAX_BYTES),
            },
            code="muy_grande",
        )
    tipo = detectar_tipo(subido, nombre_mostrado)
    if tipo is None:
        raise ValidationError(
            _(
                "El archivo «%(nombre)s» no es PDF, JPEG, PNG, DOCX ni XLSX. "
                "Se revisa el contenido del archivo, no su extensión."
            ),
            params={"nombre": nombre_mostrado},
            code="tipo",
        )
    resumen = hashlib.sha256()
    for trozo in subido.chunks():
        resumen.update(trozo)
    subido.seek(0)
    return ArchivoRevisado(
        subido=subido,
        nombre=nombre_seguro(subido.name, tipo),
        tipo=tipo,
        tamano=subido.size,
        sha256=resumen.hexdigest(),
    )


def guardar_archivos(evidencia, revisados, *, usuario):
    """Store checked uploads under unguessable paths and create their rows.

    Returns the stored paths so the caller can remove them if its transaction fails.
    """
    guardados = []
    try:
        for revisado in revisados:
            archivo = ArchivoEvidencia(
                evidencia=evidencia,
                nombre_original=revisado.nombre,
                tipo_contenido=revisado.tipo,
                tamano=revisado.tamano,
                sha256=revisado.sha256,
                subido_por=usuario,
            )
            archivo.archivo.save(revisado.nombre, revisado.subido, save=False)
            guardados.append(archivo.archivo.name)
            archivo.save()
    except Exception:
        # The caller never gets the paths (e.g. the database went away mid-request): no orphan files.
        borrar_del_almacen(guardados)
        raise
    return guardados


def borrar_del_almacen(rutas):
    for ruta in rutas:
        almacen_privado.delete(ruta)


def borrar_al_confirmar(rutas):
    """Remove stored files once the transaction that deleted their rows commits."""
    rutas = list(rutas)
    if rutas:
        transaction.on_commit(lambda: borrar_del_almacen(rutas))


def respuesta_x_accel(archivo, *, como_adjunto):
    """An empty response telling nginx to send the stored file from its internal location.

    Only for a view that has already checked who asks: nginx serves whatever the
    X-Accel-Redirect header names. The location (ARCHIVOS_X_ACCEL_PREFIX) must be
    `internal` in nginx, so no client can request it directly.
    """
    prefijo = settings.ARCHIVOS_X_ACCEL_PREFIX.rstrip("/")
    respuesta = HttpResponse(content_type=archivo.tipo_contenido)
    respuesta["X-Accel-Redirect"] = quote(f"{prefijo}/{archivo.archivo.name}")
    respuesta["Content-Disposition"] = content_disposition_header(como_adjunto, archivo.nombre_original)
    return respuesta
