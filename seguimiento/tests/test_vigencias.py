"""Vigencias: which plan Mis metas, the evidence form and «Mis reportes» show (seguimiento.vigencias).

The first entidad has two plans: 2023 (January–December) and plan_pequeno (January–June 2024).
Pradera, another entidad, has its own 2024 plan: nobody of the first one can choose it.
"""

import datetime

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan
from seguimiento import acciones
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory, datos_evidencia
from seguimiento.vigencias import plan_elegido

BOGOTA = datetime.timezone(datetime.timedelta(hours=-5))
MARZO_2024 = datetime.datetime(2024, 3, 15, 9, 0, tzinfo=BOGOTA)
SIN_PLAN_EN_CURSO = datetime.datetime(2025, 5, 15, 9, 0, tzinfo=BOGOTA)


@pytest.fixture
def plan_2023(entidad, salud):
    plan = Plan.objects.create(
        entidad=entidad,
        municipio="Municipio de Prueba",
        titulo="Plan 2023",
        mes_inicio=datetime.date(2023, 1, 1),
        mes_fin=datetime.date(2023, 12, 1),
    )
    linea = LineaAccion.objects.create(plan=plan, numero=1, nombre="Línea de 2023")
    objetivo = Objetivo.objects.create(linea=linea, texto="Objetivo de 2023")
    estrategia = Estrategia.objects.create(objetivo=objetivo, numero=1, texto="Rendir cuentas en 2023.")
    estrategia.responsables.set([salud])
    Meta.objects.create(estrategia=estrategia, codigo="9.1", orden=1, texto="Una (1) audiencia pública de 2023.")
    return plan


@pytest.fixture
def daniela(client, delegada_salud):
    client.force_login(delegada_salud)
    return client


def elegir(usuario, **consulta):
    peticion = RequestFactory().get("/", consulta)
    peticion.user = usuario
    return plan_elegido(peticion)


@time_machine.travel(MARZO_2024, tick=False)
def test_por_defecto_el_plan_en_curso_de_su_entidad(delegada_salud, plan_pequeno, plan_2023, plan_pradera):
    assert elegir(delegada_salud) == plan_pequeno  # Pradera's 2024 plan is in force too, but not hers


@time_machine.travel(SIN_PLAN_EN_CURSO, tick=False)
def test_sin_plan_en_curso_el_mas_reciente_de_su_entidad(delegada_salud, plan_pequeno, plan_2023, plan_pradera):
    assert elegir(delegada_salud) == plan_pequeno


@time_machine.travel(datetime.datetime(2023, 6, 1, 9, 0, tzinfo=BOGOTA), tick=False)
def test_en_2023_el_plan_de_2023(delegada_salud, plan_pequeno, plan_2023):
    assert elegir(delegada_salud) == plan_2023


def test_un_plan_anterior_por_su_id_y_el_de_otra_entidad_no_existe(
    delegada_salud, coordinadora_pradera, plan_pequeno, plan_2023, plan_pradera
):
    from django.http import Http404

    assert elegir(delegada_salud, plan=plan_2023.pk) == plan_2023
    for pedido in (plan_pradera.pk, 99999, "abc"):
        with pytest.raises(Http404):
            elegir(delegada_salud, plan=pedido)
    with pytest.raises(Http404):
        elegir(coordinadora_pradera, plan=plan_pequeno.pk)
    assert elegir(coordinadora_pradera) == plan_pradera


@time_machine.travel(MARZO_2024, tick=False)
def test_mis_metas_muestra_el_plan_y_ofrece_elegir_otro(daniela, plan_pequeno, plan_2023, plan_pradera):
    html = daniela.get(reverse("mis_metas")).content.decode()
    assert f"Plan: {plan_pequeno}" in html
    assert '<select class="form-select form-select-sm" name="plan" id="elegir-plan">' in html
    assert f'<option value="{plan_2023.pk}">{plan_2023}</option>' in html
    assert str(plan_pradera) not in html
    assert f'href="{reverse("evidencia_crear")}?plan={plan_pequeno.pk}"' in html

    anterior = daniela.get(reverse("mis_metas"), {"plan": plan_2023.pk})
    html = anterior.content.decode()
    assert anterior.context["plan"] == plan_2023
    assert f"Plan: {plan_2023}" in html
    assert "Una (1) audiencia pública de 2023." in html
    assert "Doce (12) reuniones." not in html
    meta = plan_2023.metas().get()
    assert f'href="{reverse("evidencia_crear")}?plan={plan_2023.pk}&amp;meta={meta.pk}"' in html


