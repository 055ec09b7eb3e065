"""The coordinator imports the cronograma from the command line: summary, warnings, refusals."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from plan_participacion.models import Entidad, Meta, Plan, Secretaria, SecretariaAlias

SEMILLA = Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv"


def importar_cronograma(*argumentos):
    salida = io.StringIO()
    call_command("importar_cronograma", *argumentos, stdout=salida)
    return salida.getvalue()


@pytest.mark.django_db
def test_el_comando_imprime_el_resumen_y_las_advertencias():
    salida = importar_cronograma(str(SEMILLA))

    assert Plan.objects.count() == 1
    for linea in [
        "Archivo: seed_candelaria.tsv",
        "Entidad: Municipio de Candelaria (nueva: se crea con sus secretarías)",
        "Plan: Municipio de Candelaria — CRONOGRAMA DE PLAN DE ACCIÓN POLITICA DE PARTICIPACIÓN CIUDADANA EN LA "
        "GESTIÓN PÚBLICA",
        "Meses: octubre de 2022 a octubre de 2023 (13 meses)",
        "Líneas de acción: 2",
        "Objetivos: 2",
        "Estrategias: 6",
        "Metas: 28",
        "Indicadores: 28",
        "Secretarías responsables: 13 (13 nuevas)",
        "  Secretaría de Educación, Cultura y Turismo",
        "  Estrategia 1: 10",
        "  Estrategia 5: 33",
        "  Total: 74",
        "Advertencias (4):",
        "  - fila 13, columna U: hay un número («3») en la columna FORTALEZAS, fuera de los meses del cronograma; "
        "no se tomó como programación ni como fortaleza.",
        "  - fila 10, columna D: la numeración «1. 3.» de la meta tiene espacios; se leyó como 1.3.",
        "Plan importado: Municipio de Candelaria, ",
    ]:
        assert linea in salida


@pytest.mark.django_db
def test_la_simulacion_no_guarda_nada():
    salida = importar_cronograma(str(SEMILLA), "--dry-run")

    assert "Metas: 28" in salida
    assert "Simulación (--dry-run): el archivo se puede importar; no se guardó nada." in salida
    assert Plan.objects.count() == 0
    assert Entidad.objects.count() == 0
    assert Secretaria.objects.count() == 0
    assert SecretariaAlias.objects.count() == 0
    assert Meta.objects.count() == 0


@pytest.mark.django_db
def test_importar_dos_veces_el_mismo_plan_pide_actualizar_y_la_simulacion_muestra_los_cambios():
    importar_cronograma(str(SEMILLA))
    with pytest.raises(CommandError) as error:
        importar_cronograma(str(SEMILLA))
    assert str(error.value).startswith("Ya existe el plan Municipio de Candelaria")
    assert str(error.value).endswith("Revise los cambios con --dry-run y aplíquelos con --actualizar.")
    assert Plan.objects.count() == 1
    # The preview is always shown: a dry run of a plan that exists lists what would change.
    salida = importar_cronograma(str(SEMILLA), "--dry-run")
    assert "Sin cambios: la hoja coincide con el plan guardado." in salida
    assert (
        "Simulación (--dry-run): el plan ya existe; no se guardó nada. Para aplicar estos cambios use --actualizar."
        in (salida)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("opcion", ["--actualizar", "--reemplazar"])
def test_actualizar_aplica_la_hoja_al_mismo_plan(opcion):
    importar_cronograma(str(SEMILLA))
    anterior = Plan.objects.get()
    anterior.metas().filter(codigo="1.1").update(texto="Editado a mano")

    salida = importar_cronograma(str(SEMILLA), opcion)

    assert "Plan actualizado: Municipio de Candelaria" in salida
    assert "Secretarías responsables: 13 (0 nuevas)" in salida
    assert "    - Meta 1.1 cambiada: texto: «Editado a mano» → «Un (1) documento anual" in salida
    plan = Plan.objects.get()
    assert plan.pk == anterior.pk
    assert plan.metas().count() == 28
    assert plan.metas().get(codigo="1.1").texto.startswith("Un (1) documento anual")
    assert Secretaria.objects.count() == 13
    assert SecretariaAlias.objects.count() == 13


@pytest.mark.django_db
def test_si_algo_que_la_hoja_retira_esta_protegido_no_se_guarda_nada(monkeypatch, tmp_path):
    importar_cronograma(str(SEMILLA))
    meta = Meta.objects.get(codigo="1.6")
    texto_1_5 = Meta.objects.get(codigo="1.5").texto
    hoja = tmp_path / "sin_1_6.tsv"
    hoja.write_text(SEMILLA.read_text(encoding="utf-8").replace(" 1.6. Una (1) estrategia", " Una estrategia"))

    def borrado_protegido(objeto, *args, **kwargs):
        raise ProtectedError("Hay evidencias que dependen de la meta 1.6", {objeto})

    monkeypatch.setattr(Meta, "delete", borrado_protegido)
    with pytest.raises(CommandError) as error:
        importar_cronograma(str(hoja), "--actualizar")
    assert "No se pudo actualizar el plan" in str(error.value)
    assert "Hay evidencias que dependen de la meta 1.6" in str(error.value)
    assert Meta.objects.filter(pk=meta.pk).exists()
    assert Meta.objects.get(codigo="1.5").texto == texto_1_5  # its change (it took 1.6's text) was rolled back
    assert Meta.history.filter(history_type="~").count() == 0  # nothing half-done


@pytest.mark.django_db
def test_las_secretarias_de_la_entidad_conservan_su_nombre_y_las_de_otra_no_se_tocan(salud):
    candelaria = Entidad.objects.create(nombre="Municipio de Candelaria")
    transito = Secretaria.objects.create(entidad=candelaria, nombre="Secretaría de Tránsito y Movilidad")
    SecretariaAlias.objects.create(secretaria=transito, nombre="Secretaria de Transito")
    propia = Secretaria.objects.create(entidad=candelaria, nombre="Secretaría de Salud Pública y Seguridad Social")

    salida = importar_cronograma(str(SEMILLA))

    assert "Entidad: Municipio de Candelaria\n" in salida
    assert "Secretarías responsables: 13 (11 nuevas)" in salida
    assert candelaria.secretarias.count() == 13
    estrategia = Plan.objects.get().estrategias().get(numero=1)
    assert estrategia.responsables.filter(pk__in=[transito.pk, propia.pk]).count() == 2
    nombres = set(estrategia.responsables.values_list("nombre", flat=True))
    assert "Secretaría de Tránsito" not in nombres
    # The other entity's secretaría of the same name is not used, nor changed.
    assert not estrategia.responsables.filter(pk=salud.pk).exists()
    assert salud.entidad.nombre == "Municipio de Prueba"


@pytest.mark.django_db
def test_un_archivo_que_no_es_hoja_de_calculo_termina_con_un_solo_mensaje(tmp_path):
    foto = tmp_path / "foto.xlsx"
    foto.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(CommandError) as error:
        importar_cronograma(str(foto))
    assert str(error.value).startswith("El archivo «foto.xlsx» no es una hoja de cálculo (parece una imagen PNG).")
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_una_carpeta_en_lugar_de_un_archivo(tmp_path):
    with pytest.raises(CommandError, match=r"es una carpeta, no un archivo"):
        importar_cronograma(str(tmp_path))
    assert Plan.objects.count() == 0


@pytest.mark.django_db
def test_el_comando_muestra_las_fases_sugeridas_y_las_aplica_si_se_pide():
    salida = importar_cronograma(str(SEMILLA), "--dry-run")
    assert "  - Estrategia 4: Formulación, Consulta ciudadana" in salida
    assert "  - Estrategia 6: Evaluación y seguimiento, Rendición de cuentas" in salida
    assert Plan.objects.count() == 0

    salida = importar_cronograma(str(SEMILLA))
    assert "Para etiquetarlas así use --aplicar-fases" in salida
    plan = Plan.objects.get()
    assert not any(e.fases for e in plan.estrategias())

    salida = importar_cronograma(str(SEMILLA), "--actualizar", "--aplicar-fases")
    assert "Estrategias etiquetadas con las fases sugeridas: 6." in salida
    fases = {e.numero: e.fases for e in plan.estrategias()}
    assert fases == {
        1: ["diagnostico"],
        2: ["diagnostico"],
        3: ["formulacion"],
        4: ["formulacion"],
        5: ["implementacion"],
        6: ["evaluacion"],
    }
    # Tags already set are never replaced by a later import.
    assert "etiquetadas con las fases sugeridas: 0." in importar_cronograma(
        str(SEMILLA), "--actualizar", "--aplicar-fases"
    )
