"""The importer under fuzzing (hypothesis): random grids, mutated versions of the seed, damaged
.xlsx and .tsv bytes. Whatever the file, importar() either imports a plan whose rows agree
with its summary, or raises ErrorImportacion with a message, and then nothing is written.
Never another exception.

Bounded for CI (the "ci" profile: a few dozen examples per test, same examples every run).
To search longer:  HYPOTHESIS_PROFILE=largo .venv/bin/python -m pytest plan_participacion/tests/test_importer_fuzz.py
"""

import csv
import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from plan_participacion.importer import ErrorImportacion, importar
from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    SecretariaAlias,
)

COMUN = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=30, derandomize=True, database=None, **COMUN)
settings.register_profile("largo", max_examples=2000, **COMUN)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytestmark = pytest.mark.django_db

SEMILLA_BYTES = (Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv").read_bytes()
MODELOS = [Plan, LineaAccion, Objetivo, Estrategia, Meta, Indicador, ProgramacionMensual, Secretaria, SecretariaAlias]


def filas_de_tsv(datos):
    return [list(fila) for fila in csv.reader(io.StringIO(datos.decode("utf-8-sig")), delimiter="\t")]


def tsv(filas):
    salida = io.StringIO()
    csv.writer(salida, delimiter="\t", lineterminator="\r\n").writerows(filas)
    return salida.getvalue().encode("utf-8")


def xlsx(filas):
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.title = "Cronograma"
    for fila in filas:
        # Excel itself cannot hold control characters: what a real .xlsx could contain.
        hoja.append([ILLEGAL_CHARACTERS_RE.sub("", celda) or None for celda in fila])
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


SEMILLA = filas_de_tsv(SEMILLA_BYTES)
SEMILLA_XLSX = xlsx(SEMILLA)


def conteos():
    return {modelo.__name__: modelo.objects.count() for modelo in MODELOS}


class Deshacer(Exception):
    """Leaves the outer savepoint so the next example starts from the same database."""


def importar_y_comprobar(datos, nombre):
    """Import; check the outcome is a consistent plan or a clear refusal that wrote nothing."""
    antes = conteos()
    try:
        with transaction.atomic():
            try:
                resultado = importar(datos, nombre)
            except ErrorImportacion as error:
                assert isinstance(error.mensaje, str) and error.mensaje.strip()
                assert conteos() == antes, "una importación rechazada escribió filas"
                return "rechazada"
            plan = resultado.plan
            resumen = resultado.resumen
            assert Plan.objects.count() == antes["Plan"] + 1
            assert LineaAccion.objects.filter(plan=plan).count() == resumen.lineas
            assert Objetivo.objects.filter(linea__plan=plan).count() == resumen.objetivos
            assert Estrategia.objects.filter(objetivo__linea__plan=plan).count() == resumen.estrategias
            assert plan.metas().count() == resumen.metas
            assert Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan).count() == resumen.indicadores
            programado = ProgramacionMensual.objects.filter(estrategia__objetivo__linea__plan=plan)
            assert sum(programado.values_list("cantidad", flat=True)) == resumen.total_programado
            assert all(plan.mes_inicio <= mes <= plan.mes_fin for mes in programado.values_list("mes", flat=True))
            raise Deshacer
    except Deshacer:
        pass
    assert conteos() == antes
    return "importada"


# ---- random grids ------------------------------------------------------------------------------

TITULOS = [
    "LINEA DE ACCIÓN / SUBPROGRAMA PMD",
    "OBJETIVOS",
    "ESTRATEGIAS",
    "METAS",
    "INDICADORES DE CUMPLIMIENTO",
    "MEDIOS DE VERIFICACIÓN",
    "RESPONSABLES",
    "CRONOGRAMA 2023",
    "CRONOGRAMA 2024",
    "FORTALEZAS",
]
MESES = ["ENE.", "FEB.", "MAR.", "ABR.", "MAY.", "JUN.", "JUL.", "AGO.", "SEPT.", "OCT.", "NOV.", "DIC.", "SEP"]
TEXTOS = [
    "1. Realizar el diagnóstico.",
    "1.1. Un (1) documento anual. 1.2. Doce (12) reuniones.",
    "Documento elaborado",
    "Secretaría de Hacienda, Secretaria de Salud publica y Seguridad Social",
    "MUNICIPIO DE CANDELARIA",
    "CRONOGRAMA DE PLAN DE ACCIÓN",
    "Condiciones institucionales",
    "x",
    "X",
    "-1",
    "2.5",
    "1e9",
    "99999999999999999999",
    "=SUMA(A1:A3)",
    "\u202eadsx.exe",
    "\x00",
    " ",
]
celda = st.one_of(
    st.just(""),
    st.sampled_from(TITULOS + MESES + TEXTOS),
    st.integers(min_value=-3, max_value=40).map(str),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
)
rejilla = st.lists(st.lists(celda, min_size=0, max_size=24), min_size=0, max_size=30)


