from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan


@login_required
def inicio(request):
    if request.user.secretarias.exists():
        return redirect("mis_metas")
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
