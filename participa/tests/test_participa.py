"""The Menú Participa: what anyone reads without an account, and what never leaves the app."""

import csv
import datetime
import io
import json
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from conftest import crear_usuario
from participa import views
from plan_participacion import acciones as acciones_plan
from plan_participacion.importer import importar
from plan_participacion.models import Plan
from reportes import informes
from seguimiento import acciones
from seguimiento.models import ArchivoEvidencia, DocumentoFirmado, Evidencia, GrupoValor, ParticipacionGrupo
from seguimiento.tests.conftest import EvidenciaFactory, bytes_png
from seguimiento.tests.datos_avance import multiplicar

CINCO_DE_ABRIL = datetime.datetime(2024, 4, 5, 10, 30, tzinfo=zoneinfo.ZoneInfo("America/Bogota"))
MARZO = datetime.date(2024, 3, 31)
SEMILLA = Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv"

# Strings that belong to people or to the evidence: none may appear under /participa/.
PERSONALES = (
    "Zoraida",
    "Quintanilla",
    "Eustaquio",
    "Ximena Elaboradora",
    "Rigoberto Revisor",
    "carolina.coordinadora",
    "Ríos",
    "Vereda El Cedral de los Distintivos",
    "Mesa con las madres comunitarias zafiro",
    "lista-asistencia-zafiro.png",
    "acta-zafiro",
)


def urls_publicas(plan, documento=None):
    urls = [
        reverse("participa"),
        reverse("participa_plan", args=[plan.pk]),
        reverse("participa_diccionario", args=[plan.pk]),
    ]
    for conjunto in ("metas", "cronograma", "participantes"):
        for formato in ("csv", "json"):
            urls.append(reverse("participa_datos", args=[plan.pk, conjunto, formato]))
    if documento is not None:
        urls.append(reverse("participa_informe", args=[plan.pk, documento.pk]))
    return urls


