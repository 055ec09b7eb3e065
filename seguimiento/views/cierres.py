"""The coordinator's closing page: close a plan up to a date (after seeing what it freezes), reopen the
latest closing with a reason, follow the archive of the signed documents and retry it if it failed.

The changes are seguimiento.acciones.cerrar_periodo, reabrir_periodo and reintentar_archivo.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reportes.templatetags.informes import fecha_larga
from seguimiento import acciones, cierres
from seguimiento.forms_cierres import CierreForm, ReaperturaForm
from seguimiento.models import Cierre, DocumentoFirmado
from seguimiento.vigencias import plan_elegido, plan_por_defecto, planes_visibles

PERMISO = "seguimiento.cerrar_periodo"


def _url(plan):
    return f"{reverse('cierres')}?{urlencode({'plan': plan.pk})}"


def _errores(request, form):
    for errores in form.errors.values():
        for error in errores:
            messages.error(request, error)


@login_required
@permission_required(PERMISO, raise_exception=True)
def cierres_plan(request):
    plan = plan_elegido(request)  # 404 for another entidad's plan
    if plan is None:
        return render(request, "plan/sin_plan.html")
    vigente = cierres.vigente(plan)
    contexto = {
        "plan": plan,
        "planes": planes_visibles(request),
        "vigente": vigente,
        "historial": plan.cierres.select_related("cerrado_por", "reabierto_por").prefetch_related(
            Prefetch("documentos", queryset=DocumentoFirmado.objects.order_by("pk"))
        ),
        # ids unlike the closing form's
        "form_reabrir": ReaperturaForm(initial={"plan": plan}, auto_id="reabrir_%s", usuario=request.user),
    }
    if "hasta" in request.GET:
        # Step 1 of 2: what closing at that date would freeze, and the button that does it.
        form = CierreForm(request.GET, usuario=request.user)
        if form.is_valid():
            hasta = form.cleaned_data["hasta"]
            error = cierres.error_de_fecha(plan, hasta, vigente)
            if error:
                form.add_error("hasta", error)
            else:
                contexto["previa"] = {
                    "hasta": hasta,
                    "motivo": form.cleaned_data["motivo"],
                    "por_estado": cierres.lo_que_se_congela(plan, hasta),
                }
    else:
        form = CierreForm(initial={"plan": plan, "hasta": cierres.fecha_propuesta(plan)}, usuario=request.user)
    contexto["form_cerrar"] = form
    return render(request, "seguimiento/cierres/cierres.html", contexto)


def _con_formulario(request, form, accion, mensaje):
    """Validate the POSTed form, run the action with its data, say how it went, go back to the plan's page."""
    if not form.is_valid():
        _errores(request, form)
        plan = form.cleaned_data.get("plan") or plan_por_defecto(request.user)
        return redirect(_url(plan) if plan else "cierres")
    plan = form.cleaned_data["plan"]
    try:
        cierre = accion(plan, form.cleaned_data)
    except acciones.TransicionInvalida as error:
        messages.error(request, str(error))
    else:
        messages.success(request, mensaje % {"hasta": fecha_larga(cierre.hasta)})
    return redirect(_url(plan))


@login_required
@permission_required(PERMISO, raise_exception=True)
@require_POST
def cierre_cerrar(request):
    return _con_formulario(
        request,
        CierreForm(request.POST, usuario=request.user),
        lambda plan, datos: acciones.cerrar_periodo(plan, datos["hasta"], usuario=request.user, motivo=datos["motivo"]),
        _(
            "Periodo cerrado hasta el %(hasta)s. Desde ahora nadie puede cambiar evidencias de esas fechas; "
            "el archivo firmado se está generando."
        ),
    )


@login_required
@permission_required(PERMISO, raise_exception=True)
@require_POST
def cierre_reabrir(request):
    return _con_formulario(
        request,
        ReaperturaForm(request.POST, usuario=request.user),
        lambda plan, datos: acciones.reabrir_periodo(plan, usuario=request.user, motivo=datos["motivo"]),
        _(
            "Periodo reabierto: las evidencias hasta el %(hasta)s se pueden volver a cambiar. "
            "Su archivo firmado se conserva, marcado como reemplazado."
        ),
    )


@login_required
@permission_required(PERMISO, raise_exception=True)
@require_POST
def cierre_reintentar(request, pk):
    cierre = get_object_or_404(Cierre.objects.visible_para(request.user), pk=pk)
    try:
        acciones.reintentar_archivo(cierre, usuario=request.user)
    except acciones.TransicionInvalida as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Se volvió a pedir el archivo firmado; se está generando."))
    return redirect(_url(cierre.plan))


@never_cache
@login_required
@permission_required(PERMISO, raise_exception=True)
def cierre_estado(request, pk):
    """For static/js/cierres.js, which reloads the page when the archive is no longer being generated."""
    cierre = get_object_or_404(Cierre.objects.visible_para(request.user), pk=pk)
    return JsonResponse(
        {"estado": cierre.estado_archivo, "texto": cierre.get_estado_archivo_display(), "generando": cierre.generando}
    )
