"""Progress of a plan at a cut-off date (corte): the one place where it is computed.

Dashboards, PDF reports and Excel exports all read these functions; none of
them adds or averages percentages on its own. Everything returned is a plain
frozen dataclass holding model instances, ints and ``Decimal`` percentages
(rounded to one decimal, half up), so a template, a PDF or a worksheet can
walk it without touching the database again.

Public API
----------
``avance_plan(plan, corte, *, semaforo=None) -> AvancePlan``
    Progress of every meta, strategy and line of ``plan`` counting evidence
    up to ``corte``, plus planned vs executed activities per month.
``sin_reportar(plan, mes) -> list[Pendiente]``
    Responsible secretariats that have not reported activities planned for
    ``mes`` ("quién no ha reportado"); used by the dashboard and by the
    ``recordatorios`` command.
``color(porcentaje, semaforo) -> Color | None``
    The traffic light of a percentage under the coordinator's thresholds.
``corte_por_defecto(plan, hoy=None) -> date``
    Today, clamped to the plan's period.
``ultimo_dia(mes) -> date``
    Last day of the month of a date.

Rules (pinned, with hand-computed numbers, by seguimiento/tests/test_avance.py)
-----------------------------------------------------------------------------
* Only APROBADA evidence counts, and only when its ``fecha_actividad`` is on
  or before the corte. Drafts, sent and returned evidence never count.
* Meta: approved quantity (sum of ``Evidencia.cantidad``) against its total
  target: ``cantidad_objetivo`` for a meta without periods; for a periodic
  one (anual, semestral, trimestral, mensual) the quantity times the periods
  of the plan that count, or the total the coordinator set with a reason
  (plan_participacion.periodos.ObjetivoMeta.total). The percentage is real (150 % is shown as 150 %);
  ``porcentaje_tope`` caps it at 100 % and is what the roll-up uses.
* Meta "de cada secretaría" (``por_secretaria``): the target applies to each
  responsible secretariat of the strategy. Each secretariat has its own
  progress (its approved quantity against the target, real percentage), and
  the meta's progress is the sum of those quantities, each capped at the
  target, over target × number of responsible secretariats. One secretariat's
  surplus therefore never covers another's shortfall. Evidence of a
  secretariat that is not responsible for the strategy does not count for such
  a meta. A ``por_secretaria`` meta whose strategy has no responsables is
  treated as an ordinary meta.
* Strategy execution: one approved evidence is one executed activity (the
  schedule counts activities, and each evidence reports one activity; its
  ``cantidad`` measures the meta, not the schedule). Executed activities of a
  month are the approved evidence of the strategy's metas whose
  ``fecha_actividad`` falls in that month, against the strategy's
  ``ProgramacionMensual`` of that month. "A la fecha" sums the plan's months
  up to and including the corte's month (the schedule is monthly, so the
  corte's month is planned in full while its executed activities are counted
  only up to the corte). Months after the corte show what is planned and no
  executed figure. Evidence dated outside the plan's months is not part of
  the schedule.
* Roll-up: a strategy's progress is the simple average of the capped
  percentages of its metas; a line's, the simple average of its strategies'
  (objectives are skipped: the sheet has one per line); the plan's, the simple
  average of its lines'. Every meta, strategy and line weighs the same; a
  strategy without metas, or a line without such strategies, has no
  percentage and is left out of the averages. Averages use exact values, not
  the rounded ones shown.
* Semáforo: with the thresholds of ``Semaforo.actual()`` (60 and 80 by
  default) a percentage below "rojo_menor_que" is red, one equal to or above
  "verde_desde" is green, anything in between is yellow. It is applied to the
  rounded percentage people read, so "60,0 %" is never red. Executed vs
  planned gets a light too, but only when something was planned: with nothing
  planned there is no percentage and no light ("sin programación"), never a
  red 0 %.
* Periodic metas ("anual", "semestral", "trimestral", "mensual"): ``AvanceMeta.periodos`` holds one
  ``plan_participacion.periodos.CumplimientoPeriodo`` per calendar period the plan spans (the rule of
  partial periods is periodos.REGLA): what was expected in it (the sheet's quantity, 0 when the period
  does not count), what was approved in it up to the corte, and whether it was met. For a meta "de cada
  secretaría" each AvanceSecretaria has its own, and the meta's period expects the quantity from each
  responsible secretariat (each one's approvals capped at it): it is met when every one met it. Metas
  without periodicity ("única") have none.
* Queries: a fixed number per call (structure of the plan plus one aggregate
  query per figure), whatever the amount of evidence.

Where the figures come from
---------------------------
Approved quantities and executed activities are read from the summary that the
actions keep (seguimiento.resumen: approved evidence per meta, secretaría and
month), so a call costs O(metas × months) rows, not O(evidence): whole months
from the summary, and only the approved evidence dated after the corte inside
the corte's month directly (none with the default corte, today).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan_participacion.ciclo import Fase
from plan_participacion.models import (
    Estrategia,
    LineaAccion,
    Meta,
    Plan,
    ProgramacionMensual,
    Secretaria,
    primer_dia,
    ultimo_dia,
)
from plan_participacion.periodos import CumplimientoPeriodo, cumplimiento, objetivo_de_meta
from seguimiento import resumen
from seguimiento.models import Evidencia, ResumenAprobado, Semaforo

CIEN = 100


class Color(models.TextChoices):
    ROJO = "rojo", _("Rojo")
    AMARILLO = "amarillo", _("Amarillo")
    VERDE = "verde", _("Verde")


def corte_por_defecto(plan, hoy=None):
    """Today (in the project's time zone), clamped to the plan's period."""
    hoy = hoy or timezone.localdate()
    return min(max(hoy, plan.mes_inicio), ultimo_dia(plan.mes_fin))


def _redondear(valor):
    """A Fraction ≥ 0 (or None) as the Decimal people read: one decimal, half up.

    In integers (tenths = ⌊(20·p + q) / 2q⌋ for p/q): exact, and cheap enough for the thousands of
    figures of a large plan.
    """
    if valor is None:
        return None
    return _de_decimas((20 * valor.numerator + valor.denominator) // (2 * valor.denominator))


def _de_decimas(decimas):
    return Decimal(f"{decimas // 10}.{decimas % 10}")


def _porcentaje(parte, total):
    """_redondear(_fraccion(parte, total)) without building the Fraction: what a row of figures shows."""
    if not total:
        return None
    return _de_decimas((2000 * parte + total) // (2 * total))


def _fraccion(parte, total):
    """parte / total as an exact percentage; None when there is nothing to compare with."""
    if not total:
        return None
    return Fraction(parte * CIEN, total)


def _promedio(valores):
    valores = [v for v in valores if v is not None]
    if not valores:
        return None
    return sum(valores, Fraction(0)) / len(valores)


def color(porcentaje, semaforo):
    """Traffic light of a percentage (Decimal, int or None) under the given thresholds."""
    if porcentaje is None:
        return None
    if porcentaje < semaforo.rojo_menor_que:
        return Color.ROJO
    if porcentaje >= semaforo.verde_desde:
        return Color.VERDE
    return Color.AMARILLO


@dataclass(frozen=True)
class AvanceSecretaria:
    """Progress of one responsible secretariat on a meta "de cada secretaría"."""

    secretaria: Secretaria
    aprobado: int
    objetivo: int
    porcentaje: Decimal  # real: may exceed 100
    color: Color
    periodos: tuple[CumplimientoPeriodo, ...] = ()  # this secretariat's, for a periodic meta


@dataclass(frozen=True)
class AvanceMeta:
    """porcentaje is always aprobado_que_cuenta / objetivo."""

    meta: Meta
    aprobado: int  # approved quantity (of the responsible secretariats only, when por_secretaria)
    aprobado_que_cuenta: int  # = aprobado, or when por_secretaria the sum of each secretariat's, capped at the target
    objetivo: int  # total target (periodos.ObjetivoMeta.total), times the responsible secretariats if por_secretaria
    porcentaje: Decimal  # real: may exceed 100 (never for por_secretaria, which caps per secretariat)
    porcentaje_tope: Decimal  # capped at 100: what the roll-up averages
    color: Color
    secretarias: tuple[AvanceSecretaria, ...] = ()  # one per responsible secretariat, only when por_secretaria
    periodos: tuple[CumplimientoPeriodo, ...] = ()  # one per calendar period, for a periodic meta (see the rules)

    @property
    def periodos_que_cuentan(self):
        return [p for p in self.periodos if p.periodo.cuenta]

    @property
    def periodos_cumplidos(self):
        return sum(1 for p in self.periodos if p.cumplido)


@dataclass(frozen=True)
class MesEjecucion:
    """Planned vs executed activities in one month of the plan."""

    mes: datetime.date  # first day of the month
    programado: int
    ejecutado: int | None  # None for months after the corte
    programado_acumulado: int
    ejecutado_acumulado: int | None  # None for months after the corte
    porcentaje: Decimal | None  # ejecutado / programado; None after the corte or with nothing planned
    color: Color | None

    @property
    def posterior_al_corte(self):
        return self.ejecutado is None


@dataclass(frozen=True)
class Ejecucion:
    """Planned vs executed activities of a strategy, a line or the whole plan."""

    meses: tuple[MesEjecucion, ...]
    programado_total: int
    programado_a_la_fecha: int
    ejecutado_a_la_fecha: int
    porcentaje: Decimal | None  # ejecutado vs programado a la fecha (real); None with nothing planned to date
    color: Color | None

    @property
    def sin_programacion(self):
        return self.porcentaje is None


@dataclass(frozen=True)
class AvanceEstrategia:
    estrategia: Estrategia
    metas: tuple[AvanceMeta, ...]
    porcentaje: Decimal | None  # average of the metas' capped percentages; None without metas
    color: Color | None
    ejecucion: Ejecucion


@dataclass(frozen=True)
class AvanceLinea:
    linea: LineaAccion
    estrategias: tuple[AvanceEstrategia, ...]
    porcentaje: Decimal | None  # average of its strategies' percentages
    color: Color | None
    ejecucion: Ejecucion  # sum of its strategies' schedules and executed activities


@dataclass(frozen=True)
class AvancePlan:
    plan: Plan
    corte: datetime.date
    semaforo: Semaforo  # the thresholds the colours were computed with
    lineas: tuple[AvanceLinea, ...]
    porcentaje: Decimal | None  # average of its lines' percentages
    color: Color | None
    ejecucion: Ejecucion

    def estrategias(self):
        return [e for linea in self.lineas for e in linea.estrategias]

    def metas(self):
        return [m for e in self.estrategias() for m in e.metas]


@dataclass(frozen=True)
class Pendiente:
    """A responsible secretariat that has not reported strategies planned for a month."""

    secretaria: Secretaria
    estrategias: tuple[Estrategia, ...]
    delegados: tuple  # its active users, to remind them


def _sumar_meses(por_secretaria):
    total = Counter()
    for meses in por_secretaria.values():
        total.update(meses)
    return total


def _periodos_de_cada_secretaria(por_secretaria_periodos, cantidad):
    """The meta's periods when each responsible secretariat owes the quantity: expected × secretariats,
    approved capped per secretariat (one's surplus never covers another's shortfall)."""
    filas = list(zip(*por_secretaria_periodos, strict=True))
    return tuple(
        CumplimientoPeriodo(
            de_cada[0].periodo,
            sum(p.esperado for p in de_cada),
            sum(min(p.aprobado, cantidad) for p in de_cada),
        )
        for de_cada in filas
    )


def _avance_meta(meta, responsables, aprobado_por_secretaria, semaforo, objetivo_meta=None, por_mes=None):
    """Returns the AvanceMeta and its exact capped percentage (for the roll-up).

    ``objetivo_meta`` (plan_participacion.periodos.ObjetivoMeta) and ``por_mes`` ({secretaria_id: {mes:
    approved}}) give the periods of a periodic meta."""
    objetivo = objetivo_meta.total if objetivo_meta is not None else meta.cantidad_objetivo
    periodica = objetivo_meta is not None and objetivo_meta.es_periodica
    por_mes = por_mes or {}
    if meta.por_secretaria and responsables:
        secretarias = []
        computable = 0
        for secretaria in responsables:
            aprobado = aprobado_por_secretaria.get(secretaria.pk, 0)
            computable += min(aprobado, objetivo)
            porcentaje = _porcentaje(aprobado, objetivo)
            periodos = tuple(cumplimiento(objetivo_meta, por_mes.get(secretaria.pk, {}))) if periodica else ()
            secretarias.append(
                AvanceSecretaria(secretaria, aprobado, objetivo, porcentaje, color(porcentaje, semaforo), periodos)
            )
        total = objetivo * len(responsables)
        exacto = _fraccion(computable, total)
        porcentaje = _redondear(exacto)
        avance = AvanceMeta(
            meta=meta,
            aprobado=sum(s.aprobado for s in secretarias),
            aprobado_que_cuenta=computable,
            objetivo=total,
            porcentaje=porcentaje,
            porcentaje_tope=porcentaje,
            color=color(porcentaje, semaforo),
            secretarias=tuple(secretarias),
            periodos=_periodos_de_cada_secretaria([s.periodos for s in secretarias], objetivo) if periodica else (),
        )
        return avance, exacto
    aprobado = sum(aprobado_por_secretaria.values())
    exacto = _fraccion(aprobado, objetivo)
    tope = min(exacto, Fraction(CIEN))
    porcentaje = _redondear(exacto)
    avance = AvanceMeta(
        meta=meta,
        aprobado=aprobado,
        aprobado_que_cuenta=aprobado,
        objetivo=objetivo,
        porcentaje=porcentaje,
        porcentaje_tope=_redondear(tope),
        color=color(porcentaje, semaforo),
        periodos=tuple(cumplimiento(objetivo_meta, _sumar_meses(por_mes))) if periodica else (),
    )
    return avance, tope


def _ejecucion(meses, corte, programado, ejecutado, semaforo):
    """Ejecucion from {mes: planned} and {mes: executed} (executed already limited to the corte)."""
    mes_corte = primer_dia(corte)
    filas = []
    programado_acumulado = ejecutado_acumulado = programado_a_la_fecha = 0
    for mes in meses:
        planeado = programado.get(mes, 0)
        programado_acumulado += planeado
        if mes > mes_corte:
            filas.append(MesEjecucion(mes, planeado, None, programado_acumulado, None, None, None))
            continue
        hecho = ejecutado.get(mes, 0)
        ejecutado_acumulado += hecho
        programado_a_la_fecha += planeado
        porcentaje = _porcentaje(hecho, planeado)
        filas.append(
            MesEjecucion(
                mes, planeado, hecho, programado_acumulado, ejecutado_acumulado, porcentaje, color(porcentaje, semaforo)
            )
        )
    porcentaje = _porcentaje(ejecutado_acumulado, programado_a_la_fecha)
    return Ejecucion(
        meses=tuple(filas),
        programado_total=programado_acumulado,
        programado_a_la_fecha=programado_a_la_fecha,
        ejecutado_a_la_fecha=ejecutado_acumulado,
        porcentaje=porcentaje,
        color=color(porcentaje, semaforo),
    )


def avance_plan(plan, corte, *, semaforo=None):
    """Progress of ``plan`` counting approved evidence dated up to ``corte`` (see the module's rules).

    ``semaforo`` is a ``Semaforo`` (or anything with ``rojo_menor_que`` and
    ``verde_desde``); by default ``Semaforo.actual()``. Runs a fixed number of
    queries whatever the amount of evidence.
    """
    semaforo = semaforo or Semaforo.actual()
    meses = plan.meses()

    lineas = list(LineaAccion.objects.filter(plan=plan).order_by("numero", "pk"))
    estrategias = list(
        Estrategia.objects.filter(objetivo__linea__plan=plan)
        .select_related("objetivo")
        .prefetch_related("responsables")
        .order_by("objetivo__linea__numero", "objetivo__numero", "numero", "pk")
    )
    metas_de = defaultdict(list)
    for meta in Meta.objects.filter(estrategia__objetivo__linea__plan=plan).order_by("orden", "codigo", "pk"):
        metas_de[meta.estrategia_id].append(meta)
    programado_de = defaultdict(dict)
    for estrategia_id, mes, cantidad in (
        ProgramacionMensual.objects.filter(estrategia__objetivo__linea__plan=plan)
        .values_list("estrategia_id", "mes", "cantidad")
        .order_by()
    ):
        programado_de[estrategia_id][mes] = cantidad

    aprobado = resumen.aprobado_al_corte(
        plan, corte, {meta.pk: estrategia_id for estrategia_id, metas in metas_de.items() for meta in metas}
    )
    aprobado_de = defaultdict(dict)
    for (meta_id, secretaria_id), total in aprobado.cantidad.items():
        aprobado_de[meta_id][secretaria_id] = total
    por_mes_de = defaultdict(dict)  # meta_id → {secretaria_id: {mes: approved}}
    for (meta_id, secretaria_id), meses_aprobados in aprobado.por_mes.items():
        por_mes_de[meta_id][secretaria_id] = meses_aprobados
    ejecutado_de = defaultdict(dict, aprobado.actividades)

    estrategias_de = defaultdict(list)  # linea_id → [(AvanceEstrategia, exact percentage)]
    for estrategia in estrategias:
        responsables = list(estrategia.responsables.all())
        metas, exactos = [], []
        for meta in metas_de[estrategia.pk]:
            avance, exacto = _avance_meta(
                meta, responsables, aprobado_de[meta.pk], semaforo, objetivo_de_meta(meta, plan), por_mes_de[meta.pk]
            )
            metas.append(avance)
            exactos.append(exacto)
        exacto = _promedio(exactos)
        porcentaje = _redondear(exacto)
        avance = AvanceEstrategia(
            estrategia=estrategia,
            metas=tuple(metas),
            porcentaje=porcentaje,
            color=color(porcentaje, semaforo),
            ejecucion=_ejecucion(meses, corte, programado_de[estrategia.pk], ejecutado_de[estrategia.pk], semaforo),
        )
        estrategias_de[estrategia.objetivo.linea_id].append((avance, exacto))

    avances_linea, exactos_linea = [], []
    programado_plan, ejecutado_plan = Counter(), Counter()
    for linea in lineas:
        pares = estrategias_de[linea.pk]
        programado, ejecutado = Counter(), Counter()
        for avance, _exacto in pares:
            programado.update(programado_de[avance.estrategia.pk])
            ejecutado.update(ejecutado_de[avance.estrategia.pk])
        programado_plan.update(programado)
        ejecutado_plan.update(ejecutado)
        exacto = _promedio(e for _avance, e in pares)
        porcentaje = _redondear(exacto)
        avances_linea.append(
            AvanceLinea(
                linea=linea,
                estrategias=tuple(a for a, _exacto in pares),
                porcentaje=porcentaje,
                color=color(porcentaje, semaforo),
                ejecucion=_ejecucion(meses, corte, programado, ejecutado, semaforo),
            )
        )
        exactos_linea.append(exacto)

    porcentaje = _redondear(_promedio(exactos_linea))
    return AvancePlan(
        plan=plan,
        corte=corte,
        semaforo=semaforo,
        lineas=tuple(avances_linea),
        porcentaje=porcentaje,
        color=color(porcentaje, semaforo),
        ejecucion=_ejecucion(meses, corte, programado_plan, ejecutado_plan, semaforo),
    )


def _reportadas_en(plan, mes):
    """(estrategia_id, secretaria_id) pairs with evidence of an activity in ``mes`` that was sent.

    "Sent" means it reached the coordinator: enviada_en is set and it is no
    longer a draft, i.e. ENVIADA, APROBADA, or DEVUELTA (returned evidence was
    sent, and its secretariat did report; what the reviewer thought of it is
    the review queue's business). Drafts are not a report.

    Approved evidence is read from the summary (one row per meta, secretaría and
    month); only the evidence still in review or returned is read directly: the
    work in flight, not every evidence of the month.
    """
    aprobadas = (
        ResumenAprobado.objects.filter(meta__estrategia__objetivo__linea__plan=plan, mes=mes)
        .values_list("meta__estrategia_id", "secretaria_id")
        .order_by()
    )
    en_curso = (
        Evidencia.objects.del_plan(plan)
        .filter(
            estado__in=[Evidencia.Estado.ENVIADA, Evidencia.Estado.DEVUELTA],
            fecha_actividad__gte=mes,
            fecha_actividad__lte=ultimo_dia(mes),
            enviada_en__isnull=False,
        )
        .values_list("meta__estrategia_id", "secretaria_id")
        .order_by()
    )
    return set(aprobadas.union(en_curso))


def sin_reportar(plan, mes):
    """Who has not reported ``mes``: one Pendiente per secretariat, ordered by name.

    For every strategy of ``plan`` with activities planned in ``mes``, each of
    its active responsible secretariats that has sent no evidence for an
    activity of that month on any meta of that strategy. Delegates are the
    secretariat's active users. At most four queries.
    """
    return con_delegados(secretarias_sin_reportar(plan, mes))


def secretarias_sin_reportar(plan, mes):
    """sin_reportar without the delegates: [(Secretaria, (Estrategia, …))], ordered by name.

    Only data the plan's data version covers (seguimiento.version_datos): the dashboard keeps it
    with its figures and reads the delegates, people's data, on each visit (con_delegados).
    """
    mes = primer_dia(mes)
    programadas = list(
        Estrategia.objects.filter(objetivo__linea__plan=plan, programacion__mes=mes).order_by(
            "objetivo__linea__numero", "objetivo__numero", "numero", "pk"
        )
    )
    if not programadas:
        return []
    reportadas = _reportadas_en(plan, mes)
    responsables = defaultdict(list)  # estrategia_id → [Secretaria]
    for responsable in Estrategia.responsables.through.objects.filter(
        estrategia__in=[e.pk for e in programadas], secretaria__activa=True
    ).select_related("secretaria"):
        responsables[responsable.estrategia_id].append(responsable.secretaria)
    pendientes = {}
    for estrategia in programadas:
        for secretaria in responsables[estrategia.pk]:
            if (estrategia.pk, secretaria.pk) not in reportadas:
                pendientes.setdefault(secretaria.pk, (secretaria, []))[1].append(estrategia)
    return [(secretaria, tuple(estrategias)) for secretaria, estrategias in sorted(pendientes.values(), key=_nombre)]


def _nombre(par):
    return par[0].nombre


def con_delegados(pendientes):
    """[Pendiente] of secretarias_sin_reportar's pairs, with each secretariat's active delegates (one query)."""
    secretarias = [secretaria for secretaria, _estrategias in pendientes]
    prefetch_related_objects(
        secretarias,
        Prefetch(
            "delegados",
            queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
        ),
    )
    return [
        Pendiente(secretaria, estrategias, tuple(secretaria.delegados.all())) for secretaria, estrategias in pendientes
    ]


@dataclass(frozen=True)
class AvanceFase:
    """The strategies in which citizens take part in one phase of the cycle, and their progress together.

    A strategy tagged with two phases counts in both. ``porcentaje`` is the simple average of its
    strategies' (exact) percentages, as a line's; execution adds their activities to date.
    """

    fase: str  # a plan_participacion.ciclo.Fase value
    etiqueta: str
    estrategias: tuple[AvanceEstrategia, ...]
    porcentaje: Decimal | None  # None without strategies (or without metas)
    color: Color | None
    programado_a_la_fecha: int
    ejecutado_a_la_fecha: int
    porcentaje_ejecucion: Decimal | None  # None with nothing planned to date
    color_ejecucion: Color | None

    @property
    def sin_estrategias(self):
        return not self.estrategias


def _exacto_de_estrategia(avance_estrategia):
    """The strategy's exact percentage, rebuilt from its metas (each capped at 100 %), as avance_plan averages it."""
    topes = []
    for meta in avance_estrategia.metas:
        exacto = _fraccion(meta.aprobado_que_cuenta, meta.objetivo)
        topes.append(None if exacto is None else min(exacto, Fraction(CIEN)))
    return _promedio(topes)


def avance_por_fase(avance):
    """One AvanceFase per phase of the cycle, in its order, from an AvancePlan: no query.

    Reads each strategy's ``fases`` (loaded with it by avance_plan). A phase without strategies is
    still listed (``sin_estrategias``): the dashboard and the report point it out.
    """
    semaforo = avance.semaforo
    fases = []
    for valor, etiqueta in Fase.choices:
        estrategias = tuple(e for e in avance.estrategias() if valor in (e.estrategia.fases or ()))
        porcentaje = _redondear(_promedio(_exacto_de_estrategia(e) for e in estrategias))
        programado = sum(e.ejecucion.programado_a_la_fecha for e in estrategias)
        ejecutado = sum(e.ejecucion.ejecutado_a_la_fecha for e in estrategias)
        ejecucion = _porcentaje(ejecutado, programado)
        fases.append(
            AvanceFase(
                fase=valor,
                etiqueta=str(etiqueta),
                estrategias=estrategias,
                porcentaje=porcentaje,
                color=color(porcentaje, semaforo),
                programado_a_la_fecha=programado,
                ejecutado_a_la_fecha=ejecutado,
                porcentaje_ejecucion=ejecucion,
                color_ejecucion=color(ejecucion, semaforo),
            )
        )
    return tuple(fases)