@pytest.mark.parametrize("nombre", ["mis_metas", "evidencia_crear", "evidencia_lista"])
def test_el_plan_de_otra_entidad_es_404(daniela, plan_pequeno, plan_pradera, nombre):
    assert daniela.get(reverse(nombre), {"plan": plan_pradera.pk}).status_code == 404
    assert daniela.post(reverse(nombre) + f"?plan={plan_pradera.pk}", {}).status_code in (404, 405)


@time_machine.travel(MARZO_2024, tick=False)
def test_el_formulario_ofrece_solo_las_metas_del_plan_elegido(daniela, plan_pequeno, plan_2023):
    actual = daniela.get(reverse("evidencia_crear")).context["form"]
    assert [m.codigo for m in actual.fields["meta"].queryset] == ["1.1", "1.2", "2.1"]
    anterior = daniela.get(reverse("evidencia_crear"), {"plan": plan_2023.pk})
    assert [m.codigo for m in anterior.context["form"].fields["meta"].queryset] == ["9.1"]
    assert f"Plan: {plan_2023}" in anterior.content.decode()


@time_machine.travel(MARZO_2024, tick=False)
def test_se_reporta_un_plan_anterior_hasta_que_se_cierra_su_periodo(
    daniela, plan_pequeno, plan_2023, salud, coordinador
):
    meta = plan_2023.metas().get()
    url = reverse("evidencia_crear") + f"?plan={plan_2023.pk}"
    # An error keeps the chosen plan (the form posts to its own URL, ?plan= included).
    con_error = daniela.post(url, datos_evidencia(meta, salud, fecha_actividad="2023-11-20", descripcion=""))
    assert con_error.status_code == 200
    assert con_error.context["plan"] == plan_2023
    assert [m.codigo for m in con_error.context["form"].fields["meta"].queryset] == ["9.1"]
    # A meta of another plan is not among the choices of this one.
    otra = daniela.post(
        url, datos_evidencia(plan_pequeno.metas().get(codigo="1.2"), salud, fecha_actividad="2023-11-20")
    )
    assert "meta" in otra.context["form"].errors

    respuesta = daniela.post(url, datos_evidencia(meta, salud, fecha_actividad="2023-11-20"))
    evidencia = Evidencia.objects.get(meta=meta)
    assert respuesta["Location"] == evidencia.get_absolute_url()

    acciones.cerrar_periodo(plan_2023, datetime.date(2023, 12, 31), usuario=coordinador)
    cerrado = daniela.post(url, datos_evidencia(meta, salud, fecha_actividad="2023-11-21"))
    assert cerrado.status_code == 200
    assert Evidencia.objects.filter(meta=meta).count() == 1
    assert "cerr" in str(cerrado.context["form"].errors).lower()


@time_machine.travel(MARZO_2024, tick=False)
def test_mis_reportes_muestra_los_del_plan_elegido(daniela, plan_pequeno, plan_2023, salud, delegada_salud):
    EvidenciaFactory(meta=plan_pequeno.metas().get(codigo="1.2"), secretaria=salud, autor=delegada_salud)
    EvidenciaFactory(
        meta=plan_2023.metas().get(), secretaria=salud, autor=delegada_salud, fecha_actividad=datetime.date(2023, 5, 2)
    )
    actual = daniela.get(reverse("evidencia_lista"))
    assert [e.meta.codigo for e in actual.context["pagina"]] == ["1.2"]
    assert f"Plan: {plan_pequeno}" in actual.content.decode()
    anterior = daniela.get(reverse("evidencia_lista"), {"plan": plan_2023.pk})
    assert [e.meta.codigo for e in anterior.context["pagina"]] == ["9.1"]
    assert [m.codigo for m in anterior.context["filtro"].fields["meta"].queryset] == ["9.1"]
