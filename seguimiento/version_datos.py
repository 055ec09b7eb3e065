"""The "data version" of a plan: when anything its progress figures show last changed, in one query.

What progress shows moves when the plan or its structure is edited (history of the plan, lines,
objectives, strategies, metas, indicators and schedule, and the names of the entity's secretarías), when an
evidence changes state, is edited or is deleted (CambioEstado, EdicionEvidencia; a deletion
anywhere counts, since the deleted evidence no longer leads to its plan), when a period is closed,
archived or reopened, when the semáforo's thresholds change and when the day changes (the corte is
today). Every one of those changes goes through an action or the plan's history, so the same
version means the same figures. Not in it: people's names (a reviewer's, shown in Mis metas) and the
catalogue of grupos de valor, edited in the admin; cached figures show a change of those within
CACHE_SEGUNDOS.

Two uses:
- The public pages (participa): a proxy or a browser asks again with If-None-Match /
  If-Modified-Since; when nothing changed the answer is a 304 after this single query
  (``plan_publicado_con_version``).
- Staff pages that show a whole plan's figures (the dashboard, Mis metas): ``en_cache`` keeps what
  they computed and rendered under the version, so a visit while nothing changed costs this query
  and one read of the cache instead of the computation (``plan_con_version``).
"""

import datetime
import hashlib
import pickle
import zlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import DateTimeField, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from plan_participacion.models import Plan
from seguimiento.models import CambioEstado, Cierre, EdicionEvidencia, Semaforo

# Bump when the public pages or the open data change shape: cached copies must not survive a deploy.
REVISION = "3"  # 2: progress by phase of the cycle; 3: periodic metas against their total target

_POR_PLAN = {
    "v_plan": (Plan.history.model, "id", "history_date"),
    "v_lineas": ("plan_participacion.HistoricalLineaAccion", "plan_id", "history_date"),
    "v_objetivos": ("plan_participacion.HistoricalObjetivo", "linea__plan_id", "history_date"),
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
    plan = _con_marcas(Plan.objects.publicados().select_related("entidad")).filter(pk=pk).first()
    if plan is None:
        return None
    hoy = hoy or timezone.localdate()
    inicio_del_dia = timezone.make_aware(datetime.datetime(hoy.year, hoy.month, hoy.day))
    fechas = [getattr(plan, nombre) for nombre in _FECHAS if getattr(plan, nombre) is not None]
    modificado = max([inicio_del_dia, *fechas]).replace(microsecond=0)
    huella = _huella(plan.pk, hoy, [f.isoformat() for f in sorted(fechas)], plan.v_rojo, plan.v_verde)
    return Version(plan=plan, modificado=modificado, etag=huella)


# The query of plan_con_version, compiled once per process: Django takes longer to build this
# query of fifteen subqueries than the database takes to answer it.
_MARCA = -7_331_017  # stands for the plan's id in the compiled query's parameters
_compilada = {}


def plan_con_version(plan, hoy=None):
    """The data version of ``plan`` (one query), for a staff page that already checked who may see it.

    Its ``etag`` is what en_cache keys on; ``modificado`` is not computed (None).
    """
    from django.db import connection

    if connection.vendor not in _compilada:
        consulta = _con_marcas(Plan.objects.filter(pk=_MARCA)).values(*_FECHAS, "v_rojo", "v_verde")
        _compilada[connection.vendor] = consulta.query.sql_with_params()
    sql, parametros = _compilada[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.pk if p == _MARCA else p for p in parametros])
        fila = cursor.fetchone()
    *fechas, rojo, verde = fila
    # As the database gives them back (text on SQLite): only compared with themselves.
    return Version(
        plan=plan,
        modificado=None,
        etag=_huella(plan.pk, hoy or timezone.localdate(), [str(f) for f in fechas], rojo, verde),
    )


_FECHAS = [*_POR_PLAN, "v_eliminada"]


def _con_marcas(planes):
    semaforo = Semaforo.objects.order_by("pk")
    eliminadas = CambioEstado.objects.filter(estado_nuevo=CambioEstado.ELIMINADA).order_by("-fecha")
    return planes.annotate(
        **{nombre: _ultimo(*origen) for nombre, origen in _POR_PLAN.items()},
        v_rojo=Subquery(semaforo.values("rojo_menor_que")[:1]),
        v_verde=Subquery(semaforo.values("verde_desde")[:1]),
        v_eliminada=Subquery(eliminadas.values("fecha")[:1]),
    )


def _huella(pk, hoy, fechas, rojo, verde):
    texto = "|".join(str(valor) for valor in (REVISION, pk, hoy.isoformat(), *fechas, rojo, verde))
    return hashlib.sha256(texto.encode()).hexdigest()[:32]


# The version is exact for changes made one after the other. Two changes committed out of the
# order of their timestamps (an approval whose transaction began before, and ended after, another
# one's) could leave figures computed in between under the later one's version: they live at most
# this long.
CACHE_SEGUNDOS = 15 * 60
_PREFIJO = "cifras:"


def en_cache(nombre, version, partes, calcular):
    """What ``calcular()`` returns for this data ``version`` and these ``partes`` (the page's other
    inputs: corte, filters, the user when the page is personal), computed once per version.

    One entry of Django's cache (shared by every worker) per page and ``partes``, holding the
    version it was computed for and the value, pickled and compressed (rendered HTML shrinks about
    tenfold). A visit whose version is the stored one reads it; otherwise it computes and
    overwrites the entry: an approval, an edit or a new day replaces the copies instead of adding
    new ones, so the cache table does not grow with the changes (Django's database cache counts its
    rows on every write). Two workers that compute different versions at once may overwrite each
    other; the version stored with the value keeps either from being read for the other.
    """
    huella = hashlib.sha256("|".join(str(p) for p in (get_language(), *partes)).encode()).hexdigest()[:32]
    clave = f"{_PREFIJO}{nombre}:{huella}"
    guardado = cache.get(clave)
    if guardado is not None and guardado[0] == version.etag:
        return pickle.loads(zlib.decompress(guardado[1]))
    valor = calcular()
    cache.set(clave, (version.etag, zlib.compress(pickle.dumps(valor, pickle.HIGHEST_PROTOCOL), 1)), CACHE_SEGUNDOS)
    return valor


def olvidar_cifras():
    """Drop every cached figure: for what changes figures without an action or the plan's history
    (seguimiento.resumen.recalcular fixing the summary). Only the figures; counters and the public
    pages' copies stay."""
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connections, router

    if not isinstance(cache, DatabaseCache):
        cache.clear()
        return
    base = router.db_for_write(cache.cache_model_class)
    conexion = connections[base]
    tabla = conexion.ops.quote_name(cache._table)
    with conexion.cursor() as cursor:
        cursor.execute(f"DELETE FROM {tabla} WHERE cache_key LIKE %s", [cache.make_key(_PREFIJO) + "%"])  # noqa: S608
