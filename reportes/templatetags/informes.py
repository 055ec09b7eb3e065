from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from plan_participacion.importer.fechas import NOMBRES_MESES, nombre_mes

register = template.Library()


@register.filter
def clave(diccionario, llave):
    """dict lookup in templates: {{ metas|clave:meta.pk }}"""
    return diccionario.get(llave)


@register.simple_tag
def semaforo(color, sin_color=None):
    """The traffic light as a printed word (colour is never the only cue)."""
    if color:
        return format_html('<span class="semaforo semaforo-{}">{}</span>', color, color.label)
    return format_html('<span class="semaforo semaforo-ninguno">{}</span>', sin_color or _("sin programación"))


@register.filter
def porcentaje(valor):
    """Decimal("68.8") → "68,8 %"; None → "—". One decimal, as on the dashboard."""
    if valor is None:
        return "—"
    return f"{valor:.1f}".replace(".", ",") + " %"


@register.filter
def fecha_larga(fecha):
    """date(2021, 8, 17) → "17 de agosto de 2021" (month in lower case, as Spanish writes it)."""
    if not fecha:
        return "—"
    return f"{fecha.day} de {NOMBRES_MESES[fecha.month - 1]} de {fecha.year}"


@register.filter
def mes_largo(fecha):
    """date(2022, 10, 1) → "octubre de 2022" """
    if not fecha:
        return "—"
    return nombre_mes(fecha)
