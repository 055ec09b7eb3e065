"""What a delegate is responsible for: the metas of the plan whose strategy names one of his secretariats.

A fixed number of queries whatever the size of the plan, and work linear in it: the plan's
structure and progress come from seguimiento.avance (the one progress computation, so Mis metas
and the dashboard agree, and its strategies, metas and schedule are not loaded twice), and what
is under review from one aggregate, indexed by meta in one pass.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from plan_participacion.models import Estrategia, Meta, Secretaria, primer_dia
from seguimiento.avance import avance_plan, corte_por_defecto
from seguimiento.models import Evidencia

Estado = Evidencia.Estado


def estrategias_asignadas(usuario):
    return Estrategia.objects.filter(responsables__delegados=usuario)


def metas_asignadas(usuario, plan):
    """Metas of the plan a delegate may report on (one row each, even with several secretariats)."""
    return Meta.objects.filter(
        estrategia__objetivo__linea__plan=plan, estrategia__in=estrategias_asignadas(usuario)
    ).select_related("estrategia")


def secretarias_responsables(usuario, meta):
    """The delegate's secretariats that are responsible for this meta."""
    return Secretaria.objects.filter(delegados=usuario, estrategias=meta.estrategia_id)


@dataclass
class Avance:
    """Progress toward a target: for the whole meta, or for one secretariat when the meta is «de cada secretaría»."""

    objetivo: int
    aprobada: int = 0
    porcentaje: object = 0  # Decimal from seguimiento.avance, real (may exceed 100)
    en_revision: int = 0
    secretaria: Secretaria | None = None
    periodos: tuple = ()  # seguimiento.avance's CumplimientoPeriodo of a periodic meta

    @property
    def faltante(self):
        return max(0, self.objetivo - self.aprobada)


@dataclass
class MetaDelegado:
    meta: Meta
    avances: list[Avance]


@dataclass
class EstrategiaDelegado:
    estrategia: Estrategia
    mis_secretarias: list[Secretaria]
    programadas_mes: int
    metas: list[MetaDelegado] = field(default_factory=list)


@dataclass
class LineaDelegado:
    linea: object
    estrategias: list[EstrategiaDelegado] = field(default_factory=list)


def metas_del_delegado(usuario, plan, hoy):
    """Lines → strategies → metas of the plan for this delegate, with progress and this month's schedule."""
    mias = {s.pk for s in usuario.secretarias.all()}
    mes = primer_dia(hoy)
    avance = avance_plan(plan, corte_por_defecto(plan, hoy))
    propias = [
        (avance_linea.linea, avance_estrategia)
        for avance_linea in avance.lineas
        for avance_estrategia in avance_linea.estrategias
        if any(s.pk in mias for s in avance_estrategia.estrategia.responsables.all())
    ]
    # One pass over what is under review, indexed by meta: looking a meta up is then O(1), so the
    # page is linear in metas plus pending rows (it used to scan every pending row for each meta).
    en_revision = defaultdict(lambda: defaultdict(int))  # meta_id → {secretaria_id: quantity}
    for meta_id, secretaria_id, total in (
        Evidencia.objects.filter(meta__estrategia__in=[e.estrategia.pk for _linea, e in propias], estado=Estado.ENVIADA)
        .values_list("meta_id", "secretaria_id")
        .annotate(total=Sum("cantidad"))
        .order_by()
    ):
        en_revision[meta_id][secretaria_id] += total

    def pendiente(meta, secretaria=None):
        de_la_meta = en_revision.get(meta.pk, {})
        return sum(de_la_meta.values()) if secretaria is None else de_la_meta.get(secretaria, 0)

    def avances(avance_meta, mis_secretarias):
        meta = avance_meta.meta
        if not avance_meta.secretarias:
            return [
                Avance(
                    meta.cantidad_objetivo,
                    avance_meta.aprobado,
                    avance_meta.porcentaje,
                    pendiente(meta),
                    periodos=avance_meta.periodos,
                )
            ]
        por_secretaria = {a.secretaria.pk: a for a in avance_meta.secretarias}
        return [
            Avance(a.objetivo, a.aprobado, a.porcentaje, pendiente(meta, s.pk), secretaria=s, periodos=a.periodos)
            for s in mis_secretarias
            if (a := por_secretaria.get(s.pk))
        ]

    lineas = {}
    for linea, avance_estrategia in propias:
        estrategia = avance_estrategia.estrategia
        mis_secretarias = [s for s in estrategia.responsables.all() if s.pk in mias]
        fila_estrategia = EstrategiaDelegado(
            estrategia=estrategia,
            mis_secretarias=mis_secretarias,
            programadas_mes=sum(m.programado for m in avance_estrategia.ejecucion.meses if m.mes == mes),
        )
        for avance_meta in avance_estrategia.metas:
            fila_estrategia.metas.append(
                MetaDelegado(meta=avance_meta.meta, avances=avances(avance_meta, mis_secretarias))
            )
        lineas.setdefault(linea.pk, LineaDelegado(linea=linea)).estrategias.append(fila_estrategia)
    return list(lineas.values())
