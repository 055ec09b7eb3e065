"""Fixtures of the evidence journey: an evidence factory, real file bytes, and a Chromium browser."""

import datetime
import io
import os
import zipfile

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from PIL import Image

from seguimiento import acciones
from seguimiento.models import Evidencia, MedioVerificacion


@pytest.fixture(autouse=True)
def hash_rapido(settings):
    """The personas' passwords need no real key stretching in tests (seconds per user otherwise)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def almacen_temporal(settings, tmp_path):
    """Evidence files of each test go to its own temporary folder, never to the repository."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media_privada"
    return settings.PRIVATE_MEDIA_ROOT


# --- File bytes -------------------------------------------------------------------------------


def bytes_png(color="red", tamano=(8, 8)):
    salida = io.BytesIO()
    Image.new("RGB", tamano, color).save(salida, "PNG")
    return salida.getvalue()


def bytes_jpeg(color="blue"):
    salida = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(salida, "JPEG")
    return salida.getvalue()


def bytes_pdf(texto="Acta de reunión"):
    cuerpo = (
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        f"% {texto}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    return cuerpo.encode("latin-1", "replace")


def _zip(miembros):
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as comprimido:
        for nombre, contenido in miembros.items():
            comprimido.writestr(nombre, contenido)
    return salida.getvalue()


def bytes_docx(extra=None):
    miembros = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document/>",
    }
    miembros.update(extra or {})
    return _zip(miembros)


def bytes_xlsx():
    from openpyxl import Workbook

    libro = Workbook()
    libro.active["A1"] = "Asistentes"
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def bytes_zip_simple():
    return _zip({"notas.txt": "hola"})


def subida(nombre, contenido, content_type="application/octet-stream"):
    return SimpleUploadedFile(nombre, contenido, content_type=content_type)


# --- Evidence --------------------------------------------------------------------------------


def datos_evidencia(meta, secretaria, /, **cambios):
    """What a delegate types in the evidence form (POST data), valid unless changed."""
    datos = {
        "meta": meta.pk,
        "secretaria": secretaria.pk,
        "fecha_actividad": "2024-03-12",
        "cantidad": 1,
        "descripcion": "Reunión con líderes comunales para socializar el diagnóstico.",
        "lugar": "Salón comunal de La Florida",
        "participantes_total": 20,
        "mujeres": 12,
        "hombres": 8,
        "otro_sexo": 0,
        "edad_0_17": 0,
        "edad_18_28": 5,
        "edad_29_59": 15,
        "edad_60_mas": 0,
        "medios": ["acta", "registro_fotografico"],
        "enlaces": "",
    }
    datos.update(cambios)
    return datos


class EvidenciaFactory(factory.django.DjangoModelFactory):
    """A draft of the given meta, secretaría and autor, with its first history row."""

    class Meta:
        model = Evidencia
        skip_postgeneration_save = True

    fecha_actividad = datetime.date(2024, 3, 12)
    cantidad = 1
    descripcion = factory.Sequence(lambda n: f"Reunión con la comunidad número {n}")
    lugar = "Salón comunal"
    medios = factory.LazyFunction(lambda: [MedioVerificacion.ACTA])
    participantes_total = 20
    mujeres = 12
    hombres = 8
    edad_18_28 = 5
    edad_29_59 = 15

    @factory.post_generation
    def historial(obj, create, extracted, **kwargs):
        if create:
            acciones.registrar_creacion(obj, usuario=obj.autor)


@pytest.fixture
def evidencia_salud(plan_pequeno, salud, delegada_salud):
    """Daniela's draft toward meta 1.2 (twelve meetings), with an enlace so it can be sent."""
    meta = plan_pequeno.metas().get(codigo="1.2")
    return EvidenciaFactory(
        meta=meta,
        secretaria=salud,
        autor=delegada_salud,
        enlaces="https://candelaria.gov.co/acta-12",
        medios=[MedioVerificacion.ACTA, MedioVerificacion.LISTA_ASISTENCIA],
    )


@pytest.fixture
def evidencia_hacienda(plan_pequeno, hacienda, delegado_hacienda):
    meta = plan_pequeno.metas().get(codigo="2.1")
    return EvidenciaFactory(meta=meta, secretaria=hacienda, autor=delegado_hacienda, enlaces="https://ejemplo.org/x")


# --- Browser -------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def navegador():
    """Debian's Chromium driven by Playwright (installed by scripts/instalar_sistema.sh)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Falta {CHROMIUM}: ejecute `make chromium` (scripts/instalar_sistema.sh).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there otherwise.
    anterior = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        navegador = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield navegador
        finally:
            navegador.close()
            # ORM calls made while Playwright's loop ran opened their own connection; close it so
            # PostgreSQL can drop the test database at the end.
            connections.close_all()
    if anterior is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = anterior


# --- Closed periods ------------------------------------------------------------------------------

MARZO = datetime.date(2024, 3, 31)  # plan_pequeno closed up to here in the closing tests
ABRIL = datetime.date(2024, 4, 1)  # the first day after the boundary


def datos_accion(meta, secretaria, fecha=MARZO, **cambios):
    """What acciones.crear and editar take as ``datos`` (the form's cleaned fields)."""
    datos = {
        "meta": meta,
        "secretaria": secretaria,
        "fecha_actividad": fecha,
        "cantidad": 1,
        "descripcion": "Mesa de trabajo con la comunidad.",
        "lugar": "Casa de la cultura",
        "participantes_total": 10,
        "mujeres": 6,
        "hombres": 4,
        "otro_sexo": 0,
        "edad_0_17": 0,
        "edad_18_28": 2,
        "edad_29_59": 8,
        "edad_60_mas": 0,
        "medios": ["acta"],
        "enlaces": "https://candelaria.gov.co/acta",
    }
    datos.update(cambios)
    return datos


def evidencia_en(meta, secretaria, autor, fecha, estado=Evidencia.Estado.BORRADOR, revisor=None):
    """A draft dated ``fecha`` moved by the actions to ``estado`` (so its history agrees with it)."""
    evidencia = EvidenciaFactory(
        meta=meta, secretaria=secretaria, autor=autor, fecha_actividad=fecha, enlaces="https://ejemplo.org/acta"
    )
    if estado != Evidencia.Estado.BORRADOR:
        acciones.enviar(evidencia, usuario=autor)
    if estado == Evidencia.Estado.APROBADA:
        acciones.aprobar(evidencia, revisor=revisor)
    elif estado == Evidencia.Estado.DEVUELTA:
        acciones.devolver(evidencia, revisor=revisor, motivo="Falta el acta firmada.")
    return Evidencia.objects.get(pk=evidencia.pk)
