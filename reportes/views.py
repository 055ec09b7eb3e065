"""The committee's downloads: choose plan and corte on /reportes/, or bookmark the documents' URLs.

Only people with ``seguimiento.descargar_reportes`` (Comité and Coordinador)
get them; anonymous users go to the login page, delegates get a 403. Bad
parameters never reach the report: the /reportes/ page explains them (400).

A verification report larger than REPORTES_EVIDENCIAS_EN_LINEA approved evidences
is a job (reportes.trabajos): its URL answers 202 with the job's page until the
file exists, then 200 with the PDF. The job page (/reportes/informes/<id>/)
refreshes itself while the job waits or runs, offers "Descargar" when it is ready
and "Reintentar" when it failed.
"""

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from plan_participacion.almacen import almacen_privado
from reportes import firmados, informes, trabajos
from reportes.excel import TIPO_XLSX, libro_cronograma
from reportes.forms import ReporteForm
from reportes.models import Informe
from seguimiento import vigencias
from seguimiento.avance import corte_por_defecto
from seguimiento.models import DocumentoFirmado

RECIENTES = 10

DOCUMENTOS = ["reporte_avance", "reporte_verificacion", "reporte_cronograma"]


def elegir(request):
    """(plan, corte, form) from the query string; plan is None when there is no plan or the form is invalid."""
    elegido = vigencias.plan_elegido(request)  # 404 for a plan the user may not see (another entidad's)
    form = ReporteForm(request.GET, usuario=request.user, por_defecto=elegido)
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
    contexto["hay_planes"] = plan is not None or bool(vigencias.planes_visibles(request))
    contexto["recientes"] = (
        Informe.objects.visible_para(request.user).pedidos_por(request.user).select_related("plan")[:RECIENTES]
    )
    if plan is not None:
        contexto["enlaces"] = enlaces(request, plan, corte)
    return render(request, "reportes/inicio.html", contexto, status=status)


@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def inicio(request):
    plan, corte, form = elegir(request)
    if plan is not None:
        form = ReporteForm(initial={"plan": plan, "corte": corte}, usuario=request.user)
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
    """Drawn in the request up to REPORTES_EVIDENCIAS_EN_LINEA approved evidences (never with 0); else a job."""
    plan, corte, form = elegir(request)
    if plan is None:
        return _pagina(request, form, status=400 if form.errors else 404)
    nombre = informes.nombre_archivo("informe-verificacion", plan, corte, "pdf")
    datos = trabajos.estado_de_los_datos(plan, corte)
    umbral = settings.REPORTES_EVIDENCIAS_EN_LINEA
    if umbral > 0 and datos[0] <= umbral:
        return _adjunto(informes.pdf_verificacion(plan, corte), "application/pdf", nombre)
    try:
        informe = trabajos.pedir(plan, corte, usuario=request.user, datos=datos)
    except trabajos.DemasiadosPendientes as error:
        return _demasiados(request, error)
    if informe.estado == Informe.Estado.LISTO:
        return _archivo_del_informe(informe)
    return _pagina_informe(request, informe, status=202)


def _demasiados(request, error):
    contexto = {"mensaje": str(error), "pendientes": Informe.objects.pendientes().pedidos_por(request.user)}
    return render(request, "reportes/demasiados.html", contexto, status=429)


def _archivo_del_informe(informe):
    """The stored PDF, streamed from the private storage (folder or bucket), never through a public URL."""
    try:
        contenido = almacen_privado.open(informe.archivo, "rb")
    except FileNotFoundError as error:
        raise Http404(_("El archivo del informe ya no está en el almacén: pídalo de nuevo.")) from error
    nombre = informes.nombre_archivo("informe-verificacion", informe.plan, informe.corte, "pdf")
    respuesta = FileResponse(contenido, as_attachment=True, filename=nombre, content_type="application/pdf")
    if informe.tamano is not None:
        respuesta["Content-Length"] = str(informe.tamano)
    respuesta["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(informe.sha256)).decode()}:"
    respuesta["X-Content-Type-Options"] = "nosniff"
    respuesta["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return respuesta


def _pagina_informe(request, informe, status=200):
    delante = 0
    if informe.estado == Informe.Estado.EN_COLA:
        delante = Informe.objects.pendientes().filter(pedido_en__lt=informe.pedido_en).count()
    contexto = {"informe": informe, "delante": delante, "refrescar": informe.pendiente}
    return render(request, "reportes/informe.html", contexto, status=status)


def _informe(request, pk):
    return get_object_or_404(Informe.objects.visible_para(request.user).select_related("plan", "pedido_por"), pk=pk)


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def informe_detalle(request, pk):
    return _pagina_informe(request, _informe(request, pk))


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def informe_descargar(request, pk):
    informe = _informe(request, pk)
    if informe.estado != Informe.Estado.LISTO:
        return redirect(informe)
    return _archivo_del_informe(informe)


@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
@require_POST
def informe_reintentar(request, pk):
    informe = _informe(request, pk)
    try:
        trabajos.reintentar(informe, usuario=request.user)
    except trabajos.DemasiadosPendientes as error:
        return _demasiados(request, error)
    messages.success(request, _("El informe volvió a la cola: esta página muestra cómo avanza."))
    return redirect(informe)


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
@firmados.servido_del_archivo(DocumentoFirmado.Tipo.CRONOGRAMA)  # a closing's date: the signed document
def cronograma_xlsx(request):
    return _descarga(request, libro_cronograma, TIPO_XLSX, "cronograma", "xlsx")
