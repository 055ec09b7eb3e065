"""An index for the review queue: evidence sent, oldest first, read 25 at a time from an index.

The queue (seguimiento/views/revision.py) orders sent evidence by enviada_en with NULLs first.
PostgreSQL can walk an index in that order only if the index says NULLS FIRST, which Django's
Index cannot say portably (SQLite refuses it, and already puts NULLs first in ascending order):
so the index is written per database and lives outside the model state.
"""

from django.db import migrations

NOMBRE = "evidencia_cola_revision"


def crear(apps, schema_editor):
    tabla = schema_editor.quote_name(apps.get_model("seguimiento", "Evidencia")._meta.db_table)
    nulos = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX {schema_editor.quote_name(NOMBRE)} ON {tabla} (enviada_en ASC{nulos}, id) WHERE estado = 'enviada'"
    )


def borrar(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(NOMBRE)}")


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0012_indices_auditoria")]

    operations = [migrations.RunPython(crear, borrar)]
