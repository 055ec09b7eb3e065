import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from conftest import crear_usuario
from plan_participacion.models import (
    Entidad,
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    entidad_de,
)


def test_plan_requiere_sesion(client, plan_pequeno):
    respuesta = client.get(reverse("plan_vigente"))
    assert respuesta.status_code == 302
    assert reverse("login") in respuesta["Location"]


def test_plan_sin_planes_explica_como_cargarlo(client, coordinador):
    client.force_login(coordinador)
    respuesta = client.get(reverse("plan_vigente"))
    assert "Todavía no hay un plan cargado" in respuesta.content.decode()


def test_plan_muestra_jerarquia_y_cronograma(client, comite, plan_pequeno, django_assert_max_num_queries):
    client.force_login(comite)
    # 11 for session, user and plan, plus 2 for the permissions the menu checks (cached for the request)
    # and 1 for the person's entidad.
    with django_assert_max_num_queries(15):
        respuesta = client.get(reverse("plan_vigente"))
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    for texto in [
        "Condiciones institucionales",
        "Realizar el diagnóstico.",
        "1.2",
        "Doce (12) reuniones.",
        "Secretaría de Hacienda",
        "por secretaría",
        "Indicador 2.1.1",
    ]:
        assert texto in html
    cronograma = respuesta.context["cronograma"]
    assert [f["total"] for f in cronograma["filas"]] == [3, 3]
    assert cronograma["totales_mes"] == [1, 1, 3, 0, 0, 1]
    assert cronograma["total"] == 6


@pytest.mark.django_db
def test_plan_inexistente_es_404(client, comite):
    client.force_login(comite)
    assert client.get(reverse("plan_detalle", args=[999])).status_code == 404


@pytest.fixture
def planes_de_dos_entidades(entidad, plan_pequeno):
    """Besides plan_pequeno (Jan–Jun 2024): its entity's 2025 plan, and Pradera's plan for the same months."""
    siguiente = Plan.objects.create(
        entidad=entidad,
        municipio="Municipio de Prueba",
        titulo="Plan 2025",
        mes_inicio=datetime.date(2025, 1, 1),
        mes_fin=datetime.date(2025, 12, 1),
    )
    pradera = Entidad.objects.create(nombre="Municipio de Pradera")
    ajeno = Plan.objects.create(
        entidad=pradera,
        municipio="Municipio de Pradera",
        titulo="Plan de Pradera",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2026, 12, 1),
    )
    return {"vigente_2024": plan_pequeno, "siguiente": siguiente, "ajeno": ajeno, "pradera": pradera}


@time_machine.travel(datetime.date(2024, 3, 15), tick=False)
def test_el_plan_por_defecto_es_el_vigente_de_su_entidad(client, comite, planes_de_dos_entidades):
    client.force_login(comite)
    respuesta = client.get(reverse("plan_vigente"))
    assert respuesta.context["plan"] == planes_de_dos_entidades["vigente_2024"]  # in force today, not the newest
    assert list(respuesta.context["planes"]) == [
        planes_de_dos_entidades["siguiente"],
        planes_de_dos_entidades["vigente_2024"],
    ]
    assert "Pradera" not in respuesta.content.decode()


def test_el_plan_de_otra_entidad_es_404(client, delegada_salud, planes_de_dos_entidades):
    client.force_login(delegada_salud)
    assert client.get(reverse("plan_detalle", args=[planes_de_dos_entidades["ajeno"].pk])).status_code == 404
    propio = planes_de_dos_entidades["siguiente"]
    assert client.get(reverse("plan_detalle", args=[propio.pk])).status_code == 200


def test_quien_no_pertenece_a_una_entidad_no_ve_planes_y_se_le_explica(client, planes_de_dos_entidades):
    client.force_login(crear_usuario("sin.entidad", "Comité"))
    respuesta = client.get(reverse("plan_vigente"))
    assert "Su usuario no pertenece a ninguna entidad" in respuesta.content.decode()
    assert client.get(reverse("plan_detalle", args=[planes_de_dos_entidades["vigente_2024"].pk])).status_code == 404


def test_el_administrador_ve_los_planes_de_todas_las_entidades(client, planes_de_dos_entidades):
    client.force_login(crear_usuario("ana.administradora", "Administrador", is_staff=True))
    assert client.get(reverse("plan_detalle", args=[planes_de_dos_entidades["ajeno"].pk])).status_code == 200


@pytest.mark.parametrize(
    ("hoy", "esperado"),
    [
        (datetime.date(2024, 3, 15), "vigente_2024"),  # within Jan–Jun 2024
        (datetime.date(2024, 9, 1), "siguiente"),  # between plans: the most recent
        (datetime.date(2025, 12, 31), "siguiente"),  # its last month
        (datetime.date(2023, 1, 1), "siguiente"),  # before any plan: the most recent
    ],
)
def test_vigente_por_entidad(planes_de_dos_entidades, entidad, comite, hoy, esperado):
    assert Plan.objects.vigente(entidad=entidad, hoy=hoy) == planes_de_dos_entidades[esperado]
    assert Plan.objects.vigente(comite, hoy=hoy) == planes_de_dos_entidades[esperado]
    assert Plan.objects.vigente(entidad=planes_de_dos_entidades["pradera"], hoy=hoy) == planes_de_dos_entidades["ajeno"]


def test_vigente_sin_argumentos_sigue_siendo_el_mas_reciente(planes_de_dos_entidades):
    assert Plan.objects.vigente() == planes_de_dos_entidades["siguiente"]  # starts latest (Jan 2025 vs Jan 2024)


def test_los_metodos_de_alcance_de_cada_modelo(planes_de_dos_entidades, entidad, delegada_salud):
    pradera = planes_de_dos_entidades["pradera"]
    LineaAccion.objects.create(plan=planes_de_dos_entidades["ajeno"], numero=1, nombre="Línea de Pradera")
    for modelo in (Plan, LineaAccion, Objetivo, Estrategia, Meta, Indicador, ProgramacionMensual, Secretaria):
        propios = modelo.objects.de_entidad(entidad)
        assert propios.exists(), modelo
        assert set(modelo.objects.visible_para(delegada_salud)) == set(propios), modelo
        assert not modelo.objects.de_entidad(None).exists()
    assert set(LineaAccion.objects.de_entidad(pradera).values_list("nombre", flat=True)) == {"Línea de Pradera"}
    assert entidad_de(delegada_salud) == entidad
    assert not Plan.objects.visible_para(AnonymousUser()).exists()
