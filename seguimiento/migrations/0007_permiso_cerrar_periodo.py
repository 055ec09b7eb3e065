"""The coordinator closes and reopens periods; the admin's read-only views of closings for both roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISOS = {
    "Coordinador": ["cerrar_periodo", "view_cierre", "view_documentofirmado", "view_edicionevidencia"],
    "Comité": ["view_cierre", "view_documentofirmado"],
}


def conceder(apps, schema_editor):
    app_config = apps.get_app_config("seguimiento")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in PERMISOS.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="seguimiento", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("seguimiento", "0006_cierres_firmados_y_ediciones"),
    ]

    operations = [migrations.RunPython(conceder, migrations.RunPython.noop)]
