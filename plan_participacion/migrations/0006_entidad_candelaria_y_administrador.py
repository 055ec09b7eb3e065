"""Existing data into one entidad, and the "Administrador" group.

Before entidades, plans and secretarías were global. They all go to one entidad named after the
most recent plan's municipio (Candelaria in every installation so far); with no plan but with
secretarías or people, to "Entidad principal" (rename it in the administration). Users who
belong to a secretaría or to the Coordinador or Comité groups get that entidad.
"""

import re
import unicodedata

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELOS_ADMINISTRADOR = [
    "entidad",
    "membresia",
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
    "Administrador": [
        *(f"{accion}_{modelo}" for modelo in MODELOS_ADMINISTRADOR for accion in ("view", "add", "change", "delete")),
        "importar_plan",
        "ver_auditoria",
        "administrar_entidades",
        "ajustar_objetivo_meta",
    ],
    "Coordinador": ["view_entidad", "ajustar_objetivo_meta"],
}
GRUPOS_CON_ENTIDAD = ["Coordinador", "Comité"]


def _clave(texto):
    # Frozen copy of models.clave_entidad: a migration must not change when the model code does.
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", texto or "") if not unicodedata.combining(c))
    clave = re.sub(r"[^a-z0-9]+", " ", sin_tildes.lower()).strip()
    prefijo = r"^(?:municipio|alcaldia(?: municipal)?|distrito(?: especial)?|gobernacion|departamento)(?: del?)? "
    return re.sub(prefijo, "", clave) or clave


def asignar_entidad(apps, schema_editor):
    Entidad = apps.get_model("plan_participacion", "Entidad")
    Membresia = apps.get_model("plan_participacion", "Membresia")
    Plan = apps.get_model("plan_participacion", "Plan")
    Secretaria = apps.get_model("plan_participacion", "Secretaria")
    SecretariaAlias = apps.get_model("plan_participacion", "SecretariaAlias")
    User = apps.get_model("auth", "User")

    plan = Plan.objects.order_by("-mes_inicio", "-pk").first()
    personas = User.objects.filter(secretarias__isnull=False) | User.objects.filter(
        groups__name__in=GRUPOS_CON_ENTIDAD
    )
    if plan is None and not Secretaria.objects.exists() and not personas.exists():
        return  # a new installation: the first import creates its entidad
    nombre = plan.municipio if plan else "Entidad principal"
    entidad = Entidad.objects.filter(nombre=nombre).first() or Entidad.objects.create(
        nombre=nombre, clave=_clave(nombre)
    )
    Plan.objects.filter(entidad__isnull=True).update(entidad=entidad)
    Secretaria.objects.filter(entidad__isnull=True).update(entidad=entidad)
    SecretariaAlias.objects.filter(entidad__isnull=True).update(entidad=entidad)
    sin_entidad = personas.filter(membresia__isnull=True).distinct()
    Membresia.objects.bulk_create(Membresia(usuario=usuario, entidad=entidad) for usuario in sin_entidad)


def crear_grupo_administrador(apps, schema_editor):
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
    # To pick a person when assigning them an entidad in the administration.
    Group.objects.get(name="Administrador").permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    )


def borrar_grupo_administrador(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Administrador").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan_participacion", "0005_entidades"),
    ]

    operations = [
        migrations.RunPython(asignar_entidad, migrations.RunPython.noop),
        migrations.RunPython(crear_grupo_administrador, borrar_grupo_administrador),
    ]
