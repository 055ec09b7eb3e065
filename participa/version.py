"""The "data version" of a published plan: when anything its public pages show last changed, in one query.

A proxy or a browser asks again with If-None-Match / If-Modified-Since; when nothing changed the
answer is a 304 after this single query, without computing any progress. What the pages show moves
when the plan or its structure is edited (history of the plan, lines, strategies, metas, indicators
and schedule, and the names of the entity's secretarías), when an evidence changes state or is edited (CambioEstado,
EdicionEvidencia), when a
period is closed, archived or reopened, when the semáforo's thresholds change and when the day
changes (the corte is today).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import DateTimeField, OuterRef, Subquery
from django.utils import timezone

from plan_participacion.models import Plan
from seguimiento.models import CambioEstado, Cierre, EdicionEvidencia, Semaforo

# Bump when the public pages or the open data change shape: cached copies must not survive a deploy.
REVISION = "3"  # 2: progress by phase of the cycle; 3: periodic metas against their total target

_POR_PLAN = {
    "v_plan": (Plan.history.model, "id", "history_date"),
    "v_lineas": ("plan_participacion.HistoricalLineaAccion", "plan_id", "history_date"),
    "v_estrategias": ("plan_participacion.HistoricalEstrategia", "objetivo__linea__plan_id", "history_date"),
    "v_metas": ("plan_participacion.HistoricalMeta", "estrategia__objetivo__linea__plan_id", "history_date"),
    "v_indicadores": (
        "plan_participacion.HistoricalIndicador",
        "meta__estrategia__objetivo__linea__plan_id",
        "history_date",
    ),
    "v_programacion": (
        "plan_participacion.HistoricalProgramacionMensual",
        "estrategia__objetivo__linea__plan_id",
        "history_date",
    ),
    "v_secretarias": ("plan_participacion.HistoricalSecretaria", "entidad_id", "history_date", "entidad_id"),
    "v_estados": (CambioEstado, "evidencia__meta__estrategia__objetivo__linea__plan_id", "fecha"),
    "v_ediciones": (EdicionEvidencia, "evidencia__meta__estrategia__objetivo__linea__plan_id", "fecha"),
    "v_cerrado": (Cierre, "plan_id", "cerrado_en"),
    "v_archivado": (Cierre, "plan_id", "archivado_en"),
    "v_reabierto": (Cierre, "plan_id", "reabierto_en"),
}


def _modelo(referencia):
    if isinstance(referencia, str):
        from django.apps import apps

        return apps.get_model(referencia)
    return referencia


def _ultimo(modelo, ruta, campo, del_plan="pk"):
    filas = _modelo(modelo).objects.filter(**{ruta: OuterRef(del_plan), f"{campo}__isnull": False})
    return Subquery(filas.order_by(f"-{campo}").values(campo)[:1], output_field=DateTimeField())


@dataclass(frozen=True)
class Version:
    plan: Plan
    modificado: object  # aware datetime: the latest change of what the pages show, at least today's start
    etag: str


def plan_publicado_con_version(pk, hoy=None):
    """The published plan ``pk`` with its data version (one query), or None (not published, not there)."""
    semaforo = Semaforo.objects.order_by("pk")
    plan = (
        Plan.objects.publicados()
        .select_related("entidad")
        .annotate(
            **{nombre: _ultimo(*origen) for nombre, origen in _POR_PLAN.items()},
            v_rojo=Subquery(semaforo.values("rojo_menor_que")[:1]),
            v_verde=Subquery(semaforo.values("verde_desde")[:1]),
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        return None
    hoy = hoy or timezone.localdate()
    inicio_del_dia = timezone.make_aware(datetime.datetime(hoy.year, hoy.month, hoy.day))
    fechas = [getattr(plan, nombre) for nombre in _POR_PLAN if getattr(plan, nombre) is not None]
    modificado = max([inicio_del_dia, *fechas]).replace(microsecond=0)
    huella = "|".join(
        str(valor)
        for valor in (
            REVISION,
            plan.pk,
            hoy.isoformat(),
            *(f.isoformat() for f in sorted(fechas)),
            plan.v_rojo,
            plan.v_verde,
        )
    )
    return Version(plan=plan, modificado=modificado, etag=hashlib.sha256(huella.encode()).hexdigest()[:32])
