"""Evidence files: what is accepted, checked by content; safe names; storing and removing them.

The type comes from the bytes, never from the name or the browser's Content-Type: a renamed
file is judged by what it is. Then each format is checked inside (seguimiento.formatos): JPEG
and PNG are decoded and written again without their metadata (what is stored is not byte for
byte what was uploaded: the SHA-256 kept is the stored file's, the original's beside it); PDFs
are parsed and refused when they run, launch or embed something or hide HTML; DOCX and XLSX
are refused when they link outside, carry macros, ActiveX or OLE objects, or are zip bombs.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from seguimiento.formatos import MARCAS_HTML, con_html, imagenes, office, pdf
from seguimiento.formatos.office import DOCX, XLSX
from seguimiento.models import ArchivoEvidencia, almacen_privado

PDF = "application/pdf"
JPEG = imagenes.JPEG
PNG = imagenes.PNG

# Content type → extensions a name may keep (the first one is used otherwise).
EXTENSIONES = {
    PDF: ("pdf",),
    JPEG: ("jpg", "jpeg"),
    PNG: ("png",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
}
IMAGENES = imagenes.NOMBRES
# Only these are shown inline (previews); everything else is downloaded as an attachment.
TIPOS_EN_LINEA = frozenset(IMAGENES)
# What the file input offers; the server does not trust it.
ACCEPT = ",".join([*(f".{ext}" for exts in EXTENSIONES.values() for ext in exts), *EXTENSIONES])

BYTES_CABECERA = 8192
# Where a browser sniffing the content looks: HTML there is refused in any type, before parsing.
BYTES_REVISION_HTML = 1024


@dataclass(frozen=True)
class ArchivoRevisado:
    """An upload that passed every check, with what we keep about it."""

    subido: object
    nombre: str
    tipo: str
    tamano: int
    sha256: str
    # The upload's own hash when what is stored differs from it (re-encoded images).
    sha256_original: str = ""


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


def detectar_tipo(subido, nombre):
    """The accepted content type of an upload, read from its bytes and checked inside; None when it is none of them.

    Raises ValidationError when it is one of them but must not be stored.
    """
    subido.seek(0)
    cabecera = subido.read(BYTES_CABECERA)
    if cabecera.startswith(b"PK\x03\x04"):
        return office.tipo(subido, nombre)
    adivinado = filetype.guess(cabecera)
    tipo = adivinado.mime if adivinado else None
    if tipo not in (PDF, JPEG, PNG):
        return None
    if MARCAS_HTML.search(cabecera[:BYTES_REVISION_HTML]):
        raise con_html(nombre)
    if tipo == PDF:
        subido.seek(0)
        pdf.revisar(subido.read(), nombre)
    return tipo


def _sha256(subido):
    resumen = hashlib.sha256()
    subido.seek(0)
    for trozo in subido.chunks():
        resumen.update(trozo)
    subido.seek(0)
    return resumen.hexdigest()


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
    nombre = nombre_seguro(subido.name, tipo)
    if tipo in IMAGENES:
        contenido = imagenes.recodificar(subido, tipo, nombre_mostrado)
        return ArchivoRevisado(
            subido=ContentFile(contenido, name=nombre),
            nombre=nombre,
            tipo=tipo,
            tamano=len(contenido),
            sha256=hashlib.sha256(contenido).hexdigest(),
            sha256_original=_sha256(subido),
        )
    return ArchivoRevisado(subido=subido, nombre=nombre, tipo=tipo, tamano=subido.size, sha256=_sha256(subido))


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
                sha256_original=revisado.sha256_original,
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
