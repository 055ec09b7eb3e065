"""A meta's expected total: its periods, what was approved in each, and the coordinator's adjustment."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from plan_participacion import acciones
from plan_participacion.forms import ObjetivoMetaForm
from plan_participacion.models import Meta
from plan_participacion.periodos import REGLA, cumplimiento, objetivo_de_meta


def _aprobado_por_secretaria_y_mes(meta):
    """{secretaría pk: {month: approved quantity}} of the meta's approved evidence."""
    from seguimiento.models import Evidencia  # seguimiento builds on the plan, not the other way round

    filas = (
        Evidencia.objects.aprobadas()
        .filter(meta=meta)
        .annotate(mes=TruncMonth("fecha_actividad"))
        .values("secretaria_id", "mes")
        .annotate(total=Sum("cantidad"))
    )
    por_secretaria = defaultdict(dict)
    for fila in filas:
        por_secretaria[fila["secretaria_id"]][fila["mes"]] = fila["total"]
    return por_secretaria


def _filas_de_cumplimiento(meta, objetivo):
    """[(who, [CumplimientoPeriodo])]: one row per responsible secretariat for a meta "de cada secretaría"."""
    aprobado = _aprobado_por_secretaria_y_mes(meta)
    if meta.por_secretaria:
        return [
            (secretaria.nombre, cumplimiento(objetivo, aprobado.get(secretaria.pk, {})))
            for secretaria in meta.estrategia.responsables.all()
        ]
    total = defaultdict(int)
    for meses in aprobado.values():
        for mes, cantidad in meses.items():
            total[mes] += cantidad
    return [(_("Todas las secretarías"), cumplimiento(objetivo, total))]


def _ajustes(meta):
    """History of the adjusted total, newest first: (row, before, after)."""
    filas = list(meta.history.select_related("history_user").order_by("history_date", "history_id"))
    ajustes = []
    for anterior, fila in zip([None, *filas], filas, strict=False):
        antes = anterior.objetivo_ajustado if anterior else None
        if anterior is not None and fila.objetivo_ajustado != antes:
            ajustes.append((fila, antes, fila.objetivo_ajustado))
    return ajustes[::-1]


@login_required
@permission_required("plan_participacion.ajustar_objetivo_meta", raise_exception=True)
def meta_objetivo(request, pk):
    meta = get_object_or_404(
        Meta.objects.visible_para(request.user).select_related("estrategia__objetivo__linea__plan"), pk=pk
    )
    plan = meta.estrategia.objetivo.linea.plan
    form = ObjetivoMetaForm(request.POST or None, initial={"objetivo": meta.objetivo_ajustado})
    if request.method == "POST" and form.is_valid():
        nuevo = form.cleaned_data["objetivo"]
        try:
            acciones.ajustar_objetivo(meta, usuario=request.user, objetivo=nuevo, motivo=form.cleaned_data["motivo"])
        except acciones.SinCambios:
            form.add_error("objetivo", _("Ese ya es el objetivo de la meta."))
        else:
            if nuevo is None:
                messages.success(
                    request, _("La meta %(codigo)s vuelve al objetivo calculado.") % {"codigo": meta.codigo}
                )
            else:
                messages.success(
                    request,
                    _("Objetivo total de la meta %(codigo)s: %(total)s.") % {"codigo": meta.codigo, "total": nuevo},
                )
            return redirect("meta_objetivo", pk=meta.pk)
    objetivo = objetivo_de_meta(meta, plan)
    return render(
        request,
        "plan/meta_objetivo.html",
        {
            "meta": meta,
            "plan": plan,
            "objetivo": objetivo,
            "regla": REGLA,
            "filas": _filas_de_cumplimiento(meta, objetivo) if objetivo.es_periodica else [],
            "ajustes": _ajustes(meta),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
