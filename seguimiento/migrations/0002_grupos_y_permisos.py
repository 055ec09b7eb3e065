"""Seeds the grupos de valor and grants the roles their permissions on evidence."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRUPOS_VALOR = [
    "Ciudadanía en general",
    "Juntas de Acción Comunal (JAC)",
    "Jóvenes",
    "Mujeres",
    "Víctimas del conflicto armado",
    "Personas mayores",
    "Comunidades étnicas",
    "Personas con discapacidad",
    "Organizaciones sociales",
]

PERMISOS = {
    "Coordinador": [
        "revisar_evidencia",
        "ver_todas_evidencias",
        "ver_tablero",
        "descargar_reportes",
        "view_evidencia",
        "view_archivoevidencia",
        "view_cambioestado",
        "view_participaciongrupo",
        "view_grupovalor",
        "add_grupovalor",
        "change_grupovalor",
        "view_semaforo",
        "change_semaforo",
    ],
    "Comité": ["ver_todas_evidencias", "ver_tablero", "descargar_reportes", "view_evidencia"],
    "Delegado": ["add_evidencia", "change_evidencia", "delete_evidencia", "view_evidencia"],
}


def sembrar(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    GrupoValor = apps.get_model("seguimiento", "GrupoValor")
    for orden, nombre in enumerate(GRUPOS_VALOR, start=1):
        GrupoValor.objects.get_or_create(nombre=nombre, defaults={"orden": orden})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in PERMISOS.items():
        grupo, _ = Group.objects.get_or_create(name=nombre)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="seguimiento", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("seguimiento", "0001_initial"),
        ("plan_participacion", "0002_grupos"),
    ]

    operations = [migrations.RunPython(sembrar, migrations.RunPython.noop)]
