from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plan_participacion import importacion
from plan_participacion.forms import ConfirmarImportacionForm, ImportarPlanForm
from plan_participacion.importer import ErrorImportacion, PlanExistente, importar
from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan


@login_required
def inicio(request):
    """Each role lands where its work is: delegates on Mis metas, the coordinator on the review queue
    (with its counts), the committee on the reports; anyone else on the plan."""
    usuario = request.user
    if usuario.secretarias.exists():
        return redirect("mis_metas")
    if usuario.has_perm("seguimiento.revisar_evidencia"):
        return redirect("revision_cola")
    if usuario.has_perm("seguimiento.descargar_reportes"):
        return redirect("reportes")
    return redirect("plan_vigente")


def cronograma(plan, estrategias):
    """Rows of the schedule like the sheet: one per strategy, months as columns, with totals."""
    meses = plan.meses()
    filas = []
    totales_mes = dict.fromkeys(meses, 0)
    for estrategia in estrategias:
        por_mes = {p.mes: p.cantidad for p in estrategia.programacion.all()}
        celdas = [por_mes.get(mes, 0) for mes in meses]
        for mes, cantidad in zip(meses, celdas, strict=True):
            totales_mes[mes] += cantidad
        filas.append({"estrategia": estrategia, "celdas": celdas, "total": sum(celdas)})
    return {
        "meses": meses,
        "filas": filas,
        "totales_mes": [totales_mes[mes] for mes in meses],
        "total": sum(totales_mes.values()),
    }


@login_required
def plan_detalle(request, pk=None):
    planes = Plan.objects.all()
    if pk is None and request.GET.get("plan", "").isdigit():
        return redirect("plan_detalle", pk=int(request.GET["plan"]))
    plan = get_object_or_404(planes, pk=pk) if pk else planes.vigente()
    if plan is None:
        return render(request, "plan/sin_plan.html", status=200)
    estrategias_qs = Estrategia.objects.prefetch_related(
        "responsables",
        "programacion",
        Prefetch("metas", queryset=Meta.objects.prefetch_related("indicadores")),
    )
    lineas = list(
        LineaAccion.objects.filter(plan=plan).prefetch_related(
            Prefetch("objetivos", queryset=Objetivo.objects.prefetch_related(Prefetch("estrategias", estrategias_qs)))
        )
    )
    estrategias = [e for linea in lineas for o in linea.objetivos.all() for e in o.estrategias.all()]
    return render(
        request,
        "plan/plan_detalle.html",
        {
            "plan": plan,
            "planes": planes,
            "lineas": lineas,
            "cronograma": cronograma(plan, estrategias),
            "total_metas": sum(len(e.metas.all()) for e in estrategias),
        },
    )


# ---- importing the cronograma from the browser: upload → preview → confirm ----


def _pagina_subida(request, form, error=None):
    return render(request, "plan/importar.html", {"form": form, "error": error})


def _vista_previa(request, datos, nombre, token, *, error=None, reemplazar=False):
    """The preview page; an importer refusal brings back the upload form with its message."""
    try:
        resultado = importacion.previsualizar(datos, nombre, request.user)
    except ErrorImportacion as refusal:
        importacion.descartar_pendiente(request.session)
        return _pagina_subida(request, ImportarPlanForm(), refusal.mensaje)
    resumen = resultado.resumen
    existente = None
    if resumen.reemplazado:
        existente = Plan.objects.filter(
            municipio__iexact=resumen.municipio, mes_inicio=resumen.mes_inicio, mes_fin=resumen.mes_fin
        ).first()
    confirmar = ConfirmarImportacionForm(initial={"token": token, "reemplazar": reemplazar})
    return render(
        request,
        "plan/importar_vista_previa.html",
        {
            "resumen": resumen,
            "advertencias": resultado.advertencias,
            "arbol": importacion.arbol(resultado.plan_leido),
            "existente": existente,
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
    return _(
        "Plan importado%(reemplazo)s: %(plan)s. %(lineas)s líneas de acción, %(estrategias)s estrategias, "
        "%(metas)s metas, %(indicadores)s indicadores y %(programado)s actividades programadas."
    ) % {
        "reemplazo": _(" (reemplazó al anterior)") if resumen.reemplazado else "",
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
    reemplazar = form.is_valid() and form.cleaned_data["reemplazar"]
    try:
        resultado = importar(datos, nombre, reemplazar=reemplazar, usuario=request.user)
    except PlanExistente as existente:
        aviso = _(
            "Ya existe el plan %(plan)s. Para importarlo de nuevo marque «Reemplazar el plan existente» y confirme."
        ) % {"plan": existente.plan}
        return _vista_previa(request, datos, nombre, token, error=aviso)
    except ErrorImportacion as refusal:
        importacion.descartar_pendiente(request.session)
        return _pagina_subida(request, ImportarPlanForm(), refusal.mensaje)
    importacion.descartar_pendiente(request.session)
    messages.success(request, _conclusion(resultado.plan, resultado.resumen))
    return redirect(resultado.plan)
