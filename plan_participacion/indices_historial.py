"""The audit trail's indexes on the plan's history tables, defined once for the migrations that need them.

django-simple-history builds the historical models and offers no option for these indexes, so they
live only in the database (plan_participacion 0007 creates them). Adding a column with a default to
a history model makes SQLite rebuild its table and lose them: a migration that does that calls
``asegurar`` for that model after adding the column (and, reversed, after dropping it).
"""


def indices(apps, *modelos):
    """(index, table, columns) of each historical model named, e.g. "HistoricalPlan"."""
    for nombre in modelos:
        tabla = apps.get_model("plan_participacion", nombre)._meta.db_table
        corto = nombre.removeprefix("Historical").lower()[:20]
        yield f"hist_{corto}_fecha", tabla, "history_date, history_id"
        yield f"hist_{corto}_usuario", tabla, "history_user_id, history_date, history_id"
        # "What did this object look like just before?" (to show which fields changed): one index probe.
        yield f"hist_{corto}_objeto", tabla, "id, history_date, history_id"


def asegurar(apps, schema_editor, *modelos):
    """Create the indexes of these models where missing (PostgreSQL keeps them; SQLite may have lost them)."""
    q = schema_editor.quote_name
    for indice, tabla, columnas in indices(apps, *modelos):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(indice)} ON {q(tabla)} ({columnas})")
