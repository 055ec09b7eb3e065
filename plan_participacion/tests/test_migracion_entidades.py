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
