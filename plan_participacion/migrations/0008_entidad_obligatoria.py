"""Every plan, secretaría and alias belongs to an entidad: the columns become NOT NULL.

0006 put the rows that existed then into one entidad. Rows written since without one (none are
expected: the importer and the forms always set it) get one first: a plan, the entidad named
after its municipio; a secretaría, that of a plan whose strategies name it, else the entidad of
the most recent plan; an alias, its secretaría's. Only the tables of the models change (SQLite
rebuilds them); the history tables keep their nullable column, and with it the raw indexes of
0007 (plan_participacion/tests/test_migracion_entidades.py checks they are still there).
"""

import re
import unicodedata

import django.db.models.deletion
from django.db import migrations, models


def clave_entidad(texto):
    # Frozen copy of models.clave_entidad (as in 0006): a migration must not change when the model code does.
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", texto or "") if not unicodedata.combining(c))
    clave = re.sub(r"[^a-z0-9]+", " ", sin_tildes.lower()).strip()
    prefijo = r"^(?:municipio|alcaldia(?: municipal)?|distrito(?: especial)?|gobernacion|departamento)(?: del?)? "
    return re.sub(prefijo, "", clave) or clave


def completar(apps, schema_editor):
    Entidad = apps.get_model("plan_participacion", "Entidad")
    Plan = apps.get_model("plan_participacion", "Plan")
    Secretaria = apps.get_model("plan_participacion", "Secretaria")
    SecretariaAlias = apps.get_model("plan_participacion", "SecretariaAlias")
    for plan in Plan.objects.filter(entidad__isnull=True):
        entidad = Entidad.objects.filter(nombre=plan.municipio).first() or Entidad.objects.create(
            nombre=plan.municipio, clave=clave_entidad(plan.municipio)
        )
        Plan.objects.filter(pk=plan.pk).update(entidad=entidad)
    reciente = Plan.objects.order_by("-mes_inicio", "-pk").values_list("entidad_id", flat=True).first()
    for secretaria in Secretaria.objects.filter(entidad__isnull=True):
        entidad_id = (
            Plan.objects.filter(lineas__objetivos__estrategias__responsables=secretaria)
            .values_list("entidad_id", flat=True)
            .first()
            or reciente
        )
        if entidad_id is None:
            entidad_id = Entidad.objects.get_or_create(
                nombre="Entidad principal", defaults={"clave": "entidad principal"}
            )[0].pk
        Secretaria.objects.filter(pk=secretaria.pk).update(entidad_id=entidad_id)
    for alias in SecretariaAlias.objects.filter(entidad__isnull=True).select_related("secretaria"):
        SecretariaAlias.objects.filter(pk=alias.pk).update(entidad_id=alias.secretaria.entidad_id)
    if schema_editor.connection.vendor == "postgresql":
        # The updates above leave deferred foreign-key checks pending, and PostgreSQL refuses to
        # ALTER a table with pending trigger events in the same transaction: run the checks now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("plan_participacion", "0007_indices_auditoria_historial")]

    operations = [
        migrations.RunPython(completar, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plan",
            name="entidad",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="planes",
                to="plan_participacion.entidad",
                verbose_name="entidad",
            ),
        ),
        migrations.AlterField(
            model_name="secretaria",
            name="entidad",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="secretarias",
                to="plan_participacion.entidad",
                verbose_name="entidad",
            ),
        ),
        migrations.AlterField(
            model_name="secretariaalias",
            name="entidad",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="plan_participacion.entidad",
                verbose_name="entidad",
            ),
        ),
    ]
