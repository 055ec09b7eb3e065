"""Importing the cronograma from the browser: upload → preview (with the changes, for a plan that exists) → confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from plan_participacion import acciones, ciclo, importacion
from plan_participacion.forms import ConfirmarImportacionForm, ImportarPlanForm
from plan_participacion.importer import ErrorImportacion, PlanExistente, importar
from plan_participacion.models import Plan


def _pagina_subida(request, form, error=None):
    return render(request, "plan/importar.html", {"form": form, "error": error})


def _vista_previa(request, datos, nombre, token, *, error=None, usar_hoja=False):
    """The preview page; an importer refusal brings back the upload form with its message."""
    try:
        resultado = importacion.previsualizar(datos, nombre, request.user)
    except ErrorImportacion as refusal:
        importacion.descartar_pendiente(request.session)
        return _pagina_subida(request, ImportarPlanForm(), refusal.mensaje)
    resumen = resultado.resumen
    existente = None
    if resumen.actualizado:
        existente = (
            Plan.objects.visible_para(request.user)
            .filter(
                entidad__nombre=resumen.entidad,
                municipio__iexact=resumen.municipio,
                mes_inicio=resumen.mes_inicio,
                mes_fin=resumen.mes_fin,
            )
            .first()
        )
    confirmar = ConfirmarImportacionForm(
        initial={"token": token, "actualizar": resumen.actualizado, "usar_hoja": usar_hoja}
    )
    return render(
        request,
        "plan/importar_vista_previa.html",
        {
            "resumen": resumen,
            "advertencias": resultado.advertencias,
            "arbol": importacion.arbol(resultado.plan_leido),
            "existente": existente,
            "diferencias": resumen.diferencias,
            "ciclo_sugerido": ciclo.sugerencias_leidas(resultado.plan_leido),
            "form": confirmar,
            "error": error,
        },
    )


@login_required
@permission_required("plan_participacion.importar_plan", raise_exception=True)
def plan_importar(request):
    """Upload a sheet and see what would be imported; nothing is written until confirmed."""
    form = ImportarPlanForm(request.POST, request.FILES) if request.method == "POST" else ImportarPlanForm()
    if not form.is_valid():
        return _pagina_subida(request, form)
    datos, nombre = form.cleaned_data["datos"], form.cleaned_data["nombre"]
    token = importacion.guardar_pendiente(request.session, datos, nombre)
    return _vista_previa(request, datos, nombre, token)


def _conclusion(plan, resumen):
    if resumen.actualizado:
        diferencias = resumen.diferencias
        mensaje = _("Plan actualizado: %(plan)s. %(cambios)s cambio(s) aplicado(s).") % {
            "plan": plan,
            "cambios": len(diferencias.cambios),
        }
        if diferencias.conservados_de_la_app:
            mensaje += " " + _("Se conservaron %(n)s valor(es) editado(s) en la aplicación.") % {
                "n": diferencias.conservados_de_la_app
            }
        return mensaje
    return _(
        "Plan importado: %(plan)s. %(lineas)s líneas de acción, %(estrategias)s estrategias, "
        "%(metas)s metas, %(indicadores)s indicadores y %(programado)s actividades programadas."
    ) % {
        "plan": plan,
        "lineas": resumen.lineas,
        "estrategias": resumen.estrategias,
        "metas": resumen.metas,
        "indicadores": resumen.indicadores,
        "programado": resumen.total_programado,
    }


@login_required
@permission_required("plan_participacion.importar_plan", raise_exception=True)
@require_POST
def plan_importar_confirmar(request):
    """Import the sheet kept since the preview, reading it again (never trusting the page)."""
    form = ConfirmarImportacionForm(request.POST)
    token = form.data.get("token", "")
    try:
        datos, nombre = importacion.leer_pendiente(request.session, token)
    except importacion.PendienteInvalida:
        messages.error(
            request, _("La vista previa ya no es válida (venció o es de otra sesión). Suba el archivo de nuevo.")
        )
        return redirect("plan_importar")
    valido = form.is_valid()
    actualizar = valido and form.cleaned_data["actualizar"]
    usar_hoja = valido and form.cleaned_data["usar_hoja"]
    try:
        resultado = importar(datos, nombre, actualizar=actualizar, usar_hoja=usar_hoja, usuario=request.user)
    except PlanExistente as existente:
        aviso = _(
            "Mientras revisaba la vista previa se importó el plan %(plan)s. Abajo están los cambios frente a lo "
            "que quedó guardado: revíselos y confirme de nuevo."
        ) % {"plan": existente.plan}
        return _vista_previa(request, datos, nombre, token, error=aviso, usar_hoja=usar_hoja)
    except ErrorImportacion as refusal:
        importacion.descartar_pendiente(request.session)
        return _pagina_subida(request, ImportarPlanForm(), refusal.mensaje)
    importacion.descartar_pendiente(request.session)
    messages.success(request, _conclusion(resultado.plan, resultado.resumen))
    if valido and form.cleaned_data["aplicar_ciclo"]:
        etiquetadas = acciones.aplicar_sugerencias_ciclo(resultado.plan, usuario=request.user)
        if etiquetadas:
            messages.info(request, _ciclo_aplicado(resultado.plan, len(etiquetadas)))
    return redirect(resultado.plan)


def _ciclo_aplicado(plan, n):
    return ngettext(
        "%(n)s estrategia quedó etiquetada con las fases del ciclo sugeridas: revíselas en «Fases del ciclo».",
        "%(n)s estrategias quedaron etiquetadas con las fases del ciclo sugeridas: revíselas en «Fases del ciclo».",
        n,
    ) % {"n": n}