def filas_csv(respuesta):
    assert respuesta["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(respuesta.content.decode("utf-8"))))


@pytest.fixture
def publicado(plan_pequeno, coordinador):
    return acciones_plan.publicar_plan(plan_pequeno, usuario=coordinador)


@pytest.fixture
def zoraida(entidad, salud):
    """A delegate whose name must never be published."""
    usuaria = crear_usuario("zoraida.salud", "Delegado", entidad=entidad, first_name="Zoraida", last_name="Quintanilla")
    salud.delegados.add(usuaria)
    return usuaria


@pytest.fixture
def aprobada(plan_pequeno, salud, zoraida, coordinador):
    """An approved evidence of March 2024 with participants, a file and distinctive texts."""
    grupo = GrupoValor.objects.create(nombre="Madres comunitarias", orden=1)
    evidencia = EvidenciaFactory(
        meta=plan_pequeno.metas().get(codigo="1.2"),
        secretaria=salud,
        autor=zoraida,
        fecha_actividad=datetime.date(2024, 3, 12),
        descripcion="Mesa con las madres comunitarias zafiro",
        lugar="Vereda El Cedral de los Distintivos",
        enlaces="https://candelaria.gov.co/acta-zafiro",
        participantes_total=20,
        mujeres=12,
        hombres=8,
        edad_18_28=5,
        edad_29_59=15,
    )
    ParticipacionGrupo.objects.create(evidencia=evidencia, grupo=grupo, cantidad=7)
    archivo = ArchivoEvidencia(
        evidencia=evidencia,
        nombre_original="lista-asistencia-zafiro.png",
        tipo_contenido="image/png",
        tamano=len(bytes_png()),
        sha256="0" * 64,
        subido_por=zoraida,
    )
    archivo.archivo.save("lista-asistencia-zafiro.png", ContentFile(bytes_png()), save=True)
    acciones.enviar(evidencia, usuario=zoraida)
    acciones.aprobar(evidencia, revisor=coordinador)
    return Evidencia.objects.get(pk=evidencia.pk)


# ---- publishing ----


def test_sin_publicar_nadie_lo_ve_sin_cuenta_ni_con_ella(client, plan_pequeno, coordinador):
    for url in urls_publicas(plan_pequeno)[1:]:
        assert client.get(url).status_code == 404, url
    assert plan_pequeno.titulo not in client.get(reverse("participa")).content.decode()
    client.force_login(coordinador)  # the public URLs do not depend on who asks
    assert client.get(reverse("participa_plan", args=[plan_pequeno.pk])).status_code == 404


def test_la_coordinacion_publica_y_retira_el_plan_con_su_rastro(client, plan_pequeno, coordinador):
    client.force_login(coordinador)
    assert client.get(reverse("plan_publicar", args=[plan_pequeno.pk])).status_code == 405
    pagina = client.get(plan_pequeno.get_absolute_url()).content.decode()
    assert "Publicar en el Menú Participa" in pagina
    respuesta = client.post(reverse("plan_publicar", args=[plan_pequeno.pk]), follow=True)
    assert "El plan está publicado en el Menú Participa" in respuesta.content.decode()
    assert Plan.objects.get(pk=plan_pequeno.pk).publicado
    assert client.get(reverse("participa_plan", args=[plan_pequeno.pk])).status_code == 200
    # Twice: nothing changes, the page says so.
    respuesta = client.post(reverse("plan_publicar", args=[plan_pequeno.pk]), follow=True)
    assert "El plan ya estaba publicado." in respuesta.content.decode()

    client.post(reverse("plan_despublicar", args=[plan_pequeno.pk]))
    assert not Plan.objects.get(pk=plan_pequeno.pk).publicado
    assert client.get(reverse("participa_plan", args=[plan_pequeno.pk])).status_code == 404

    historia = list(plan_pequeno.history.order_by("history_date", "history_id"))
    cambios = [(h.publicado, h.history_user, h.history_change_reason) for h in historia[-2:]]
    assert cambios == [
        (True, coordinador, "Publicado en el Menú Participa"),
        (False, coordinador, "Retirado del Menú Participa"),
    ]
    auditoria = client.get(reverse("auditoria")).content.decode()
    assert "Publicado en el Menú Participa" in auditoria


def test_solo_quien_tiene_el_permiso_publica_y_solo_planes_de_su_entidad(
    client, plan_pequeno, delegada_salud, comite, coordinadora_candelaria
):
    for persona, estado in ((delegada_salud, 403), (comite, 403), (coordinadora_candelaria, 404)):
        client.force_login(persona)
        assert client.post(reverse("plan_publicar", args=[plan_pequeno.pk])).status_code == estado
    assert not Plan.objects.get(pk=plan_pequeno.pk).publicado
    client.logout()
    respuesta = client.post(reverse("plan_publicar", args=[plan_pequeno.pk]))
    assert respuesta.status_code == 302 and reverse("login") in respuesta["Location"]


def test_publicar_dos_veces_no_escribe_otra_fila(plan_pequeno, coordinador):
    acciones_plan.publicar_plan(plan_pequeno, usuario=coordinador)
    filas = plan_pequeno.history.count()
    with pytest.raises(acciones_plan.SinCambios):
        acciones_plan.publicar_plan(plan_pequeno, usuario=coordinador)
    assert plan_pequeno.history.count() == filas


# ---- the public page ----


@time_machine.travel(datetime.datetime(2024, 4, 20, 12, tzinfo=zoneinfo.ZoneInfo("America/Bogota")), tick=False)
def test_un_visitante_lee_el_avance_el_grafico_y_los_participantes(client, publicado, aprobada):
    respuesta = client.get(reverse("participa_plan", args=[publicado.pk]))
    assert respuesta.status_code == 200
    pagina = respuesta.content.decode()
    assert "Doce (12) reuniones." in pagina
    assert 'data-meta="1.2"' in pagina
    assert "<svg" in pagina and 'id="tabla-meses"' in pagina
    assert "20 personas participaron" in pagina
    assert "Madres comunitarias" in pagina
    assert "Última evidencia aprobada" in pagina
    assert "20 de abril de 2024" in pagina  # the corte: today within the plan's period
    # No user menu, no login form, no CSRF token: the same bytes for everyone.
    assert "csrfmiddlewaretoken" not in pagina and "Cerrar sesión" not in pagina


def test_la_pagina_publica_es_la_misma_para_todos_y_se_puede_guardar(client, publicado, delegada_salud):
    anonima = client.get(reverse("participa_plan", args=[publicado.pk]))
    client.force_login(delegada_salud)
    client.get(reverse("mis_metas"))
    con_sesion = client.get(reverse("participa_plan", args=[publicado.pk]))
    for respuesta in (anonima, con_sesion):
        assert "public" in respuesta["Cache-Control"] and "max-age=300" in respuesta["Cache-Control"]
        assert "Cookie" not in respuesta.get("Vary", "")
        assert not respuesta.cookies
        assert respuesta["ETag"] and respuesta["Last-Modified"]
    assert anonima.content == con_sesion.content


def test_sin_cambios_la_segunda_visita_es_un_304_de_una_consulta(
    client, publicado, aprobada, coordinador, salud, delegada_salud, django_assert_num_queries
):
    url = reverse("participa_plan", args=[publicado.pk])
    primera = client.get(url)
    with django_assert_num_queries(1):
        otra = client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"])
    assert otra.status_code == 304
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=primera["Last-Modified"]).status_code == 304
    # A new approval changes the data version: the page is computed again.
    nueva = EvidenciaFactory(
        meta=publicado.metas().get(codigo="1.1"),
        secretaria=salud,
        autor=delegada_salud,
        fecha_actividad=datetime.date(2024, 2, 2),
        enlaces="https://ejemplo.org/acta",
    )
    acciones.enviar(nueva, usuario=delegada_salud)
    acciones.aprobar(nueva, revisor=coordinador)
    despues = client.get(url, HTTP_IF_NONE_MATCH=primera["ETag"])
    assert despues.status_code == 200 and despues["ETag"] != primera["ETag"]


