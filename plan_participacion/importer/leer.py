"""Step 1: a file → the grid of cells (rows of str) of the sheet that holds the cronograma.

The format is told by the content, never by the extension: a ZIP is an .xlsx, an OLE2
container is an old .xls (refused), anything else must be text separated by tabs.
Merged cells keep the export's meaning: the value in the top-left cell, the others empty.

Untrusted uploads are bounded before openpyxl sees them: file size, number of ZIP members
and declared uncompressed size (zipfile never inflates a member past its declared size,
so the declared sizes bound the real work), then rows and columns.
"""

import codecs
import csv
import datetime
import io
import logging
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from plan_participacion.importer.analizar import MENSAJE_SIN_ENCABEZADO, es_fila_de_encabezado
from plan_participacion.importer.errores import ErrorImportacion

logger = logging.getLogger(__name__)

FIRMAS_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
FIRMA_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A workbook has a dozen parts, a few hundred with many sheets and images.
MAX_MIEMBROS_ZIP = 1000
# A sheet whose first rows hold no header is not the plan: stop reading it there.
FILAS_PARA_BUSCAR_ENCABEZADO = 500


@dataclass
class Hoja:
    """The sheet holding the cronograma: its name and its rows (row 1 of the sheet first)."""

    nombre: str
    filas: list
    formato: str  # "xlsx" or "texto"
    archivo: str = ""


def leer(origen, nombre_archivo=None, *, es_encabezado=es_fila_de_encabezado):
    """The Hoja of the first sheet whose rows contain the header; ErrorImportacion otherwise.

    origen is a path, bytes or a binary file object (e.g. an upload); nombre_archivo names
    it in messages.
    """
    datos, nombre = leer_bytes(origen, nombre_archivo)
    if datos.startswith(FIRMAS_ZIP):
        hoja = leer_libro(datos, nombre, es_encabezado=es_encabezado)
    elif datos.startswith(FIRMA_OLE2):
        raise ErrorImportacion(
            f"El archivo «{nombre}» está en el formato antiguo de Excel (.xls, 97-2003) o es un libro protegido "
            "con contraseña. Ábralo en Excel o LibreOffice, quite la contraseña si la tiene y guárdelo como "
            "«Libro de Excel (.xlsx)»."
        )
    else:
        hoja = leer_texto(datos, nombre, es_encabezado=es_encabezado)
    hoja.archivo = nombre
    return hoja


# ---- getting the bytes, with the size bound ----


def _tamano(n):
    """ "20 MB", "1,5 MB", "4 KB" """
    if n < 1024 * 1024:
        return f"{-(-n // 1024)} KB"
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " MB"


def _demasiado_grande(nombre, tamano=None):
    """tamano is None when only the first bytes past the limit were read."""
    maximo = _tamano(settings.IMPORTADOR_MAX_BYTES)
    pesa = f": pesa {_tamano(tamano)}" if tamano and _tamano(tamano) != maximo else ""
    return ErrorImportacion(f"El archivo «{nombre}» pesa más de {maximo} (el máximo permitido){pesa}.")


def leer_bytes(origen, nombre_archivo=None):
    """(bytes, name for messages) of a path, bytes or binary file object, refusing oversize files."""
    maximo = settings.IMPORTADOR_MAX_BYTES
    if isinstance(origen, bytes | bytearray | memoryview):
        datos, nombre = bytes(origen), nombre_archivo or "archivo"
    elif isinstance(origen, str | os.PathLike):
        datos, nombre = _leer_ruta(Path(origen), maximo), nombre_archivo or Path(origen).name
    elif hasattr(origen, "read"):
        nombre = nombre_archivo or Path(getattr(origen, "name", "") or "archivo").name
        if (getattr(origen, "size", None) or 0) > maximo:
            raise _demasiado_grande(nombre, origen.size)
        datos = origen.read(maximo + 1)
        if isinstance(datos, str):
            raise ErrorImportacion(f"El archivo «{nombre}» se abrió como texto; ábralo en modo binario.")
    else:
        raise TypeError(f"No se puede leer un origen de tipo {type(origen).__name__}.")
    if len(datos) > maximo:
        raise _demasiado_grande(nombre, len(datos) if isinstance(origen, bytes | bytearray | memoryview) else None)
    if not datos.strip():
        raise ErrorImportacion(f"El archivo «{nombre}» está vacío.")
    return datos, nombre


def _leer_ruta(ruta, maximo):
    try:
        tamano = ruta.stat().st_size
        if tamano > maximo:
            raise _demasiado_grande(ruta.name, tamano)
        with ruta.open("rb") as archivo:
            return archivo.read(maximo + 1)
    except FileNotFoundError as error:
        raise ErrorImportacion(f"No existe el archivo «{ruta}».") from error
    except IsADirectoryError as error:
        raise ErrorImportacion(f"«{ruta}» es una carpeta, no un archivo.") from error
    except PermissionError as error:
        raise ErrorImportacion(f"No hay permiso para leer el archivo «{ruta}».") from error
    except OSError as error:
        raise ErrorImportacion(f"No se pudo leer el archivo «{ruta}»: {error.strerror or error}.") from error


