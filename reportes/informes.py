"""The committee's PDF reports: the progress report (datos_avance → html_avance → a_pdf, WeasyPrint)
and the verification report (pdf_verificacion: Typst, in parts, see reportes.verificacion).

Every figure comes from seguimiento.avance (the same call the dashboard makes),
so the reports and the dashboard agree by construction. pdf_avance and
pdf_verificacion take (plan, corte) and return the PDF's bytes, for a view or a
task worker alike. The progress report's three steps are separate functions so
that bench/reportes.py can time our queries and templates against WeasyPrint.
"""

import datetime
import io
from collections import defaultdict
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
from seguimiento import narrativa
from seguimiento.avance import avance_plan, sin_reportar
from seguimiento.models import ArchivoEvidencia, ParticipacionGrupo
from seguimiento.participantes import EDADES, SEXOS, participantes_al_corte

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
    pendientes = sin_reportar(plan, mes)
    editada = narrativa.editada(plan, corte)
    participantes = participantes_al_corte(plan, corte)
    indicadores = defaultdict(list)
    for indicador in Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan).order_by("codigo", "pk"):
        indicadores[indicador.meta_id].append(indicador)
    return {
        **_comunes(plan, corte, _("Informe de avance")),
        "avance": avance,
        "grafico": grafico_meses(avance.ejecucion.meses),
        "mes": mes,
        "programado_mes": sum(m.programado for m in avance.ejecucion.meses if m.mes == mes),
        "pendientes": pendientes,
        "indicadores": indicadores,
        **datos_participantes(avance, participantes),
        # the coordinator's text, or the one generated from these same figures (seguimiento.narrativa)
        "narrativa": editada.texto if editada else narrativa.redactar(avance, participantes, pendientes),
        "narrativa_editada": editada,
    }


def datos_participantes(avance, participantes):
    """Participants of the approved evidence by plan, line and strategy (rows) and by grupo de valor."""
    filas = [(_("Plan"), participantes.total(), "total")]
    for linea in avance.lineas:
        filas.append((f"{_('Línea')} {linea.linea.numero}", participantes.de_linea(linea.linea.pk), "linea"))
        for e in linea.estrategias:
            filas.append(
                (f"{_('Estrategia')} {e.estrategia.numero}", participantes.de_estrategia(e.estrategia.pk), "estrategia")
            )
    total = participantes.total()
    return {
        "participantes_filas": filas,
        "participantes_por_grupo": participantes.por_grupo(total),
        "participantes_sexos": [etiqueta for _campo, etiqueta in SEXOS],
        "participantes_edades": [etiqueta for _campo, etiqueta in EDADES],
    }


def html_avance(datos):
    return render_to_string("reportes/avance.html", datos)


# ---- informe de verificación ----


def evidencias_aprobadas_con_detalle(evidencias):
    """The evidences with all the verification report shows of them: four queries whatever the amount."""
    return (
        evidencias.select_related("secretaria", "revisor")
        .prefetch_related(
            Prefetch("participacion_grupos", queryset=ParticipacionGrupo.objects.select_related("grupo")),
            Prefetch("archivos", queryset=ArchivoEvidencia.objects.order_by("subido_en", "pk")),
        )
        .order_by("meta_id", "fecha_actividad", "pk")
    )


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


def pdf_avance_publico(plan, corte):
    """The progress report for the Menú Participa: the same figures, without people's names (no
    signatures, no delegates in «quién no ha reportado»)."""
    return a_pdf(html_avance({**datos_avance(plan, corte), "publico": True}))


def pdf_verificacion(plan, corte):
    """The verification report's bytes, drawn by Typst in parts (reportes.verificacion).

    For a worker (report jobs, archives) or a small report in the request; a large one is better
    written straight to a file with verificacion.escribir_verificacion.
    """
    from reportes.verificacion import escribir_verificacion

    destino = io.BytesIO()
    escribir_verificacion(plan, corte, destino)
    return destino.getvalue()


def nombre_archivo(prefijo, plan, corte, extension):
    """ "informe-avance-municipio-de-candelaria-2023-03-31.pdf" """
    fecha = corte.isoformat() if isinstance(corte, datetime.date) else ""
    return f"{prefijo}-{slugify(plan.municipio)}-{fecha}.{extension}".replace("-.", ".")