def test_la_pagina_publica_cuesta_lo_mismo_con_mas_evidencias(publicado, aprobada, django_assert_num_queries):
    """15 to compute the page: the plan's progress (seguimiento.avance), indicators, the last approval,
    the archived public reports, the participants (seguimiento.participantes) and the grupos de valor."""
    plan = Plan.objects.select_related("entidad").get(pk=publicado.pk)  # as seguimiento.version_datos reads it
    with django_assert_num_queries(15):
        assert calcular(plan).status_code == 200
    assert multiplicar([aprobada], 20) == 20
    with django_assert_num_queries(15):
        pagina = calcular(plan).content.decode()
    assert "400 personas participaron" in pagina


def calcular(plan):
    """The public page as the view computes it when its copy is not in the cache yet."""
    vista = views.plan_detalle.__wrapped__.__wrapped__  # inside @publica and @con_version
    return vista(RequestFactory().get(reverse("participa_plan", args=[plan.pk])), plan)


def test_una_multitud_sin_copia_en_el_navegador_cuesta_dos_consultas(
    client, publicado, aprobada, django_assert_num_queries
):
    url = reverse("participa_plan", args=[publicado.pk])
    primera = client.get(url)
    for _visitante in range(3):
        with django_assert_num_queries(2):  # the data version and the copy in Django's cache
            otra = client.get(url)
        assert otra.status_code == 200 and otra.content == primera.content
        assert otra["ETag"] == primera["ETag"] and "public" in otra["Cache-Control"]
    datos = reverse("participa_datos", args=[publicado.pk, "metas", "csv"])
    primera = client.get(datos)
    with django_assert_num_queries(2):
        otra = client.get(datos)
    assert otra.content == primera.content and otra["Content-Type"] == "text/csv; charset=utf-8"
    assert otra["Content-Disposition"] == primera["Content-Disposition"]


