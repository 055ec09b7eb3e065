"""What is closed: the closing in force of a plan, the months it covers, and how people read it.

A plan is closed up to the largest ``hasta`` of its closings in force (not reopened). The actions
refuse to touch evidence dated on or before it (acciones.PeriodoCerrado, with ``mensaje_bloqueo``);
the dashboard, Mis metas, the evidence page and the reports page show the same closing through
these functions.
"""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from plan_participacion.models import primer_dia
from reportes.templatetags.informes import fecha_larga
from seguimiento.avance import ultimo_dia
from seguimiento.models import Cierre, Evidencia

CERRADO = "cerrado"
PARCIAL = "parcial"


def vigente(plan):
    """The closing in force that reaches furthest, or None when nothing of the plan is closed."""
    return Cierre.objects.vigentes().filter(plan=plan).select_related("cerrado_por").order_by("-hasta", "-pk").first()


def que_cubre(plan_id, fecha):
    """The closing in force of the plan that includes ``fecha``, or None."""
    return Cierre.objects.que_cubren(plan_id, fecha).select_related("cerrado_por").first()


def nombre(usuario):
    return usuario.get_full_name() or usuario.username


def mensaje(cierre):
    """ "El periodo hasta el 31 de marzo de 2023 se cerró el 5 de abril de 2023 (Carolina Ríos)" """
    return _("El periodo hasta el %(hasta)s se cerró el %(fecha)s (%(quien)s)") % {
        "hasta": fecha_larga(cierre.hasta),
        "fecha": fecha_larga(timezone.localtime(cierre.cerrado_en).date()),
        "quien": nombre(cierre.cerrado_por),
    }


def mensaje_bloqueo(cierre):
    return _(
        "%(cierre)s: las evidencias con fecha de actividad hasta ese día ya no se pueden crear, modificar, "
        "enviar, aprobar, devolver ni eliminar. Si hay que corregir algo, la coordinación debe reabrir el periodo."
    ) % {"cierre": mensaje(cierre)}


def error_de_fecha(plan, hasta, vigente_ahora, hoy=None):
    """Why the plan cannot be closed up to ``hasta`` (a sentence), or None when it can.

    ``hasta`` must be inside the plan's period, a day that has ended, and later than the closing
    in force (``vigente_ahora``, or None).
    """
    inicio, fin = plan.mes_inicio, ultimo_dia(plan.mes_fin)
    if not inicio <= hasta <= fin:
        return _("La fecha de cierre debe estar dentro del periodo del plan: del %(inicio)s al %(fin)s.") % {
            "inicio": fecha_larga(inicio),
            "fin": fecha_larga(fin),
        }
    hoy = hoy or timezone.localdate()
    if hasta >= hoy:
        return _(
            "Solo se cierran días que ya terminaron: hoy es %(hoy)s, así que el cierre puede llegar hasta ayer."
        ) % {"hoy": fecha_larga(hoy)}
    if vigente_ahora is not None and hasta <= vigente_ahora.hasta:
        return _("%(cierre)s. Elija una fecha posterior, o reabra ese cierre primero.") % {
            "cierre": mensaje(vigente_ahora)
        }
    return None


def fecha_propuesta(plan, hoy=None):
    """What the closing form suggests: the last day of last month, within the plan's period."""
    hoy = hoy or timezone.localdate()
    return min(primer_dia(hoy) - datetime.timedelta(days=1), ultimo_dia(plan.mes_fin))


def lo_que_se_congela(plan, hasta):
    """{estado: evidences} of the plan dated up to ``hasta``: what a closing there would freeze."""
    filas = (
        Evidencia.objects.del_plan(plan)
        .filter(fecha_actividad__lte=hasta)
        .values_list("estado")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {estado: 0 for estado in Evidencia.Estado.values} | dict(filas)


def estado_mes(mes, cierre):
    """CERRADO when the whole month is closed, PARCIAL when the closing ends inside it, "" otherwise."""
    if cierre is None:
        return ""
    if ultimo_dia(mes) <= cierre.hasta:
        return CERRADO
    if primer_dia(mes) <= cierre.hasta:
        return PARCIAL
    return ""


def meses_cerrados(plan, cierre):
    """The plan's months entirely closed, first to last."""
    return [mes for mes in plan.meses() if estado_mes(mes, cierre) == CERRADO]
