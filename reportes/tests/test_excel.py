"""The schedule in Excel: the sheet's own layout, planned and executed, and it imports back."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from plan_participacion.importer import importar
from plan_participacion.models import Estrategia, Plan
from plan_participacion.tests.test_importer_semilla import estructura_del_plan
from reportes.excel import libro_cronograma
from reportes.tests.conftest import CODIGOS_CANDELARIA, CORTE

PROGRAMADO_POR_ESTRATEGIA = {1: 10, 2: 7, 3: 14, 4: 9, 5: 33, 6: 1}
MESES = ["OCT.", "NOV.", "DIC.", "ENE.", "FEB.", "MAR.", "ABR.", "MAY.", "JUN.", "JUL.", "AGO.", "SEP.", "OCT."]


def abrir(respuesta):
    assert respuesta.status_code == 200
    assert respuesta["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert respuesta["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(respuesta.content))


def columnas(hoja, fila):
    return {hoja.cell(row=fila, column=c).value: c for c in range(1, hoja.max_column + 1) if hoja.cell(fila, c).value}


@pytest.fixture
def libro(client, comite, historia_candelaria):
    client.force_login(comite)
    return abrir(client.get(reverse("reporte_cronograma"), {"corte": CORTE.isoformat()}))


def test_el_cronograma_tiene_la_forma_de_la_hoja_con_programado_y_ejecutado(libro):
    hoja = libro["Cronograma"]
    titulos = columnas(hoja, 6)
    assert list(titulos)[:7] == [
        "LINEA DE ACCIÓN / SUBPROGRAMA PMD",
        "OBJETIVOS",
        "ESTRATEGIAS",
        "METAS",
        "INDICADORES DE CUMPLIMIENTO",
        "MEDIOS DE VERIFICACIÓN",
        "RESPONSABLES",
    ]
    assert {"CRONOGRAMA 2022", "CRONOGRAMA 2023", "FORTALEZAS", "DEBILIDADES", "EJECUTADO 2022"} <= set(titulos)
    meses = [hoja.cell(7, c).value for c in range(8, 8 + 13)]
    assert meses == MESES
    ejecutado = titulos["EJECUTADO 2022"]
    assert [hoja.cell(7, c).value for c in range(ejecutado, ejecutado + 13)] == [f"Ejec. {m}" for m in MESES]
    assert hoja["A1"].value == "MUNICIPIO DE CANDELARIA"
    assert {"Código: 54-PSC-FT-743", "Versión: 1", "Fecha: 17 de agosto de 2021"} <= {
        hoja.cell(f, titulos["FORTALEZAS"]).value for f in range(1, 5)
    }

    # Merged like the sheet: the year over its months, each line and objective over its strategies.
    combinadas = {str(r) for r in hoja.merged_cells.ranges}
    assert {"H6:J6", "K6:T6", "A8:A11", "B8:B11", "A12:A13", "B12:B13", "A6:A7"} <= combinadas

    filas = {hoja.cell(f, 3).value.split(".")[0]: f for f in range(8, 14)}
    assert list(filas) == ["1", "2", "3", "4", "5", "6"]
    programado = {int(n): sum(hoja.cell(f, c).value or 0 for c in range(8, 21)) for n, f in filas.items()}
    assert programado == PROGRAMADO_POR_ESTRATEGIA
    assert sum(programado.values()) == 74
    assert hoja.cell(filas["5"], 8 + 12).value == 4  # strategy 5, October 2023

    # Executed: approved evidence per month up to the corte (Nov 22 and Dec 22 for strategy 1,
    # Mar 23 for 3 and 5); months after the corte are left empty.
    def ejecutado_de(n):
        return [hoja.cell(filas[n], c).value for c in range(ejecutado, ejecutado + 13)]

    assert ejecutado_de("1") == [0, 1, 1, 0, 0, 0] + [None] * 7
    assert ejecutado_de("3") == [0, 0, 0, 0, 0, 1] + [None] * 7
    assert ejecutado_de("5") == [0, 0, 0, 0, 0, 1] + [None] * 7
    assert ejecutado_de("2") == [0] * 6 + [None] * 7
    total = 14
    assert hoja.cell(total, 7).value == "TOTAL"
    assert sum(hoja.cell(total, c).value for c in range(8, 21)) == 74
    assert [hoja.cell(total, c).value for c in range(ejecutado, ejecutado + 6)] == [0, 1, 1, 0, 0, 2]

    metas = "\n".join(hoja.cell(f, 4).value for f in filas.values())
    for codigo in CODIGOS_CANDELARIA:
        assert f"{codigo}. " in metas
    assert any(str(c.value).startswith("ELABORÓ: Yurid Marcela Mora Josa") for c in hoja[16])


def test_la_segunda_hoja_tiene_una_fila_por_meta(libro):
    hoja = libro["Metas e indicadores"]
    titulos = columnas(hoja, 4)
    assert list(titulos)[:10] == [
        "Línea",
        "Estrategia",
        "Código",
        "Meta",
        "Indicador",
        "Periodicidad",
        "Objetivo",
        "Aprobado",
        "% de avance",
        "Semáforo",
    ]
    filas = {hoja.cell(f, 3).value: f for f in range(5, hoja.max_row + 1) if hoja.cell(f, 3).value}
    assert list(filas) == CODIGOS_CANDELARIA

    def fila(codigo):
        return [hoja.cell(filas[codigo], c).value for c in (7, 8, 9, 10)]

    assert fila("1.1") == [1, 1, 100, "Verde"]
    assert fila("1.3") == [1, 0, 0, "Rojo"]  # its evidence is dated after the corte
    assert fila("5.3") == [13, 1, pytest.approx(7.7), "Rojo"]
    assert hoja.cell(filas["1.1"], 5).value.startswith("1.1.1. Numero de documentos")
    assert hoja.cell(filas["5.3"], 11).value.startswith("Departamento Administrativo Jurídico: 0 de 1")
    ultima = hoja.max_row
    assert hoja.cell(ultima, 1).value == "Avance del plan"
    assert hoja.cell(ultima, 9).value == pytest.approx(6.6)


def test_un_texto_que_empieza_por_igual_no_es_una_formula(candelaria):
    Estrategia.objects.filter(objetivo__linea__plan=candelaria, numero=1).update(
        medios_verificacion='=HYPERLINK("http://example.org","acta")'
    )
    hoja = load_workbook(io.BytesIO(libro_cronograma(candelaria, CORTE)))["Cronograma"]
    celda = hoja.cell(8, 6)
    assert celda.value == '=HYPERLINK("http://example.org","acta")' and celda.data_type == "s"


def test_el_excel_exportado_se_importa_en_la_misma_estructura(candelaria, tmp_path):
    ruta = tmp_path / "cronograma-exportado.xlsx"
    ruta.write_bytes(libro_cronograma(candelaria, datetime.date(2023, 3, 31)))
    original = estructura_del_plan()

    previo = importar(ruta, dry_run=True, reemplazar=True)
    assert previo.plan is None
    resumen = previo.resumen
    assert (resumen.lineas, resumen.estrategias, resumen.metas, resumen.indicadores) == (2, 6, 28, 28)
    # The executed block and the TOTAL row are reported, never read as schedule.
    assert all(
        "EJECUTADO" in a.mensaje or "sin título" in a.mensaje or "totales" in a.mensaje for a in previo.advertencias
    )

    resultado = importar(ruta, reemplazar=True)
    assert Plan.objects.count() == 1
    importado = estructura_del_plan()
    original["plan"].pop("archivo_origen")
    importado["plan"].pop("archivo_origen")
    assert importado == original
    estrategias = {
        e["estrategia"]["numero"]: e
        for linea in importado["lineas"]
        for o in linea["objetivos"]
        for e in o["estrategias"]
    }
    assert {n: sum(c for _mes, c in e["programacion"]) for n, e in estrategias.items()} == PROGRAMADO_POR_ESTRATEGIA
    assert resultado.plan.metas().count() == 28


def test_la_hoja_de_participantes_por_linea_estrategia_y_mes(client, comite, historia_candelaria):
    client.force_login(comite)
    hoja = abrir(client.get(reverse("reporte_cronograma"), {"corte": CORTE.isoformat()}))["Participantes"]
    titulos = columnas(hoja, 4)
    assert {"Nivel", "Total", "Mujeres", "Hombres", "0 a 17 años", "60 años o más", "Jóvenes"} <= set(titulos)
    filas = {hoja.cell(f, 1).value: f for f in range(5, hoja.max_row + 1) if hoja.cell(f, 1).value}
    plan = filas["Plan"]
    assert hoja.cell(plan, titulos["Total"]).value == 23
    assert hoja.cell(plan, titulos["Mujeres"]).value == 14
    assert hoja.cell(plan, titulos["Jóvenes"]).value == 7
    assert hoja.cell(filas["  Estrategia 1"], titulos["Total"]).value == 23
    assert hoja.cell(filas["Línea 2"], titulos["Total"]).value == 0
    meses = range(plan + 1, hoja.max_row + 1)
    noviembre = [f for f in meses if hoja.cell(f, 1).value == datetime.datetime(2022, 11, 1)]
    assert len(noviembre) == 1 and hoja.cell(noviembre[0], titulos["Total"]).value == 23
