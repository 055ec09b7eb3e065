"""The yearly participation summary the office needs to answer FURAG: one vigencia (calendar year), the
plans of an entidad whose months touch it.

``resumen_furag(planes, anio, hoy=None) -> ResumenFurag``, with ``planes`` already scoped by the caller
(Plan.objects.visible_para(user), see ``planes_del_anio``). For each plan the year's part of it is read at
its *corte*: the last day of the year, or of the plan if it ends earlier, or today if the year is not
over. Nothing here is computed twice:

* activities planned and executed per strategy, month by month, come from seguimiento.avance.avance_plan
  at that corte (only the year's months are added up); per phase of the cycle, the strategies' figures by
  Estrategia.fases (a strategy in two phases counts in both);
* metas met are those at 100 % or more at that corte (avance_plan: since the plan began, as the dashboard);
* participants by grupo de valor, sex and age band come from seguimiento.participantes.participantes_al_corte,
  keeping only the cells of the year's months;
* evidences and files per medio de verificación, and the list of approved evidence with its files and their
  SHA-256, are read from the approved evidence dated in the year's months up to the corte (two queries:
  an evidence with several medios counts under each).

Closed periods: the figures are definitive only when every month of the year that belongs to a plan is
closed (seguimiento.cierres); otherwise the summary is *provisional* and says which months are closed.

Queries: a fixed number per plan (avance_plan, participantes_al_corte, its closing) plus two for the
evidence and its files, whatever the amount of evidence.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plan_participacion.ciclo import Fase, nombres_fases
from plan_participacion.models import Plan, ultimo_dia
from seguimiento import cierres
from seguimiento.avance import avance_plan
from seguimiento.models import ArchivoEvidencia, Evidencia, MedioVerificacion
from seguimiento.participantes import Cifras, participantes_al_corte

SIN_MEDIO = ""


def planes_del_anio(planes, anio):
    """The plans of ``planes`` (a scoped QuerySet) whose months intersect the calendar year ``anio``."""
    return planes.filter(mes_inicio__lte=datetime.date(anio, 12, 1), mes_fin__gte=datetime.date(anio, 1, 1)).order_by(
        "mes_inicio", "pk"
    )


def anios_disponibles(planes):
    """The calendar years the plans' months touch, latest first."""
    anios = set()
    for inicio, fin in planes.values_list("mes_inicio", "mes_fin"):
        anios.update(range(inicio.year, fin.year + 1))
    return sorted(anios, reverse=True)


def corte_del_anio(plan, anio, hoy=None):
    """The last day of the year, of the plan if it ends earlier, or today if the year is not over."""
    hoy = hoy or timezone.localdate()
    fin = min(datetime.date(anio, 12, 31), ultimo_dia(plan.mes_fin), hoy)
    return max(fin, plan.mes_inicio)


@dataclass(frozen=True)
class FilaEstrategia:
    plan: Plan
    estrategia: object  # Estrategia
    fases: tuple  # Fase values
    programado: int  # in the year's months of the plan
    programado_a_la_fecha: int  # in those months up to the corte
    ejecutado: int  # approved evidence dated in those months up to the corte

    @property
    def fases_nombres(self):
        return nombres_fases(self.fases)


@dataclass(frozen=True)
class FilaFase:
    fase: str
    etiqueta: str
    estrategias: int
    programado: int
    programado_a_la_fecha: int
    ejecutado: int

    @property
    def sin_estrategias(self):
        return not self.estrategias


@dataclass(frozen=True)
class FilaMedio:
    medio: str
    etiqueta: str
    evidencias: int
    archivos: int


@dataclass(frozen=True)
class FilaEvidencia:
    evidencia_id: int
    fecha: datetime.date
    plan: Plan
    meta: str  # code
    secretaria: str
    medios: tuple  # labels
    archivo: str  # original file name, "" without files
    tamano: int | None
    sha256: str


@dataclass(frozen=True)
class ResumenPlan:
    plan: Plan
    corte: datetime.date
    meses: tuple  # the plan's months in the year
    meses_cerrados: tuple  # those entirely closed
    metas: int
    metas_cumplidas: int
    estrategias: tuple  # FilaEstrategia

    @property
    def provisional(self):
        return len(self.meses_cerrados) < len(self.meses)


@dataclass(frozen=True)
class ResumenFurag:
    anio: int
    planes: tuple  # ResumenPlan
    fases: tuple  # FilaFase, every phase of the cycle in its order
    participantes: Cifras
    grupos: tuple  # (GrupoValor, participants) of every grupo with participants, in their order
    medios: tuple  # FilaMedio, those with evidence
    evidencias: int  # approved evidence dated in the year (up to each plan's corte)
    archivos: int
    lista: tuple  # FilaEvidencia: one per file (one per evidence without files), by date

    @property
    def provisional(self):
        return any(p.provisional for p in self.planes)

    @property
    def programado(self):
        return sum(e.programado for p in self.planes for e in p.estrategias)

    @property
    def programado_a_la_fecha(self):
        return sum(e.programado_a_la_fecha for p in self.planes for e in p.estrategias)

    @property
    def ejecutado(self):
        return sum(e.ejecutado for p in self.planes for e in p.estrategias)

    @property
    def metas(self):
        return sum(p.metas for p in self.planes)

    @property
    def metas_cumplidas(self):
        return sum(p.metas_cumplidas for p in self.planes)

    def por_sexo(self):
        return self.participantes.por_sexo()

    def por_edad(self):
        return self.participantes.por_edad()


def _del_anio(meses, anio):
    return tuple(m for m in meses if m.mes.year == anio)


