"""Periodic metas: calendar periods, the half-covered rule, the derived total, per-period compliance."""

import datetime

import pytest

from plan_participacion.importer import importar
from plan_participacion.models import Meta
from plan_participacion.periodos import cumplimiento, objetivo, objetivo_de_meta, periodos
from plan_participacion.tests.test_importer_semilla import SEMILLA

P = Meta.Periodicidad
OCT_2022, OCT_2023 = datetime.date(2022, 10, 1), datetime.date(2023, 10, 1)


def d(anio, mes):
    return datetime.date(anio, mes, 1)


def resumen(lista):
    return [(p.etiqueta, p.cubiertos, p.meses, p.cuenta) for p in lista]


def test_semestres_de_candelaria_octubre_2022_a_octubre_2023():
    assert resumen(periodos(P.SEMESTRAL, OCT_2022, OCT_2023)) == [
        ("segundo semestre de 2022", 3, 6, True),  # Oct–Dec: half of it, counts
        ("primer semestre de 2023", 6, 6, True),
        ("segundo semestre de 2023", 4, 6, True),  # Jul–Oct
    ]


def test_años_trimestres_y_meses_de_candelaria():
    assert resumen(periodos(P.ANUAL, OCT_2022, OCT_2023)) == [("2022", 3, 12, False), ("2023", 10, 12, True)]
    trimestres = periodos(P.TRIMESTRAL, OCT_2022, OCT_2023)
    assert [p.cuenta for p in trimestres] == [True, True, True, True, False]  # Oct 2023 alone: 1 of 3
    assert (
        trimestres[0].etiqueta == "cuarto trimestre de 2022" and trimestres[-1].etiqueta == "cuarto trimestre de 2023"
    )
    meses = periodos(P.MENSUAL, OCT_2022, OCT_2023)
    assert len(meses) == 13 and all(p.cuenta for p in meses)
    assert meses[3].etiqueta == "enero de 2023"


def test_una_meta_unica_no_tiene_periodos():
    assert periodos(P.UNICA, OCT_2022, OCT_2023) == []
    assert objetivo(2, P.UNICA, OCT_2022, OCT_2023).total == 2


def test_si_ningun_periodo_llega_a_la_mitad_cuenta_el_mas_cubierto():
    # An annual meta in a plan of September 2024 – January 2025: 4 months of 2024, 1 of 2025.
    lista = periodos(P.ANUAL, d(2024, 9), d(2025, 1))
    assert resumen(lista) == [("2024", 4, 12, True), ("2025", 1, 12, False)]
    assert objetivo(1, P.ANUAL, d(2024, 9), d(2025, 1)).calculado == 1


def test_un_plan_de_enero_a_diciembre_tiene_dos_semestres_exactos():
    assert resumen(periodos(P.SEMESTRAL, d(2024, 1), d(2024, 12))) == [
        ("primer semestre de 2024", 6, 6, True),
        ("segundo semestre de 2024", 6, 6, True),
    ]
    assert objetivo(2, P.TRIMESTRAL, d(2024, 1), d(2024, 12)).calculado == 8


def test_la_mitad_exacta_cuenta_y_menos_de_la_mitad_no():
    # April–September 2024: three months of each semester, exactly half: both count.
    assert [(p.cubiertos, p.cuenta) for p in periodos(P.SEMESTRAL, d(2024, 4), d(2024, 9))] == [(3, True), (3, True)]
    # March–September: four months of the first semester, three of the second.
    assert [(p.cubiertos, p.cuenta) for p in periodos(P.SEMESTRAL, d(2024, 3), d(2024, 9))] == [(4, True), (3, True)]
    # May–August: two months of each semester, neither half: the most covered counts (on a tie, the first).
    assert [(p.cubiertos, p.cuenta) for p in periodos(P.SEMESTRAL, d(2024, 5), d(2024, 8))] == [(2, True), (2, False)]


@pytest.mark.django_db
def test_la_meta_semestral_6_2_de_la_semilla_espera_tres_publicaciones():
    plan = importar(SEMILLA).plan
    meta = plan.metas().get(codigo="6.2")
    assert meta.texto.startswith("Una (1) publicación y divulgación semestral")
    assert (meta.periodicidad, meta.cantidad_objetivo) == (P.SEMESTRAL, 1)

    esperado = objetivo_de_meta(meta, plan)
    assert esperado.calculado == 3 and esperado.total == 3
    assert meta.cantidad_objetivo == 1  # the sheet's figure does not change

    # One publication approved in November 2022 and one in March 2023; none since July 2023.
    aprobado = {datetime.date(2022, 11, 1): 1, datetime.date(2023, 3, 20): 1}
    assert [(c.periodo.etiqueta, c.esperado, c.aprobado, c.cumplido) for c in cumplimiento(esperado, aprobado)] == [
        ("segundo semestre de 2022", 1, 1, True),
        ("primer semestre de 2023", 1, 1, True),
        ("segundo semestre de 2023", 1, 0, False),
    ]
    # An annual meta of the same plan: only 2023 counts, so the target stays 1.
    anual = objetivo_de_meta(plan.metas().get(codigo="6.1"), plan)
    assert anual.calculado == 1
    assert [c.cumplido for c in cumplimiento(anual, {datetime.date(2022, 12, 1): 1})] == [None, False]


def test_el_objetivo_ajustado_reemplaza_al_calculado():
    ajustado = objetivo(1, P.SEMESTRAL, OCT_2022, OCT_2023, ajustado=2, motivo="El segundo semestre de 2023 no aplica")
    assert (ajustado.calculado, ajustado.total) == (3, 2)
