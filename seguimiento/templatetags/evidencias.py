from django import template
from django.utils.html import format_html

from seguimiento.models import Evidencia

register = template.Library()

Estado = Evidencia.Estado
CLASES_ESTADO = {
    Estado.BORRADOR: "text-bg-secondary",
    Estado.ENVIADA: "text-bg-primary",
    Estado.APROBADA: "text-bg-success",
    Estado.DEVUELTA: "text-bg-warning",
}


@register.simple_tag
def insignia_estado(estado):
    """The state of an evidence as a coloured badge; the text says it too (colour is never the only cue)."""
    estado = Estado(estado)
    return format_html('<span class="badge {}">{}</span>', CLASES_ESTADO[estado], estado.label)
