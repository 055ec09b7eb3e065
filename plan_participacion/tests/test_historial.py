"""History of the plan (django-simple-history): who changed what in the admin, and who imported it."""

import pytest
from django.urls import reverse

from plan_participacion.importer import importar
from plan_participacion.models import Estrategia, Meta, Plan, Secretaria
from plan_participacion.tests.test_importer_semilla import SEMILLA


@pytest.mark.django_db
def test_editar_una_meta_en_la_administracion_deja_quien_y_que_cambio(client, coordinador, plan_pequeno):
    meta = plan_pequeno.metas().get(codigo="1.2")
    client.force_login(coordinador)
    datos = {
        "estrategia": meta.estrategia_id,
        "codigo": "1.2",
        "orden": 2,
        "texto": "Diez (10) reuniones.",
        "cantidad_objetivo": 10,
        "periodicidad": "anual",
        "indicadores-TOTAL_FORMS": 0,
        "indicadores-INITIAL_FORMS": 0,
    }
    indicador = meta.indicadores.get()
    datos.update(
        {
            "indicadores-TOTAL_FORMS": 1,
            "indicadores-INITIAL_FORMS": 1,
            "indicadores-0-id": indicador.pk,
            "indicadores-0-meta": meta.pk,
            "indicadores-0-codigo": indicador.codigo,
            "indicadores-0-texto": indicador.texto,
        }
    )
    respuesta = client.post(reverse("admin:plan_participacion_meta_change", args=[meta.pk]), datos)
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]

    ultimo = meta.history.latest()
    assert ultimo.history_type == "~"
    assert ultimo.history_user == coordinador
    cambios = {c.field for c in ultimo.diff_against(ultimo.prev_record).changes}
    assert cambios == {"texto", "cantidad_objetivo", "periodicidad"}

    historial = client.get(reverse("admin:plan_participacion_meta_history", args=[meta.pk]))
    assert historial.status_code == 200
    assert "carolina.coordinadora" in historial.content.decode()


@pytest.mark.django_db
def test_cambiar_los_responsables_queda_en_el_historial(client, coordinador, plan_pequeno, hacienda, salud):
    estrategia = plan_pequeno.estrategias().get(numero=1)
    client.force_login(coordinador)
    datos = {
        "objetivo": estrategia.objetivo_id,
        "numero": 1,
        "texto": estrategia.texto,
        "responsables": [hacienda.pk],
        "metas-TOTAL_FORMS": 0,
        "metas-INITIAL_FORMS": 0,
        "programacion-TOTAL_FORMS": 0,
        "programacion-INITIAL_FORMS": 0,
    }
    respuesta = client.post(reverse("admin:plan_participacion_estrategia_change", args=[estrategia.pk]), datos)
    assert respuesta.status_code == 302, respuesta.content.decode()[:2000]
    ultimo = estrategia.history.latest()
    assert ultimo.history_user == coordinador
    assert [r.secretaria_id for r in ultimo.responsables.all()] == [hacienda.pk]
    assert {r.secretaria_id for r in ultimo.prev_record.responsables.all()} <= {salud.pk, hacienda.pk}


@pytest.mark.django_db
def test_la_importacion_deja_historial_a_nombre_de_quien_importa(coordinadora_candelaria):
    importar(SEMILLA, usuario=coordinadora_candelaria)

    plan = Plan.objects.get()
    assert plan.history.get().history_user == coordinadora_candelaria
    assert plan.history.get().history_change_reason == "importación: seed_candelaria.tsv"
    assert Meta.history.filter(history_type="+", history_user=coordinadora_candelaria).count() == 28
    assert Secretaria.history.filter(history_user=coordinadora_candelaria).count() == 13
    estrategia = Estrategia.objects.get(numero=5)
    historica = estrategia.history.get()
    assert {r.secretaria_id for r in historica.responsables.all()} == set(
        estrategia.responsables.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_actualizar_el_plan_deja_los_cambios_a_nombre_de_quien_importa(coordinadora_candelaria, tmp_path):
    importar(SEMILLA)
    hoja = tmp_path / "version_2.tsv"
    hoja.write_text(SEMILLA.read_text(encoding="utf-8").replace("Versión: 1", "Versión: 2"), encoding="utf-8")

    importar(hoja, actualizar=True, usuario=coordinadora_candelaria)

    assert not Plan.history.filter(history_type="-").exists()  # a merge, never a delete-and-create
    cambio = Plan.history.filter(history_type="~").get()
    assert (cambio.history_user, cambio.version) == (coordinadora_candelaria, "2")
    assert cambio.history_change_reason == "importación: version_2.tsv"


@pytest.mark.django_db
def test_una_simulacion_no_deja_historial():
    importar(SEMILLA, dry_run=True)
    assert not Plan.history.exists()
    assert not Meta.history.exists()
