"""The coordinator's "Enviar recordatorios del mes": who will get one, then one click to send them all.

GET shows the list for the plan and month chosen (the dashboard's fields: plan,
mes); POST enqueues seguimiento.tasks.enviar_recordatorios, which sends the list
as it is when the task runs and records it in the audit trail.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from plan_participacion.models import Plan, primer_dia
from seguimiento import recordatorios
from seguimiento.avance import corte_por_defecto
from seguimiento.forms_tablero import TableroForm
from seguimiento.tasks import enviar_recordatorios


def _lista(request, datos):
    if str(datos.get("plan", "")).strip():
        get_object_or_404(Plan.objects.visible_para(request.user), pk=_id(datos["plan"]))
    form = TableroForm(datos, usuario=request.user)
    if not form.is_valid() or form.cleaned_data.get("plan") is None:
        return form, None
    plan = form.cleaned_data["plan"]
    mes = form.cleaned_data.get("mes") or primer_dia(corte_por_defecto(plan))  # as on the dashboard
    try:
        return form, recordatorios.preparar(plan, mes)
    except recordatorios.MesFueraDelPlan as error:
        form.add_error("mes", str(error))
        return form, None


def _id(texto):
    """A plan id as sent; another entidad's plan, or no plan at all, is a 404 (seguimiento.vigencias)."""
    texto = str(texto).strip()
    if not texto.isdigit():
        raise Http404
    return int(texto)


@login_required
@permission_required("seguimiento.enviar_recordatorios", raise_exception=True)
def recordatorios_mes(request):
    form, lista = _lista(request, request.POST if request.method == "POST" else request.GET)
    if request.method == "POST" and lista is not None:
        if not lista.recordatorios:
            messages.warning(request, _("Nadie con correo registrado tiene reportes pendientes: no se envió nada."))
        else:
            plan_id, mes, usuario_id = lista.plan.pk, lista.mes.isoformat(), request.user.pk
            transaction.on_commit(lambda: enviar_recordatorios.enqueue(plan_id, mes, usuario_id))
            messages.success(
                request,
                _(
                    "Recordatorios de %(mes)s en cola para %(n)d personas: se envían en unos momentos "
                    "y quedan en la auditoría."
                )
                % {"mes": lista.nombre_mes, "n": len(lista.recordatorios)},
            )
        destino = {"plan": lista.plan.pk, "mes": lista.mes.strftime("%Y-%m")}
        return redirect(f"{reverse('tablero')}?{urlencode(destino)}#sin-reportar")
    estado = 400 if form.errors else 200
    return render(request, "seguimiento/tablero/recordatorios.html", {"form": form, "lista": lista}, status=estado)
