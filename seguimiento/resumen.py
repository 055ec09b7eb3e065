"""The summary of approved evidence per (meta, secretaría, month), kept by the actions and read by avance.

Progress at a cut-off must cost the same at 500 or 50,000 evidences. Instead of adding up every
approved evidence on each page, seguimiento.ResumenAprobado holds, for each meta, secretariat
and month, how many approved evidences there are (executed activities count rows) and the sum
of their quantities (progress sums quantities), plus their participants; ResumenGrupo holds
the participants by grupo de valor.

Keeping it (inside the action's transaction, after the action locked the evidence)
    ``sumar(evidencia)``   the evidence has just become approved (acciones.aprobar);
    ``restar(evidencia)``  an approved evidence stops counting, or is about to change
                           (call it with the values that were counted, then ``sumar`` the new ones).
Each locks the summary row of the evidence's (meta, secretaría, month) with SELECT … FOR UPDATE
(creating it the first time; an INSERT that loses a race with another one falls back to locking
the winner's row), so two approvals of the same row wait for each other instead of losing one.
A row with no approved evidence left is deleted.

Reading it (avance.py)
    ``aprobado_al_corte(plan, corte)`` reads whole months from the summary, up to and including
    the corte's month, and subtracts the approved evidence dated after the corte in that same
    month, read directly. Evidence cannot be dated in the future, so with the default corte
    (today) that direct read finds nothing; a corte inside a past month reads that month's tail.

Checking it
    ``diferencias()`` compares the summary with a recomputation from the evidence;
    ``recalcular()`` rewrites it from the evidence and returns what was different
    (``manage.py recalcular_resumen``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from plan_participacion.models import primer_dia, ultimo_dia
from seguimiento import version_datos
from seguimiento.models import Evidencia, ParticipacionGrupo, ResumenAprobado, ResumenGrupo

# Counted per evidence, besides the evidence itself ("evidencias") and its "cantidad".
PARTICIPANTES = (
    "participantes_total",
    "mujeres",
    "hombres",
    "otro_sexo",
    "edad_0_17",
    "edad_18_28",
    "edad_29_59",
    "edad_60_mas",
)
CIFRAS = ("evidencias", "cantidad", *PARTICIPANTES)


# ---- keeping it --------------------------------------------------------------------------------


def sumar(evidencia):
    """Count an evidence that has just been approved. Inside the action's transaction."""
    _aplicar(evidencia, 1)


def restar(evidencia):
    """Stop counting an approved evidence (with the values that were counted). Inside the action's transaction."""
    _aplicar(evidencia, -1)


def _cifras(evidencia):
    return {"evidencias": 1, "cantidad": evidencia.cantidad, **{c: getattr(evidencia, c) for c in PARTICIPANTES}}


def _aplicar(evidencia, signo):
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "resumen.sumar y resumen.restar van dentro de la transacción de la acción que cambia la evidencia."
        )
    clave = {
        "meta_id": evidencia.meta_id,
        "secretaria_id": evidencia.secretaria_id,
        "mes": primer_dia(evidencia.fecha_actividad),
    }
    fila = _fila_bloqueada(clave, crear=signo > 0)
    if fila is None:
        raise ValueError(f"No hay resumen que restar para {clave}: ejecute manage.py recalcular_resumen.")
    for campo, valor in _cifras(evidencia).items():
        setattr(fila, campo, getattr(fila, campo) + signo * valor)
    if fila.evidencias == 0:
        fila.delete()  # and its grupos
        return
    fila.save(update_fields=CIFRAS)
    grupos = dict(evidencia.participacion_grupos.filter(cantidad__gt=0).values_list("grupo_id", "cantidad"))
    if grupos:
        _aplicar_grupos(fila, grupos, signo)


def _fila_bloqueada(clave, *, crear):
    filas = ResumenAprobado.objects.select_for_update()
    fila = filas.filter(**clave).first()
    if fila is not None or not crear:
        return fila
    try:
        with transaction.atomic():  # a savepoint: losing the race to insert must not undo the action
            return ResumenAprobado.objects.create(**clave)
    except IntegrityError:
        return filas.get(**clave)


