"""The committee's downloads: choose plan and corte on /reportes/, or bookmark the documents' URLs.

Only people with ``seguimiento.descargar_reportes`` (Comité and Coordinador)
get them; anonymous users go to the login page, delegates get a 403. Bad
parameters never reach the report: the /reportes/ page explains them (400).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from plan_participacion.models import Plan
from reportes import diferidos, firmados, informes
from reportes.excel import TIPO_XLSX, libro_cronograma
from reportes.forms import ReporteForm
from seguimiento.avance import corte_por_defecto
from seguimiento.models import DocumentoFirmado

DOCUMENTOS = ["reporte_avance", "reporte_verificacion", "reporte_cronograma"]


def elegir(request):
    """(plan, corte, form) from the query string; plan is None when there is no plan or the form is invalid."""
    form = ReporteForm(request.GET)
    if not form.is_valid() or form.cleaned_data.get("plan") is None:
        return None, None, form
    plan = form.cleaned_data["plan"]
    return plan, form.cleaned_data.get("corte") or corte_por_defecto(plan), form


def enlaces(request, plan, corte):
    """Bookmarkable absolute URLs of the three documents for this plan and corte.

    A plan chosen in the query string stays in the links; without one they follow the latest plan.
    """
    parametros = {"corte": corte.isoformat()}
    if request.GET.get("plan"):
        parametros = {"plan": plan.pk, **parametros}
    consulta = urlencode(parametros)
    return {nombre: request.build_absolute_uri(f"{reverse(nombre)}?{consulta}") for nombre in DOCUMENTOS}


def _pagina(request, form, plan=None, corte=None, status=200):
    contexto = {"form": form, "plan": plan, "corte": corte}
    contexto["hay_planes"] = plan is not None or Plan.objects.exists()
    if plan is not None:
        contexto["enlaces"] = enlaces(request, plan, corte)
    return render(request, "reportes/inicio.html", contexto, status=status)


@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def inicio(request):
    plan, corte, form = elegir(request)
    if plan is not None:
        form = ReporteForm(initial={"plan": plan, "corte": corte})
    return _pagina(request, form, plan, corte, status=400 if form.errors else 200)


def _adjunto(contenido, tipo, nombre):
    respuesta = HttpResponse(contenido, content_type=tipo)
    respuesta["Content-Disposition"] = content_disposition_header(True, nombre)
    return respuesta


def _descarga(request, generar, tipo, prefijo, extension):
    plan, corte, form = elegir(request)
    if plan is None:
        return _pagina(request, form, status=400 if form.errors else 404)
    return _adjunto(generar(plan, corte), tipo, informes.nombre_archivo(prefijo, plan, corte, extension))


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
@firmados.servido_del_archivo(DocumentoFirmado.Tipo.AVANCE)  # a closing's date: the signed document
def avance_pdf(request):
    return _descarga(request, informes.pdf_avance, "application/pdf", "informe-avance", "pdf")


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
@firmados.servido_del_archivo(DocumentoFirmado.Tipo.VERIFICACION)  # a closing's date: the signed document
def verificacion_pdf(request):
    """Rendered in the request up to diferidos.umbral() evidences; larger ones in the background (202)."""
    plan, corte, form = elegir(request)
    if plan is None:
        return _pagina(request, form, status=400 if form.errors else 404)
    nombre = informes.nombre_archivo("informe-verificacion", plan, corte, "pdf")
    aprobadas, huella = diferidos.estado(plan, corte)
    if aprobadas <= diferidos.umbral():
        return _adjunto(informes.pdf_verificacion(plan, corte), "application/pdf", nombre)
    ruta = diferidos.verificacion_en_disco(plan, corte, huella)
    if ruta is None:
        contexto = {"plan": plan, "corte": corte, "aprobadas": aprobadas}
        return render(request, "reportes/preparando.html", contexto, status=202)
    return FileResponse(ruta.open("rb"), as_attachment=True, filename=nombre, content_type="application/pdf")


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
@firmados.servido_del_archivo(DocumentoFirmado.Tipo.CRONOGRAMA)  # a closing's date: the signed document
def cronograma_xlsx(request):
    return _descarga(request, libro_cronograma, TIPO_XLSX, "cronograma", "xlsx")
