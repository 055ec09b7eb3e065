"""File checks: type by content, size, names, storage."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from seguimiento.archivos import DOCX, JPEG, PDF, PNG, XLSX, guardar_archivos, nombre_seguro, revisar_archivo
from seguimiento.tests.conftest import (
    EvidenciaFactory,
    bytes_docx,
    bytes_jpeg,
    bytes_pdf,
    bytes_png,
    bytes_xlsx,
    bytes_zip_simple,
    subida,
)


def mensaje_de(subido):
    with pytest.raises(ValidationError) as error:
        revisar_archivo(subido)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("nombre", "contenido", "tipo"),
    [
        ("acta.pdf", bytes_pdf(), PDF),
        ("foto.jpg", bytes_jpeg(), JPEG),
        ("foto.png", bytes_png(), PNG),
        ("informe.docx", bytes_docx(), DOCX),
        ("asistencia.xlsx", bytes_xlsx(), XLSX),
    ],
)
def test_acepta_los_cinco_tipos_y_guarda_el_sha256_de_lo_que_se_guarda(nombre, contenido, tipo):
    revisado = revisar_archivo(subida(nombre, contenido))
    assert revisado.tipo == tipo
    assert revisado.nombre == nombre
    revisado.subido.seek(0)
    guardado = revisado.subido.read()
    assert revisado.tamano == len(guardado)
    assert revisado.sha256 == hashlib.sha256(guardado).hexdigest()
    if tipo in (JPEG, PNG):  # written again (seguimiento/formatos/imagenes.py); the upload's hash is kept
        assert revisado.sha256_original == hashlib.sha256(contenido).hexdigest()
    else:  # stored byte for byte
        assert guardado == contenido
        assert revisado.sha256_original == ""


def test_el_tipo_sale_del_contenido_no_de_la_extension_ni_del_navegador():
    revisado = revisar_archivo(subida("acta.png", bytes_pdf(), content_type="image/png"))
    assert revisado.tipo == PDF
    assert revisado.nombre == "acta.pdf"


def test_rechaza_html_renombrado_como_png():
    html = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
    assert "no es PDF, JPEG, PNG, DOCX ni XLSX" in mensaje_de(subida("foto.png", html, "image/png"))


def test_rechaza_firma_png_seguida_de_html():
    falso = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    assert "contiene código HTML o de script" in mensaje_de(subida("foto.png", falso, "image/png"))


def test_rechaza_jpeg_con_script_en_la_cabecera():
    falso = bytes_jpeg()[:20] + b"<script>alert(1)</script>" + bytes_jpeg()[20:]
    assert "contiene código HTML o de script" in mensaje_de(subida("foto.jpg", falso))


def test_rechaza_pdf_con_html_al_comienzo():
    falso = b"%PDF-1.4\n<html><body onload=alert(1)></body></html>\n%%EOF"
    assert "contiene código HTML o de script" in mensaje_de(subida("acta.pdf", falso))


def test_rechaza_firma_png_sin_imagen_valida():
    falso = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert "está dañada o no es realmente una imagen PNG" in mensaje_de(subida("foto.png", falso))


def test_rechaza_imagen_truncada():
    truncada = bytes_png(tamano=(64, 64))[:60]
    assert "está dañada" in mensaje_de(subida("foto.png", truncada))


@pytest.mark.parametrize(
    ("nombre", "contenido"),
    [
        ("programa.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("dibujo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("notas.txt", "Acta de reunión en texto plano".encode()),
        ("comprimido.zip", bytes_zip_simple()),
        ("animacion.gif", b"GIF89a" + b"\x00" * 50),
    ],
)
def test_rechaza_otros_tipos(nombre, contenido):
    assert "no es PDF, JPEG, PNG, DOCX ni XLSX" in mensaje_de(subida(nombre, contenido))


def test_rechaza_zip_danado():
    assert "está dañado" in mensaje_de(subida("informe.docx", b"PK\x03\x04" + b"basura" * 30))


def test_rechaza_archivo_vacio():
    assert "«vacio.pdf» está vacío" in mensaje_de(subida("vacio.pdf", b""))


def test_rechaza_archivo_que_supera_el_limite_configurable(settings):
    settings.ARCHIVO_MAX_BYTES = 1024
    contenido = bytes_pdf() + b"%" * (2150 - len(bytes_pdf()))
    mensaje = mensaje_de(subida("acta.pdf", contenido))
    assert "«acta.pdf» pesa 2,1\xa0KB; el máximo por archivo es 1,0\xa0KB" in mensaje


@pytest.mark.parametrize(
    ("original", "tipo", "seguro"),
    [
        ("../../etc/passwd.pdf", PDF, "passwd.pdf"),
        ("C:\\Users\\Daniela\\Acta Junio.PDF", PDF, "Acta Junio.pdf"),
        ("foto\u202egnp.exe", PNG, "fotognp.png"),
        ("<script>alert(1)</script>.pdf", PDF, "script.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", PDF, "img src_x onerror_alert(1).pdf"),
        ("...", PDF, "archivo.pdf"),
        ("reunión con líderes.jpeg", JPEG, "reunión con líderes.jpeg"),
        ("asistencia", XLSX, "asistencia.xlsx"),
        ("a" * 300 + ".docx", DOCX, "a" * 100 + ".docx"),
        ('comillas"y;punto.pdf', PDF, "comillas_y_punto.pdf"),
    ],
)
def test_nombre_seguro(original, tipo, seguro):
    assert nombre_seguro(original, tipo) == seguro


def test_guarda_en_el_almacen_privado_con_ruta_imposible_de_adivinar(
    almacen_temporal, plan_pequeno, salud, delegada_salud
):
    evidencia = EvidenciaFactory(meta=plan_pequeno.metas().first(), secretaria=salud, autor=delegada_salud)
    revisado = revisar_archivo(subida("Acta reunión.pdf", bytes_pdf()))
    (ruta,) = guardar_archivos(evidencia, [revisado], usuario=delegada_salud)
    archivo = evidencia.archivos.get()
    assert archivo.nombre_original == "Acta reunión.pdf"
    assert archivo.sha256 == hashlib.sha256(bytes_pdf()).hexdigest()
    assert "Acta" not in ruta
    assert len(Path(ruta).stem) == 32
    guardado = Path(almacen_temporal) / ruta
    assert guardado.read_bytes() == bytes_pdf()
    assert "static" not in guardado.parts
    with pytest.raises(ValueError):
        archivo.archivo.url  # noqa: B018 - no public URL exists for private files
