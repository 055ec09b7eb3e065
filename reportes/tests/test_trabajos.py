"""Report jobs: a large verification report is one job per fingerprint, shared, bounded, and shown on its page."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import crear_usuario
from plan_participacion.almacen import almacen_privado
from plan_participacion.models import Entidad, Meta
from reportes import trabajos
from reportes.models import Informe
from reportes.tasks import limpiar_informes
from reportes.tests.conftest import CORTE
from seguimiento.models import Evidencia, Semaforo
from seguimiento.tests.datos_avance import Estado, evidencia

Listo = Informe.Estado


@pytest.fixture
def siempre_trabajo(settings):
    """REPORTES_EVIDENCIAS_EN_LINEA = 0: every verification report is a job, even an empty one."""
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 0


def pedir(client, corte=CORTE):
    return client.get(reverse("reporte_verificacion"), {"corte": corte.isoformat()})


def correr(resultado):
    """What a worker does with a queued generar_informe."""
    return trabajos.generar(resultado.args[0], resultado.id)


def test_con_cero_hasta_un_informe_vacio_es_un_trabajo(client, comite, candelaria, siempre_trabajo):
    client.force_login(comite)
    respuesta = pedir(client)
    assert respuesta.status_code == 202
    informe = Informe.objects.get()
    assert informe.evidencias == 0 and informe.estado == Listo.EN_COLA
    html = respuesta.content.decode()
    assert "El informe se está preparando" in html
    # The 202 page (at the report's URL) refreshes into the job's own page, which then refreshes itself
    # (static/js/recargar.js, which the person may pause: no <meta http-equiv="refresh">, WCAG 2.2.1).
    assert f'data-recargar-cada="5" data-recargar-url="{informe.get_absolute_url()}"' in html
    # It refreshes itself with no inline script (CSP); json_script's data blocks run nothing.
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))", html)


def test_pedir_encolar_generar_y_descargar(
    client, comite, historia_candelaria, siempre_trabajo, django_capture_on_commit_callbacks
):
    client.force_login(comite)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend renders it on commit
        assert pedir(client).status_code == 202
    informe = Informe.objects.get()
    assert informe.estado == Listo.LISTO and informe.progreso == 100 and informe.intentos == 1
    assert informe.tarea and informe.paginas >= 2 and informe.archivo.startswith("informes/")
    with almacen_privado.open(informe.archivo) as archivo:
        contenido = archivo.read()
    assert len(contenido) == informe.tamano and hashlib.sha256(contenido).hexdigest() == informe.sha256

    respuesta = pedir(client)  # the same URL now answers with the file
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    descargado = b"".join(respuesta.streaming_content)
    assert hashlib.sha256(descargado).hexdigest() == informe.sha256
    assert respuesta["X-Content-Type-Options"] == "nosniff" and "no-store" in respuesta["Cache-Control"]
    assert respuesta["Content-Disposition"].startswith("attachment")
    texto = PdfReader(io.BytesIO(descargado)).pages[0].extract_text()
    assert f"Página 1 de {informe.paginas}" in texto and "Evidencias aprobadas: 4" in texto

    pagina = client.get(informe.get_absolute_url()).content.decode()
    assert "El informe está listo" in pagina and reverse("informe_descargar", args=[informe.pk]) in pagina
    assert "Descargar" in pagina and "data-recargar-cada" not in pagina
    assert informe.sha256 in pagina
    descarga = client.get(reverse("informe_descargar", args=[informe.pk]))
    assert hashlib.sha256(b"".join(descarga.streaming_content)).hexdigest() == informe.sha256


def test_pedidos_iguales_comparten_un_trabajo(
    client,
    comite,
    coordinador,
    historia_candelaria,
    siempre_trabajo,
    cola_de_mentira,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(comite)
        pedir(client)
        client.force_login(coordinador)
        pedir(client)
        pedir(client)
    informe = Informe.objects.get()
    assert informe.pedido_por == comite
    assert sorted(s.usuario.username for s in informe.solicitudes.all()) == sorted(
        [comite.username, coordinador.username]
    )
    assert len(cola_de_mentira.results) == 1  # one task for the three requests
    assert informe.tarea == cola_de_mentira.results[0].id


def test_la_huella_cambia_con_lo_que_el_informe_muestra_y_no_con_lo_demas(historia_candelaria, delegada_candelaria):
    plan = historia_candelaria["plan"]
    _n, antes = trabajos.estado_de_los_datos(plan, CORTE)
    meta = Meta.objects.get(codigo="2.2", estrategia__objetivo__linea__plan=plan)
    salud = historia_candelaria["evidencias"]["1.2"].secretaria
    # A draft, a sent evidence, an approved one after the corte: nothing the report shows.
    for estado, fecha in (
        (Estado.BORRADOR, CORTE),
        (Estado.ENVIADA, CORTE),
        (Estado.APROBADA, CORTE.replace(day=30) + datetime.timedelta(days=5)),
    ):
        evidencia(meta, salud, delegada_candelaria, fecha, 1, estado)
    assert trabajos.estado_de_los_datos(plan, CORTE)[1] == antes

    nueva = evidencia(meta, salud, delegada_candelaria, CORTE, 1, Estado.APROBADA)
    n, despues = trabajos.estado_de_los_datos(plan, CORTE)
    assert n == 5 and despues != antes

    Semaforo.objects.update_or_create(pk=Semaforo.actual().pk or 1, defaults={"rojo_menor_que": 50, "verde_desde": 90})
    assert trabajos.estado_de_los_datos(plan, CORTE)[1] != despues
    _n, con_semaforo = trabajos.estado_de_los_datos(plan, CORTE)
    meta.texto = "Un (1) documento anual corregido."
    meta.save()  # a change to the plan's texts, as the admin makes it (with history)
    assert trabajos.estado_de_los_datos(plan, CORTE)[1] != con_semaforo
    Evidencia.objects.filter(pk=nueva.pk).delete()


def test_cada_persona_tiene_un_limite_de_informes_en_preparacion(
    client, comite, coordinador, historia_candelaria, siempre_trabajo, settings, cola_de_mentira
):
    settings.REPORTES_PENDIENTES_POR_USUARIO = 2
    client.force_login(comite)
    assert pedir(client, datetime.date(2023, 1, 31)).status_code == 202
    assert pedir(client, datetime.date(2023, 2, 28)).status_code == 202
    respuesta = pedir(client, datetime.date(2023, 3, 31))
    assert respuesta.status_code == 429
    html = respuesta.content.decode()
    assert "Ya tiene 2 informes en preparación, el máximo por persona." in html
    assert html.count(reverse("informe_detalle", args=[Informe.objects.first().pk])) >= 1
    assert Informe.objects.count() == 2
    # Asking again for one of one's own jobs, or joining someone else's, is always fine.
    assert pedir(client, datetime.date(2023, 1, 31)).status_code == 202
    client.force_login(coordinador)
    assert pedir(client, datetime.date(2023, 3, 31)).status_code == 202
    client.force_login(comite)
    assert pedir(client, datetime.date(2023, 3, 31)).status_code == 202
    assert Informe.objects.count() == 3


def test_la_pagina_del_trabajo_muestra_el_avance(client, comite, historia_candelaria, siempre_trabajo, cola_de_mentira):
    client.force_login(comite)
    pedir(client)
    informe = Informe.objects.get()
    Informe.objects.filter(pk=informe.pk).update(estado=Listo.GENERANDO, progreso=40, paginas=12)
    html = client.get(informe.get_absolute_url()).content.decode()
    assert "El informe se está preparando: 40 % hecho." in html and "12 páginas hasta ahora." in html
    assert '<progress class="w-100" value="40" max="100"' in html
    assert f'data-recargar-cada="5" data-recargar-url="{informe.get_absolute_url()}"' in html
    # The reports page lists one's own jobs with their state.
    inicio = client.get(reverse("reportes")).content.decode()
    assert informe.get_absolute_url() in inicio and "Generando" in inicio


def test_un_informe_que_falla_se_puede_reintentar(
    client,
    comite,
    historia_candelaria,
    siempre_trabajo,
    cola_de_mentira,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client.force_login(comite)
    with django_capture_on_commit_callbacks(execute=True):
        pedir(client)
    (resultado,) = cola_de_mentira.results

    def sin_memoria(*argumentos, **opciones):
        raise MemoryError("sin memoria para la parte 3")

    monkeypatch.setattr("reportes.verificacion.escribir_verificacion", sin_memoria)
    with pytest.raises(MemoryError):
        correr(resultado)
    informe = Informe.objects.get()
    assert informe.estado == Listo.FALLO and "MemoryError: sin memoria para la parte 3" in informe.error
    respuesta = pedir(client)
    assert respuesta.status_code == 202
    html = respuesta.content.decode()
    assert "No se pudo preparar el informe." in html and "Reintentar" in html
    assert "data-recargar-cada" not in html

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("informe_reintentar", args=[informe.pk]))
    assert respuesta.status_code == 302 and respuesta["Location"] == informe.get_absolute_url()
    informe.refresh_from_db()
    assert informe.estado == Listo.EN_COLA and informe.error == "" and informe.intentos == 0
    correr(cola_de_mentira.results[-1])
    informe.refresh_from_db()
    assert informe.estado == Listo.LISTO
    assert pedir(client).status_code == 200


def test_un_archivo_perdido_se_prepara_de_nuevo(
    client, comite, historia_candelaria, siempre_trabajo, django_capture_on_commit_callbacks
):
    client.force_login(comite)
    with django_capture_on_commit_callbacks(execute=True):
        pedir(client)
    informe = Informe.objects.get()
    almacen_privado.delete(informe.archivo)
    with django_capture_on_commit_callbacks(execute=True):
        assert pedir(client).status_code == 202
    informe.refresh_from_db()
    assert informe.estado == Listo.LISTO and almacen_privado.exists(informe.archivo)
    assert pedir(client).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the roles the migrations create
def test_cuarenta_pedidos_distintos_no_generan_mas_de_los_permitidos_a_la_vez(
    client, comite, historia_candelaria, settings, cola_de_mentira, monkeypatch
):
    """Forty requests for forty cortes: never more than REPORTES_EN_PARALELO renders at once, the rest wait.

    Deterministic: while one render runs, the renderer starts the next queued task (as another worker
    would), so every task tries to take a slot while the earlier renders are still running.
    """
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 0
    settings.REPORTES_EN_PARALELO = 2
    settings.REPORTES_PENDIENTES_POR_USUARIO = 40
    client.force_login(comite)
    cortes = [datetime.date(2022, 10, 1) + datetime.timedelta(days=7 * n) for n in range(40)]
    for corte in cortes:
        assert pedir(client, corte).status_code == 202
    assert Informe.objects.filter(estado=Listo.EN_COLA).count() == 40
    cola = list(cola_de_mentira.results)
    assert len(cola) == 40
    a_la_vez = []

    def render_lento(informe):
        a_la_vez.append(Informe.objects.filter(estado=Listo.GENERANDO).count())
        if cola:  # meanwhile, another worker takes the next task
            correr(cola.pop(0))
        return {"archivo": f"informes/prueba-{informe.pk}.pdf", "tamano": 1, "sha256": "0" * 64, "paginas": 1}

    monkeypatch.setattr(trabajos, "_renderizar", render_lento)
    vistos = 40
    rondas = 0
    while cola or Informe.objects.exclude(estado=Listo.LISTO).exists():
        rondas += 1
        assert rondas < 200, "los trabajos no terminan"
        if not cola:  # tasks that found no slot enqueued themselves again, later
            nuevos = cola_de_mentira.results[vistos:]
            vistos = len(cola_de_mentira.results)
            assert all(r.task.run_after is not None for r in nuevos)
            cola.extend(nuevos)
        correr(cola.pop(0))
    assert max(a_la_vez) == 2  # the limit was reached, never passed
    assert len(a_la_vez) == 40 and Informe.objects.filter(estado=Listo.LISTO).count() == 40


def test_solo_el_comite_y_la_coordinacion_ven_los_trabajos(
    client, comite, delegada_candelaria, historia_candelaria, siempre_trabajo, cola_de_mentira
):
    client.force_login(comite)
    pedir(client)
    informe = Informe.objects.get()
    client.force_login(delegada_candelaria)
    for nombre in ("informe_detalle", "informe_descargar"):
        assert client.get(reverse(nombre, args=[informe.pk])).status_code == 403
    assert client.post(reverse("informe_reintentar", args=[informe.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("informe_detalle", args=[informe.pk])).status_code == 302
    otra = crear_usuario("otra.comite", "Comité", entidad=informe.plan.entidad)
    client.force_login(otra)
    assert client.get(reverse("informe_detalle", args=[informe.pk])).status_code == 200
    assert client.get(reverse("informe_descargar", args=[informe.pk])).status_code == 302  # not ready: its page
    assert client.get(reverse("informe_detalle", args=[informe.pk + 99])).status_code == 404
    # A committee of another entidad: its plans only, as if this job did not exist.
    pradera = Entidad.objects.create(nombre="Municipio de Pradera")
    client.force_login(crear_usuario("comite.pradera", "Comité", entidad=pradera))
    for nombre in ("informe_detalle", "informe_descargar"):
        assert client.get(reverse(nombre, args=[informe.pk])).status_code == 404


def test_la_limpieza_borra_los_informes_que_nadie_pidio_en_dias(historia_candelaria, comite, settings):
    settings.REPORTES_DIAS_SIN_PEDIR = 7
    plan = historia_candelaria["plan"]
    ahora = timezone.now()

    def informe(huella, estado, hace_dias):
        fecha = ahora - datetime.timedelta(days=hace_dias)
        nombre = almacen_privado.save(f"informes/{huella}.pdf", ContentFile(b"%PDF-1.7 prueba"))
        return Informe.objects.create(
            plan=plan,
            tipo="verificacion",
            corte=CORTE,
            huella=huella,
            estado=estado,
            archivo=nombre,
            pedido_por=comite,
            pedido_en=fecha,
            ultima_solicitud=fecha,
        )

    viejo = informe("viejo", Listo.LISTO, 8)
    fallido = informe("fallido", Listo.FALLO, 30)
    reciente = informe("reciente", Listo.LISTO, 6)
    en_curso = informe("en-curso", Listo.GENERANDO, 9)  # a job still running is never removed

    assert limpiar_informes.call() == 2

    assert set(Informe.objects.values_list("huella", flat=True)) == {"reciente", "en-curso"}
    assert not almacen_privado.exists(viejo.archivo) and not almacen_privado.exists(fallido.archivo)
    assert almacen_privado.exists(reciente.archivo) and almacen_privado.exists(en_curso.archivo)
