"""The progress math, pinned on the hand-computed story of datos_avance."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, ProgramacionMensual, Secretaria
from seguimiento import acciones
from seguimiento.avance import Color, avance_plan, color, corte_por_defecto, sin_reportar, ultimo_dia
from seguimiento.models import Semaforo
from seguimiento.tests.datos_avance import CORTE, Estado, cargar_historia, evidencia, metas, multiplicar

D = Decimal


@pytest.fixture
def historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda):
    return cargar_historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda)


@pytest.fixture
def avance(plan_pequeno, historia):
    return avance_plan(plan_pequeno, CORTE)


def por_codigo(avance):
    return {a.meta.codigo: a for a in avance.metas()}


def test_meta_cuenta_solo_lo_aprobado_hasta_el_corte(avance):
    m12 = por_codigo(avance)["1.2"]
    # 3 approved on 10 Mar; the 5 approved on 20 Mar, the returned 4, the draft 2 and the sent 1 do not count.
    assert (m12.aprobado, m12.objetivo, m12.porcentaje, m12.color) == (3, 12, D("25.0"), Color.ROJO)


def test_meta_sobrecumplida_se_muestra_real_pero_se_topa_al_consolidar(avance):
    m11 = por_codigo(avance)["1.1"]
    assert (m11.aprobado, m11.aprobado_que_cuenta, m11.objetivo) == (2, 2, 1)
    assert m11.porcentaje == D("200.0")
    assert m11.porcentaje_tope == D("100.0")
    assert m11.color == Color.VERDE


def test_meta_de_cada_secretaria_mide_a_cada_una_y_no_compensa_excedentes(avance, salud, hacienda):
    m21 = por_codigo(avance)["2.1"]
    filas = [(s.secretaria, s.aprobado, s.objetivo, s.porcentaje, s.color) for s in m21.secretarias]
    assert filas == [
        (hacienda, 1, 2, D("50.0"), Color.ROJO),
        (salud, 3, 2, D("150.0"), Color.VERDE),
    ]
    # (min(3, 2) + min(1, 2)) / (2 × 2): Salud's surplus does not cover Hacienda's shortfall.
    assert (m21.aprobado, m21.aprobado_que_cuenta, m21.objetivo) == (4, 3, 4)
    assert (m21.porcentaje, m21.porcentaje_tope) == (D("75.0"), D("75.0"))
    assert m21.color == Color.AMARILLO


def test_consolidado_promedia_metas_topadas_por_estrategia_linea_y_plan(avance):
    e1, e2 = avance.estrategias()
    assert (e1.porcentaje, e1.color) == (D("62.5"), Color.AMARILLO)  # (100 + 25) / 2
    assert (e2.porcentaje, e2.color) == (D("75.0"), Color.AMARILLO)
    (linea,) = avance.lineas
    assert linea.porcentaje == D("68.8")  # (62.5 + 75) / 2 = 68.75, half up
    assert (avance.porcentaje, avance.color) == (D("68.8"), Color.AMARILLO)


def resumen(ejecucion):
    return [(m.mes.month, m.programado, m.ejecutado, m.porcentaje, m.color) for m in ejecucion.meses]


def test_ejecucion_por_mes_cuenta_una_actividad_por_evidencia_aprobada(avance):
    e1, e2 = avance.estrategias()
    assert resumen(e1.ejecucion) == [
        (1, 1, 1, D("100.0"), Color.VERDE),
        (2, 0, 0, None, None),  # nothing planned: no light, not a red 0 %
        (3, 2, 1, D("50.0"), Color.ROJO),  # the 20 Mar evidence is after the corte
        (4, 0, None, None, None),
        (5, 0, None, None, None),
        (6, 0, None, None, None),
    ]
    assert (e1.ejecucion.programado_a_la_fecha, e1.ejecucion.ejecutado_a_la_fecha) == (3, 2)
    assert (e1.ejecucion.porcentaje, e1.ejecucion.color) == (D("66.7"), Color.AMARILLO)
    assert resumen(e2.ejecucion) == [
        (1, 0, 1, None, None),  # done early, in a month without programación
        (2, 1, 1, D("100.0"), Color.VERDE),
        (3, 1, 0, D("0.0"), Color.ROJO),  # a returned evidence is not an executed activity
        (4, 0, None, None, None),
        (5, 0, None, None, None),
        (6, 1, None, None, None),  # planned after the corte: shown, not counted
    ]
    assert (e2.ejecucion.programado_total, e2.ejecucion.programado_a_la_fecha) == (3, 2)
    assert (e2.ejecucion.ejecutado_a_la_fecha, e2.ejecucion.porcentaje) == (2, D("100.0"))


def test_ejecucion_del_plan_acumula_hasta_el_corte(avance):
    ejecucion = avance.ejecucion
    assert [(m.programado_acumulado, m.ejecutado_acumulado) for m in ejecucion.meses] == [
        (1, 2),
        (2, 3),
        (5, 4),
        (5, None),
        (5, None),
        (6, None),
    ]
    assert [m.posterior_al_corte for m in ejecucion.meses] == [False, False, False, True, True, True]
    # 4 of 5 is exactly the default green threshold.
    assert (ejecucion.porcentaje, ejecucion.color) == (D("80.0"), Color.VERDE)
    assert avance.lineas[0].ejecucion == ejecucion


def test_la_aprobacion_posterior_al_corte_cuenta_en_un_corte_posterior(plan_pequeno, historia):
    avance = avance_plan(plan_pequeno, datetime.date(2024, 6, 30))
    assert por_codigo(avance)["1.2"].aprobado == 8  # 3 + 5
    assert avance.ejecucion.ejecutado_a_la_fecha == 6  # the 20 Mar and 2 Apr activities join in
    assert avance.ejecucion.programado_a_la_fecha == 6


def test_corte_antes_del_plan_no_tiene_programacion_a_la_fecha(plan_pequeno, historia):
    avance = avance_plan(plan_pequeno, datetime.date(2023, 12, 31))
    assert avance.ejecucion.programado_a_la_fecha == 0
    assert avance.ejecucion.sin_programacion
    assert avance.ejecucion.color is None
    assert avance.porcentaje == D("0.0")


def test_sin_evidencias_el_avance_es_cero_y_rojo(plan_pequeno):
    avance = avance_plan(plan_pequeno, CORTE)
    assert [m.porcentaje for m in avance.metas()] == [D("0.0")] * 3
    assert (avance.porcentaje, avance.color) == (D("0.0"), Color.ROJO)
    assert (avance.ejecucion.porcentaje, avance.ejecucion.color) == (D("0.0"), Color.ROJO)


def test_meta_de_cada_secretaria_ignora_a_quien_no_es_responsable(plan_pequeno, delegada_salud):
    educacion = Secretaria.objects.create(
        entidad=plan_pequeno.entidad, nombre="Secretaría de Educación, Cultura y Turismo"
    )
    evidencia(metas(plan_pequeno)["2.1"], educacion, delegada_salud, datetime.date(2024, 2, 1), cantidad=2)
    m21 = por_codigo(avance_plan(plan_pequeno, CORTE))["2.1"]
    assert m21.aprobado == 0
    assert [s.secretaria.nombre for s in m21.secretarias] == [
        "Secretaría de Hacienda",
        "Secretaría de Salud Pública y Seguridad Social",
    ]


def test_estrategia_sin_metas_no_pesa_en_el_consolidado(plan_pequeno, historia, salud):
    objetivo = Objetivo.objects.get(linea__plan=plan_pequeno)
    vacia = Estrategia.objects.create(objetivo=objetivo, numero=3, texto="Estrategia aún sin metas.")
    vacia.responsables.set([salud])
    avance = avance_plan(plan_pequeno, CORTE)
    e3 = avance.estrategias()[2]
    assert (e3.estrategia, e3.metas, e3.porcentaje, e3.color) == (vacia, (), None, None)
    assert avance.porcentaje == D("68.8")


def test_plan_promedia_lineas_no_metas(plan_pequeno, historia, salud):
    """A second line with one meta at 100 % weighs as much as the first line with its three metas."""
    linea = LineaAccion.objects.create(plan=plan_pequeno, numero=2, nombre="Ciudadanía activa")
    objetivo = Objetivo.objects.create(linea=linea, texto="Promover la participación.")
    e = Estrategia.objects.create(objetivo=objetivo, numero=3, texto="Rendir cuentas.")
    e.responsables.set([salud])
    ProgramacionMensual.objects.create(estrategia=e, mes=datetime.date(2024, 2, 1), cantidad=1)
    meta = Meta.objects.create(estrategia=e, codigo="3.1", texto="Una (1) audiencia.", cantidad_objetivo=1)
    autora = historia[0].autor
    evidencia(meta, salud, autora, datetime.date(2024, 2, 20))
    avance = avance_plan(plan_pequeno, CORTE)
    assert [linea.porcentaje for linea in avance.lineas] == [D("68.8"), D("100.0")]
    assert avance.porcentaje == D("84.4")  # (68.75 + 100) / 2 = 84.375
    assert avance.color == Color.VERDE
    assert avance.lineas[1].ejecucion.porcentaje == D("100.0")
    assert avance.ejecucion.ejecutado_a_la_fecha == 5


@pytest.mark.parametrize(
    ("porcentaje", "esperado"),
    [
        (D("0"), Color.ROJO),
        (D("59.9"), Color.ROJO),
        (D("60.0"), Color.AMARILLO),
        (D("79.9"), Color.AMARILLO),
        (D("80.0"), Color.VERDE),
        (D("250.0"), Color.VERDE),
        (None, None),
    ],
)
def test_semaforo_por_defecto_rojo_bajo_60_verde_desde_80(porcentaje, esperado):
    assert color(porcentaje, Semaforo()) == esperado


def test_el_color_sigue_al_porcentaje_que_se_lee(plan_pequeno, salud, delegada_salud):
    e1 = Estrategia.objects.get(objetivo__linea__plan=plan_pequeno, numero=1)
    meta = Meta.objects.create(estrategia=e1, codigo="1.3", orden=3, texto="Muchas visitas.", cantidad_objetivo=2001)
    evidencia(meta, salud, delegada_salud, datetime.date(2024, 1, 10), cantidad=1200)  # 59.97 %
    m13 = por_codigo(avance_plan(plan_pequeno, CORTE))["1.3"]
    assert (m13.porcentaje, m13.color) == (D("60.0"), Color.AMARILLO)  # nobody reads "60,0 %" in red


def test_semaforo_usa_los_umbrales_guardados(plan_pequeno, historia):
    Semaforo.objects.create(rojo_menor_que=25, verde_desde=70)
    avance = avance_plan(plan_pequeno, CORTE)
    assert por_codigo(avance)["1.2"].color == Color.AMARILLO  # 25 % is no longer red
    assert avance.color == Color.AMARILLO  # 68.8 %
    assert avance.estrategias()[1].color == Color.VERDE  # 75 %
    assert avance.semaforo.verde_desde == 70


def test_semaforo_sin_amarillo_cuando_los_umbrales_coinciden():
    umbrales = Semaforo(rojo_menor_que=50, verde_desde=50)
    assert [color(D(p), umbrales) for p in ("49.9", "50.0")] == [Color.ROJO, Color.VERDE]


def test_consultas_constantes_aunque_crezcan_las_evidencias(
    plan_pequeno, historia, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as contexto:
        pequeno = avance_plan(plan_pequeno, CORTE)
    consultas = len(contexto.captured_queries)
    assert multiplicar(historia, 10) == 100
    with django_assert_num_queries(consultas):
        grande = avance_plan(plan_pequeno, CORTE)
    assert (pequeno.porcentaje, grande.porcentaje) == (D("68.8"), D("100.0"))  # ten times everything: all met
    assert grande.ejecucion.ejecutado_a_la_fecha == 10 * pequeno.ejecucion.ejecutado_a_la_fecha


def nombres(pendientes):
    return [(p.secretaria.nombre, [e.numero for e in p.estrategias]) for p in pendientes]


def test_quien_no_ha_reportado_por_estrategia_programada(plan_pequeno, historia, salud, delegada_salud):
    evidencia(metas(plan_pequeno)["2.1"], salud, delegada_salud, datetime.date(2024, 3, 12), estado=Estado.BORRADOR)
    # March: strategy 1 (Salud) and 2 (Salud, Hacienda). Salud sent 1.2 on 2 Mar (still under review) for
    # strategy 1, but has only a draft for strategy 2; Hacienda's returned evidence of 8 Mar was sent: it reported.
    assert nombres(sin_reportar(plan_pequeno, datetime.date(2024, 3, 1))) == [
        ("Secretaría de Salud Pública y Seguridad Social", [2]),
    ]
    # February: only strategy 2 is planned; Salud reported it, Hacienda did not (its January report is January's).
    assert nombres(sin_reportar(plan_pequeno, datetime.date(2024, 2, 1))) == [("Secretaría de Hacienda", [2])]
    # April: nothing planned, nobody owes a report.
    assert sin_reportar(plan_pequeno, datetime.date(2024, 4, 1)) == []


def test_quien_no_ha_reportado_trae_delegados_activos(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda):
    delegado_hacienda.email = "hernan@hacienda.gov.co"
    delegado_hacienda.save()
    retirado = type(delegado_hacienda).objects.create_user("retirado", is_active=False)
    hacienda.delegados.add(retirado)
    pendientes = sin_reportar(plan_pequeno, datetime.date(2024, 6, 15))
    assert [(p.secretaria, list(p.delegados)) for p in pendientes] == [
        (hacienda, [delegado_hacienda]),
        (salud, [delegada_salud]),
    ]


def test_secretaria_inactiva_no_debe_reportes(plan_pequeno, hacienda):
    hacienda.activa = False
    hacienda.save()
    assert nombres(sin_reportar(plan_pequeno, datetime.date(2024, 6, 1))) == [
        ("Secretaría de Salud Pública y Seguridad Social", [2]),
    ]


def test_quien_no_ha_reportado_en_consultas_constantes(plan_pequeno, historia, django_assert_num_queries):
    with django_assert_num_queries(4):
        sin_reportar(plan_pequeno, datetime.date(2024, 3, 1))
    multiplicar(historia, 10)
    with django_assert_num_queries(4):
        assert len(sin_reportar(plan_pequeno, datetime.date(2024, 3, 1))) == 1


@time_machine.travel(datetime.datetime(2024, 3, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_corte_por_defecto_es_hoy_dentro_del_periodo(plan_pequeno):
    assert corte_por_defecto(plan_pequeno) == datetime.date(2024, 3, 15)
    assert corte_por_defecto(plan_pequeno, hoy=datetime.date(2023, 7, 1)) == datetime.date(2024, 1, 1)
    assert corte_por_defecto(plan_pequeno, hoy=datetime.date(2025, 2, 1)) == datetime.date(2024, 6, 30)


def test_ultimo_dia_del_mes():
    assert ultimo_dia(datetime.date(2024, 2, 10)) == datetime.date(2024, 2, 29)
    assert ultimo_dia(datetime.date(2024, 12, 1)) == datetime.date(2024, 12, 31)


def test_estado_enviada_no_cuenta_hasta_que_se_apruebe(plan_pequeno, salud, delegada_salud, coordinador):
    meta = metas(plan_pequeno)["1.1"]
    enviada = evidencia(meta, salud, delegada_salud, datetime.date(2024, 1, 5), estado=Estado.ENVIADA)
    assert por_codigo(avance_plan(plan_pequeno, CORTE))["1.1"].aprobado == 0
    acciones.aprobar(enviada, revisor=coordinador)
    assert por_codigo(avance_plan(plan_pequeno, CORTE))["1.1"].aprobado == 1