def con_encabezado(filas, encabezado):
    """Most random grids would be refused at once (no header): also try them under a real header."""
    return [*SEMILLA[:encabezado], *filas] if encabezado else filas


@given(filas=rejilla, encabezado=st.sampled_from([0, 7, 8]), formato=st.sampled_from(["tsv", "tsv", "xlsx"]))
def test_rejillas_al_azar(filas, encabezado, formato):
    filas = con_encabezado(filas, encabezado)
    datos = xlsx(filas) if formato == "xlsx" else tsv(filas)
    importar_y_comprobar(datos, f"rejilla.{formato}")


# ---- the seed, mutated --------------------------------------------------------------------------


CELDA_RARA = '\t"comillas"\r\n'


@st.composite
def semilla_mutada(draw):
    filas = [list(fila) for fila in SEMILLA]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        operacion = draw(
            st.sampled_from(
                ["borrar_fila", "duplicar_fila", "intercambiar_filas", "borrar_celda", "duplicar_celda",
                 "intercambiar_celdas", "texto_en_mes", "vaciar_celda"]
            )
        )  # fmt: skip
        if not filas:
            break
        i = draw(st.integers(min_value=0, max_value=len(filas) - 1))
        j = draw(st.integers(min_value=0, max_value=len(filas) - 1))
        if operacion == "borrar_fila":
            del filas[i]
        elif operacion == "duplicar_fila":
            filas.insert(j, list(filas[i]))
        elif operacion == "intercambiar_filas":
            filas[i], filas[j] = filas[j], filas[i]
        elif filas[i]:
            c = draw(st.integers(min_value=0, max_value=len(filas[i]) - 1))
            d = draw(st.integers(min_value=0, max_value=len(filas[i]) - 1))
            if operacion == "borrar_celda":
                del filas[i][c]
            elif operacion == "duplicar_celda":
                filas[i].insert(d, filas[i][c])
            elif operacion == "intercambiar_celdas":
                filas[i][c], filas[i][d] = filas[i][d], filas[i][c]
            elif operacion == "vaciar_celda":
                filas[i][c] = ""
            else:  # a word, a decimal or a huge number in a month column (H..T of the data rows)
                columna = draw(st.integers(min_value=7, max_value=19))
                if len(filas[i]) > columna:
                    filas[i][columna] = draw(st.sampled_from(["x", "dos", "1,5", "-2", "10000000", "N/A", CELDA_RARA]))
    return filas


@given(filas=semilla_mutada(), formato=st.sampled_from(["tsv", "tsv", "xlsx"]))
def test_semilla_mutada(filas, formato):
    datos = xlsx(filas) if formato == "xlsx" else tsv(filas)
    importar_y_comprobar(datos, f"semilla_mutada.{formato}")


# ---- damaged bytes ------------------------------------------------------------------------------


@given(
    original=st.sampled_from(["tsv", "xlsx"]),
    corte=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
    cambios=st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=1.0, exclude_max=True), st.integers(0, 255)), max_size=5
    ),
)
def test_bytes_truncados_o_alterados(original, corte, cambios):
    datos = bytearray(SEMILLA_BYTES if original == "tsv" else SEMILLA_XLSX)
    for posicion, valor in cambios:
        datos[int(posicion * len(datos))] = valor
    datos = bytes(datos[: max(1, int(corte * len(datos)))])
    importar_y_comprobar(datos, f"danado.{original}")


def test_la_semilla_sin_mutar_se_importa_en_ambos_formatos():
    """The fuzzing above starts from files that import: otherwise it would only test refusals."""
    assert importar_y_comprobar(SEMILLA_BYTES, "seed_candelaria.tsv") == "importada"
    assert importar_y_comprobar(SEMILLA_XLSX, "seed_candelaria.xlsx") == "importada"
    assert importar_y_comprobar(tsv(SEMILLA), "reescrita.tsv") == "importada"
