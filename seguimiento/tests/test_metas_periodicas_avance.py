"""Periodic metas shown per period (seguimiento.avance → AvanceMeta.periodos): dashboard, Mis metas, PDF, Excel.

Candelaria's plan runs October 2022 – October 2023; its meta 6.2 «Una (1) publicación y divulgación
semestral» counts three semesters (plan_participacion.periodos). One approved publication in March 2023
meets the first semester of 2023; the other two stay pending.
"""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from conftest import crear_usuario
from plan_participacion import acciones as acciones_plan
from plan_participacion.models import Entidad, Plan
from reportes.excel import libro_cronograma
from reportes.informes import pdf_avance
from seguimiento.avance import avance_plan
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import evidencia_en

BOGOTA = datetime.timezone(datetime.timedelta(hours=-5))
CORTE = datetime.date(2023, 10, 31)
SEMESTRES = ["segundo semestre de 2022", "primer semestre de 2023", "segundo semestre de 2023"]


@pytest.fixture
def candelaria(db):
    call_command("loaddata", "candelaria", verbosity=0)
    return Plan.objects.get(municipio="Municipio de Candelaria")


@pytest.fixture
def personas(candelaria):
    entidad = Entidad.objects.get(nombre="Municipio de Candelaria")
    secretaria = candelaria.metas().get(codigo="6.2").estrategia.responsables.order_by("nombre").first()
    delegada = crear_usuario("lina.candelaria", "Delegado", entidad=entidad)
    secretaria.delegados.add(delegada)
    coordinadora = crear_usuario("catalina.candelaria", "Coordinador", entidad=entidad)
    return {"secretaria": secretaria, "delegada": delegada, "coordinadora": coordinadora}


@pytest.fixture
def publicacion_de_marzo(candelaria, personas):
    meta = candelaria.metas().get(codigo="6.2")
    return evidencia_en(
        meta,
        personas["secretaria"],
        personas["delegada"],
        datetime.date(2023, 3, 10),
        estado=Evidencia.Estado.APROBADA,
        revisor=personas["coordinadora"],
    )


def meta_62(avance):
    return next(m for m in avance.metas() if m.meta.codigo == "6.2")


def test_la_meta_semestral_tiene_sus_tres_semestres(candelaria, publicacion_de_marzo):
    m = meta_62(avance_plan(candelaria, CORTE))
    assert [p.periodo.etiqueta for p in m.periodos] == SEMESTRES
    assert [(p.esperado, p.aprobado, p.cumplido) for p in m.periodos] == [(1, 0, False), (1, 1, True), (1, 0, False)]
    assert m.periodos_cumplidos == 1
    assert [p.texto for p in m.periodos] == [
        "segundo semestre de 2022: 0 de 1, pendiente",
        "primer semestre de 2023: 1 de 1, cumplido",
        "segundo semestre de 2023: 0 de 1, pendiente",
    ]
    # An annual meta: 2022 has 3 of its 12 months in the plan and does not count; a «única» meta has no periods.
    anual = next(m for m in avance_plan(candelaria, CORTE).metas() if m.meta.codigo == "1.1")
    assert [(p.periodo.etiqueta, p.cumplido) for p in anual.periodos] == [("2022", None), ("2023", False)]
    assert all(not m.periodos for m in avance_plan(candelaria, CORTE).metas() if m.meta.periodicidad == "unica")


def test_el_avance_de_una_meta_periodica_se_mide_contra_su_total(candelaria, personas, publicacion_de_marzo):
    """6.2 expects 3 publications (one per semester): 1 approved is 33.3 %, not 1 of 1; the coordinator's total
    (with a reason) replaces the computed one, and the sheet's quantity never changes."""
    m = meta_62(avance_plan(candelaria, CORTE))
    assert (m.meta.cantidad_objetivo, m.objetivo, m.aprobado, str(m.porcentaje)) == (1, 3, 1, "33.3")
    acciones_plan.ajustar_objetivo(
        m.meta, usuario=personas["coordinadora"], objetivo=2, motivo="El segundo semestre de 2022 ya se reportó."
    )
    m = meta_62(avance_plan(candelaria, CORTE))
    assert (m.meta.cantidad_objetivo, m.objetivo, str(m.porcentaje)) == (1, 2, "50.0")


def test_lo_aprobado_despues_del_corte_no_cuenta_en_su_periodo(candelaria, publicacion_de_marzo):
    m = meta_62(avance_plan(candelaria, datetime.date(2023, 3, 5)))
    assert [p.aprobado for p in m.periodos] == [0, 0, 0]


@time_machine.travel(datetime.datetime(2023, 10, 20, 9, 0, tzinfo=BOGOTA), tick=False)
def test_el_tablero_y_mis_metas_muestran_los_semestres(client, candelaria, personas, publicacion_de_marzo):
    client.force_login(personas["coordinadora"])
    html = client.get(reverse("tablero")).content.decode()
    for semestre in SEMESTRES:
        assert semestre in html
    assert 'primer semestre de 2023: 1 de 1 <span class="badge semaforo-verde">cumplido</span>' in html
    assert 'segundo semestre de 2023: 0 de 1 <span class="badge semaforo-rojo">pendiente</span>' in html

    client.force_login(personas["delegada"])
    html = client.get(reverse("mis_metas")).content.decode()
    assert 'primer semestre de 2023: 1 de 1 <span class="badge semaforo-verde">cumplido</span>' in html
    assert 'segundo semestre de 2022: 0 de 1 <span class="badge semaforo-rojo">pendiente</span>' in html


def test_el_pdf_y_el_excel_dicen_cada_semestre(candelaria, publicacion_de_marzo):
    texto = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_avance(candelaria, CORTE))).pages)
    texto = " ".join(texto.split())
    assert "primer semestre de 2023: 1 de 1, cumplido" in texto
    assert "segundo semestre de 2023: 0 de 1, pendiente" in texto

    libro = openpyxl.load_workbook(io.BytesIO(libro_cronograma(candelaria, CORTE)))
    hoja = next(h for h in libro.worksheets if any(c.value == "Por periodo" for c in h[4]))
    columna = next(c.column for c in hoja[4] if c.value == "Por periodo")
    fila = next(r for r in hoja.iter_rows(min_row=5) if r[2].value == "6.2")
    assert fila[columna - 1].value == (
        "segundo semestre de 2022: 0 de 1, pendiente; primer semestre de 2023: 1 de 1, cumplido; "
        "segundo semestre de 2023: 0 de 1, pendiente"
    )
