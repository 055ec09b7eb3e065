"""Which plan a page is about when an entidad has several (2022–2023, 2024…): the one place it is chosen.

Mis metas, the evidence form, «Mis reportes», the dashboard, the closings and /reportes/ take
``?plan=ID`` among the plans the person may see (Plan.objects.visible_para); a plan of another entidad
does not exist for them (404). Without ``?plan=`` it is the plan in force today for the person's
entidad (today within its months), else its most recent one. Evidence of a past plan can still be
reported while its period is open: the form limits the dates to that plan and acciones.crear refuses
a closed period.

The visible plans are read once per request (one query, kept on the request): the picker lists them
and the default is chosen among them in Python.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from plan_participacion.models import Plan, entidad_de, primer_dia


def planes_visibles(request):
    """The plans the person may choose, newest first (the picker's options); read once per request."""
    if not hasattr(request, "_planes_visibles"):
        request._planes_visibles = list(Plan.objects.visible_para(request.user).order_by("-mes_inicio", "-pk"))
    return request._planes_visibles


def _por_defecto(planes, entidad, hoy=None):
    """Among ``planes`` (newest first): the entidad's plan in force today, else its most recent one."""
    if entidad is not None:
        planes = [p for p in planes if p.entidad_id == entidad.pk]
    mes = primer_dia(hoy or timezone.localdate())
    en_curso = [p for p in planes if p.mes_inicio <= mes <= p.mes_fin]
    return (en_curso or planes or [None])[0]


def plan_por_defecto_entre(planes, usuario):
    """plan_por_defecto chosen in Python among ``planes``, the plans the person may see already read (in any
    order): the same plan, without a query of its own."""
    recientes = sorted(planes, key=lambda p: (p.mes_inicio, p.pk), reverse=True)
    return _por_defecto(recientes, entidad_de(usuario))


def plan_por_defecto(usuario):
    """The plan in force today for the person's entidad, else its most recent one; None if there is none."""
    entidad = entidad_de(usuario)
    if entidad is not None:
        return Plan.objects.vigente(usuario, entidad=entidad)
    return Plan.objects.vigente(usuario)


def plan_elegido(request):
    """The Plan chosen with ``?plan=ID`` among Plan.objects.visible_para(request.user) (404 for any other
    id: another entidad's plan does not exist for this person), else the default one; None without plans."""
    planes = planes_visibles(request)
    pedido = request.GET.get("plan", "").strip()
    if not pedido:
        return _por_defecto(planes, entidad_de(request.user))
    if pedido.isdigit():
        for plan in planes:
            if plan.pk == int(pedido):
                return plan
    raise Http404(_("No existe ese plan, o no es de su entidad."))
