"""What was edited in the app since the sheet was imported, read from django-simple-history.

Every history row the importer writes carries a change reason starting with MOTIVO (see
motivo()). For one field of one object, the value it has now was set by the oldest row of the
newest run of rows holding that value:
- if that row is the object's first one (created by an import, or by hand and never changed
  since), or a row written by an import, the value is the sheet's;
- otherwise someone changed it in the app (the admin, a page), and a re-import keeps it unless
  the coordinator asks for the sheet's values.
A value that differs from the newest history row was changed without history (a raw UPDATE):
that is an app edit too, by nobody known. An object with no history at all (loaded from a
fixture) has nothing that says so: its values count as the sheet's.

A re-import that keeps an app value writes no change of that field, so the edit stays the
newest change and is kept again on the next re-import.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from plan_participacion.models import Estrategia, Meta

MOTIVO = "importación"
CAMPOS_META = ("cantidad_objetivo", "periodicidad", "por_secretaria")


def motivo(archivo):
    """The change reason of the rows an import writes (history_change_reason holds 100 characters)."""
    return f"{MOTIVO}: {archivo}"[:100] if archivo else MOTIVO


def es_de_importacion(razon):
    return (razon or "").startswith(MOTIVO)


@dataclass(frozen=True)
class Edicion:
    """A value set in the app: what it is, who set it and when (None when unknown)."""

    valor: object
    usuario: str = ""
    fecha: datetime.datetime | None = None


def _nombre(fila):
    completo = f"{fila.get('history_user__first_name') or ''} {fila.get('history_user__last_name') or ''}".strip()
    return completo or fila.get("history_user__username") or ""


def _edicion(filas, valor_de, actual):
    """The Edicion that set ``actual``, or None when the sheet set it (filas: newest first)."""
    if not filas:
        return None  # no history at all (loaded from a fixture): nothing says the app changed it
    if valor_de(filas[0]) != actual:
        return Edicion(actual)
    k = 0
    while k + 1 < len(filas) and valor_de(filas[k + 1]) == actual:
        k += 1
    fila = filas[k]
    if k == len(filas) - 1 or es_de_importacion(fila["history_change_reason"]):
        return None
    return Edicion(actual, _nombre(fila), fila["history_date"])


_QUIEN = ("history_change_reason", "history_date", "history_user__first_name", "history_user__last_name")


def ediciones_de_metas(metas):
    """{meta pk: {field: Edicion}} for the target fields (CAMPOS_META) edited in the app."""
    filas = defaultdict(list)
    historia = (
        Meta.history.filter(id__in=[m.pk for m in metas])
        .order_by("id", "-history_date", "-history_id")
        .values("id", *CAMPOS_META, *_QUIEN, "history_user__username")
    )
    for fila in historia:
        filas[fila["id"]].append(fila)
    ediciones = {}
    for meta in metas:
        propias = {}
        for campo in CAMPOS_META:
            edicion = _edicion(filas[meta.pk], lambda fila, campo=campo: fila[campo], getattr(meta, campo))
            if edicion is not None:
                propias[campo] = edicion
        if propias:
            ediciones[meta.pk] = propias
    return ediciones


def ediciones_de_responsables(responsables_actuales):
    """{estrategia pk: Edicion(frozenset of secretaría pks)} for responsables set in the app.

    responsables_actuales is {estrategia pk: frozenset of secretaría pks} as they are now.
    """
    ids = list(responsables_actuales)
    filas = defaultdict(list)
    historia = (
        Estrategia.history.filter(id__in=ids)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_id", *_QUIEN, "history_user__username")
    )
    for fila in historia:
        filas[fila["id"]].append(fila)
    HistoricoResponsable = Estrategia.history.model.responsables.model
    conjuntos = defaultdict(set)
    for history_id, secretaria_id in HistoricoResponsable.objects.filter(history__id__in=ids).values_list(
        "history_id", "secretaria_id"
    ):
        conjuntos[history_id].add(secretaria_id)
    ediciones = {}
    for pk, actuales in responsables_actuales.items():
        edicion = _edicion(filas[pk], lambda fila: frozenset(conjuntos[fila["history_id"]]), actuales)
        if edicion is not None:
            ediciones[pk] = edicion
    return ediciones