# ---- .xlsx ----


def _libro_danado(nombre):
    return ErrorImportacion(
        f"El archivo «{nombre}» está dañado o incompleto y no se pudo abrir como libro de Excel. "
        "Ábralo en Excel, guárdelo de nuevo como .xlsx e inténtelo otra vez."
    )


def revisar_zip(datos, nombre):
    """Refuse what openpyxl should never open: broken ZIPs, decompression bombs, ZIPs that are not .xlsx."""
    maximo = settings.IMPORTADOR_MAX_DESCOMPRIMIDO
    try:
        with zipfile.ZipFile(io.BytesIO(datos)) as archivo:
            miembros = archivo.infolist()
            if len(miembros) > MAX_MIEMBROS_ZIP:
                raise ErrorImportacion(
                    f"El archivo «{nombre}» contiene {len(miembros)} partes internas; un libro de Excel normal "
                    f"tiene pocas decenas. Se rechazó por seguridad."
                )
            if any(m.file_size > maximo for m in miembros) or sum(m.file_size for m in miembros) > maximo:
                raise ErrorImportacion(
                    f"El archivo «{nombre}» ocupa más de {_tamano(maximo)} al descomprimirlo; se rechazó por "
                    "seguridad. Deje en el libro solo la hoja del cronograma (sin imágenes) e inténtelo de nuevo."
                )
            nombres = {m.filename for m in miembros}
            tipo = (
                archivo.read("mimetype")
                if "mimetype" in nombres and archivo.getinfo("mimetype").file_size < 200
                else b""
            )
    except zipfile.BadZipFile as error:
        raise _libro_danado(nombre) from error
    if b"opendocument.spreadsheet" in tipo:
        raise ErrorImportacion(
            f"El archivo «{nombre}» es una hoja de LibreOffice (.ods). Ábralo en LibreOffice y guárdelo como "
            "«Libro de Excel 2007-365 (.xlsx)»."
        )
    if "[Content_Types].xml" not in nombres or not any(n.startswith("xl/") for n in nombres):
        raise ErrorImportacion(
            f"El archivo «{nombre}» es un archivo comprimido (ZIP) pero no un libro de Excel (.xlsx)."
        )


def leer_libro(datos, nombre, *, es_encabezado=es_fila_de_encabezado, solo_lectura=True):
    """The sheet with the header, searching every worksheet (visible ones first).

    solo_lectura streams the XML (openpyxl read_only): less memory and faster on big sheets,
    with the same merged-cell values as the normal mode; the benchmark compares both.
    """
    revisar_zip(datos, nombre)
    try:
        libro = load_workbook(io.BytesIO(datos), read_only=solo_lectura, data_only=True)
    except Exception as error:  # any failure of the parser on an uploaded file means a damaged file
        logger.info("No se pudo abrir %s con openpyxl", nombre, exc_info=True)
        raise _libro_danado(nombre) from error
    try:
        hojas = sorted(libro.worksheets, key=lambda hoja: hoja.sheet_state != "visible")
        return elegir_hoja(
            ((hoja.title, _valores(hoja, solo_lectura)) for hoja in hojas), nombre, es_encabezado, "xlsx"
        )
    except ErrorImportacion:
        raise
    except Exception as error:  # a truncated or corrupt part shows up only while streaming the rows
        logger.info("No se pudo leer %s con openpyxl", nombre, exc_info=True)
        raise _libro_danado(nombre) from error
    finally:
        libro.close()


def _valores(hoja, solo_lectura):
    """Cell values row by row, reading one row and one column past the limits to detect oversize sheets.

    The work is bounded whatever the file declares or contains: a stray cell further down or
    further right, beyond an empty row or column past the limit, is not read at all.
    """
    max_filas = settings.IMPORTADOR_MAX_FILAS + 1
    max_columnas = settings.IMPORTADOR_MAX_COLUMNAS + 1
    if solo_lectura:
        hoja.reset_dimensions()  # some writers declare a wrong size; read what is there
    else:
        max_filas, max_columnas = min(max_filas, hoja.max_row), min(max_columnas, hoja.max_column)
    return hoja.iter_rows(max_row=max_filas, max_col=max_columnas, values_only=True)


def texto_de_celda(valor):
    """What the cell shows, as the text export would write it: 4.0 → "4", a date → "2024-01-31"."""
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "VERDADERO" if valor else "FALSO"
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        return str(int(valor)) if valor.is_integer() else format(valor, ".15g")
    if isinstance(valor, datetime.datetime):
        return valor.date().isoformat() if valor.time() == datetime.time() else valor.isoformat(sep=" ")
    if isinstance(valor, datetime.date | datetime.time):
        return valor.isoformat()
    return str(valor)


# ---- choosing the sheet ----


