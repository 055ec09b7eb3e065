"""Closed periods in templates: the closing in force of a plan, its sentence, and which months it covers."""

from decimal import Decimal, InvalidOperation

from django import template

from reportes.templatetags.informes import porcentaje
from seguimiento import cierres

register = template.Library()


@register.simple_tag
def cierre_vigente(plan):
    """{% cierre_vigente plan as cierre %}: the plan's closing in force, or None."""
    return cierres.vigente(plan) if plan else None


@register.filter
def mensaje_cierre(cierre):
    """ "El periodo hasta el 31 de marzo de 2023 se cerró el 5 de abril de 2023 (Carolina Ríos)" """
    return cierres.mensaje(cierre) if cierre else ""


@register.filter
def estado_mes(mes, cierre):
    """ "cerrado", "parcial" or "" for a month (its first day) under a closing."""
    return cierres.estado_mes(mes, cierre)


@register.inclusion_tag("seguimiento/cierres/_aviso.html")
def aviso_cierre(plan, cierre):
    """The notice "periodo cerrado hasta …" with the months it covers; nothing when ``cierre`` is None."""
    return {
        "plan": plan,
        "cierre": cierre,
        "mensaje": cierres.mensaje(cierre) if cierre else "",
        "meses": cierres.meses_cerrados(plan, cierre) if cierre else [],
    }


@register.filter
def porcentaje_archivado(texto):
    """A percentage of an archived summary ("68.8") as people read it ("68,8 %")."""
    try:
        return porcentaje(Decimal(texto)) if texto is not None else "—"
    except (InvalidOperation, TypeError, ValueError):
        return "—"
