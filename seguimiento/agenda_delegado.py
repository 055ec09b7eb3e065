"""Mis metas ordered by what is due: what a delegate has to do first, then everything else.

On top, the evidence the coordinator returned (with the reason: fix it and send it again); then
this month's scheduled activities of each of the delegate's strategies, with what the delegate's
secretariats reported this month; then the metas still at 0 whose strategy had activities
scheduled in months already past (overdue); then the rest, line → strategy. A search (a meta's code
such as "1.2", or words, without minding accents) narrows every section; the page does it on the
server, and static/js/mis_metas.js does the same as one types.

Progress and this month's schedule come from seguimiento.mis_metas.metas_del_delegado (and through
it from seguimiento.avance); this module adds three queries of its own, whatever the plan's size.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from plan_participacion.models import ProgramacionMensual, clave_nombre, primer_dia, sumar_meses
from seguimiento.mis_metas import EstrategiaDelegado, LineaDelegado, metas_del_delegado
from seguimiento.models import Evidencia

Estado = Evidencia.Estado
_CODIGO = re.compile(r"\d+(?:\.\d+)*\.?")
# Up to this many overdue metas are shown unfolded.
ATRASADAS_ABIERTAS = 6


def clave_busqueda(*textos):
    """The text a search looks in: lower case, without accents or punctuation (plan_participacion.clave_nombre)."""
    return " ".join(clave_nombre(str(t)) for t in textos if t)


class Busqueda:
    """A search typed by the delegate: a meta's code ("1.2", "3") or words, all of which must appear."""

    def __init__(self, texto):
        self.texto = " ".join((texto or "").split())[:100]
        self.codigo = self.texto.rstrip(".") if _CODIGO.fullmatch(self.texto) else ""
        self.palabras = clave_nombre(self.texto).split() if not self.codigo else []

    def __bool__(self):
        return bool(self.texto)

    def encuentra(self, meta, estrategia, linea):
        if not self:
            return True
        if self.codigo:
            return meta.codigo == self.codigo or meta.codigo.startswith(self.codigo + ".")
        texto = clave_busqueda(meta.codigo, meta.texto, estrategia.texto, linea.nombre)
        return all(palabra in texto for palabra in self.palabras)


@dataclass
class EstrategiaDelMes:
    fila: EstrategiaDelegado
    programadas: int
    reportadas: dict  # {estado: evidence of this month by the delegate's secretariats}
    oculta: bool = False  # none of its metas matches the search

    @property
    def total_reportadas(self):
        return sum(self.reportadas.values())


@dataclass
class Atrasadas:
    """The overdue metas of one strategy: at 0 although it had activities scheduled in months already past."""

    estrategia: object
    linea: object
    meses: list  # those past months, first to last
    metas: list = field(default_factory=list)  # mis_metas.MetaDelegado

    @property
    def oculta(self):
        return all(m.oculta for m in self.metas)


@dataclass
class Agenda:
    """The page's sections. Everything is there; what the search leaves out is marked ``oculta``
    (rendered with ``hidden``: gone without JavaScript, and the page's script can bring it back)."""

    mes: object
    mes_en_plan: bool
    busqueda: Busqueda
    devueltas: list = field(default_factory=list)  # Evidencia, with .oculta
    este_mes: list = field(default_factory=list)  # EstrategiaDelMes
    atrasadas: list = field(default_factory=list)  # Atrasadas, one per strategy
    resto: list = field(default_factory=list)  # LineaDelegado without the overdue metas, with .oculta
    total_metas: int = 0
    encontradas: int = 0
    claves: dict = field(default_factory=dict)  # meta pk → what the page's script searches in

    @property
    def devueltas_visibles(self):
        return any(not e.oculta for e in self.devueltas)

    @property
    def este_mes_visible(self):
        return any(not e.oculta for e in self.este_mes)

    @property
    def atrasadas_visibles(self):
        return any(not a.oculta for a in self.atrasadas)

    @property
    def total_atrasadas(self):
        return sum(len(a.metas) for a in self.atrasadas)

    @property
    def pocas_atrasadas(self):
        """Few overdue metas are shown open; many (a plan that ended at 0) fold by strategy."""
        return self.total_atrasadas <= ATRASADAS_ABIERTAS

    @property
    def atrasadas_abiertas(self):
        return bool(self.busqueda) or self.pocas_atrasadas

    @property
    def resto_visible(self):
        return any(not linea.oculta for linea in self.resto)