def elegir_hoja(hojas, nombre_archivo, es_encabezado, formato):
    """The first (title, rows) whose first rows contain the header, read to its end."""
    titulos = []
    for titulo, valores in hojas:
        titulos.append(titulo)
        filas = _filas(valores, titulo)
        leidas = []
        for fila in filas:
            leidas.append(fila)
            if es_encabezado(fila):
                leidas.extend(filas)
                while leidas and not leidas[-1]:
                    leidas.pop()
                return Hoja(titulo, leidas, formato)
            if len(leidas) >= FILAS_PARA_BUSCAR_ENCABEZADO:
                break
    donde = f"la hoja «{titulos[0]}»" if len(titulos) == 1 else "las hojas " + ", ".join(f"«{t}»" for t in titulos)
    if formato == "xlsx":
        raise ErrorImportacion(f"{MENSAJE_SIN_ENCABEZADO} en {donde} del archivo «{nombre_archivo}».")
    raise ErrorImportacion(f"{MENSAJE_SIN_ENCABEZADO} en el archivo «{nombre_archivo}».")


def _filas(valores, titulo):
    """Rows of text without trailing empty cells; a sheet past the row or column limit is refused."""
    max_filas, max_columnas = settings.IMPORTADOR_MAX_FILAS, settings.IMPORTADOR_MAX_COLUMNAS
    for numero, fila in enumerate(valores, start=1):
        if fila.count(None) == len(fila):  # formatted but empty: cheap to skip, even by the million
            yield []
            continue
        celdas = [texto_de_celda(v) for v in fila]
        while celdas and not celdas[-1].strip():
            celdas.pop()
        if len(celdas) > max_columnas:
            raise ErrorImportacion(
                f"La hoja «{titulo}» tiene datos en la columna {get_column_letter(len(celdas))} (fila {numero}); "
                f"el máximo es {max_columnas} columnas. Borre lo que sobre a la derecha del cronograma."
            )
        if celdas and numero > max_filas:
            raise ErrorImportacion(
                f"La hoja «{titulo}» tiene datos en la fila {numero}; el máximo es {max_filas} filas. "
                "Borre lo que sobre debajo del cronograma."
            )
        yield celdas


# ---- text separated by tabs ----


def leer_texto(datos, nombre, *, es_encabezado=es_fila_de_encabezado):
    texto = decodificar(datos, nombre)
    inicio = texto.lstrip()[:200].lower()
    if inicio.startswith("<") and ("<html" in inicio or "<?xml" in inicio or "<table" in inicio):
        raise ErrorImportacion(
            f"El archivo «{nombre}» es una página HTML o XML, no una hoja de cálculo (así exportan «Excel» algunos "
            "sistemas). Ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)»."
        )
    try:
        return elegir_hoja(
            [(nombre, csv.reader(io.StringIO(texto, newline=""), delimiter="\t"))], nombre, es_encabezado, "texto"
        )
    except csv.Error as error:
        raise ErrorImportacion(
            f"El archivo «{nombre}» no se pudo leer como texto separado por tabulaciones: {error}."
        ) from error
    except ErrorImportacion as error:
        sin_encabezado = error.mensaje.startswith(MENSAJE_SIN_ENCABEZADO)
        if sin_encabezado and Path(nombre).suffix.lower() in {".xlsx", ".xlsm"}:
            raise ErrorImportacion(
                f"El archivo «{nombre}» no es un libro de Excel: aunque se llama {Path(nombre).suffix}, su contenido "
                f"es texto, y tampoco tiene el encabezado del cronograma (ESTRATEGIAS, METAS, RESPONSABLES)."
            ) from error
        raise


def decodificar(datos, nombre):
    """UTF-16 or UTF-8 with BOM, UTF-8, else Windows-1252 (Excel's "Texto" on Windows)."""
    try:
        if datos.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            texto = datos.decode("utf-16")
        elif datos.startswith(codecs.BOM_UTF8):
            texto = datos.decode("utf-8-sig")
        elif b"\x00" in datos:
            raise _no_es_hoja(datos, nombre)
        else:
            try:
                texto = datos.decode("utf-8")
            except UnicodeDecodeError:
                texto = datos.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _no_es_hoja(datos, nombre) from error
    if _parece_binario(texto):
        raise _no_es_hoja(datos, nombre)
    return texto


def _parece_binario(texto):
    controles = sum(1 for c in texto if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r"))
    return controles > max(2, len(texto) // 100)


def _no_es_hoja(datos, nombre):
    tipo = filetype.guess(datos[:8192])
    parece = ""
    if tipo is not None:
        if tipo.mime.startswith("image/"):
            parece = f" (parece una imagen {tipo.extension.upper()})"
        elif tipo.mime == "application/pdf":
            parece = " (parece un PDF)"
        else:
            parece = f" (parece un archivo .{tipo.extension})"
    return ErrorImportacion(
        f"El archivo «{nombre}» no es una hoja de cálculo{parece}. Suba el cronograma como libro de Excel "
        "(.xlsx) o como texto separado por tabulaciones."
    )
