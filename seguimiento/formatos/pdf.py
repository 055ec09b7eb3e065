"""PDF evidence: refused when opening it could run or open something, or when it hides HTML.

A PDF viewer runs JavaScript (document scripts, /OpenAction, the /AA actions of pages, fields and
annotations, XFA forms), launches programs (/Launch actions) and opens the files a PDF embeds;
none of that belongs in an acta or an attendance list, so such a PDF is refused, wherever the
action sits (also chained with /Next, or inside compressed object streams).

HTML is refused where a browser or a careless tool could find it: anywhere in the file's bytes
outside compressed streams (before %PDF, in comments, after the last %%EOF, in uncompressed
streams), in the text strings of the document, and in the decoded content of its streams (page
contents, forms, object streams). Compressed streams are judged by what they decode to, never by
their raw bytes, which are arbitrary and would give false refusals; images, fonts and colour
profiles are binary data and are not searched.

The document is parsed with pypdf with bounded effort: at most MAX_OBJETOS objects visited,
MAX_DECODIFICADO bytes decoded and MAX_SEGUNDOS of work, and pypdf's own limits lowered to fit.
"""

import io
import re
import time

import pypdf
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
    TextStringObject,
)

from seguimiento.formatos import MARCAS_HTML, con_html, rechazo

MAX_OBJETOS = 200_000
MAX_DECODIFICADO = 100 * 1024 * 1024
MAX_SEGUNDOS = 20
# pypdf's own bounds, per stream, for this check (its defaults are 75 MB and more).
LIMITES_PYPDF = {
    "zlib_maximum_output_length": 50_000_000,
    "lzw_maximum_output_length": 50_000_000,
    "run_length_maximum_output_length": 50_000_000,
    "array_based_stream_maximum_output_length": 50_000_000,
    "stream_decoding_work_maximum_length": 100_000_000,
    "jbig2dec_binary": None,  # never run an external program on an upload
}

# Where a stream's data starts, after its dictionary.
INICIO_FLUJO = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
# Streams holding binary data (pictures, font programs, colour profiles, sampled functions,
# cross-reference tables): searched neither raw nor decoded.
SUBTIPOS_BINARIOS = {"/Image", "/Type1C", "/CIDFontType0C", "/OpenType"}
CLAVES_BINARIAS = ("/Length1", "/Length2", "/Length3", "/FunctionType", "/ShadingType")


def revisar(datos, nombre):
    """Raise ValidationError if the PDF in ``datos`` must not be stored."""
    revision = _Revision(datos, nombre)
    try:
        with pypdf.apply_configuration(**LIMITES_PYPDF):
            revision.revisar()
    except ValidationError:
        raise
    except (LimitReachedError, MemoryError, RecursionError) as error:
        raise revision.complejo() from error
    except Exception as falla:  # pypdf raises many kinds of errors on a hostile or broken file.
        raise rechazo(
            _(
                "El PDF «%(nombre)s» está dañado o no se puede leer. Ábralo y guárdelo de nuevo como PDF "
                "(Archivo › Guardar como, o Imprimir › Guardar como PDF)."
            ),
            nombre,
            "pdf_danado",
        ) from falla


