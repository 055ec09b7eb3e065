"""What checking an upload costs (seguimiento/archivos.py and seguimiento/formatos/): prints figures,
asserts nothing.

    .venv/bin/python bench/archivos.py

Photos of 12 and 48 megapixels are re-encoded (a phone's default and its full-resolution mode),
a 10 MB PDF made by WeasyPrint (fonts, images, compressed object streams) and one of many pages
are parsed, and an XLSX is read as a package. Each figure is the best of three runs in wall
clock time, and its ratio to hashing the same bytes with SHA-256 (what the check cost before
it looked inside), which holds better than absolute times on a shared machine.
"""

import base64
import hashlib
import io
import os
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plan_participacion.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from PIL import Image  # noqa: E402

from seguimiento.archivos import revisar_archivo  # noqa: E402


def foto(ancho, alto):
    """A noisy picture (compresses like a photo, unlike a flat colour)."""
    ruido = Image.effect_noise((ancho // 4, alto // 4), 60).resize((ancho, alto)).convert("RGB")
    salida = io.BytesIO()
    ruido.save(salida, "JPEG", quality=85)
    return salida.getvalue()


def pdf_weasyprint(parrafos, imagen):
    from weasyprint import HTML

    datos = base64.b64encode(imagen).decode()
    texto = "".join(f"<p>Asistente {n}: vereda El Carmen, Candelaria.</p>" for n in range(parrafos))
    return HTML(string=f'<h1>Acta</h1><img style="width:15cm" src="data:image/jpeg;base64,{datos}">{texto}').write_pdf()


def xlsx(filas):
    libro = Workbook()
    hoja = libro.active
    for fila in range(filas):
        hoja.append([f"Asistente {fila}", fila, "Candelaria", "2024-03-12"])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def mejor_de_tres(funcion):
    tiempos = []
    for _vez in range(3):
        inicio = time.perf_counter()
        resultado = funcion()
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos), resultado


def medir(nombre, contenido):
    revision, revisado = mejor_de_tres(lambda: revisar_archivo(SimpleUploadedFile(nombre, contenido)))
    huella, _resumen = mejor_de_tres(lambda: hashlib.sha256(contenido).hexdigest())
    print(
        f"{nombre:28} {len(contenido) / 1e6:6.2f} MB → {revisado.tamano / 1e6:6.2f} MB guardados  "
        f"{revision:6.2f} s  ({revision / huella:5.0f} × el SHA-256 de los mismos bytes)"
    )


def main():
    from django.conf import settings

    settings.ARCHIVO_MAX_BYTES = 100 * 1024 * 1024  # measure beyond the 10 MB limit too
    foto_12 = foto(4000, 3000)
    medir("foto 12 MP.jpg", foto_12)
    medir("foto 48 MP.jpg", foto(8000, 6000))
    medir("acta 20 páginas.pdf", pdf_weasyprint(400, foto_12))
    medir("acta 300 páginas.pdf", pdf_weasyprint(6000, foto_12))
    medir("asistencia 20 000 filas.xlsx", xlsx(20_000))


if __name__ == "__main__":
    main()
