"""Participants of approved evidence up to a corte, read from the summary (seguimiento.participantes)."""

import datetime

import pytest

from seguimiento import acciones
from seguimiento.models import GrupoValor, ParticipacionGrupo
from seguimiento.participantes import participantes_al_corte
from seguimiento.tests.conftest import EvidenciaFactory

D = datetime.date


def nueva(meta, secretaria, autor, fecha, grupos=(), **participantes):
    evidencia = EvidenciaFactory(
        meta=meta,
        secretaria=secretaria,
        autor=autor,
        fecha_actividad=fecha,
        enlaces="https://x.gov.co/a",
        **participantes,
    )
    for grupo, n in grupos:
        ParticipacionGrupo.objects.create(evidencia=evidencia, grupo=grupo, cantidad=n)
    return evidencia


def aprobada(evidencia, coordinador):
    acciones.enviar(evidencia, usuario=evidencia.autor)
    return acciones.aprobar(evidencia, revisor=coordinador)


@pytest.fixture
def aprobadas(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador):
    jovenes, victimas = GrupoValor.objects.order_by("orden", "nombre")[:2]
    m = {x.codigo: x for x in plan_pequeno.metas()}
    edades = {"edad_0_17": 0, "edad_18_28": 0, "edad_29_59": 0, "edad_60_mas": 0}
    aprobada(
        nueva(
            m["1.1"],
            salud,
            delegada_salud,
            D(2024, 1, 10),
            [(jovenes, 6)],
            participantes_total=10,
            mujeres=6,
            hombres=4,
            otro_sexo=0,
            **{**edades, "edad_18_28": 10},
        ),
        coordinador,
    )
    aprobada(
        nueva(
            m["1.2"],
            salud,
            delegada_salud,
            D(2024, 3, 20),
            [(jovenes, 2), (victimas, 3)],
            participantes_total=5,
            mujeres=1,
            hombres=3,
            otro_sexo=1,
            **{**edades, "edad_60_mas": 5},
        ),
        coordinador,
    )
    aprobada(
        nueva(
            m["2.1"],
            hacienda,
            delegado_hacienda,
            D(2024, 3, 2),
            [(victimas, 7)],
            participantes_total=7,
            mujeres=7,
            hombres=0,
            otro_sexo=0,
            **{**edades, "edad_0_17": 7},
        ),
        coordinador,
    )
    # Neither a draft nor a sent evidence counts.
    nueva(m["2.1"], hacienda, delegado_hacienda, D(2024, 3, 3), participantes_total=99, mujeres=99, hombres=0)
    acciones.enviar(
        nueva(m["1.1"], salud, delegada_salud, D(2024, 2, 3), participantes_total=50, mujeres=50, hombres=0),
        usuario=delegada_salud,
    )
    return jovenes, victimas, m


def test_totales_por_plan_linea_estrategia_mes_sexo_edad_y_grupo(plan_pequeno, aprobadas, django_assert_num_queries):
    jovenes, victimas, m = aprobadas
    with django_assert_num_queries(4):  # a corte on a month's last day reads only the summary
        cifras = participantes_al_corte(plan_pequeno, D(2024, 6, 30))
    total = cifras.total()
    assert (total.participantes_total, total.mujeres, total.hombres, total.otro_sexo) == (22, 14, 7, 1)
    assert [n for _e, n in total.por_edad()] == [7, 10, 0, 5]
    assert cifras.por_grupo(total) == [(jovenes, 8), (victimas, 10)]
    e1, e2 = m["1.1"].estrategia_id, m["2.1"].estrategia_id
    assert cifras.de_estrategia(e1).participantes_total == 15
    assert cifras.de_estrategia(e2).participantes_total == 7
    assert cifras.de_linea(m["1.1"].estrategia.objetivo.linea_id).participantes_total == 22
    marzo = D(2024, 3, 1)
    assert [(mes, c.participantes_total) for mes, c in cifras.por_mes()] == [(D(2024, 1, 1), 10), (marzo, 12)]
    assert cifras.por_grupo(cifras.de_estrategia(e1, mes=marzo)) == [(jovenes, 2), (victimas, 3)]


def test_un_corte_a_mitad_de_mes_descuenta_lo_aprobado_despues(plan_pequeno, aprobadas, django_assert_num_queries):
    jovenes, victimas, _m = aprobadas
    with django_assert_num_queries(6):
        cifras = participantes_al_corte(plan_pequeno, D(2024, 3, 15))  # the 20 March evidence is after it
    total = cifras.total()
    assert (total.participantes_total, total.mujeres, total.otro_sexo) == (17, 13, 0)
    assert cifras.por_grupo(total) == [(jovenes, 6), (victimas, 7)]
    assert participantes_al_corte(plan_pequeno, D(2024, 1, 9)).total().vacias


def test_un_plan_sin_aprobadas_no_tiene_participantes(plan_pequeno):
    cifras = participantes_al_corte(plan_pequeno, D(2024, 6, 30))
    assert cifras.total().vacias
    assert cifras.grupos == ()
    assert cifras.por_mes() == []
