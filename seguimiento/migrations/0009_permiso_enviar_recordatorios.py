"""The coordinator sends the monthly reminders from the dashboard and reads their history."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISOS = {"Coordinador": ["enviar_recordatorios", "view_enviorecordatorios"]}


def conceder(apps, schema_editor):
    app_config = apps.get_app_config("seguimiento")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in PERMISOS.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.add(*Permission.objects.filter(content_type__app_label="seguimiento", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0008_envio_recordatorios")]

    operations = [migrations.RunPython(conceder, migrations.RunPython.noop)]
