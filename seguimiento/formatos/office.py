"""DOCX and XLSX evidence: zip packages recognised by their parts, refused when opening them in
Word or Excel could fetch, run or embed something.

Refused, and why:
- any relationship with TargetMode="External": Office follows it by itself (a remote template or
  OLE object is the Follina delivery pattern; a file://host/share link sends the reviewer's
  Windows credentials to that host). Hyperlinks are external relationships too;
- an attached template (attachedTemplate), even inside the package: Word loads it, macros included;
- macros, found by the content types declared in [Content_Types].xml (a renamed VBA part still
  has its content type, or Office does not load it) and by the relationship types that load them;
- ActiveX controls and OLE objects (programs embedded in the document), and external workbook
  links (DDE) in XLSX.
The package is bounded before anything is read: at most MAX_MIEMBROS parts and
settings.ARCHIVO_MAX_DESCOMPRIMIDO bytes declared uncompressed (the zip module never inflates a
part beyond its declared size).
"""

import re
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.template.defaultfilters import filesizeformat, truncatechars
from django.utils.translation import gettext as _

from seguimiento.formatos import rechazo

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIPOS_DEL_PAQUETE = "[Content_Types].xml"
# A document has a dozen parts, a few hundred with many images or sheets.
MAX_MIEMBROS = 5000

# Content types (Default or Override in [Content_Types].xml) of parts that run code.
TIPO_MACROS = re.compile(r"macroenabled|vbaproject|vbadata|macrosheet|vbaprojectsignature", re.IGNORECASE)
TIPO_OBJETOS_ACTIVOS = re.compile(r"activex|oleobject|externallink", re.IGNORECASE)
# Relationship types (the last segment of the Type URI) that load code or programs.
RELACIONES_MACROS = {"vbaproject", "wordvbadata", "xlmacrosheet", "xlintlmacrosheet"}
RELACIONES_OBJETOS_ACTIVOS = {"oleobject", "control", "activexcontrol", "activexcontrolbinary", "externallink"}
RELACION_PLANTILLA = "attachedtemplate"


def tipo(subido, nombre):
    """DOCX or XLSX for an Office package that passes every check, None for a zip that is neither.

    Raises ValidationError for a broken zip, a bomb, or a package that could fetch or run something.
    """
    try:
        subido.seek(0)
        with zipfile.ZipFile(subido) as paquete:
            return _revisar(paquete, nombre)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError) as error:
        raise _danado(nombre) from error


def _revisar(paquete, nombre):
    miembros = paquete.infolist()
    if len(miembros) > MAX_MIEMBROS:
        raise rechazo(
            _(
                "El archivo «%(nombre)s» tiene %(partes)s partes internas; un documento de Office normal tiene "
                "pocas decenas. Se rechazó por seguridad."
            ),
            nombre,
            "demasiadas_partes",
            partes=len(miembros),
        )
    maximo = settings.ARCHIVO_MAX_DESCOMPRIMIDO
    if sum(m.file_size for m in miembros) > maximo:
        raise rechazo(
            _(
                "El archivo «%(nombre)s» ocupa más de %(maximo)s al descomprimirlo y se rechazó por seguridad. "
                "Quite imágenes u hojas que no hagan falta, o guárdelo como PDF."
            ),
            nombre,
            "descomprimido",
            maximo=filesizeformat(maximo),
        )
    nombres = {m.filename for m in miembros}
    if TIPOS_DEL_PAQUETE not in nombres:
        return None
    es_word = any(n.startswith("word/") for n in nombres)
    es_excel = any(n.startswith("xl/") for n in nombres)
    if es_word == es_excel:
        return None
    for tipo_contenido in _tipos_de_contenido(paquete, nombre):
        _revisar_tipo(tipo_contenido, nombre)
    for relaciones in sorted(n for n in nombres if n.lower().endswith(".rels")):
        for relacion in _relaciones(paquete, relaciones, nombre):
            _revisar_relacion(relacion, nombre)
    return DOCX if es_word else XLSX


def _xml(paquete, parte, nombre):
    try:
        raiz = fromstring(paquete.read(parte), forbid_dtd=True)
    except (ParseError, DefusedXmlException, UnicodeDecodeError) as error:
        raise _danado(nombre) from error
    return raiz


def _local(etiqueta):
    return etiqueta.rsplit("}", 1)[-1]


def _tipos_de_contenido(paquete, nombre):
    for elemento in _xml(paquete, TIPOS_DEL_PAQUETE, nombre):
        if _local(elemento.tag) in ("Default", "Override"):
            yield elemento.get("ContentType", "")


def _relaciones(paquete, parte, nombre):
    for elemento in _xml(paquete, parte, nombre):
        if _local(elemento.tag) == "Relationship":
            yield elemento


def _revisar_tipo(tipo_contenido, nombre):
    if TIPO_MACROS.search(tipo_contenido):
        raise _macros(nombre)
    if TIPO_OBJETOS_ACTIVOS.search(tipo_contenido):
        raise _objetos_activos(nombre)


def _revisar_relacion(relacion, nombre):
    clase = relacion.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()
    destino = truncatechars(relacion.get("Target", ""), 80)
    if clase == RELACION_PLANTILLA:
        raise rechazo(
            _(
                "El archivo «%(nombre)s» está asociado a una plantilla (%(destino)s) que Word cargaría al "
                "abrirlo, con sus macros. Asócielo a la plantilla «Normal» (Programador › Plantilla de "
                "documento) o guárdelo como PDF y súbalo de nuevo."
            ),
            nombre,
            "plantilla",
            destino=destino,
        )
    if clase in RELACIONES_MACROS:
        raise _macros(nombre)
    if clase in RELACIONES_OBJETOS_ACTIVOS:
        raise _objetos_activos(nombre)
    if relacion.get("TargetMode", "").strip().lower() == "external":
        raise rechazo(
            _(
                "El archivo «%(nombre)s» tiene un vínculo externo (%(destino)s): Word y Excel abren algunos "
                "por sí solos al mostrar el documento. Quite los vínculos, también los hipervínculos (en Word: "
                "seleccione todo y pulse Ctrl+Mayús+F9), o guárdelo como PDF y súbalo de nuevo."
            ),
            nombre,
            "vinculo_externo",
            destino=destino,
        )


def _macros(nombre):
    return rechazo(
        _("El archivo «%(nombre)s» contiene macros y no se acepta. Guárdelo como documento sin macros."),
        nombre,
        "macros",
    )


def _objetos_activos(nombre):
    return rechazo(
        _(
            "El archivo «%(nombre)s» contiene objetos incrustados (OLE), controles ActiveX o vínculos a otros "
            "libros, que pueden ejecutar programas al abrirlo. Quítelos o guarde el documento como PDF."
        ),
        nombre,
        "objetos_activos",
    )


def _danado(nombre):
    return rechazo(
        _("El archivo «%(nombre)s» está dañado: no se puede abrir como documento de Office."),
        nombre,
        "danado",
    )
