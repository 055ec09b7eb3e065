"""The coordinator (and the administrator) manage their entidad's team at /equipo/."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRUPOS = ["Coordinador", "Administrador"]


def conceder(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permiso = Permission.objects.get(content_type__app_label="equipo", codename="gestionar_equipo")
    for nombre in GRUPOS:
        Group.objects.get_or_create(name=nombre)[0].permissions.add(permiso)


def quitar(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permiso in Permission.objects.filter(content_type__app_label="equipo", codename="gestionar_equipo"):
        permiso.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("equipo", "0001_cambios_del_equipo"),
        ("plan_participacion", "0006_entidad_candelaria_y_administrador"),
    ]

    operations = [migrations.RunPython(conceder, quitar)]
