"""Fixtures of the evidence journey: an evidence factory, real file bytes, and a Chromium browser."""

import datetime
import io
import os
import zipfile
import zlib

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


def construir_pdf(objetos, cola=b""):
    """A PDF with the given objects (numbered from 1; the first is the catalog) and a correct
    cross-reference table, as a PDF writer makes it; ``cola`` goes after the %%EOF."""
    salida = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    posiciones = []
    for numero, cuerpo in enumerate(objetos, start=1):
        posiciones.append(len(salida))
        salida += b"%d 0 obj\n%s\nendobj\n" % (numero, cuerpo)
    tabla = len(salida)
    salida += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objetos) + 1)
    salida += b"".join(b"%010d 00000 n \n" % posicion for posicion in posiciones)
    salida += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objetos) + 1, tabla)
    return bytes(salida) + cola


def flujo_pdf(contenido, comprimido=True, diccionario=b""):
    """A stream object's body; compressed with /FlateDecode unless told otherwise."""
    datos = zlib.compress(contenido) if comprimido else contenido
    filtro = b"/Filter /FlateDecode " if comprimido else b""
    return b"<< %s%s/Length %d >>\nstream\n%s\nendstream" % (filtro, diccionario, len(datos), datos)


def bytes_pdf(texto="Acta de reunión", catalogo=b"", pagina=b"", extra=(), cola=b""):
    """A one-page PDF showing ``texto``; ``catalogo`` and ``pagina`` add entries to those dictionaries,
    ``extra`` adds objects numbered from 6."""
    linea = texto.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    return construir_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalogo,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> %s>>" % pagina,
            flujo_pdf(b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % linea),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *extra,
        ],
        cola=cola,
    )


def _zip(miembros):
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as comprimido:
        for nombre, contenido in miembros.items():
            comprimido.writestr(nombre, contenido)
    return salida.getvalue()


TIPOS_OPC = "http://schemas.openxmlformats.org/package/2006/content-types"
RELACIONES_OPC = "http://schemas.openxmlformats.org/package/2006/relationships"
RELACION_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def bytes_docx(extra=None, tipos="", relaciones=""):
    """A minimal Word package; ``tipos`` adds to [Content_Types].xml, ``relaciones`` to the document's rels."""
    miembros = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types xmlns="{TIPOS_OPC}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.wordprocessingml.document.main+xml"/>{tipos}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELACIONES_OPC}"><Relationship Id="rId1" '
        f'Type="{RELACION_OFFICE}/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": "<w:document/>",
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{RELACIONES_OPC}">{relaciones}</Relationships>',
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

# What the approval's confirmation page posts: only this approves (a bare POST shows that page).
CONFIRMAR = {"confirmar": "1"}


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
    from playwright.sync_api import expect, sync_playwright

    # Pages wait up to 10 s (nueva_pagina); assertions as long, so a busy CI machine is not a failure.
    expect.set_options(timeout=10_000)

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


# --- A working day in the browser: plan_pequeno moved to this month -------------------------------


def mover_al_mes_actual(plan):
    """plan_pequeno (January–June 2024, its «today» in March) moved so that its March is this month.

    Browser tests cannot freeze the clock (the browser's own clock would expire the server's
    cookies): the plan comes to today instead. Returns the plan's months: [first, …, this month, …].
    """
    from django.utils import timezone

    from plan_participacion.models import ProgramacionMensual, sumar_meses

    hoy = timezone.localdate()
    desplazamiento = (hoy.year * 12 + hoy.month) - (2024 * 12 + 3)
    plan.mes_inicio = sumar_meses(plan.mes_inicio, desplazamiento)
    plan.mes_fin = sumar_meses(plan.mes_fin, desplazamiento)
    plan.save()
    # Latest first, so that no month moves onto one of its strategy's months not moved yet.
    for programacion in ProgramacionMensual.objects.filter(estrategia__objetivo__linea__plan=plan).order_by("-mes"):
        programacion.mes = sumar_meses(programacion.mes, desplazamiento)
        programacion.save()
    return plan.meses()


