"""Progress by phase of the cycle in templates (dashboard, progress report): {% avance_fases avance as fases %}."""

from django import template

from seguimiento.avance import avance_por_fase

register = template.Library()


@register.simple_tag
def avance_fases(avance):
    """avance_por_fase(avance): computed from the AvancePlan the page already has, without queries."""
    return avance_por_fase(avance)
