"""WeasyPrint reads the project's static files and nothing else."""

import os

import pytest
from weasyprint.urls import path2url

from reportes import informes
from reportes.recursos import LectorEstaticos, RecursoProhibido, carpeta_reportes, ruta_permitida


@pytest.fixture
def estaticos(settings, tmp_path):
    """A static root of its own, with a font, a secret beside it and a symlink from inside to the secret."""
    raiz = tmp_path / "static"
    (raiz / "reportes" / "fuentes").mkdir(parents=True)
    (raiz / "reportes" / "fuentes" / "letra.ttf").write_bytes(b"fuente")
    secreto = tmp_path / "secreto.txt"
    secreto.write_text("clave de la base de datos")
    os.symlink(secreto, raiz / "reportes" / "enlace.txt")
    os.symlink(tmp_path, raiz / "reportes" / "carpeta-enlazada")
    settings.STATICFILES_DIRS = [raiz]
    return raiz


def test_sirve_un_archivo_estatico(estaticos):
    respuesta = LectorEstaticos().fetch(path2url(str(estaticos / "reportes" / "fuentes" / "letra.ttf")))
    assert respuesta.read() == b"fuente"
    assert respuesta.content_type == "font/ttf"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/reportes/informe.css",
        "https://cdn.example.org/fuente.ttf",
        "ftp://example.org/x",
        "data:text/css,body{}",
        "file://otra-maquina/static/reportes/fuentes/letra.ttf",
    ],
)
def test_rechaza_otros_protocolos_y_archivos_fuera_de_static(estaticos, url):
    with pytest.raises(RecursoProhibido):
        LectorEstaticos().fetch(url)


def test_rechaza_subir_de_carpeta_con_puntos(estaticos):
    url = path2url(str(estaticos / "reportes" / "fuentes")) + "/../../../secreto.txt"
    with pytest.raises(RecursoProhibido):
        LectorEstaticos().fetch(url)
    with pytest.raises(RecursoProhibido):
        LectorEstaticos().fetch(path2url(str(estaticos)) + "/%2e%2e/secreto.txt")


def test_rechaza_un_enlace_simbolico_que_sale_de_static(estaticos):
    with pytest.raises(RecursoProhibido):
        ruta_permitida(path2url(str(estaticos / "reportes" / "enlace.txt")))
    with pytest.raises(RecursoProhibido):
        ruta_permitida(path2url(str(estaticos / "reportes" / "carpeta-enlazada" / "secreto.txt")))


def test_rechaza_una_carpeta(estaticos):
    with pytest.raises(RecursoProhibido):
        ruta_permitida(path2url(str(estaticos / "reportes")))


@pytest.mark.parametrize(
    "html",
    [
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        '<img src="../../plan_participacion/settings.py">',
        '<object data="file:///etc/hostname"></object>',
    ],
)
def test_un_recurso_prohibido_detiene_el_pdf(html):
    # The fetcher's refusal is fatal: no PDF is produced without (or with) the resource.
    with pytest.raises(informes.InformeInvalido, match="no es un archivo estático|solo leen archivos estáticos"):
        informes.a_pdf(f"<!doctype html><html><body><p>Informe</p>{html}</body></html>")


def test_las_fuentes_del_informe_estan_en_static_con_su_licencia():
    carpeta = carpeta_reportes() / "fuentes"
    assert {p.name for p in carpeta.iterdir()} >= {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"}
    assert "Bitstream" in (carpeta / "LICENSE-DejaVu.txt").read_text()
    css = informes.hoja_de_estilos()
    assert 'url("fuentes/DejaVuSans.ttf")' in css and 'url("fuentes/DejaVuSans-Bold.ttf")' in css
