"""The phases of the cycle and Menú Participa sections of a plan's strategies: /plan/<id>/fases/.

The coordinator (``plan_participacion.change_estrategia``) ticks, per strategy, the phases in which
citizens take part and its Menú Participa sections; each change is the action
acciones.etiquetar_ciclo (one history row per strategy changed, in the audit trail). Next to each
strategy, what plan_participacion.ciclo suggests from its words. Plans of another entidad: 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plan_participacion import acciones, ciclo
from plan_participacion.models import Estrategia, Plan

HISTORIAL = 30


class CicloEstrategiaForm(forms.Form):
    fases = forms.MultipleChoiceField(
        choices=ciclo.Fase.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Fases del ciclo")
    )
    secciones = forms.MultipleChoiceField(
        choices=ciclo.SeccionParticipa.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Secciones del Menú Participa"),
    )


def _filas(estrategias, datos=None):
    filas = []
    for estrategia in estrategias:
        inicial = {"fases": estrategia.fases, "secciones": estrategia.secciones_participa}
        form = CicloEstrategiaForm(datos, prefix=f"e{estrategia.pk}", initial=inicial)
        sugerencia = ciclo.sugerir(estrategia.texto)
        filas.append(
            {
                "estrategia": estrategia,
                "form": form,
                "sugerencia": sugerencia,
                "sugeridas": ciclo.nombres_fases(sugerencia.fases) + ciclo.nombres_secciones(sugerencia.secciones),
                "fases": ciclo.nombres_fases(estrategia.fases),
                "secciones": ciclo.nombres_secciones(estrategia.secciones_participa),
            }
        )
    return filas


def _cambios_recientes(plan):
    historia = (
        Estrategia.history.filter(
            objetivo__linea__plan=plan,
            history_change_reason__in=[acciones.MOTIVO_CICLO, acciones.MOTIVO_CICLO_SUGERIDO],
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:HISTORIAL]
    )
    return [
        {
            "fila": fila,
            "fases": ciclo.nombres_fases(fila.fases),
            "secciones": ciclo.nombres_secciones(fila.secciones_participa),
        }
        for fila in historia
    ]


@login_required
@permission_required("plan_participacion.change_estrategia", raise_exception=True)
def plan_fases(request, pk):
    plan = get_object_or_404(Plan.objects.visible_para(request.user), pk=pk)
    estrategias = list(
        Estrategia.objects.filter(objetivo__linea__plan=plan).order_by(
            "objetivo__linea__numero", "objetivo__numero", "numero", "pk"
        )
    )
    filas = _filas(estrategias, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if all(fila["form"].is_valid() for fila in filas):
            cambiadas = 0
            with transaction.atomic():
                for fila in filas:
                    try:
                        acciones.etiquetar_ciclo(
                            fila["estrategia"],
                            usuario=request.user,
                            fases=fila["form"].cleaned_data["fases"],
                            secciones=fila["form"].cleaned_data["secciones"],
                        )
                        cambiadas += 1
                    except acciones.SinCambios:
                        pass
            if cambiadas:
                messages.success(
                    request,
                    ngettext(
                        "Se guardaron las fases de %(n)s estrategia.",
                        "Se guardaron las fases de %(n)s estrategias.",
                        cambiadas,
                    )
                    % {"n": cambiadas},
                )
            else:
                messages.info(request, _("No había cambios que guardar."))
            return redirect("plan_fases", pk=plan.pk)
    cubiertas = {fase for estrategia in estrategias for fase in estrategia.fases}
    contexto = {
        "plan": plan,
        "filas": filas,
        "sin_fase": [etiqueta for valor, etiqueta in ciclo.Fase.choices if valor not in cubiertas],
        "cambios": _cambios_recientes(plan),
    }
    return render(request, "plan/fases.html", contexto, status=400 if request.method == "POST" else 200)
