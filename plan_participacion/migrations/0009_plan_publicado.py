"""Plan.publicado (the Menú Participa, /participa/) and the permission to publish, for the coordinator.

Permissions are created by a post_migrate signal, after all migrations; granting one here means
creating it first (as 0002_grupos does).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from plan_participacion.indices_historial import asegurar

PERMISOS = {"Coordinador": ["publicar_plan"], "Administrador": ["publicar_plan"]}

def indices_del_historial(apps, schema_editor):
    """SQLite rebuilds the history table to add (or drop) the column and loses 0007's indexes: put them back."""
    asegurar(apps, schema_editor, "HistoricalPlan")


def conceder(apps, schema_editor):
    app_config = apps.get_app_config("plan_participacion")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for nombre, codenames in PERMISOS.items():
        grupo = Group.objects.filter(name=nombre).first()
        if grupo is not None:
            grupo.permissions.add(
                *Permission.objects.filter(content_type__app_label="plan_participacion", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('plan_participacion', '0008_entidad_obligatoria'),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, indices_del_historial),
        migrations.AlterModelOptions(
            name='plan',
            options={'ordering': ['-mes_inicio', 'municipio'], 'permissions': [('importar_plan', 'Puede importar el cronograma desde Excel'), ('ver_auditoria', 'Puede ver la auditoría de cambios del plan y de las evidencias'), ('publicar_plan', 'Puede publicar o retirar el plan del Menú Participa')], 'verbose_name': 'plan', 'verbose_name_plural': 'planes'},
        ),
        migrations.AddField(
            model_name='historicalplan',
            name='publicado',
            field=models.BooleanField(default=False, editable=False, help_text='Visible sin cuenta en /participa/ con sus datos abiertos.', verbose_name='publicado en el Menú Participa'),
        ),
        migrations.AddField(
            model_name='plan',
            name='publicado',
            field=models.BooleanField(default=False, editable=False, help_text='Visible sin cuenta en /participa/ con sus datos abiertos.', verbose_name='publicado en el Menú Participa'),
        ),
        migrations.RunPython(indices_del_historial, migrations.RunPython.noop),
        migrations.RunPython(conceder, migrations.RunPython.noop),
    ]
