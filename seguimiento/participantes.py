"""Participants of a plan's approved evidence up to a corte: by sex, age band and grupo de valor.

Read from the summary kept by the actions (seguimiento.resumen: ResumenAprobado holds the sex
and age totals per meta, secretariat and month, ResumenGrupo the grupos de valor), the same way
resumen.aprobado_al_corte reads progress: whole months up to the corte's month from the summary,
minus the approved evidence dated after the corte in that last month, read directly. A fixed
number of queries whatever the amount of evidence.

``participantes_al_corte(plan, corte)`` returns a ``ParticipantesPlan``: the cells per
(strategy, month), from which it totals the plan, each line, each strategy and each month, and
any of those restricted to one month (the dashboard's filter). The dashboard, the progress PDF,
the Excel ("Participantes"), the public page and its open data, the narrative and the yearly
summary all read participants here.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Estrategia, primer_dia, ultimo_dia
from seguimiento.models import Evidencia, GrupoValor, ParticipacionGrupo, ResumenAprobado, ResumenGrupo
from seguimiento.resumen import PARTICIPANTES

# Column names (open data, Excel) and their Spanish labels, in the order reports show them.
SEXOS = (("mujeres", _("Mujeres")), ("hombres", _("Hombres")), ("otro_sexo", _("Otro / sin información")))
EDADES = (
    ("edad_0_17", _("0 a 17 años")),
    ("edad_18_28", _("18 a 28 años")),
    ("edad_29_59", _("29 a 59 años")),
    ("edad_60_mas", _("60 años o más")),
)


@dataclass
class Cifras:
    """Participants of some approved evidence: totals by sex and age band, and by grupo de valor id."""

    participantes_total: int = 0
    mujeres: int = 0
    hombres: int = 0
    otro_sexo: int = 0
    edad_0_17: int = 0
    edad_18_28: int = 0
    edad_29_59: int = 0
    edad_60_mas: int = 0
    grupos: dict = field(default_factory=dict)  # {grupo_id: participants}

    def sumar(self, otras, signo=1):
        for campo in PARTICIPANTES:
            setattr(self, campo, getattr(self, campo) + signo * getattr(otras, campo))
        for grupo_id, n in otras.grupos.items():
            self.grupos[grupo_id] = self.grupos.get(grupo_id, 0) + signo * n
        return self

    @property
    def vacias(self):
        return not self.participantes_total and not any(self.grupos.values())

    def por_sexo(self):
        return [(etiqueta, getattr(self, campo)) for campo, etiqueta in SEXOS]

    def por_edad(self):
        return [(etiqueta, getattr(self, campo)) for campo, etiqueta in EDADES]


@dataclass(frozen=True)
class ParticipantesPlan:
    plan: object
    corte: object
    celdas: dict  # {(estrategia_id, mes): Cifras}
    grupos: tuple  # GrupoValor objects that appear, in their order
    linea_de: dict  # {estrategia_id: linea_id}
    _sumas: dict = field(default_factory=dict, compare=False, repr=False)  # _totales, per month

    def _totales(self, mes):
        """(plan, {linea_id: Cifras}, {estrategia_id: Cifras}) of ``mes`` (None: every month), in one pass
        over the cells; kept, since a page asks for every line and strategy."""
        if mes not in self._sumas:
            plan, lineas, estrategias = Cifras(), defaultdict(Cifras), defaultdict(Cifras)
            for (estrategia_id, mes_celda), cifras in self.celdas.items():
                if mes is None or mes_celda == mes:
                    plan.sumar(cifras)
                    lineas[self.linea_de.get(estrategia_id)].sumar(cifras)
                    estrategias[estrategia_id].sumar(cifras)
            self._sumas[mes] = (plan, dict(lineas), dict(estrategias))
        return self._sumas[mes]

    # Each returns a new Cifras: callers may add to it.
    def total(self, *, mes=None):
        return Cifras().sumar(self._totales(mes)[0])

    def de_estrategia(self, estrategia_id, *, mes=None):
        return Cifras().sumar(self._totales(mes)[2].get(estrategia_id, Cifras()))

    def de_linea(self, linea_id, *, mes=None):
        return Cifras().sumar(self._totales(mes)[1].get(linea_id, Cifras()))

    def por_mes(self):
        """[(first day of the month, Cifras)] of the months with approved participants, in order."""
        meses = sorted({mes for _e, mes in self.celdas})
        return [(mes, self.total(mes=mes)) for mes in meses]

    def meses(self):
        return sorted({mes for _e, mes in self.celdas})

    def por_grupo(self, cifras):
        """[(GrupoValor, participants)] of ``cifras`` for every grupo that appears in the plan."""
        return [(grupo, cifras.grupos.get(grupo.pk, 0)) for grupo in self.grupos]


def participantes_al_corte(plan, corte):
    """Participants of the approved evidence of ``plan`` dated up to ``corte``; five queries."""
    linea_de = dict(Estrategia.objects.filter(objetivo__linea__plan=plan).values_list("pk", "objetivo__linea_id"))
    del_plan = {"meta__estrategia_id__in": sorted(linea_de)}
    mes_corte = primer_dia(corte)
    celdas = defaultdict(Cifras)
    for fila in (
        ResumenAprobado.objects.filter(**del_plan, mes__lte=mes_corte)
        .values("meta__estrategia_id", "mes")
        .annotate(**{campo: Sum(campo) for campo in PARTICIPANTES})
        .order_by()
    ):
        celdas[fila["meta__estrategia_id"], fila["mes"]].sumar(Cifras(**{c: fila[c] for c in PARTICIPANTES}))
    for estrategia_id, mes, grupo_id, n in (
        ResumenGrupo.objects.filter(resumen__meta__estrategia_id__in=sorted(linea_de), resumen__mes__lte=mes_corte)
        .values_list("resumen__meta__estrategia_id", "resumen__mes", "grupo_id")
        .annotate(n=Sum("participantes"))
        .order_by()
    ):
        grupos = celdas[estrategia_id, mes].grupos
        grupos[grupo_id] = grupos.get(grupo_id, 0) + n

    if corte < ultimo_dia(corte):  # the corte's month counts only up to the corte
        posteriores = Evidencia.objects.aprobadas().filter(
            **del_plan, fecha_actividad__gt=corte, fecha_actividad__lte=ultimo_dia(corte)
        )
        for fila in posteriores.values("meta__estrategia_id").annotate(**{c: Sum(c) for c in PARTICIPANTES}).order_by():
            celdas[fila["meta__estrategia_id"], mes_corte].sumar(
                Cifras(**{c: fila[c] or 0 for c in PARTICIPANTES}), signo=-1
            )
        for estrategia_id, grupo_id, n in (
            ParticipacionGrupo.objects.filter(evidencia__in=posteriores)
            .values_list("evidencia__meta__estrategia_id", "grupo_id")
            .annotate(n=Sum("cantidad"))
            .order_by()
        ):
            grupos = celdas[estrategia_id, mes_corte].grupos
            grupos[grupo_id] = grupos.get(grupo_id, 0) - n

    celdas = {clave: cifras for clave, cifras in celdas.items() if not cifras.vacias}
    presentes = {grupo_id for cifras in celdas.values() for grupo_id, n in cifras.grupos.items() if n}
    # The catalogue is short: always one query, so that a page's count does not depend on whether
    # groups were reported (a filter on an empty list would skip it).
    grupos = tuple(g for g in GrupoValor.objects.order_by("orden", "nombre") if g.pk in presentes)
    return ParticipantesPlan(plan=plan, corte=corte, celdas=celdas, grupos=grupos, linea_de=linea_de)
