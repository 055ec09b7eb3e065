"""The data migration puts an installation's existing plan, secretarías and people into one entidad."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ANTES = [("plan_participacion", "0004_historial_y_auditoria"), ("equipo", None)]


def migrar(destino):
    """Migrate to destino ([(app, migration or None)]) and return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(destino)
    return executor.loader.project_state([nodo for nodo in destino if nodo[1] is not None]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_los_datos_de_antes_quedan_en_la_entidad_del_municipio_del_plan():
    apps = migrar(ANTES)
    Plan = apps.get_model("plan_participacion", "Plan")
    Secretaria = apps.get_model("plan_participacion", "Secretaria")
    SecretariaAlias = apps.get_model("plan_participacion", "SecretariaAlias")
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    for inicio in (datetime.date(2021, 1, 1), datetime.date(2022, 10, 1)):
        Plan.objects.create(
            municipio="Municipio de Candelaria",
            titulo="Cronograma",
            mes_inicio=inicio,
            mes_fin=inicio.replace(month=12),
        )
    salud = Secretaria.objects.create(nombre="Secretaría de Salud", clave="secretaria de salud")
    SecretariaAlias.objects.create(secretaria=salud, nombre="Secretaria de Salud", clave="secretaria de salud")
    delegada = User.objects.create(username="delegada")
    salud.delegados.add(delegada)
    coordinadora = User.objects.create(username="coordinadora")
    coordinadora.groups.add(Group.objects.get(name="Coordinador"))
    User.objects.create(username="sin.rol")

    apps = migrar(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Entidad = apps.get_model("plan_participacion", "Entidad")
    (entidad,) = Entidad.objects.all()
    assert (entidad.nombre, entidad.clave) == ("Municipio de Candelaria", "candelaria")
    assert set(apps.get_model("plan_participacion", "Plan").objects.values_list("entidad", flat=True)) == {entidad.pk}
    assert apps.get_model("plan_participacion", "Secretaria").objects.get().entidad_id == entidad.pk
    assert apps.get_model("plan_participacion", "SecretariaAlias").objects.get().entidad_id == entidad.pk
    miembros = apps.get_model("plan_participacion", "Membresia").objects.values_list("usuario__username", "entidad")
    assert sorted(miembros) == [("coordinadora", entidad.pk), ("delegada", entidad.pk)]
    administrador = apps.get_model("auth", "Group").objects.get(name="Administrador")
    assert administrador.permissions.filter(codename="administrar_entidades").exists()
    coordinador = apps.get_model("auth", "Group").objects.get(name="Coordinador")
    assert coordinador.permissions.filter(codename="gestionar_equipo").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_una_instalacion_nueva_no_recibe_ninguna_entidad():
    migrar(ANTES)
    apps = migrar(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert not apps.get_model("plan_participacion", "Entidad").objects.exists()


def indices_de_historial():
    """Names of the raw indexes of 0007 present in the database."""
    with connection.cursor() as cursor:
        tablas = [
            t for t in connection.introspection.table_names(cursor) if t.startswith("plan_participacion_historical")
        ]
        return {
            nombre
            for tabla in tablas
            for nombre, datos in connection.introspection.get_constraints(cursor, tabla).items()
            if datos["index"] and nombre.startswith("hist_")
        }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0008_completa_lo_que_falte_y_la_entidad_queda_obligatoria_sin_perder_los_indices():
    apps = migrar([("plan_participacion", "0007_indices_auditoria_historial")])
    indices = indices_de_historial()
    assert len(indices) == 24  # 8 history tables × 3 indexes
    Entidad = apps.get_model("plan_participacion", "Entidad")
    Plan = apps.get_model("plan_participacion", "Plan")
    Secretaria = apps.get_model("plan_participacion", "Secretaria")
    SecretariaAlias = apps.get_model("plan_participacion", "SecretariaAlias")
    pradera = Entidad.objects.create(nombre="Municipio de Pradera", clave="pradera")
    huerfano = Plan.objects.create(
        municipio="Municipio de Florida",
        titulo="Cronograma",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2024, 12, 1),
    )
    del_plan = Plan.objects.create(
        entidad=pradera,
        municipio="Municipio de Pradera",
        titulo="Cronograma",
        mes_inicio=datetime.date(2023, 1, 1),
        mes_fin=datetime.date(2023, 12, 1),
    )
    linea = del_plan.lineas.create(numero=1, nombre="Línea")
    estrategia = linea.objetivos.create(texto="Objetivo").estrategias.create(numero=1, texto="Estrategia")
    salud = Secretaria.objects.create(nombre="Secretaría de Salud", clave="secretaria de salud")
    estrategia.responsables.add(salud)
    SecretariaAlias.objects.create(secretaria=salud, nombre="Secretaria de Salud", clave="secretaria de salud")

    apps = migrar(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Plan = apps.get_model("plan_participacion", "Plan")
    assert Plan.objects.get(pk=huerfano.pk).entidad.nombre == "Municipio de Florida"
    assert apps.get_model("plan_participacion", "Secretaria").objects.get().entidad_id == pradera.pk
    assert apps.get_model("plan_participacion", "SecretariaAlias").objects.get().entidad_id == pradera.pk
    for modelo in ("Plan", "Secretaria", "SecretariaAlias"):
        assert not apps.get_model("plan_participacion", modelo)._meta.get_field("entidad").null
    assert indices_de_historial() == indices  # SQLite rebuilt the tables of the models, not the history's
