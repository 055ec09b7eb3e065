"""The coordinator imports the cronograma from the command line: summary, warnings, refusals."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from plan_participacion.models import Meta, Plan, Secretaria, SecretariaAlias

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
        "Advertencias (3):",
        "  - fila 13, columna U: hay un número («3») en la columna FORTALEZAS, fuera de los meses del cronograma; "
        "no se tomó como programación ni como fortaleza.",
        "Plan importado: Municipio de Candelaria, ",
    ]:
        assert linea in salida


@pytest.mark.django_db
def test_la_simulacion_no_guarda_nada():
    salida = importar_cronograma(str(SEMILLA), "--dry-run")

    assert "Metas: 28" in salida
    assert "Simulación (--dry-run): el archivo se puede importar; no se guardó nada." in salida
    assert Plan.objects.count() == 0
    assert Secretaria.objects.count() == 0
    assert SecretariaAlias.objects.count() == 0
    assert Meta.objects.count() == 0


@pytest.mark.django_db
def test_importar_dos_veces_el_mismo_plan_se_rechaza():
    importar_cronograma(str(SEMILLA))
    with pytest.raises(CommandError) as error:
        importar_cronograma(str(SEMILLA))
    assert str(error.value).startswith("Ya existe el plan Municipio de Candelaria")
    assert str(error.value).endswith("Para reemplazarlo use --reemplazar.")
    assert Plan.objects.count() == 1
    # A dry run tells the same thing before anyone tries for real.
    with pytest.raises(CommandError, match="Ya existe el plan"):
        importar_cronograma(str(SEMILLA), "--dry-run")


@pytest.mark.django_db
def test_reemplazar_borra_el_plan_anterior_y_lo_crea_de_nuevo():
    importar_cronograma(str(SEMILLA))
    anterior = Plan.objects.get()
    anterior.metas().filter(codigo="1.1").update(texto="Editado a mano")

    salida = importar_cronograma(str(SEMILLA), "--reemplazar")

    assert "Plan importado (reemplazó al anterior)" in salida
    assert "Secretarías responsables: 13 (0 nuevas)" in salida
    plan = Plan.objects.get()
    assert plan.pk != anterior.pk
    assert plan.metas().count() == 28
    assert plan.metas().get(codigo="1.1").texto.startswith("Un (1) documento anual")
    assert Secretaria.objects.count() == 13
    assert SecretariaAlias.objects.count() == 13


@pytest.mark.django_db
def test_reemplazar_un_plan_con_evidencias_protegidas_se_rechaza(monkeypatch):
    importar_cronograma(str(SEMILLA))
    meta = Meta.objects.first()

    def borrado_protegido(plan, *args, **kwargs):
        raise ProtectedError("evidencias", {meta})

    monkeypatch.setattr(Plan, "delete", borrado_protegido)
    with pytest.raises(CommandError) as error:
        importar_cronograma(str(SEMILLA), "--reemplazar")
    assert "No se puede reemplazar el plan Municipio de Candelaria" in str(error.value)
    assert "1 registro(s) que dependen de él" in str(error.value)
    assert Plan.objects.count() == 1
    assert Meta.objects.count() == 28


@pytest.mark.django_db
def test_las_secretarias_que_ya_existen_conservan_su_nombre(salud):
    transito = Secretaria.objects.create(nombre="Secretaría de Tránsito y Movilidad")
    SecretariaAlias.objects.create(secretaria=transito, nombre="Secretaria de Transito")

    salida = importar_cronograma(str(SEMILLA))

    assert "Secretarías responsables: 13 (11 nuevas)" in salida
    assert Secretaria.objects.count() == 13
    estrategia = Plan.objects.get().estrategias().get(numero=1)
    nombres = set(estrategia.responsables.values_list("nombre", flat=True))
    assert {"Secretaría de Salud Pública y Seguridad Social", "Secretaría de Tránsito y Movilidad"} <= nombres
    assert "Secretaría de Tránsito" not in nombres


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
