"""Plan.publicado (the Menú Participa, /participa/) and the permission to publish, for the coordinator.

Permissions are created by a post_migrate signal, after all migrations; granting one here means
creating it first (as 0002_grupos does).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

PERMISOS = {"Coordinador": ["publicar_plan"], "Administrador": ["publicar_plan"]}

# The audit trail's indexes of 0007 on the plan's history table live only in the database: SQLite
# rebuilds the table to add (or drop) a column with a default and loses them, so they are put back
# after adding the column, and before 0007 is reverted (which drops them).
INDICES_HISTORIAL = (
    ("hist_plan_fecha", "history_date, history_id"),
    ("hist_plan_usuario", "history_user_id, history_date, history_id"),
    ("hist_plan_objeto", "id, history_date, history_id"),
)


def indices_del_historial(apps, schema_editor):
    q = schema_editor.quote_name
    tabla = apps.get_model("plan_participacion", "HistoricalPlan")._meta.db_table
    for indice, columnas in INDICES_HISTORIAL:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(indice)} ON {q(tabla)} ({columnas})")


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