def _aplicar_grupos(fila, grupos, signo):
    # The summary row is locked: nobody else changes its grupos until the action commits.
    existentes = {g.grupo_id: g for g in fila.grupos.filter(grupo_id__in=grupos)}
    cambiados, nuevos, vacios = [], [], []
    for grupo_id, participantes in grupos.items():
        existente = existentes.get(grupo_id)
        if existente is None:
            nuevos.append(ResumenGrupo(resumen=fila, grupo_id=grupo_id, participantes=signo * participantes))
            continue
        existente.participantes += signo * participantes
        (cambiados if existente.participantes else vacios).append(existente)
    if cambiados:
        ResumenGrupo.objects.bulk_update(cambiados, ["participantes"])
    if nuevos:
        ResumenGrupo.objects.bulk_create(nuevos)
    if vacios:
        ResumenGrupo.objects.filter(pk__in=[g.pk for g in vacios]).delete()


# ---- reading it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AprobadoAlCorte:
    """Approved evidence of a plan dated up to a corte."""

    cantidad: dict  # {(meta_id, secretaria_id): sum of cantidad}
    por_mes: dict  # {(meta_id, secretaria_id): {mes: sum of cantidad}}: the periods of periodic metas
    actividades: dict  # {estrategia_id: {mes: approved evidences dated that month}}, months of the plan only


def aprobado_al_corte(plan, corte, estrategia_de):
    """What avance.avance_plan needs, in two queries whatever the amount of evidence.

    ``estrategia_de`` maps the id of each meta of the plan to its strategy's id (the caller has
    the metas already; filtering by their strategies spares the database the joins up to the
    plan, and Django the preparation of one parameter per meta).
    """
    mes_corte = primer_dia(corte)
    del_plan = {"meta__estrategia_id__in": sorted(set(estrategia_de.values()))}
    filas = (
        ResumenAprobado.objects.filter(**del_plan, mes__lte=mes_corte)
        .values("meta_id", "secretaria_id", "mes")
        .annotate(n=Sum("evidencias"), q=Sum("cantidad"), signo=Value(1))
        .order_by()
    )
    if corte < ultimo_dia(corte):
        posteriores = (
            Evidencia.objects.aprobadas()
            .filter(**del_plan, fecha_actividad__gt=corte, fecha_actividad__lte=ultimo_dia(corte))
            .values("meta_id", "secretaria_id")
            .annotate(mes=TruncMonth("fecha_actividad"), n=Count("pk"), q=Sum("cantidad"), signo=Value(-1))
            .order_by()
        )
        filas = filas.union(posteriores, all=True)
    cantidad = defaultdict(int)
    por_mes = defaultdict(lambda: defaultdict(int))
    posteriores_por_estrategia = defaultdict(int)
    for fila in filas:
        clave, q = (fila["meta_id"], fila["secretaria_id"]), fila["signo"] * fila["q"]
        cantidad[clave] += q
        por_mes[clave][primer_dia(_fecha(fila["mes"]))] += q
        if fila["signo"] < 0:
            posteriores_por_estrategia[estrategia_de[fila["meta_id"]]] += fila["n"]

    actividades = defaultdict(dict)
    for estrategia_id, mes, n in (
        ResumenAprobado.objects.filter(**del_plan, mes__gte=plan.mes_inicio, mes__lte=min(plan.mes_fin, mes_corte))
        .values_list("meta__estrategia_id", "mes")
        .annotate(n=Sum("evidencias"))
        .order_by()
    ):
        actividades[estrategia_id][mes] = n
    if plan.mes_inicio <= mes_corte <= plan.mes_fin:
        for estrategia_id, n in posteriores_por_estrategia.items():
            actividades[estrategia_id][mes_corte] = actividades[estrategia_id].get(mes_corte, 0) - n
    return AprobadoAlCorte(
        cantidad=dict(cantidad), por_mes={k: dict(v) for k, v in por_mes.items()}, actividades=dict(actividades)
    )


def _fecha(valor):
    """A month as the database gives it back: a date, or ISO text from a UNION on SQLite."""
    if isinstance(valor, str):
        return datetime.date.fromisoformat(valor[:10])
    return valor.date() if isinstance(valor, datetime.datetime) else valor


# ---- checking it -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Diferencia:
    meta_id: int
    secretaria_id: int
    mes: datetime.date
    cifra: str  # a field of ResumenAprobado, or "grupo <id>"
    en_resumen: int
    en_evidencias: int

    def __str__(self):
        return _(
            "meta %(meta)s, secretaría %(secretaria)s, mes %(mes)s, %(cifra)s: el resumen dice %(resumen)s y las "
            "evidencias aprobadas suman %(evidencias)s"
        ) % {
            "meta": self.meta_id,
            "secretaria": self.secretaria_id,
            "mes": f"{self.mes:%Y-%m}",
            "cifra": self.cifra,
            "resumen": self.en_resumen,
            "evidencias": self.en_evidencias,
        }


