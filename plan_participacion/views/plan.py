"""The plan's page: its tree and schedule, for everyone of its entidad."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plan_participacion import acciones
from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan, entidad_de, es_administrador
from plan_participacion.periodos import objetivo_de_meta


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
    """/plan/ shows the plan in force for the person's entidad; /plan/<id>/ another of its plans (404 otherwise)."""
    planes = Plan.objects.visible_para(request.user).select_related("entidad")
    if pk is None and request.GET.get("plan", "").isdigit():
        return redirect("plan_detalle", pk=int(request.GET["plan"]))
    plan = get_object_or_404(planes, pk=pk) if pk else planes.vigente(request.user)
    if plan is None:
        sin_entidad = entidad_de(request.user) is None and not es_administrador(request.user)
        return render(request, "plan/sin_plan.html", {"sin_entidad": sin_entidad})
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
    for estrategia in estrategias:
        for meta in estrategia.metas.all():
            meta.objetivo_total = objetivo_de_meta(meta, plan)
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


def _publicacion(request, pk, accion, hecho, ya):
    plan = get_object_or_404(Plan.objects.visible_para(request.user), pk=pk)
    try:
        accion(plan, usuario=request.user)
    except acciones.SinCambios:
        messages.info(request, ya)
    else:
        messages.success(request, hecho)
    return redirect("plan_detalle", pk=plan.pk)


@login_required
@permission_required("plan_participacion.publicar_plan", raise_exception=True)
@require_POST
def plan_publicar(request, pk):
    """The coordinator shows the plan in the Menú Participa (/participa/<id>/), without login."""
    return _publicacion(
        request,
        pk,
        acciones.publicar_plan,
        _("El plan está publicado en el Menú Participa: cualquiera puede verlo sin cuenta."),
        _("El plan ya estaba publicado."),
    )


@login_required
@permission_required("plan_participacion.publicar_plan", raise_exception=True)
@require_POST
def plan_despublicar(request, pk):
    """The coordinator takes the plan out of the Menú Participa: its public pages answer 404."""
    return _publicacion(
        request,
        pk,
        acciones.despublicar_plan,
        _("El plan se retiró del Menú Participa: sus páginas públicas ya no se ven sin cuenta."),
        _("El plan no estaba publicado."),
    )
