"""Re-importing a plan that exists: a merge that shows its changes first and keeps evidence and app edits."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from conftest import crear_usuario
from plan_participacion.importer import importar
from plan_participacion.importer.fusionar import resumir
from plan_participacion.models import Entidad, Estrategia, Indicador, Meta, Plan, ProgramacionMensual, Secretaria
from plan_participacion.tests.test_importer_semilla import SEMILLA
from reportes.excel import libro_cronograma
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory


def hoja(tmp_path, nombre="v2.tsv", *reemplazos):
    texto = SEMILLA.read_text(encoding="utf-8")
    for antes, despues in reemplazos:
        assert antes in texto, antes
        texto = texto.replace(antes, despues)
    ruta = tmp_path / nombre
    ruta.write_text(texto, encoding="utf-8")
    return ruta


def tablas():
    """Rows and history rows of every table of the plan: a preview must leave them as they were."""
    modelos = [Plan, Estrategia, Meta, Indicador, ProgramacionMensual, Secretaria]
    return {m.__name__: (m.objects.count(), m.history.count()) for m in modelos} | {
        "evidencias": Evidencia.objects.count()
    }


def editar_en_la_app(objeto, usuario, **campos):
    """What the admin does: change fields and save, with the signed-in user in the history row."""
    for campo, valor in campos.items():
        setattr(objeto, campo, valor)
    objeto._history_user = usuario
    objeto.save()


@pytest.fixture
def candelaria(db):
    return importar(SEMILLA).plan


@pytest.fixture
def coordinadora(candelaria):
    return crear_usuario("catalina.candelaria", "Coordinador", entidad=candelaria.entidad, first_name="Catalina")


@pytest.fixture
def evidencia_en_1_3(candelaria, coordinadora):
    salud = candelaria.entidad.secretarias.get(nombre__startswith="Secretaría de Salud")
    delegada = crear_usuario("sara.salud", "Delegado", entidad=candelaria.entidad)
    return EvidenciaFactory(meta=candelaria.metas().get(codigo="1.3"), secretaria=salud, autor=delegada)


# Version 2 of the sheet: meta 1.1's text changes, 1.3 (with evidence) and 1.6 (without) disappear,
# 1.7 is new, indicator 1.1.1 changes, strategy 2 drops Hacienda and moves one activity to December.
CAMBIOS_V2 = [
    ("1.1. Un (1) documento anual elaborado", "1.1. Un (1) documento anual actualizado"),
    (
        " 1. 3. Una (1) caracterización anual de la ciudadanía, usuarios, grupos de valor e interés de la "
        "Alcaldia Municipal de Candelaria.",
        "",
    ),
    ("1.3.1. Numero de informes de caracterización de ciudadanía, usuarios, grupos de valor e interés. ", ""),
    (
        " 1.6. Una (1) estrategia de socialización de resultados de diagnostico de la participación ciudadana en la "
        "Alcaldia Municipal de Candelaria",
        " 1.7. Dos (2) jornadas de rendición de cuentas semestrales.",
    ),
    (
        "1.6.1. Numero de reuniones, socializaciones o entrega de resultados de diagnostico de la participación "
        "ciudadana.",
        "1.7.1. Numero de jornadas realizadas.",
    ),
    ("1.1.1. Numero de documentos de identificación", "1.1.1. Numero de documentos actualizados de identificación"),
]


def test_la_vista_previa_de_una_reimportacion_lista_los_cambios_y_no_guarda_nada(
    candelaria, evidencia_en_1_3, tmp_path
):
    antes = tablas()
    resultado = importar(hoja(tmp_path, "v2.tsv", *CAMBIOS_V2), dry_run=True)

    assert tablas() == antes
    assert resultado.plan is None and resultado.resumen.actualizado
    diferencias = resultado.resumen.diferencias
    metas = {c.objeto: (c.accion, c.detalles) for c in diferencias.de("meta")}
    assert metas["Meta 1.1"] == (
        "cambiada",
        [
            "texto: «…(1) documento anual elaborado que identifique …» → "
            "«…(1) documento anual actualizado que identifique …»"
        ],
    )
    assert metas["Meta 1.3"] == ("conservada", ["ya no está en la hoja; tiene 1 evidencia(s)"])
    assert metas["Meta 1.6"][0] == "retirada"
    assert metas["Meta 1.7"] == ("agregada", ["«Dos (2) jornadas de rendición de cuentas semestrales.»"])
    indicadores = {c.objeto: c.accion for c in diferencias.de("indicador")}
    assert indicadores == {"Indicador 1.1.1": "cambiada", "Indicador 1.7.1": "agregada", "Indicador 1.6.1": "retirada"}
    assert diferencias.conteo("meta") == "1 agregada, 1 cambiada, 1 retirada, 1 conservada"
    assert any("Meta 1.3 ya no está en la hoja, pero tiene 1 evidencia(s)" in a for a in diferencias.avisos)
    # The warning about "1. 3." disappears with the cell that had it.
    assert not any("1. 3." in str(a) for a in resultado.advertencias)


def test_confirmar_aplica_los_cambios_y_conserva_la_meta_con_evidencias(
    candelaria, evidencia_en_1_3, coordinadora, tmp_path
):
    pks = {m.codigo: m.pk for m in candelaria.metas()}

    resultado = importar(hoja(tmp_path, "v2.tsv", *CAMBIOS_V2), actualizar=True, usuario=coordinadora)

    assert resultado.plan == candelaria and Plan.objects.count() == 1
    metas = {m.codigo: m for m in candelaria.metas()}
    assert sorted(metas) == sorted(set(pks) - {"1.6"} | {"1.7"})
    assert metas["1.1"].pk == pks["1.1"] and metas["1.1"].texto.startswith("Un (1) documento anual actualizado")
    assert metas["1.3"].pk == pks["1.3"] and metas["1.3"].fuera_de_la_hoja
    assert metas["1.7"].cantidad_objetivo == 2 and metas["1.7"].periodicidad == Meta.Periodicidad.SEMESTRAL
    assert [i.codigo for i in metas["1.7"].indicadores.all()] == ["1.7.1"]
    assert metas["1.3"].indicadores.count() == 1  # a kept meta keeps its indicator
    evidencia_en_1_3.refresh_from_db()
    assert evidencia_en_1_3.meta_id == pks["1.3"] and Evidencia.objects.count() == 1
    # Every change has its history row, with the user and the import as reason.
    cambio = Meta.history.filter(id=pks["1.1"]).latest()
    assert (cambio.history_type, cambio.history_user, cambio.history_change_reason) == (
        "~",
        coordinadora,
        "importación: v2.tsv",
    )
    assert Meta.history.filter(id=pks["1.6"], history_type="-").exists()

    # The meta comes back in a later sheet: no longer flagged.
    importar(SEMILLA, actualizar=True)
    assert not Meta.objects.get(pk=pks["1.3"]).fuera_de_la_hoja


def test_una_estrategia_que_la_hoja_retira_se_conserva_si_tiene_evidencias(candelaria, coordinadora, tmp_path):
    estrategia_6 = candelaria.estrategias().get(numero=6)
    salud = candelaria.entidad.secretarias.get(nombre__startswith="Secretaría de Salud")
    EvidenciaFactory(meta=estrategia_6.metas.get(codigo="6.2"), secretaria=salud, autor=coordinadora)
    texto = SEMILLA.read_text(encoding="utf-8").splitlines(keepends=True)
    fila_6 = next(i for i, linea in enumerate(texto) if "\t6. " in linea)
    ruta = tmp_path / "sin_6.tsv"
    ruta.write_text("".join(texto[:fila_6] + texto[fila_6 + 1 :]), encoding="utf-8")

    diferencias = importar(ruta, actualizar=True).resumen.diferencias

    assert {c.objeto: c.accion for c in diferencias.de("estrategia")} == {"Estrategia 6": "conservada"}
    assert Estrategia.objects.filter(pk=estrategia_6.pk).exists()
    assert list(estrategia_6.metas.values_list("codigo", "fuera_de_la_hoja")) == [("6.2", True)]  # 6.1, 6.3, 6.4 gone
    assert {c.objeto for c in diferencias.de("meta", "retirada")} == {"Meta 6.1", "Meta 6.3", "Meta 6.4"}


def test_la_cantidad_editada_en_la_app_se_conserva_en_cada_reimportacion(candelaria, coordinadora, tmp_path):
    meta = candelaria.metas().get(codigo="1.2")
    editar_en_la_app(meta, coordinadora, cantidad_objetivo=3)
    v2 = hoja(tmp_path, "v2.tsv", ("1.2. Un (1) plan de mejora anual", "1.2. Un (1) plan de mejora anual revisado"))

    diferencias = importar(v2, actualizar=True).resumen.diferencias

    meta.refresh_from_db()
    assert (
        meta.cantidad_objetivo,
        meta.texto.endswith("revisado para la evaluación de resultados del plan de participación ciudadana."),
    ) == (3, True)
    assert diferencias.conservados_de_la_app == 1
    assert diferencias.avisos == [
        f"Meta 1.2: se conserva cantidad objetivo 3, editado en la aplicación por Catalina el "
        f"{datetime.date.today():%Y-%m-%d}; la hoja dice 1. "
        "Marque «usar los valores de la hoja» para tomar el de la hoja."
    ]
    # Still the app's on the next re-import: the import above did not take it over.
    importar(SEMILLA, actualizar=True)
    assert Meta.objects.get(pk=meta.pk).cantidad_objetivo == 3
    # Until the coordinator asks for the sheet's values; from then on the sheet decides again.
    diferencias = importar(SEMILLA, actualizar=True, usar_hoja=True).resumen.diferencias
    assert Meta.objects.get(pk=meta.pk).cantidad_objetivo == 1
    assert {c.objeto: c.detalles for c in diferencias.de("meta")} == {"Meta 1.2": ["cantidad objetivo: 3 → 1"]}
    importar(hoja(tmp_path, "v3.tsv", ("1.2. Un (1) plan", "1.2. Dos (2) planes")), actualizar=True)
    assert Meta.objects.get(pk=meta.pk).cantidad_objetivo == 2


def test_los_responsables_editados_en_la_app_se_conservan(candelaria, coordinadora, tmp_path):
    estrategia = candelaria.estrategias().get(numero=2)
    hacienda = candelaria.entidad.secretarias.get(nombre="Secretaría de Hacienda")
    estrategia._history_user = coordinadora
    estrategia.responsables.remove(hacienda)  # as the admin's filter_horizontal does

    diferencias = importar(SEMILLA, actualizar=True).resumen.diferencias

    assert not estrategia.responsables.filter(pk=hacienda.pk).exists()
    assert diferencias.vacia and diferencias.conservados_de_la_app == 1
    assert diferencias.avisos[0].startswith(
        "Estrategia 2: se conservan los responsables editados en la aplicación por Catalina el "
    )
    assert "(12); la hoja trae 13 (+ Secretaría de Hacienda)" in diferencias.avisos[0]

    diferencias = importar(SEMILLA, actualizar=True, usar_hoja=True).resumen.diferencias
    assert estrategia.responsables.filter(pk=hacienda.pk).exists()
    assert diferencias.de("estrategia")[0].detalles == ["responsables: + Secretaría de Hacienda"]
    historica = estrategia.history.latest()
    assert hacienda.pk in {r.secretaria_id for r in historica.responsables.all()}


def test_los_responsables_y_el_cronograma_que_cambia_la_hoja_se_aplican(candelaria, tmp_path):
    texto = SEMILLA.read_text(encoding="utf-8").splitlines(keepends=True)
    fila_2 = next(i for i, linea in enumerate(texto) if "\t2. Identificar" in linea)
    celdas = texto[fila_2].split("\t")
    celdas[6] = celdas[6].replace(", Secretaría de Hacienda", "")
    programado = [(j, c) for j, c in enumerate(celdas[7:20], start=7) if c.strip()]
    j, valor = programado[0]
    celdas[j], celdas[9] = "", str(int(valor) + int(celdas[9] or 0))  # the first activity moves to December
    texto[fila_2] = "\t".join(celdas)
    ruta = tmp_path / "v2.tsv"
    ruta.write_text("".join(texto), encoding="utf-8")

    cambio = importar(ruta, actualizar=True).resumen.diferencias.de("estrategia")[0]

    assert cambio.objeto == "Estrategia 2"
    assert cambio.detalles[0] == "responsables: − Secretaría de Hacienda"
    assert cambio.detalles[1].startswith("cronograma: ")
    estrategia = candelaria.estrategias().get(numero=2)
    assert estrategia.responsables.count() == 12
    assert estrategia.total_programado() == 7


def test_exportar_y_reimportar_el_excel_conserva_lo_editado_en_la_app(candelaria, coordinadora, tmp_path):
    meta = candelaria.metas().get(codigo="1.2")
    editar_en_la_app(meta, coordinadora, cantidad_objetivo=3)
    exportado = tmp_path / "cronograma.xlsx"
    exportado.write_bytes(libro_cronograma(candelaria, datetime.date(2023, 3, 31)))
    assert (
        "1.2. Un (1) plan de mejora anual"
        in load_workbook(io.BytesIO(exportado.read_bytes()))["Cronograma"]["D8"].value
    )

    diferencias = importar(exportado, actualizar=True).resumen.diferencias

    assert Meta.objects.get(pk=meta.pk).cantidad_objetivo == 3
    assert diferencias.vacia  # the export is the plan as it is: only the kept edit is reported
    assert diferencias.conservados_de_la_app == 1


def test_reimportar_por_la_linea_de_comandos_muestra_el_diff_y_pide_actualizar(candelaria, tmp_path):
    salida = io.StringIO()
    call_command("importar_cronograma", str(hoja(tmp_path, "v2.tsv", *CAMBIOS_V2)), "--dry-run", stdout=salida)
    texto = salida.getvalue()
    assert "Cambios frente al plan guardado:" in texto
    assert "  Metas: 1 agregada, 1 cambiada, 2 retiradas" in texto
    assert "    - Meta 1.7 agregada: «Dos (2) jornadas de rendición de cuentas semestrales.»" in texto
    assert texto.rstrip().endswith("Para aplicar estos cambios use --actualizar.")
    assert Meta.objects.filter(codigo="1.6").exists()


def test_la_misma_hoja_en_otra_entidad_es_otro_plan_con_sus_secretarias(candelaria, tmp_path):
    pradera = hoja(tmp_path, "pradera.tsv", ("MUNICIPIO DE CANDELARIA", "MUNICIPIO DE PRADERA"))

    resultado = importar(pradera)

    assert resultado.resumen.entidad == "Municipio de Pradera" and resultado.resumen.entidad_nueva
    assert resultado.plan != candelaria and not resultado.resumen.actualizado
    entidad = Entidad.objects.get(nombre="Municipio de Pradera")
    assert entidad.secretarias.count() == 13 and candelaria.entidad.secretarias.count() == 13
    assert not Secretaria.objects.filter(
        estrategias__objetivo__linea__plan=resultado.plan, entidad=candelaria.entidad
    ).exists()


def test_resumir_muestra_la_parte_que_cambia():
    antes = "Fortalecer las condiciones institucionales dn la Alcaldia Municipal de Candelaria para la promoción."
    despues = antes.replace(" dn la ", " de la ")
    assert (
        resumir(antes, despues)
        == "«…es institucionales dn la Alcaldia Municip…» → «…es institucionales de la Alcaldia Municip…»"
    )
    assert resumir("", "nuevo") == "(vacío) → «nuevo»"


def test_un_cambio_sin_historial_tambien_cuenta_como_editado_en_la_app(candelaria):
    candelaria.metas().filter(codigo="1.2").update(cantidad_objetivo=4)  # a raw UPDATE: no history row
    diferencias = importar(SEMILLA, actualizar=True).resumen.diferencias
    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 4
    assert diferencias.avisos[0].startswith("Meta 1.2: se conserva cantidad objetivo 4, editado en la aplicación;")


def test_un_plan_sin_historial_sigue_a_la_hoja(db):
    call_command("loaddata", "candelaria", verbosity=0)  # a fixture writes no history rows
    Meta.objects.filter(codigo="1.2").update(cantidad_objetivo=5)
    importar(SEMILLA, actualizar=True)
    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 1
