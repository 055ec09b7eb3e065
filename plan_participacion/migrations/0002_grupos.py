"""The three roles as Django Groups, each with the permissions on the plan it needs.

Permissions are created by a post_migrate signal, after all migrations; a
data migration that grants them has to create them first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELOS_PLAN = [
    "plan",
    "lineaaccion",
    "objetivo",
    "estrategia",
    "meta",
    "indicador",
    "secretaria",
    "secretariaalias",
    "programacionmensual",
]

PERMISOS = {
    "Coordinador": [f"{accion}_{modelo}" for modelo in MODELOS_PLAN for accion in ("view", "add", "change", "delete")]
    + ["importar_plan"],
    "Comité": [f"view_{modelo}" for modelo in MODELOS_PLAN],
    "Delegado": [f"view_{modelo}" for modelo in MODELOS_PLAN],
}


def crear_grupos(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in PERMISOS.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="plan_participacion", codename__in=codenames)
        )


def borrar_grupos(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISOS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan_participacion", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(crear_grupos, borrar_grupos)]
