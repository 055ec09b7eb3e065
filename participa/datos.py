"""What the Menú Participa shows of a published plan, and its open data: rows with stable column names.

Every figure comes from seguimiento.avance (progress, planned vs executed) and
seguimiento.participantes (participants), which read the summary of approved evidence: a public
page costs a fixed number of queries whatever the amount of evidence. Nothing personal leaves this
module: no names of people, no files, no evidence descriptions; secretarías are named (they are
the responsables of the plan, public by law).

The columns of each data set are declared once here (``COLUMNAS``), with their type and meaning:
the CSV header, the JSON keys and the data dictionary page (/participa/<id>/diccionario/) read them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Indicador
from seguimiento.avance import avance_plan, corte_por_defecto
from seguimiento.models import DocumentoFirmado, Evidencia
from seguimiento.participantes import EDADES, SEXOS, participantes_al_corte


@dataclass(frozen=True)
class Columna:
    nombre: str
    tipo: str
    descripcion: str


ENTERO, DECIMAL, TEXTO, FECHA = _("número entero"), _("número decimal (punto)"), _("texto"), _("fecha ISO 8601")

COLUMNAS = {
    "metas": (
        Columna("plan_id", ENTERO, _("Identificador del plan en este sitio.")),
        Columna("linea_numero", ENTERO, _("Número de la línea de acción.")),
        Columna("linea", TEXTO, _("Nombre de la línea de acción (subprograma del plan de desarrollo).")),
        Columna("estrategia_numero", ENTERO, _("Número de la estrategia, como en la hoja del plan.")),
        Columna("estrategia", TEXTO, _("Texto de la estrategia.")),
        Columna("meta_codigo", TEXTO, _("Código de la meta, como en la hoja: 1.1, 1.2 …")),
        Columna("meta", TEXTO, _("Texto de la meta.")),
        Columna("indicador_codigo", TEXTO, _("Código del indicador de cumplimiento (varios separados por «; »).")),
        Columna("indicador", TEXTO, _("Texto del indicador de cumplimiento (varios separados por «; »).")),
        Columna("periodicidad", TEXTO, _("Cada cuánto se cumple la meta: única, anual, semestral …")),
        Columna(
            "objetivo",
            ENTERO,
            _(
                "Cantidad que la meta debe alcanzar en todo el plan (en las metas periódicas, la de cada periodo por "
                "los periodos que cuentan, o la que fijó la coordinación); en las metas «de cada secretaría», por el "
                "número de responsables."
            ),
        ),
        Columna("aprobado", ENTERO, _("Cantidad aprobada hasta la fecha de corte (solo evidencias aprobadas).")),
        Columna("porcentaje", DECIMAL, _("aprobado / objetivo × 100, con un decimal; puede pasar de 100.")),
        Columna("semaforo", TEXTO, _("rojo, amarillo o verde según los umbrales del plan; vacío sin cifra.")),
        Columna("responsables", TEXTO, _("Secretarías responsables de la estrategia, separadas por «; ».")),
        Columna("corte", FECHA, _("Fecha de corte de las cifras.")),
    ),
    "cronograma": (
        Columna("plan_id", ENTERO, _("Identificador del plan en este sitio.")),
        Columna("linea_numero", ENTERO, _("Número de la línea de acción.")),
        Columna("estrategia_numero", ENTERO, _("Número de la estrategia.")),
        Columna("estrategia", TEXTO, _("Texto de la estrategia.")),
        Columna("mes", FECHA, _("Primer día del mes.")),
        Columna("programado", ENTERO, _("Actividades programadas en el mes según el cronograma del plan.")),
        Columna(
            "ejecutado",
            ENTERO,
            _("Actividades ejecutadas en el mes (una evidencia aprobada es una actividad); vacío después del corte."),
        ),
        Columna("corte", FECHA, _("Fecha de corte de las cifras.")),
    ),
    "participantes": (
        Columna("plan_id", ENTERO, _("Identificador del plan en este sitio.")),
        Columna("mes", FECHA, _("Primer día del mes de las actividades.")),
        Columna("dimension", TEXTO, _("total, sexo, edad o grupo_valor.")),
        Columna(
            "categoria",
            TEXTO,
            _(
                "Dentro de la dimensión: participantes; mujeres, hombres, otro_sexo; edad_0_17, edad_18_28, "
                "edad_29_59, edad_60_mas; o el nombre del grupo de valor."
            ),
        ),
        Columna("participantes", ENTERO, _("Personas que participaron según las evidencias aprobadas.")),
        Columna("corte", FECHA, _("Fecha de corte de las cifras.")),
    ),
}

CONJUNTOS = {
    "metas": _("Metas: una fila por meta con su avance y semáforo"),
    "cronograma": _("Cronograma: una fila por estrategia y mes, programado y ejecutado"),
    "participantes": _("Participantes: totales por mes, sexo, edad y grupo de valor"),
}


def licencia():
    return {"nombre": settings.DATOS_ABIERTOS_LICENCIA, "url": settings.DATOS_ABIERTOS_LICENCIA_URL}


def _porcentaje(valor):
    return None if valor is None else Decimal(valor)


@dataclass(frozen=True)
class PlanPublico:
    plan: object
    corte: object
    avance: object
    participantes: object
    indicadores: dict  # {meta_id: [Indicador]}
    ultima_aprobacion: object  # datetime of the last approved evidence, or None
    informes: tuple  # DocumentoFirmado of tipo AVANCE_PUBLICO of the closings in force

    def filas_metas(self):
        filas = []
        for linea in self.avance.lineas:
            for e in linea.estrategias:
                responsables = "; ".join(s.nombre for s in e.estrategia.responsables.all())
                for m in e.metas:
                    indicadores = self.indicadores.get(m.meta.pk, [])
                    filas.append(
                        {
                            "plan_id": self.plan.pk,
                            "linea_numero": linea.linea.numero,
                            "linea": linea.linea.nombre,
                            "estrategia_numero": e.estrategia.numero,
                            "estrategia": e.estrategia.texto,
                            "meta_codigo": m.meta.codigo,
                            "meta": m.meta.texto,
                            "indicador_codigo": "; ".join(i.codigo for i in indicadores),
                            "indicador": "; ".join(i.texto for i in indicadores),
                            "periodicidad": m.meta.periodicidad,
                            "objetivo": m.objetivo,
                            "aprobado": m.aprobado_que_cuenta,
                            "porcentaje": _porcentaje(m.porcentaje),
                            "semaforo": m.color or "",
                            "responsables": responsables,
                            "corte": self.corte,
                        }
                    )
        return filas

    def filas_cronograma(self):
        filas = []
        for linea in self.avance.lineas:
            for e in linea.estrategias:
                for mes in e.ejecucion.meses:
                    filas.append(
                        {
                            "plan_id": self.plan.pk,
                            "linea_numero": linea.linea.numero,
                            "estrategia_numero": e.estrategia.numero,
                            "estrategia": e.estrategia.texto,
                            "mes": mes.mes,
                            "programado": mes.programado,
                            "ejecutado": mes.ejecutado,
                            "corte": self.corte,
                        }
                    )
        return filas

    def filas_participantes(self):
        filas = []
        for mes, cifras in self.participantes.por_mes():
            categorias = [("total", "participantes", cifras.participantes_total)]
            categorias += [("sexo", campo, getattr(cifras, campo)) for campo, _etiqueta in SEXOS]
            categorias += [("edad", campo, getattr(cifras, campo)) for campo, _etiqueta in EDADES]
            categorias += [("grupo_valor", g.nombre, n) for g, n in self.participantes.por_grupo(cifras)]
            for dimension, categoria, n in categorias:
                filas.append(
                    {
                        "plan_id": self.plan.pk,
                        "mes": mes,
                        "dimension": dimension,
                        "categoria": categoria,
                        "participantes": n,
                        "corte": self.corte,
                    }
                )
        return filas

    def filas(self, conjunto):
        return {
            "metas": self.filas_metas,
            "cronograma": self.filas_cronograma,
            "participantes": self.filas_participantes,
        }[conjunto]()


def plan_publico(plan, corte=None):
    """Everything the public page and the open data of ``plan`` show; a fixed number of queries."""
    corte = corte or corte_por_defecto(plan)
    avance = avance_plan(plan, corte)
    indicadores = {}
    for indicador in Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan).order_by("codigo", "pk"):
        indicadores.setdefault(indicador.meta_id, []).append(indicador)
    ultima = (
        Evidencia.objects.aprobadas()
        .filter(meta__estrategia__objetivo__linea__plan=plan)
        .aggregate(ultima=Max("revisada_en"))["ultima"]
    )
    informes = tuple(
        DocumentoFirmado.objects.filter(
            cierre__plan=plan, cierre__reabierto_en__isnull=True, tipo=DocumentoFirmado.Tipo.AVANCE_PUBLICO
        )
        .select_related("cierre")
        .order_by("-cierre__hasta", "-pk")
    )
    return PlanPublico(
        plan=plan,
        corte=corte,
        avance=avance,
        participantes=participantes_al_corte(plan, corte),
        indicadores=indicadores,
        ultima_aprobacion=timezone.localtime(ultima) if ultima else None,
        informes=informes,
    )