def test_nada_personal_aparece_bajo_participa(
    client, plan_pequeno, aprobada, coordinador, django_capture_on_commit_callbacks
):
    Plan.objects.filter(pk=plan_pequeno.pk).update(elaboro="Ximena Elaboradora", reviso="Rigoberto Revisor")
    plan = Plan.objects.get(pk=plan_pequeno.pk)
    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            acciones.cerrar_periodo(plan, MARZO, usuario=coordinador)
    acciones_plan.publicar_plan(plan, usuario=coordinador)
    documento = DocumentoFirmado.objects.get(tipo=DocumentoFirmado.Tipo.AVANCE_PUBLICO)
    for url in urls_publicas(plan, documento):
        respuesta = client.get(url)
        assert respuesta.status_code == 200, url
        if url.endswith(f"/informes/{documento.pk}/"):
            texto = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(respuesta.content)).pages)
            assert "edición pública" in texto
            assert "Participantes" in texto
        else:
            texto = respuesta.content.decode("utf-8")
        for cadena in PERSONALES:
            assert cadena not in texto, f"{cadena!r} en {url}"
    # The committee's edition does name the people who sign it.
    assert "Ximena Elaboradora" in informes.html_avance(informes.datos_avance(plan, MARZO))


def test_el_informe_publico_es_el_archivado_y_nunca_el_de_verificacion(
    client, plan_pequeno, aprobada, coordinador, django_capture_on_commit_callbacks
):
    import hashlib

    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador)
    publico = DocumentoFirmado.objects.get(tipo=DocumentoFirmado.Tipo.AVANCE_PUBLICO)
    verificacion = DocumentoFirmado.objects.get(tipo=DocumentoFirmado.Tipo.VERIFICACION)
    url = reverse("participa_informe", args=[plan_pequeno.pk, publico.pk])
    assert client.get(url).status_code == 404  # not published yet
    acciones_plan.publicar_plan(plan_pequeno, usuario=coordinador)
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    assert hashlib.sha256(respuesta.content).hexdigest() == publico.sha256
    assert client.get(url, HTTP_IF_NONE_MATCH=respuesta["ETag"]).status_code == 304
    assert client.get(reverse("participa_informe", args=[plan_pequeno.pk, verificacion.pk])).status_code == 404
    pagina = client.get(reverse("participa_plan", args=[plan_pequeno.pk])).content.decode()
    assert publico.sha256 in pagina and "31 de marzo de 2024" in pagina


# ---- open data ----


@pytest.fixture
def candelaria(db, coordinadora_candelaria):
    plan = importar(SEMILLA).plan
    return acciones_plan.publicar_plan(plan, usuario=coordinadora_candelaria)


def test_los_datos_abiertos_de_la_semilla(client, candelaria):
    metas = filas_csv(client.get(reverse("participa_datos", args=[candelaria.pk, "metas", "csv"])))
    assert len(metas) == 28
    assert list(metas[0]) == [
        "plan_id",
        "linea_numero",
        "linea",
        "estrategia_numero",
        "estrategia",
        "meta_codigo",
        "meta",
        "indicador_codigo",
        "indicador",
        "periodicidad",
        "objetivo",
        "aprobado",
        "porcentaje",
        "semaforo",
        "responsables",
        "corte",
    ]
    assert metas[0]["meta_codigo"] == "1.1" and metas[0]["porcentaje"] == "0.0" and metas[0]["semaforo"] == "rojo"
    assert "Secretaría de Educación, Cultura y Turismo" in metas[0]["responsables"]
    datetime.date.fromisoformat(metas[0]["corte"])

    respuesta = client.get(reverse("participa_datos", args=[candelaria.pk, "metas", "json"]))
    assert respuesta["Content-Type"] == "application/json; charset=utf-8"
    datos = json.loads(respuesta.content)
    assert len(datos["filas"]) == 28 and datos["licencia"]["nombre"] == "CC BY 4.0"
    assert datos["filas"][0]["porcentaje"] == 0.0 and isinstance(datos["filas"][0]["objetivo"], int)

    cronograma = filas_csv(client.get(reverse("participa_datos", args=[candelaria.pk, "cronograma", "csv"])))
    assert len(cronograma) == 6 * 13
    assert sum(int(f["programado"]) for f in cronograma) == 74
    assert {f["mes"] for f in cronograma} >= {"2022-10-01", "2023-10-01"}
    por_estrategia = {}
    for fila in cronograma:
        por_estrategia[fila["estrategia_numero"]] = por_estrategia.get(fila["estrategia_numero"], 0) + int(
            fila["programado"]
        )
    assert por_estrategia == {"1": 10, "2": 7, "3": 14, "4": 9, "5": 33, "6": 1}
    json_cronograma = json.loads(
        client.get(reverse("participa_datos", args=[candelaria.pk, "cronograma", "json"])).content
    )
    assert sum(f["programado"] for f in json_cronograma["filas"]) == 74

    diccionario = client.get(reverse("participa_diccionario", args=[candelaria.pk])).content.decode()
    for columna in ("meta_codigo", "semaforo", "programado", "ejecutado", "dimension", "categoria"):
        assert f"<code>{columna}</code>" in diccionario
    assert "CC BY 4.0" in diccionario


