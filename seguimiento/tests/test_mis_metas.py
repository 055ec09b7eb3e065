"""Mis metas: the delegate's home."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from plan_participacion.models import Estrategia, Meta, Objetivo
from seguimiento import acciones
from seguimiento.agenda_delegado import agenda
from seguimiento.mis_metas import metas_del_delegado
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory

MARZO_2024 = datetime.datetime(2024, 3, 15, 12, tzinfo=datetime.UTC)


def aprobar(evidencia, revisor):
    acciones.enviar(evidencia, usuario=evidencia.autor)
    return acciones.aprobar(evidencia, revisor=revisor)


def avances_por_codigo(lineas):
    return {
        fila_meta.meta.codigo: [(a.secretaria, a.objetivo, a.aprobada, a.en_revision) for a in fila_meta.avances]
        for linea in lineas
        for estrategia in linea.estrategias
        for fila_meta in estrategia.metas
    }


def test_login_de_delegada_lleva_a_mis_metas(client, delegada_salud):
    client.force_login(delegada_salud)
    assert client.get(reverse("inicio"))["Location"] == reverse("mis_metas")


def test_coordinacion_llega_a_la_cola_de_revision_y_el_comite_a_los_reportes(client, coordinador, comite):
    client.force_login(coordinador)
    assert client.get(reverse("inicio"))["Location"] == reverse("revision_cola")
    client.force_login(comite)
    assert client.get(reverse("inicio"))["Location"] == reverse("reportes")


def test_mis_metas_requiere_sesion(client, db):
    assert reverse("login") in client.get(reverse("mis_metas"))["Location"]


@time_machine.travel(MARZO_2024, tick=False)
def test_delegado_de_hacienda_ve_solo_la_estrategia_que_lo_nombra(client, plan_pequeno, delegado_hacienda):
    client.force_login(delegado_hacienda)
    html = client.get(reverse("mis_metas")).content.decode()
    assert "Convocar a la ciudadanía." in html
    assert "Dos (2) convocatorias de cada secretaría." in html
    assert "Realizar el diagnóstico." not in html
    assert "Doce (12) reuniones." not in html
    assert "1 actividad programada en marzo" in html
    meta = plan_pequeno.metas().get(codigo="2.1")
    assert f"{reverse('evidencia_crear')}?plan={plan_pequeno.pk}&amp;meta={meta.pk}" in html


@time_machine.travel(MARZO_2024, tick=False)
def test_delegada_de_salud_ve_lineas_estrategias_y_programacion_del_mes(client, plan_pequeno, delegada_salud):
    client.force_login(delegada_salud)
    respuesta = client.get(reverse("mis_metas"))
    html = respuesta.content.decode()
    assert "Marzo de 2024: actividades programadas" in html
    assert "2 actividades programadas en marzo" in html
    assert "1 actividad programada en marzo" in html
    _agenda, lineas = agenda(delegada_salud, respuesta.context["plan"], timezone.localdate())  # what the page renders
    assert [m.meta.codigo for e in lineas[0].estrategias for m in e.metas] == ["1.1", "1.2", "2.1"]


def test_cantidades_aprobadas_y_en_revision(
    plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador
):
    metas = {m.codigo: m for m in plan_pequeno.metas()}
    aprobar(
        EvidenciaFactory(meta=metas["1.2"], secretaria=salud, autor=delegada_salud, cantidad=3, enlaces="https://a.co"),
        coordinador,
    )
    acciones.enviar(
        EvidenciaFactory(meta=metas["1.2"], secretaria=salud, autor=delegada_salud, cantidad=2, enlaces="https://a.co"),
        usuario=delegada_salud,
    )
    EvidenciaFactory(meta=metas["1.2"], secretaria=salud, autor=delegada_salud, cantidad=7)  # a draft counts nowhere
    # 2.1 is «de cada secretaría»: Hacienda's approved convocatoria is not Salud's progress.
    aprobar(
        EvidenciaFactory(meta=metas["2.1"], secretaria=hacienda, autor=delegado_hacienda, enlaces="https://a.co"),
        coordinador,
    )
    aprobar(
        EvidenciaFactory(meta=metas["2.1"], secretaria=salud, autor=delegada_salud, cantidad=2, enlaces="https://a.co"),
        coordinador,
    )

    avances = avances_por_codigo(metas_del_delegado(delegada_salud, plan_pequeno, datetime.date(2024, 3, 15)))
    assert avances["1.1"] == [(None, 1, 0, 0)]
    assert avances["1.2"] == [(None, 12, 3, 2)]
    assert avances["2.1"] == [(salud, 2, 2, 0)]
    avances_hacienda = avances_por_codigo(
        metas_del_delegado(delegado_hacienda, plan_pequeno, datetime.date(2024, 3, 15))
    )
    assert avances_hacienda == {"2.1": [(hacienda, 2, 1, 0)]}


def test_meta_compartida_suma_todas_las_secretarias(
    plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador
):
    meta = plan_pequeno.metas().get(codigo="2.1")
    meta.por_secretaria = False
    meta.save()
    aprobar(
        EvidenciaFactory(meta=meta, secretaria=hacienda, autor=delegado_hacienda, enlaces="https://a.co"), coordinador
    )
    avances = avances_por_codigo(metas_del_delegado(delegada_salud, plan_pequeno, datetime.date(2024, 3, 15)))
    assert avances["2.1"] == [(None, 2, 1, 0)]


def test_delegada_con_dos_secretarias_ve_el_avance_de_cada_una(plan_pequeno, salud, hacienda, delegada_salud):
    hacienda.delegados.add(delegada_salud)
    avances = avances_por_codigo(metas_del_delegado(delegada_salud, plan_pequeno, datetime.date(2024, 3, 15)))
    assert [a[0] for a in avances["2.1"]] == [hacienda, salud]


def test_sin_secretaria_explica_que_pedir(client, comite):
    client.force_login(comite)
    html = client.get(reverse("mis_metas")).content.decode()
    assert "Su usuario no pertenece a ninguna secretaría" in html


def test_sin_plan_explica_que_falta(client, delegada_salud):
    client.force_login(delegada_salud)
    assert "Todavía no hay un plan cargado" in client.get(reverse("mis_metas")).content.decode()


def test_secretaria_sin_metas_lo_explica(client, plan_pequeno, delegada_salud, db):
    from plan_participacion.models import Secretaria

    transito = Secretaria.objects.create(entidad=plan_pequeno.entidad, nombre="Secretaría de Tránsito")
    salud_y_nada = delegada_salud
    salud_y_nada.secretarias.set([transito])
    client.force_login(salud_y_nada)
    assert "Su secretaría no tiene metas en este plan" in client.get(reverse("mis_metas")).content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_mes_fuera_del_plan_se_dice(client, plan_pequeno, delegada_salud):
    client.force_login(delegada_salud)
    assert "está fuera del periodo del plan" in client.get(reverse("mis_metas")).content.decode()


def crecer_plan(plan, secretaria, n):
    objetivo = Objetivo.objects.filter(linea__plan=plan).first()
    for i in range(n):
        estrategia = Estrategia.objects.create(objetivo=objetivo, numero=10 + i, texto=f"Estrategia extra {i}")
        estrategia.responsables.add(secretaria)
        for j in range(3):
            meta = Meta.objects.create(estrategia=estrategia, codigo=f"{10 + i}.{j}", orden=j, texto="Meta extra")
            EvidenciaFactory(meta=meta, secretaria=secretaria, autor=secretaria.delegados.first())


@pytest.mark.parametrize("extra", [0, 6])
def test_consultas_de_mis_metas_no_crecen_con_el_plan(
    client, plan_pequeno, salud, delegada_salud, django_assert_num_queries, extra
):
    crecer_plan(plan_pequeno, salud, extra)
    client.force_login(delegada_salud)
    # 29 = session, user, the user's entidad, the plans it may see (seguimiento.vigencias), the delegate's
    # secretariats, the closing in force, the navbar's three look-ups; the data version
    # (seguimiento.version_datos) and the cache read; then computing the sections: seguimiento.avance's
    # fixed 8 (the page takes the plan's structure from it), one aggregate for what is under review, and
    # seguimiento.agenda_delegado's (the secretariats, past months' schedule, returned and this month's
    # evidence); and the cache write (5, as Django's database cache does it). The same with six times more
    # strategies and evidence.
    with django_assert_num_queries(29):
        respuesta = client.get(reverse("mis_metas"))
    assert respuesta.status_code == 200
    _agenda, lineas = agenda(delegada_salud, plan_pequeno, timezone.localdate())  # what the page renders
    assert len(lineas[0].estrategias) == 2 + extra
    assert Evidencia.objects.count() == 3 * extra
    # Nothing changed: the sections come from the cache.
    with django_assert_num_queries(11):
        otra_vez = client.get(reverse("mis_metas"))
    assert otra_vez.content.decode().count('class="card mb-2 estrategia-metas"') == respuesta.content.decode().count(
        'class="card mb-2 estrategia-metas"'
    )


def test_lo_que_espera_revision_se_cuenta_por_meta_y_por_secretaria(plan_pequeno, salud, delegada_salud):
    """Many metas, each with its own pending quantity: each one shows its own (read in one pass, indexed by meta)."""
    crecer_plan(plan_pequeno, salud, 5)
    for n, evidencia in enumerate(Evidencia.objects.filter(meta__codigo__contains=".").order_by("pk"), start=1):
        Evidencia.objects.filter(pk=evidencia.pk).update(cantidad=n, enlaces="https://a.co")
        acciones.enviar(evidencia, usuario=delegada_salud)
    esperado = {
        e.meta.codigo: n for n, e in enumerate(Evidencia.objects.select_related("meta").order_by("pk"), start=1)
    }
    avances = avances_por_codigo(metas_del_delegado(delegada_salud, plan_pequeno, datetime.date(2024, 3, 15)))
    assert {codigo: filas[0][3] for codigo, filas in avances.items() if codigo in esperado} == esperado
    assert avances["1.2"] == [(None, 12, 0, 0)]


@time_machine.travel(MARZO_2024, tick=False)
def test_los_textos_de_la_meta_se_muestran_escapados(client, plan_pequeno, salud, delegada_salud):
    meta = plan_pequeno.metas().get(codigo="2.1")
    meta.texto = '<script>alert("meta")</script>'
    meta.save()
    salud.nombre = "Salud <i>pública</i>"
    salud.save()
    client.force_login(delegada_salud)
    html = client.get(reverse("mis_metas")).content.decode()
    assert "&lt;script&gt;alert(&quot;meta&quot;)&lt;/script&gt;" in html
    assert "Salud &lt;i&gt;pública&lt;/i&gt;</p>" in html
    assert "<script>alert" not in html and "<i>pública" not in html
    assert f'href="{reverse("evidencia_crear")}?plan={plan_pequeno.pk}&amp;meta={meta.pk}"' in html
    assert "Aprobado: 0 de 2 · En revisión: 0" in html


def test_lo_enviado_se_ve_en_la_visita_siguiente(
    client, plan_pequeno, salud, delegada_salud, django_assert_num_queries
):
    """Mis metas keeps its sections per data version (seguimiento.version_datos): sending an evidence is a new
    version, so the next visit counts it under review."""
    meta = plan_pequeno.metas().get(codigo="1.2")
    borrador = EvidenciaFactory(meta=meta, secretaria=salud, autor=delegada_salud, cantidad=2, enlaces="https://a.co")
    client.force_login(delegada_salud)
    antes = client.get(reverse("mis_metas")).content.decode()
    with django_assert_num_queries(11):  # from the cache
        assert "En revisión: 2" not in client.get(reverse("mis_metas")).content.decode()
    acciones.enviar(borrador, usuario=delegada_salud)
    despues = client.get(reverse("mis_metas")).content.decode()
    assert "En revisión: 0" in antes and "En revisión: 2" in despues
