"""Indexes for the audit trail's keyset pages over the plan's history tables (seguimiento.auditoria).

django-simple-history builds the historical models and offers no option for these indexes, so
they live only in the database: the model state is unchanged and makemigrations stays quiet.
Each page reads, per table, the rows just before a cursor ordered by (history_date, history_id),
optionally only one user's, and for each plan change on the page the object's previous version:
all three become index scans.
"""

from django.db import migrations

from plan_participacion.indices_historial import indices

HISTORICOS = (
    "HistoricalPlan",
    "HistoricalLineaAccion",
    "HistoricalObjetivo",
    "HistoricalEstrategia",
    "HistoricalMeta",
    "HistoricalIndicador",
    "HistoricalProgramacionMensual",
    "HistoricalSecretaria",
)


def crear(apps, schema_editor):
    q = schema_editor.quote_name
    for indice, tabla, columnas in indices(apps, *HISTORICOS):
        schema_editor.execute(f"CREATE INDEX {q(indice)} ON {q(tabla)} ({columnas})")


def borrar(apps, schema_editor):
    for indice, _tabla, _columnas in indices(apps, *HISTORICOS):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(indice)}")


class Migration(migrations.Migration):
    dependencies = [("plan_participacion", "0006_entidad_candelaria_y_administrador")]

    operations = [migrations.RunPython(crear, borrar)]