def test_la_licencia_se_configura(client, candelaria, settings):
    settings.DATOS_ABIERTOS_LICENCIA = "CC0 1.0"
    datos = json.loads(client.get(reverse("participa_datos", args=[candelaria.pk, "metas", "json"])).content)
    assert datos["licencia"]["nombre"] == "CC0 1.0"


def test_los_participantes_por_mes_sexo_edad_y_grupo(client, publicado, aprobada):
    filas = filas_csv(client.get(reverse("participa_datos", args=[publicado.pk, "participantes", "csv"])))
    cifras = {(f["mes"], f["dimension"], f["categoria"]): int(f["participantes"]) for f in filas}
    assert cifras[("2024-03-01", "total", "participantes")] == 20
    assert cifras[("2024-03-01", "sexo", "mujeres")] == 12
    assert cifras[("2024-03-01", "edad", "edad_29_59")] == 15
    assert cifras[("2024-03-01", "grupo_valor", "Madres comunitarias")] == 7


def test_un_conjunto_que_no_existe_es_404(client, publicado):
    assert client.get(f"/participa/{publicado.pk}/evidencias.csv").status_code == 404
    assert client.get(f"/participa/{publicado.pk}/metas.xml").status_code == 404


def test_la_lista_de_planes_publicados_por_entidad(client, publicado, candelaria):
    pagina = client.get(reverse("participa")).content.decode()
    assert "Municipio de Prueba" in pagina and "Municipio de Candelaria" in pagina
    assert reverse("participa_plan", args=[publicado.pk]) in pagina


def test_una_multitud_no_ocupa_los_hilos_de_los_delegados(client, publicado, settings):
    """With every turn of the process taken by visitors, one more waits PARTICIPA_ESPERA and gets a 503."""
    settings.PARTICIPA_HILOS, settings.PARTICIPA_ESPERA = 1, 0
    turnos = views._turnos_del_proceso()
    assert turnos.acquire(blocking=False)  # the one visitor already being served
    try:
        respuesta = client.get(reverse("participa_plan", args=[publicado.pk]))
    finally:
        turnos.release()
    assert respuesta.status_code == 503 and respuesta["Retry-After"] == "10"
    assert respuesta["Cache-Control"] == "no-store"
    assert "Vuelva a intentarlo en unos segundos" in respuesta.content.decode()
    assert client.get(reverse("participa_plan", args=[publicado.pk])).status_code == 200


def test_la_pagina_publica_agrupa_el_avance_por_fase_y_senala_las_fases_vacias(client, publicado, coordinador):
    from plan_participacion.ciclo import Fase

    estrategia = publicado.metas().get(codigo="1.1").estrategia
    acciones_plan.etiquetar_ciclo(estrategia, usuario=coordinador, fases=[Fase.DIAGNOSTICO], secciones=[])
    anonima = client.get(reverse("participa_plan", args=[publicado.pk]))
    pagina = anonima.content.decode()
    assert 'id="avance-por-fase"' in pagina
    assert "Ninguna estrategia tiene participación en la fase de formulación." in pagina
    # The coordinator, who may change the phases, reads the same public bytes (no link of the app), also
    # when the page is computed for her request.
    cache.clear()
    client.force_login(coordinador)
    assert client.get(reverse("participa_plan", args=[publicado.pk])).content == anonima.content
    assert reverse("plan_fases", args=[publicado.pk]) not in pagina