def _resumen_plan(plan, anio, corte, cierre, participantes_por_grupo, total):
    avance = avance_plan(plan, corte)
    filas = []
    for avance_estrategia in avance.estrategias():
        meses = _del_anio(avance_estrategia.ejecucion.meses, anio)
        filas.append(
            FilaEstrategia(
                plan=plan,
                estrategia=avance_estrategia.estrategia,
                fases=tuple(avance_estrategia.estrategia.fases or ()),
                programado=sum(m.programado for m in meses),
                programado_a_la_fecha=sum(m.programado for m in meses if not m.posterior_al_corte),
                ejecutado=sum(m.ejecutado or 0 for m in meses),
            )
        )
    metas = avance.metas()
    participantes = participantes_al_corte(plan, corte)
    for (_estrategia_id, mes), cifras in participantes.celdas.items():
        if mes.year == anio:
            total.sumar(cifras)
    for grupo in participantes.grupos:
        participantes_por_grupo.setdefault(grupo.pk, grupo)
    meses_del_anio = tuple(m for m in plan.meses() if m.year == anio)
    return ResumenPlan(
        plan=plan,
        corte=corte,
        meses=meses_del_anio,
        meses_cerrados=tuple(m for m in meses_del_anio if cierres.estado_mes(m, cierre) == cierres.CERRADO),
        metas=len(metas),
        metas_cumplidas=sum(1 for m in metas if m.porcentaje_tope is not None and m.porcentaje_tope >= 100),
        estrategias=tuple(filas),
    )


def _fases(planes):
    filas = []
    for valor, etiqueta in Fase.choices:
        de_la_fase = [e for p in planes for e in p.estrategias if valor in e.fases]
        filas.append(
            FilaFase(
                fase=valor,
                etiqueta=str(etiqueta),
                estrategias=len(de_la_fase),
                programado=sum(e.programado for e in de_la_fase),
                programado_a_la_fecha=sum(e.programado_a_la_fecha for e in de_la_fase),
                ejecutado=sum(e.ejecutado for e in de_la_fase),
            )
        )
    return tuple(filas)


def _aprobadas_del_anio(resumenes, anio):
    """Approved evidence dated in the year's months of each plan, up to its corte."""
    condicion = Q(pk__in=[])
    for r in resumenes:
        if not r.meses:
            continue
        desde = max(datetime.date(anio, 1, 1), r.plan.mes_inicio)
        condicion |= Q(
            meta__estrategia__objetivo__linea__plan=r.plan, fecha_actividad__gte=desde, fecha_actividad__lte=r.corte
        )
    return Evidencia.objects.aprobadas().filter(condicion)


def _medios(evidencias):
    etiquetas = dict(MedioVerificacion.choices)
    por_medio = defaultdict(lambda: [0, 0])
    total_evidencias = total_archivos = 0
    for medios, archivos in evidencias.annotate(n=Count("archivos")).values_list("medios", "n").order_by():
        total_evidencias += 1
        total_archivos += archivos
        for medio in medios or [SIN_MEDIO]:
            por_medio[medio][0] += 1
            por_medio[medio][1] += archivos
    orden = [*MedioVerificacion.values, SIN_MEDIO]
    filas = [
        FilaMedio(medio, str(etiquetas.get(medio, medio or _("Sin medio registrado"))), *por_medio[medio])
        for medio in sorted(por_medio, key=lambda m: orden.index(m) if m in orden else len(orden))
    ]
    return tuple(filas), total_evidencias, total_archivos


def _lista(evidencias, planes):
    etiquetas = dict(MedioVerificacion.choices)
    plan_de = {p.plan.pk: p.plan for p in planes}
    filas = []
    consulta = (
        evidencias.select_related("meta", "secretaria")
        .annotate(id_plan=F("meta__estrategia__objetivo__linea__plan_id"))
        .prefetch_related(Prefetch("archivos", queryset=ArchivoEvidencia.objects.order_by("subido_en", "pk")))
        .order_by("fecha_actividad", "pk")
    )
    for evidencia in consulta:
        comunes = {
            "evidencia_id": evidencia.pk,
            "fecha": evidencia.fecha_actividad,
            "plan": plan_de[evidencia.id_plan],
            "meta": evidencia.meta.codigo,
            "secretaria": evidencia.secretaria.nombre,
            "medios": tuple(str(etiquetas.get(m, m)) for m in evidencia.medios or ()),
        }
        archivos = list(evidencia.archivos.all())
        if not archivos:
            filas.append(FilaEvidencia(**comunes, archivo="", tamano=None, sha256=""))
        for archivo in archivos:
            filas.append(
                FilaEvidencia(**comunes, archivo=archivo.nombre_original, tamano=archivo.tamano, sha256=archivo.sha256)
            )
    return tuple(filas)


def resumen_furag(planes, anio, *, hoy=None):
    """The FURAG summary of ``anio`` over ``planes`` (already scoped; planes_del_anio keeps those of the year)."""
    planes = list(planes_del_anio(planes, anio))
    total = Cifras()
    grupos = {}
    resumenes = []
    for plan in planes:
        corte = corte_del_anio(plan, anio, hoy)
        resumenes.append(_resumen_plan(plan, anio, corte, cierres.vigente(plan), grupos, total))
    evidencias = _aprobadas_del_anio(resumenes, anio)
    medios, n_evidencias, n_archivos = _medios(evidencias)
    por_grupo = tuple(
        (grupo, total.grupos.get(grupo.pk, 0))
        for grupo in sorted(grupos.values(), key=lambda g: (g.orden, g.nombre))
        if total.grupos.get(grupo.pk, 0)
    )
    return ResumenFurag(
        anio=anio,
        planes=tuple(resumenes),
        fases=_fases(resumenes),
        participantes=total,
        grupos=por_grupo,
        medios=medios,
        evidencias=n_evidencias,
        archivos=n_archivos,
        lista=_lista(evidencias, resumenes),
    )