def _en_cero(avance):
    return avance.aprobada == 0 and avance.en_revision == 0


def agenda(usuario, plan, hoy, consulta=""):
    """The sections of Mis metas for ``usuario`` on ``hoy`` (see the module), searched with ``consulta``.

    Returns (Agenda, the lines of metas_del_delegado).
    """
    busqueda = Busqueda(consulta)
    mes = primer_dia(hoy)
    mes_en_plan = plan.mes_inicio <= mes <= plan.mes_fin
    resultado = Agenda(mes=mes, mes_en_plan=mes_en_plan, busqueda=busqueda)
    lineas = metas_del_delegado(usuario, plan, hoy)
    ids = [e.estrategia.pk for linea in lineas for e in linea.estrategias]
    mias = [s.pk for s in usuario.secretarias.all()]

    meses_pasados = defaultdict(list)
    for estrategia_id, mes_programado in ProgramacionMensual.objects.filter(
        estrategia__in=ids, mes__lt=mes
    ).values_list("estrategia_id", "mes"):
        meses_pasados[estrategia_id].append(mes_programado)
    reportadas = defaultdict(dict)
    if mes_en_plan:
        for estrategia_id, estado, n in (
            Evidencia.objects.filter(
                meta__estrategia__in=ids,
                secretaria__in=mias,
                fecha_actividad__gte=mes,
                fecha_actividad__lt=sumar_meses(mes, 1),
            )
            .values_list("meta__estrategia_id", "estado")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            reportadas[estrategia_id][estado] = n

    for linea in lineas:
        resto = LineaDelegado(linea=linea.linea)
        for fila in linea.estrategias:
            estrategia = fila.estrategia
            for m in fila.metas:
                m.oculta = not busqueda.encuentra(m.meta, estrategia, linea.linea)
                resultado.claves[m.meta.pk] = clave_busqueda(
                    m.meta.codigo, m.meta.texto, estrategia.texto, linea.linea.nombre
                )
            resultado.total_metas += len(fila.metas)
            resultado.encontradas += sum(not m.oculta for m in fila.metas)
            if mes_en_plan and fila.programadas_mes:
                resultado.este_mes.append(
                    EstrategiaDelMes(
                        fila=fila,
                        programadas=fila.programadas_mes,
                        reportadas=reportadas[estrategia.pk],
                        oculta=all(m.oculta for m in fila.metas),
                    )
                )
            demas = []
            atrasadas = Atrasadas(estrategia=estrategia, linea=linea.linea, meses=sorted(meses_pasados[estrategia.pk]))
            for m in fila.metas:
                if atrasadas.meses and any(_en_cero(a) for a in m.avances):
                    atrasadas.metas.append(m)
                else:
                    demas.append(m)
            if atrasadas.metas:
                resultado.atrasadas.append(atrasadas)
            if demas:
                copia = EstrategiaDelegado(estrategia, fila.mis_secretarias, fila.programadas_mes, demas)
                copia.oculta = all(m.oculta for m in demas)
                resto.estrategias.append(copia)
        if resto.estrategias:
            resto.oculta = all(e.oculta for e in resto.estrategias)
            resultado.resto.append(resto)

    devueltas = (
        Evidencia.objects.editables_por(usuario)
        .del_plan(plan)
        .filter(estado=Estado.DEVUELTA)
        .select_related("meta__estrategia__objetivo__linea", "secretaria", "revisor")
        .order_by("revisada_en", "pk")
    )
    for evidencia in devueltas:
        meta = evidencia.meta
        linea = meta.estrategia.objetivo.linea
        evidencia.oculta = not busqueda.encuentra(meta, meta.estrategia, linea)
        resultado.claves.setdefault(
            meta.pk, clave_busqueda(meta.codigo, meta.texto, meta.estrategia.texto, linea.nombre)
        )
        resultado.devueltas.append(evidencia)
    return resultado, lineas