class _Revision:
    def __init__(self, datos, nombre):
        self.datos = datos
        self.nombre = nombre
        # The file's bytes with the data of compressed streams blanked out once they are judged.
        self.visibles = bytearray(datos)
        self.vistos = set()
        self.objetos = 0
        self.decodificado = 0
        self.limite = time.monotonic() + MAX_SEGUNDOS

    def revisar(self):
        if self.datos.rfind(b"%%EOF") < 0:
            raise self._falla(
                _("El PDF «%(nombre)s» está incompleto (no termina como un PDF). Súbalo de nuevo."), "pdf_incompleto"
            )
        lector = pypdf.PdfReader(io.BytesIO(self.datos), strict=False)
        if lector.is_encrypted:
            self._abrir_cifrado(lector)
        self.lector = lector
        pendientes = [lector.trailer]
        # Objects packed in compressed object streams are visited one by one; the streams themselves too,
        # so their decoded text is searched and their raw bytes are not.
        pendientes.extend(IndirectObject(numero, 0, lector) for numero in {s for s, _i in lector.xref_objStm.values()})
        self._recorrer(pendientes)
        if MARCAS_HTML.search(self.visibles):
            raise self._html()

    def _abrir_cifrado(self, lector):
        try:
            abierto = lector.decrypt("")
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as error:
            raise self._protegido() from error
        if not abierto:
            raise self._protegido()

    def _recorrer(self, pendientes):
        while pendientes:
            objeto = pendientes.pop()
            self.objetos += 1
            if self.objetos > MAX_OBJETOS or time.monotonic() > self.limite:
                raise self.complejo()
            referencia = None
            if isinstance(objeto, IndirectObject):
                referencia = (objeto.idnum, objeto.generation)
                if referencia in self.vistos:
                    continue
                self.vistos.add(referencia)
                objeto = objeto.get_object()
            if isinstance(objeto, DictionaryObject):
                self._revisar_diccionario(objeto)
                if isinstance(objeto, StreamObject):
                    self._revisar_flujo(objeto, referencia)
                # The encryption dictionary holds keys (random bytes), nothing a viewer runs or shows.
                pendientes.extend(valor for clave, valor in objeto.items() if clave != "/Encrypt")
            elif isinstance(objeto, ArrayObject):
                pendientes.extend(objeto)
            elif isinstance(objeto, (TextStringObject, ByteStringObject)) and _tiene_html(objeto):
                raise self._html()

    def _revisar_diccionario(self, d):
        accion = _valor(d, "/S")
        if "/JS" in d or accion == "/JavaScript" or "/JavaScript" in d or "/XFA" in d:
            raise self._falla(
                _(
                    "El PDF «%(nombre)s» contiene JavaScript (código que se ejecuta al abrirlo o al "
                    "usarlo) y no se acepta. Imprímalo como PDF («Imprimir › Guardar como PDF») para "
                    "quitarlo y súbalo de nuevo."
                ),
                "pdf_javascript",
            )
        if accion == "/Launch":
            raise self._falla(
                _(
                    "El PDF «%(nombre)s» contiene una acción que abre programas o archivos del equipo y no "
                    "se acepta. Imprímalo como PDF («Imprimir › Guardar como PDF») y súbalo de nuevo."
                ),
                "pdf_lanzar",
            )
        if "/EmbeddedFiles" in d or "/EF" in d or accion == "/GoToE" or _valor(d, "/Type") == "/EmbeddedFile":
            raise self._falla(
                _(
                    "El PDF «%(nombre)s» lleva archivos incrustados (adjuntos dentro del PDF) y no se "
                    "acepta. Suba cada archivo por separado, o imprima el PDF como PDF para quitarlos."
                ),
                "pdf_adjuntos",
            )

    def _revisar_flujo(self, flujo, referencia):
        if not flujo.get("/Filter"):
            return  # Its raw bytes are its content: they are searched with the rest of the file.
        if not _es_binario(flujo):
            try:
                contenido = flujo.get_data()
            except (LimitReachedError, MemoryError):
                raise
            except Exception:
                return  # Not decodable: its raw bytes stay in the search, as a browser would see them.
            self.decodificado += len(contenido)
            if self.decodificado > MAX_DECODIFICADO:
                raise self.complejo()
            if MARCAS_HTML.search(contenido):
                raise self._html()
        self._ocultar_datos(referencia)

    def _ocultar_datos(self, referencia):
        """Blank out the raw (compressed) data of a stream already judged, so it is not searched as text."""
        if referencia is None:
            return
        numero, generacion = referencia
        posicion = self.lector.xref.get(generacion, {}).get(numero)
        if not isinstance(posicion, int):
            return
        inicio = INICIO_FLUJO.search(self.datos, posicion)
        if not inicio:
            return
        fin = self.datos.find(b"endstream", inicio.end())
        if fin < 0:
            return
        self.visibles[inicio.end() : fin] = bytes(fin - inicio.end())

    def complejo(self):
        return rechazo(
            _(
                "El PDF «%(nombre)s» es demasiado complejo para revisarlo (más de %(objetos)s objetos o "
                "%(tamano)s de contenido). Divídalo en varios archivos o imprímalo como PDF y súbalo de nuevo."
            ),
            self.nombre,
            "pdf_complejo",
            objetos=f"{MAX_OBJETOS:,}".replace(",", "."),
            tamano=filesizeformat(MAX_DECODIFICADO),
        )

    def _protegido(self):
        return self._falla(
            _(
                "El PDF «%(nombre)s» está protegido con contraseña y no se puede revisar. Guárdelo sin "
                "contraseña y súbalo de nuevo."
            ),
            "pdf_protegido",
        )

    def _html(self):
        return con_html(self.nombre)

    def _falla(self, mensaje, code):
        return rechazo(mensaje, self.nombre, code)


def _valor(diccionario, clave):
    valor = diccionario.get(clave)
    return valor.get_object() if isinstance(valor, IndirectObject) else valor


def _tiene_html(cadena):
    """A string of the document, as stored and as text (a UTF-16 string hides nothing this way)."""
    crudo = bytes(cadena.original_bytes) if isinstance(cadena, TextStringObject) else bytes(cadena)
    texto = str(cadena).encode("utf-8", "replace") if isinstance(cadena, TextStringObject) else b""
    return bool(MARCAS_HTML.search(crudo) or MARCAS_HTML.search(texto))


def _es_binario(flujo):
    tipo = _valor(flujo, "/Type")
    return (
        _valor(flujo, "/Subtype") in SUBTIPOS_BINARIOS
        or tipo == "/XRef"
        or any(clave in flujo for clave in CLAVES_BINARIAS)
        # Colour profiles (/N components); object streams also have /N but hold text.
        or ("/N" in flujo and tipo != "/ObjStm")
        # Thumbnails and other pictures without /Subtype.
        or ("/Width" in flujo and "/Height" in flujo)
    )