@pytest.fixture
def jornada(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador, comite):
    """The plan in this month, with evidence in every state the pages show:

    * Salud's draft toward 1.2 with a PDF and a photo (this month);
    * Salud's evidence toward 1.1 returned with a reason (last month);
    * Salud's evidence toward 2.1 returned, corrected (quantity 2) and sent again: «reenviada»;
    * Hacienda's evidence toward 2.1 sent for the first time, and another approved.
    """
    from seguimiento.archivos import guardar_archivos, revisar_archivo

    meses = mover_al_mes_actual(plan_pequeno)
    este_mes, mes_pasado = meses[2], meses[1]
    metas = {m.codigo: m for m in plan_pequeno.metas()}

    def crear(meta, secretaria, autor, fecha, **cambios):
        return acciones.crear(usuario=autor, datos=datos_accion(meta, secretaria, fecha=fecha, **cambios))

    borrador = crear(metas["1.2"], salud, delegada_salud, este_mes, descripcion="Reunión con las JAC del norte.")
    guardar_archivos(
        borrador,
        [revisar_archivo(subida("acta.pdf", bytes_pdf())), revisar_archivo(subida("foto.png", bytes_png()))],
        usuario=delegada_salud,
    )
    devuelta = crear(metas["1.1"], salud, delegada_salud, mes_pasado)
    acciones.enviar(devuelta, usuario=delegada_salud)
    acciones.devolver(devuelta, revisor=coordinador, motivo="Falta el acta firmada por los asistentes.")
    reenviada = crear(metas["2.1"], salud, delegada_salud, mes_pasado)
    acciones.enviar(reenviada, usuario=delegada_salud)
    acciones.devolver(reenviada, revisor=coordinador, motivo="Fueron dos convocatorias, no una.")
    fila = Evidencia.objects.get(pk=reenviada.pk)
    acciones.editar(
        fila, usuario=delegada_salud, datos={**datos_accion(metas["2.1"], salud, fecha=mes_pasado), "cantidad": 2}
    )
    acciones.enviar(fila, usuario=delegada_salud)
    primera = crear(metas["2.1"], hacienda, delegado_hacienda, este_mes)
    acciones.enviar(primera, usuario=delegado_hacienda)
    aprobada = crear(metas["2.1"], hacienda, delegado_hacienda, mes_pasado)
    acciones.enviar(aprobada, usuario=delegado_hacienda)
    acciones.aprobar(aprobada, revisor=coordinador)
    return {
        "plan": plan_pequeno,
        "metas": metas,
        "meses": meses,
        "borrador": borrador,
        "devuelta": devuelta,
        "reenviada": Evidencia.objects.get(pk=reenviada.pk),
        "primera": primera,
        "aprobada": aprobada,
    }


# --- A second entidad: Pradera, with its own people, secretaría, plan and evidence ---------------

PRADERA_EVIDENCIA = "Cabildo abierto de Pradera en la vereda La Ruiza"


@pytest.fixture
def pradera(db):
    from plan_participacion.models import Entidad

    return Entidad.objects.create(nombre="Municipio de Pradera", codigo_dane="76563")


@pytest.fixture
def salud_pradera(pradera):
    """Pradera's own «Secretaría de Salud Pública y Seguridad Social»: the same name as the first entidad's."""
    from plan_participacion.models import Secretaria

    return Secretaria.objects.create(entidad=pradera, nombre="Secretaría de Salud Pública y Seguridad Social")


@pytest.fixture
def plan_pradera(pradera, salud_pradera):
    """Pradera's plan for 2024, one strategy with a semestral meta (1.1) and an ordinary one (1.2)."""
    from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan, ProgramacionMensual

    plan = Plan.objects.create(
        entidad=pradera,
        municipio="Municipio de Pradera",
        titulo="Plan de acción de participación de Pradera",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2024, 12, 1),
    )
    linea = LineaAccion.objects.create(plan=plan, numero=1, nombre="Participación en Pradera")
    objetivo = Objetivo.objects.create(linea=linea, texto="Promover la participación en Pradera.")
    estrategia = Estrategia.objects.create(objetivo=objetivo, numero=1, texto="Realizar cabildos abiertos.")
    estrategia.responsables.set([salud_pradera])
    Meta.objects.create(
        estrategia=estrategia,
        codigo="1.1",
        orden=1,
        texto="Un (1) cabildo abierto semestral.",
        periodicidad=Meta.Periodicidad.SEMESTRAL,
    )
    Meta.objects.create(estrategia=estrategia, codigo="1.2", orden=2, texto="Dos (2) mesas.", cantidad_objetivo=2)
    ProgramacionMensual.objects.create(estrategia=estrategia, mes=datetime.date(2024, 3, 1), cantidad=1)
    return plan


@pytest.fixture
def coordinadora_pradera(pradera):
    from conftest import crear_usuario

    return crear_usuario(
        "paula.pradera", "Coordinador", entidad=pradera, first_name="Paula", last_name="Rengifo", is_staff=True
    )


@pytest.fixture
def delegado_pradera(pradera, salud_pradera):
    from conftest import crear_usuario

    usuario = crear_usuario("pedro.pradera", "Delegado", entidad=pradera, first_name="Pedro", last_name="Arango")
    salud_pradera.delegados.add(usuario)
    return usuario


@pytest.fixture
def evidencia_pradera(plan_pradera, salud_pradera, delegado_pradera):
    """Pedro's evidence toward Pradera's 1.2, sent for review."""
    evidencia = EvidenciaFactory(
        meta=plan_pradera.metas().get(codigo="1.2"),
        secretaria=salud_pradera,
        autor=delegado_pradera,
        descripcion=PRADERA_EVIDENCIA,
        enlaces="https://pradera.gov.co/acta",
    )
    acciones.enviar(evidencia, usuario=delegado_pradera)
    return Evidencia.objects.get(pk=evidencia.pk)
