"""The coordinator sets a periodic meta's expected total, with a reason that stays in the history."""

import datetime

import pytest
from django.urls import reverse

from conftest import crear_usuario
from plan_participacion.importer import importar
from plan_participacion.models import Meta
from plan_participacion.tests.test_importer_semilla import SEMILLA
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory

MOTIVO = "El comité acordó una sola publicación en 2023: la de 2022 ya se hizo en el plan anterior."


@pytest.fixture
def candelaria(entidad_candelaria):
    return importar(SEMILLA).plan


@pytest.fixture
def meta_6_2(candelaria):
    return candelaria.metas().get(codigo="6.2")


@pytest.fixture
def como_coordinadora(client, coordinadora_candelaria):
    client.force_login(coordinadora_candelaria)
    return client


def url(meta):
    return reverse("meta_objetivo", args=[meta.pk])


def test_la_pagina_muestra_los_semestres_y_lo_aprobado_en_cada_uno(
    como_coordinadora, meta_6_2, entidad_candelaria, coordinadora_candelaria
):
    salud = entidad_candelaria.secretarias.get(nombre__startswith="Secretaría de Salud")
    delegada = crear_usuario("sara.salud", "Delegado", entidad=entidad_candelaria)
    for fecha, estado in [
        (datetime.date(2022, 11, 8), Evidencia.Estado.APROBADA),
        (datetime.date(2023, 4, 2), Evidencia.Estado.ENVIADA),  # not approved: does not count
    ]:
        EvidenciaFactory(meta=meta_6_2, secretaria=salud, autor=delegada, fecha_actividad=fecha, estado=estado)

    respuesta = como_coordinadora.get(url(meta_6_2))

    assert respuesta.status_code == 200
    html = respuesta.content.decode()
    assert "3 (1 × 3 periodos)" in html
    assert "Un periodo cuenta cuando el plan cubre al menos la mitad de sus meses" in html
    ((nombre, periodos),) = respuesta.context["filas"]
    assert [(c.periodo.etiqueta, c.aprobado, c.cumplido) for c in periodos] == [
        ("segundo semestre de 2022", 1, True),
        ("primer semestre de 2023", 0, False),
        ("segundo semestre de 2023", 0, False),
    ]
    assert html.count('data-cumplido="si"') == 1 and html.count('data-cumplido="no"') == 2


def test_la_coordinadora_ajusta_el_total_con_un_motivo_y_queda_en_el_historial(
    como_coordinadora, meta_6_2, coordinadora_candelaria
):
    respuesta = como_coordinadora.post(url(meta_6_2), {"objetivo": "2", "motivo": MOTIVO})

    assert respuesta.status_code == 302
    meta_6_2.refresh_from_db()
    assert (meta_6_2.objetivo_ajustado, meta_6_2.motivo_objetivo, meta_6_2.cantidad_objetivo) == (2, MOTIVO, 1)
    fila = meta_6_2.history.latest()
    assert (fila.history_user, fila.objetivo_ajustado, fila.motivo_objetivo) == (coordinadora_candelaria, 2, MOTIVO)
    assert fila.history_change_reason == MOTIVO[:100]
    pagina = como_coordinadora.get(url(meta_6_2))
    assert [str(m) for m in pagina.context["messages"]] == ["Objetivo total de la meta 6.2: 2."]
    html = pagina.content.decode()
    assert "ajustado por la coordinación" in html and MOTIVO in html
    assert "calculado → 2" in html  # the history of adjustments
    plan = como_coordinadora.get(meta_6_2.estrategia.objetivo.linea.plan.get_absolute_url()).content.decode()
    assert "Total ajustado: 2" in plan

    # Back to the derived total, also with a reason.
    como_coordinadora.post(url(meta_6_2), {"objetivo": "", "motivo": "Se retoma lo que dice el plan aprobado."})
    meta_6_2.refresh_from_db()
    assert meta_6_2.objetivo_ajustado is None
    assert "2 → calculado" in como_coordinadora.get(url(meta_6_2)).content.decode()


@pytest.mark.parametrize(
    ("datos", "campo", "mensaje"),
    [
        ({"objetivo": "2", "motivo": ""}, "motivo", "Este campo es obligatorio."),
        (
            {"objetivo": "2", "motivo": "porque sí"},
            "motivo",
            "Explique el motivo en una frase (al menos 10 caracteres).",
        ),
        ({"objetivo": "0", "motivo": MOTIVO}, "objetivo", "Asegúrese de que este valor es mayor o igual a 1."),
        ({"objetivo": "", "motivo": MOTIVO}, "objetivo", "Ese ya es el objetivo de la meta."),
    ],
)
def test_un_ajuste_invalido_se_explica_y_no_cambia_nada(como_coordinadora, meta_6_2, datos, campo, mensaje):
    filas = meta_6_2.history.count()
    respuesta = como_coordinadora.post(url(meta_6_2), datos)
    assert respuesta.status_code == 400
    assert mensaje in respuesta.context["form"].errors[campo]
    assert meta_6_2.history.count() == filas
    assert Meta.objects.get(pk=meta_6_2.pk).objetivo_ajustado is None


def test_solo_la_coordinacion_de_la_entidad_ajusta(client, meta_6_2, coordinador, comite):
    client.force_login(comite)
    assert client.get(url(meta_6_2)).status_code == 403
    client.force_login(coordinador)  # coordinates another entity
    assert client.get(url(meta_6_2)).status_code == 404
    assert client.post(url(meta_6_2), {"objetivo": "5", "motivo": MOTIVO}).status_code == 404
    assert Meta.objects.get(pk=meta_6_2.pk).objetivo_ajustado is None


def test_una_meta_sin_periodicidad_muestra_su_cantidad(como_coordinadora, candelaria):
    meta = candelaria.metas().get(codigo="1.4")  # "Un (1) diagnostico …": once
    html = como_coordinadora.get(url(meta)).content.decode()
    assert 'id="tabla-periodos"' not in html
    assert '<dd class="col-5 col-sm-7" id="objetivo-calculado">1</dd>' in html
