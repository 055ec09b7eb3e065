"""The committee's PDF reports: what each one shows (datos_*), its HTML (html_*) and the PDF (a_pdf).

Every figure comes from seguimiento.avance (the same call the dashboard makes),
so the reports and the dashboard agree by construction. The three steps are
separate functions so that bench/reportes.py can time our queries and templates
against WeasyPrint's own rendering.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from plan_participacion.models import Indicador, primer_dia
from reportes.grafico import grafico_meses
from reportes.recursos import LectorEstaticos, carpeta_reportes, url_base
from seguimiento.avance import avance_plan, sin_reportar
from seguimiento.models import ArchivoEvidencia, Evidencia, ParticipacionGrupo

HOJA_DE_ESTILOS = "informe.css"


@cache
def _css_de_disco(ruta, modificado):
    return ruta.read_text(encoding="utf-8")


def hoja_de_estilos():
    """Text of static/reportes/informe.css (given to WeasyPrint as a string, never as a URL)."""
    ruta = carpeta_reportes() / HOJA_DE_ESTILOS
    return _css_de_disco(ruta, ruta.stat().st_mtime_ns)


def _comunes(plan, corte, titulo_informe):
    return {
        "plan": plan,
        "corte": corte,
        "titulo_informe": titulo_informe,
        "generado": timezone.localtime(),
    }


# ---- informe de avance ----


def datos_avance(plan, corte):
    """Context of the progress report: the dashboard's avance and "quién no ha reportado" of the corte's month."""
    avance = avance_plan(plan, corte)
    mes = primer_dia(corte)
    indicadores = defaultdict(list)
    for indicador in Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan).order_by("codigo", "pk"):
        indicadores[indicador.meta_id].append(indicador)
    return {
        **_comunes(plan, corte, _("Informe de avance")),
        "avance": avance,
        "grafico": grafico_meses(avance.ejecucion.meses),
        "mes": mes,
        "programado_mes": sum(m.programado for m in avance.ejecucion.meses if m.mes == mes),
        "pendientes": sin_reportar(plan, mes),
        "indicadores": indicadores,
    }


def html_avance(datos):
    return render_to_string("reportes/avance.html", datos)


# ---- informe de verificación ----


@dataclass(frozen=True)
class EvidenciaVerificada:
    evidencia: Evidencia
    cuenta: bool  # False: its secretariat is not responsible for a meta "de cada secretaría"


@dataclass(frozen=True)
class MetaVerificada:
    avance: object  # avance.AvanceMeta
    evidencias: tuple  # EvidenciaVerificada, by date
    cantidad_listada: int
    archivos: int


def evidencias_aprobadas(plan, corte):
    """Approved evidence of the plan dated up to the corte, with all it shows: four queries whatever the amount."""
    return (
        Evidencia.objects.aprobadas()
        .del_plan(plan)
        .filter(fecha_actividad__lte=corte)
        .select_related("secretaria", "revisor")
        .prefetch_related(
            Prefetch("participacion_grupos", queryset=ParticipacionGrupo.objects.select_related("grupo")),
            Prefetch("archivos", queryset=ArchivoEvidencia.objects.order_by("subido_en", "pk")),
        )
        .order_by("meta_id", "fecha_actividad", "pk")
    )


def datos_verificacion(plan, corte):
    """Context of the verification report: per meta, its progress and every approved evidence up to the corte."""
    avance = avance_plan(plan, corte)
    por_meta = defaultdict(list)
    for evidencia in evidencias_aprobadas(plan, corte):
        por_meta[evidencia.meta_id].append(evidencia)
    metas = {}
    total_evidencias = total_archivos = 0
    for estrategia in avance.estrategias():
        responsables = {s.pk for s in estrategia.estrategia.responsables.all()}
        for avance_meta in estrategia.metas:
            filtra = avance_meta.meta.por_secretaria and responsables
            evidencias = tuple(
                EvidenciaVerificada(e, not filtra or e.secretaria_id in responsables)
                for e in por_meta[avance_meta.meta.pk]
            )
            archivos = sum(len(e.evidencia.archivos.all()) for e in evidencias)
            metas[avance_meta.meta.pk] = MetaVerificada(
                avance=avance_meta,
                evidencias=evidencias,
                cantidad_listada=sum(e.evidencia.cantidad for e in evidencias if e.cuenta),
                archivos=archivos,
            )
            total_evidencias += len(evidencias)
            total_archivos += archivos
    return {
        **_comunes(plan, corte, _("Informe de verificación")),
        "avance": avance,
        "metas": metas,
        "total_evidencias": total_evidencias,
        "total_archivos": total_archivos,
    }


def html_verificacion(datos):
    return render_to_string("reportes/verificacion.html", datos)


# ---- PDF ----


class InformeInvalido(Exception):
    """The report's HTML asked WeasyPrint for something outside the static files; no PDF is produced."""


def a_pdf(html):
    """WeasyPrint's rendering of a report's HTML, reading only static/reportes/ (see reportes.recursos)."""
    lector = LectorEstaticos()
    base = url_base()
    fuentes = FontConfiguration()
    try:
        estilos = CSS(string=hoja_de_estilos(), base_url=base, url_fetcher=lector, font_config=fuentes)
        documento = HTML(string=html, base_url=base, url_fetcher=lector)
        return documento.write_pdf(stylesheets=[estilos], font_config=fuentes)
    except FatalURLFetchingError as error:
        # A BaseException for WeasyPrint (it must stop the rendering); an ordinary error for Django.
        raise InformeInvalido(str(error)) from error


def pdf_avance(plan, corte):
    return a_pdf(html_avance(datos_avance(plan, corte)))


def pdf_verificacion(plan, corte):
    return a_pdf(html_verificacion(datos_verificacion(plan, corte)))


def nombre_archivo(prefijo, plan, corte, extension):
    """ "informe-avance-municipio-de-candelaria-2023-03-31.pdf" """
    fecha = corte.isoformat() if isinstance(corte, datetime.date) else ""
    return f"{prefijo}-{slugify(plan.municipio)}-{fecha}.{extension}".replace("-.", ".")
