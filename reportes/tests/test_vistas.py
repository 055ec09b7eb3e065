"""/reportes/: who may download, what bad parameters say, and queries that do not grow with evidence."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from conftest import crear_usuario
from plan_participacion.models import Plan
from reportes.tests.conftest import CORTE
from seguimiento.models import Evidencia
from seguimiento.tests.datos_avance import multiplicar

DESCARGAS = ["reporte_avance", "reporte_verificacion", "reporte_cronograma"]
TODAS = ["reportes", *DESCARGAS]


@pytest.mark.parametrize("nombre", TODAS)
def test_anonimo_va_al_inicio_de_sesion(client, candelaria, nombre):
    respuesta = client.get(reverse(nombre), {"corte": CORTE.isoformat()})
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("nombre", TODAS)
def test_una_delegada_no_descarga_reportes(client, delegada_candelaria, nombre):
    client.force_login(delegada_candelaria)
    respuesta = client.get(reverse(nombre), {"corte": CORTE.isoformat()})
    assert respuesta.status_code == 403
    assert not respuesta.get("Content-Disposition")


def test_el_menu_muestra_reportes_al_comite_y_no_a_la_delegada(client, comite, delegada_candelaria, candelaria):
    client.force_login(comite)
    assert f'href="{reverse("reportes")}"' in client.get(reverse("plan_vigente")).content.decode()
    client.force_login(delegada_candelaria)
    assert f'href="{reverse("reportes")}"' not in client.get(reverse("plan_vigente")).content.decode()


def test_la_pagina_ofrece_plan_corte_tres_descargas_y_enlaces_estables(client, coordinador, candelaria):
    client.force_login(coordinador)
    respuesta = client.get(reverse("reportes"), {"corte": "2023-03-31"})
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert 'name="plan"' in html and 'name="corte"' in html and 'value="31/03/2023"' in html
    for nombre in DESCARGAS:
        assert f'formaction="{reverse(nombre)}"' in html
        assert f"http://testserver{reverse(nombre)}?corte=2023-03-31<" in html
    assert "Municipio de Candelaria" in html


def test_un_plan_anterior_queda_en_el_enlace(client, comite, candelaria):
    Plan.objects.create(
        entidad=candelaria.entidad,
        municipio="Municipio de Candelaria",
        titulo="Cronograma 2024",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2024, 12, 1),
    )
    client.force_login(comite)
    html = client.get(reverse("reportes"), {"plan": candelaria.pk, "corte": "2023-01-31"}).content.decode()
    assert f"/reportes/avance.pdf?plan={candelaria.pk}&amp;corte=2023-01-31" in html


@pytest.mark.parametrize("plan", ["999999", "abc"])
@pytest.mark.parametrize("nombre", TODAS)
def test_un_plan_que_no_existe_o_no_es_visible_es_404(client, comite, candelaria, nombre, plan):
    """Like another entidad's plan (seguimiento.vigencias): nothing says whether it exists."""
    client.force_login(comite)
    assert client.get(reverse(nombre), {"plan": plan}).status_code == 404


@pytest.mark.parametrize(
    ("parametros", "mensaje"),
    [
        ({"corte": "31/02/2023"}, "«31/02/2023» no existe: febrero de 2023 tiene 28 días."),
        ({"corte": "mañana"}, "Escriba la fecha como dd/mm/aaaa (día, mes y año), por ejemplo 31/03/2024; recibí"),
        ({"corte": "2023-02-30"}, "«2023-02-30» no existe: febrero de 2023 tiene 28 días."),
        ({"corte": "2031-01-01"}, "La fecha de corte debe estar dentro del periodo del plan"),
    ],
)
@pytest.mark.parametrize("nombre", TODAS)
def test_parametros_invalidos_se_explican_sin_error_500(client, comite, candelaria, nombre, parametros, mensaje):
    client.force_login(comite)
    respuesta = client.get(reverse(nombre), parametros)
    assert respuesta.status_code == 400
    assert not respuesta.get("Content-Disposition")
    assert mensaje in respuesta.content.decode()


def test_sin_plan_la_pagina_lo_dice_y_las_descargas_responden_404(client, comite, db):
    assert not Plan.objects.exists()
    client.force_login(comite)
    respuesta = client.get(reverse("reportes"))
    assert respuesta.status_code == 200
    assert "Todavía no hay un plan cargado" in respuesta.content.decode()
    for nombre in DESCARGAS:
        respuesta = client.get(reverse(nombre))
        assert respuesta.status_code == 404
        assert "Todavía no hay un plan cargado" in respuesta.content.decode()


def test_las_descargas_no_se_guardan_en_cache(client, comite, candelaria):
    client.force_login(comite)
    respuesta = client.get(reverse("reporte_cronograma"), {"corte": "2023-03-31"})
    assert "no-store" in respuesta["Cache-Control"]
    assert respuesta["Content-Disposition"] == (
        'attachment; filename="cronograma-municipio-de-candelaria-2023-03-31.xlsx"'
    )


# Fixed budgets: user and session, the user's entidad and the plans it may see (seguimiento.vigencias),
# avance_plan's queries, and the report's own (indicators, "quién no ha reportado", or the evidence with its
# groups and files), plus one for closed periods (the documents: is this corte a closing's date? the page: the
# closing in force). The verification report adds its fingerprint (approved evidence, plan history, semáforo: 3)
# and its parts' summary; it grows by four queries per REPORTES_EVIDENCIAS_POR_PARTE evidences, never per
# evidence. /reportes/ lists the person's own report jobs (one query); each page reads the user's entidad and
# the plans it may see (seguimiento.vigencias). The progress report and the Excel add the participants
# (seguimiento.participantes: the plan's strategies and the summary by sex and age and by grupo de valor, the
# grupos that appear; here the corte is a month's last day, so no tail of the month); the progress report's
# opening text reads the coordinator's edited text (one).
CONSULTAS = {"reporte_avance": 25, "reporte_verificacion": 24, "reporte_cronograma": 20, "reportes": 11}


@pytest.mark.parametrize("nombre", sorted(CONSULTAS))
def test_las_consultas_no_crecen_con_las_evidencias(
    client, comite, historia_candelaria, nombre, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(comite)
    url = reverse(nombre)
    client.get(url, {"corte": CORTE.isoformat()})  # warm the session and the content types
    with django_assert_max_num_queries(CONSULTAS[nombre]) as pocas:
        assert client.get(url, {"corte": CORTE.isoformat()}).status_code == 200
    multiplicar(list(Evidencia.objects.all()), 10)
    assert Evidencia.objects.aprobadas().count() == 50
    with django_assert_num_queries(len(pocas.captured_queries)):
        assert client.get(url, {"corte": CORTE.isoformat()}).status_code == 200


def test_otra_delegada_con_permiso_de_ver_todo_tampoco_descarga(client, candelaria):
    # Seeing every evidence is not the committee's permission to download its documents.
    usuaria = crear_usuario("vera.veedora", "Delegado")
    usuaria.user_permissions.add(Permission.objects.get(codename="ver_todas_evidencias"))
    client.force_login(usuaria)
    assert client.get(reverse("reporte_avance")).status_code == 403