def _desde_evidencias():
    """{(meta_id, secretaria_id, mes): {cifra: value, "grupo <id>": participants}} from the approved evidence."""
    cifras = defaultdict(dict)
    sumas = {f"s_{c}": Sum(c) for c in CIFRAS if c != "evidencias"}
    for fila in (
        Evidencia.objects.aprobadas()
        .annotate(mes=TruncMonth("fecha_actividad"))
        .values("meta_id", "secretaria_id", "mes")
        .annotate(s_evidencias=Count("pk"), **sumas)
        .order_by()
    ):
        cifras[fila["meta_id"], fila["secretaria_id"], fila["mes"]].update({c: fila[f"s_{c}"] for c in CIFRAS})
    for meta_id, secretaria_id, mes, grupo_id, participantes in (
        ParticipacionGrupo.objects.filter(evidencia__estado=Evidencia.Estado.APROBADA, cantidad__gt=0)
        .annotate(mes=TruncMonth("evidencia__fecha_actividad"))
        .values_list("evidencia__meta_id", "evidencia__secretaria_id", "mes", "grupo_id")
        .annotate(total=Sum("cantidad"))
        .order_by()
    ):
        cifras[meta_id, secretaria_id, mes][f"grupo {grupo_id}"] = participantes
    return cifras


def _guardadas():
    cifras = defaultdict(dict)
    for fila in ResumenAprobado.objects.values("meta_id", "secretaria_id", "mes", *CIFRAS):
        cifras[fila["meta_id"], fila["secretaria_id"], fila["mes"]].update({c: fila[c] for c in CIFRAS})
    for meta_id, secretaria_id, mes, grupo_id, participantes in ResumenGrupo.objects.values_list(
        "resumen__meta_id", "resumen__secretaria_id", "resumen__mes", "grupo_id", "participantes"
    ):
        cifras[meta_id, secretaria_id, mes][f"grupo {grupo_id}"] = participantes
    return cifras


def _comparar(guardadas, calculadas):
    diferencias = []
    for clave in sorted(set(guardadas) | set(calculadas)):
        antes, ahora = guardadas.get(clave, {}), calculadas.get(clave, {})
        for cifra in sorted(set(antes) | set(ahora)):
            if antes.get(cifra, 0) != ahora.get(cifra, 0):
                diferencias.append(Diferencia(*clave, cifra, antes.get(cifra, 0), ahora.get(cifra, 0)))
    return diferencias


def diferencias():
    """Where the summary and a recomputation from the approved evidence disagree ([] when they agree)."""
    return _comparar(_guardadas(), _desde_evidencias())


@transaction.atomic
def recalcular():
    """Rewrite the summary from the approved evidence; returns the differences it had (see diferencias())."""
    if connection.vendor == "postgresql":
        # Approvals wait (their UPDATE or INSERT needs the table) until the summary is rewritten;
        # pages keep reading the old one meanwhile.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(ResumenAprobado._meta.db_table)} IN EXCLUSIVE MODE")
    calculadas = _desde_evidencias()
    encontradas = _comparar(_guardadas(), calculadas)
    if not encontradas:
        return []
    # Pages computed from the old summary: dropped now (with the rewrite, when the cache shares the
    # database) and again on commit (one computed meanwhile from the old summary).
    version_datos.olvidar_cifras()
    transaction.on_commit(version_datos.olvidar_cifras)
    ResumenAprobado.objects.all().delete()
    filas = ResumenAprobado.objects.bulk_create(
        [
            ResumenAprobado(meta_id=meta_id, secretaria_id=secretaria_id, mes=mes, **{c: cifras[c] for c in CIFRAS})
            for (meta_id, secretaria_id, mes), cifras in calculadas.items()
            if cifras.get("evidencias")
        ],
        batch_size=2000,
    )
    por_clave = {(f.meta_id, f.secretaria_id, f.mes): f for f in filas}
    ResumenGrupo.objects.bulk_create(
        [
            ResumenGrupo(resumen=por_clave[clave], grupo_id=int(cifra.split()[1]), participantes=valor)
            for clave, cifras in calculadas.items()
            if clave in por_clave
            for cifra, valor in cifras.items()
            if cifra.startswith("grupo ")
        ],
        batch_size=2000,
    )
    return encontradas
