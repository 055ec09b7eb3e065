"""Periodic metas: the periods a plan spans, the total they expect, and which ones were met. Pure.

A meta written "anual", "semestral", "trimestral" or "mensual" asks for its quantity once per
period. Periods are calendar periods, as public entities report them: years, semesters
(January–June, July–December), quarters (January–March …) and months.

The rule for partial periods (REGLA, in the README too): a period counts when the plan covers
at least half of its months. If none does (an annual meta in a four-month plan), the most
covered period counts: a meta is asked for at least once. The expected total is the quantity
times the periods that count; the coordinator may set another total (Meta.objetivo_ajustado,
with a reason) and the sheet's quantity (Meta.cantidad_objetivo) never changes.

Candelaria, October 2022 – October 2023, meta 6.2 "Una (1) publicación y divulgación
semestral": second semester 2022 (October–December, 3 of 6 months: counts), first semester
2023 (6 of 6), second semester 2023 (July–October, 4 of 6: counts) → 3 publications expected.
Its annual metas: 2022 (3 of 12 months: does not count), 2023 (10 of 12) → 1.

For a meta "de cada secretaría" the expectation applies to each responsible secretariat: pass
the approved quantities of one secretariat to cumplimiento().
"""

import datetime
from dataclasses import dataclass

from plan_participacion.importer.fechas import NOMBRES_MESES
from plan_participacion.models import Meta, meses_entre, primer_dia, sumar_meses

REGLA = (
    "Un periodo cuenta cuando el plan cubre al menos la mitad de sus meses; si ninguno llega a la mitad, cuenta "
    "el más cubierto."
)
MESES_POR_PERIODO = {
    Meta.Periodicidad.ANUAL: 12,
    Meta.Periodicidad.SEMESTRAL: 6,
    Meta.Periodicidad.TRIMESTRAL: 3,
    Meta.Periodicidad.MENSUAL: 1,
}
ORDINALES = ["primer", "segundo", "tercer", "cuarto"]


@dataclass(frozen=True)
class Periodo:
    inicio: datetime.date  # first day of its first month
    fin: datetime.date  # first day of its last month
    meses: int  # months in the period
    cubiertos: int  # of those, months within the plan
    cuenta: bool  # counts toward the target (see REGLA)

    @property
    def etiqueta(self):
        """ "segundo semestre de 2022", "tercer trimestre de 2023", "octubre de 2022", "2023"."""
        anio, numero = self.inicio.year, (self.inicio.month - 1) // self.meses
        if self.meses == 12:
            return str(anio)
        if self.meses == 1:
            return f"{NOMBRES_MESES[self.inicio.month - 1]} de {anio}"
        nombre = "semestre" if self.meses == 6 else "trimestre"
        return f"{ORDINALES[numero]} {nombre} de {anio}"

    @property
    def parcial(self):
        return self.cubiertos < self.meses

    def contiene(self, fecha):
        return self.inicio <= primer_dia(fecha) <= self.fin


def periodos(periodicidad, mes_inicio, mes_fin):
    """The calendar periods of this periodicity that the plan (mes_inicio … mes_fin) touches; [] for UNICA."""
    largo = MESES_POR_PERIODO.get(periodicidad)
    if largo is None:
        return []
    plan = set(meses_entre(mes_inicio, mes_fin))
    inicio = datetime.date(mes_inicio.year, (mes_inicio.month - 1) // largo * largo + 1, 1)
    encontrados = []
    while inicio <= mes_fin:
        fin = sumar_meses(inicio, largo - 1)
        cubiertos = len(plan.intersection(meses_entre(inicio, fin)))
        encontrados.append(Periodo(inicio, fin, largo, cubiertos, cuenta=2 * cubiertos >= largo))
        inicio = sumar_meses(inicio, largo)
    if encontrados and not any(p.cuenta for p in encontrados):
        mas_cubierto = max(encontrados, key=lambda p: p.cubiertos)  # the first one on a tie
        encontrados = [Periodo(p.inicio, p.fin, p.meses, p.cubiertos, cuenta=p is mas_cubierto) for p in encontrados]
    return encontrados


@dataclass(frozen=True)
class ObjetivoMeta:
    """A meta's expected total: derived from its periods, or set by the coordinator."""

    cantidad: int  # as the sheet says: per period for a periodic meta, in all for the others
    periodicidad: str
    periodos: tuple
    ajustado: int | None = None
    motivo: str = ""

    @property
    def es_periodica(self):
        return self.periodicidad in MESES_POR_PERIODO

    @property
    def periodos_que_cuentan(self):
        return [p for p in self.periodos if p.cuenta]

    @property
    def calculado(self):
        """Quantity × the periods that count (the quantity itself for a meta without periods)."""
        if not self.es_periodica:
            return self.cantidad
        return self.cantidad * len(self.periodos_que_cuentan)

    @property
    def total(self):
        return self.ajustado if self.ajustado is not None else self.calculado


def objetivo(cantidad, periodicidad, mes_inicio, mes_fin, *, ajustado=None, motivo=""):
    return ObjetivoMeta(
        cantidad, periodicidad, tuple(periodos(periodicidad, mes_inicio, mes_fin)), ajustado, motivo or ""
    )


def objetivo_de_meta(meta, plan):
    """The ObjetivoMeta of a Meta in its plan (no query: the plan is passed in)."""
    return objetivo(
        meta.cantidad_objetivo,
        meta.periodicidad,
        plan.mes_inicio,
        plan.mes_fin,
        ajustado=meta.objetivo_ajustado,
        motivo=meta.motivo_objetivo,
    )


@dataclass(frozen=True)
class CumplimientoPeriodo:
    periodo: Periodo
    esperado: int  # the meta's quantity when the period counts, else 0
    aprobado: int

    @property
    def cumplido(self):
        """True or False for a period that counts; None for one that does not (nothing was expected)."""
        if not self.periodo.cuenta:
            return None
        return self.aprobado >= self.esperado

    @property
    def estado(self):
        """ "cumplido", "pendiente" or "no cuenta", as the reports write it."""
        if self.cumplido is None:
            return "no cuenta"
        return "cumplido" if self.cumplido else "pendiente"

    @property
    def texto(self):
        """ "segundo semestre de 2022: 0 de 1, pendiente" (the PDF and the Excel sheet)."""
        if self.cumplido is None:
            return f"{self.periodo.etiqueta}: no cuenta"
        return f"{self.periodo.etiqueta}: {self.aprobado} de {self.esperado}, {self.estado}"


def cumplimiento(objetivo_meta, aprobado_por_mes):
    """[CumplimientoPeriodo] given approved quantities per month ({month, or any date in it: quantity})."""
    return [
        CumplimientoPeriodo(
            periodo,
            objetivo_meta.cantidad if periodo.cuenta else 0,
            sum(cantidad for mes, cantidad in aprobado_por_mes.items() if periodo.contiene(mes)),
        )
        for periodo in objetivo_meta.periodos
    ]
