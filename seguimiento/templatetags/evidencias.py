from django import template
from django.utils.html import format_html

from plan_participacion.importer.fechas import NOMBRES_MESES
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


def _enumerar(partes):
    return partes[0] if len(partes) == 1 else ", ".join(partes[:-1]) + " y " + partes[-1]


@register.filter
def meses_en_palabras(meses):
    """[date(2024, 1, 1), date(2024, 3, 1)] → "enero y marzo de 2024"; across years,
    "diciembre de 2023 y enero de 2024"."""
    por_anio = {}
    for mes in sorted(meses):
        por_anio.setdefault(mes.year, []).append(NOMBRES_MESES[mes.month - 1])
    return _enumerar([f"{_enumerar(nombres)} de {anio}" for anio, nombres in por_anio.items()]) if por_anio else ""
