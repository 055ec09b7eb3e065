"""The audit trail's rows, built in Python like the review queue's (seguimiento.templatetags.revision_html).

Fifty rows drawn by the template cost more than reading them: two {% date %} filters, a {% translate %},
capfirst and a nested loop per row. Here the fixed texts are translated once per page, the values are
escaped and formatted as the template did, and the markup, spaces included, is the one it wrote.
"""

from django import template
from django.template.defaultfilters import capfirst
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from seguimiento.templatetags.revision_html import valor_html

register = template.Library()

FECHA = r"j \d\e F \d\e Y, H:i"


def _cambio(cambio):
    texto = valor_html(capfirst(cambio.campo))
    if cambio.antes or cambio.despues:
        texto += f": <del>{valor_html(cambio.antes or '—')}</del> → <ins>{valor_html(cambio.despues or '—')}</ins>"
    return f'\n      <li class="text-break">{texto}</li>\n      '


def _fecha(local, fechas):
    """{{ fecha|date:FECHA }}, written once per minute of the page (``fechas``): the format has no seconds."""
    minuto = local.replace(second=0, microsecond=0)
    if minuto not in fechas:
        fechas[minuto] = valor_html(formats.date_format(local, FECHA))
    return fechas[minuto]


def _fila(entrada, textos):
    if entrada.es_evidencia:
        insignia = "text-bg-info"
    elif entrada.es_periodo:
        insignia = "text-bg-dark"
    else:
        insignia = "text-bg-secondary"
    objeto = valor_html(entrada.objeto)
    if entrada.enlace:
        objeto = f'<a href="{valor_html(entrada.enlace)}">{objeto}</a>'
    local = timezone.localtime(entrada.fecha)  # |date:"c" is its isoformat()
    usuario = entrada.usuario
    quien = valor_html(usuario.get_full_name() or usuario.username) if usuario else textos["sistema"]
    cambios = (
        f'\n    <ul class="small mb-0">\n      {"".join(_cambio(c) for c in entrada.cambios)}\n    </ul>\n    '
        if entrada.cambios
        else ""
    )
    comentario = (
        f'<p class="small mb-0"><span class="text-muted">{textos["comentario"]}:</span> '
        f"{valor_html(entrada.comentario)}</p>"
        if entrada.comentario
        else ""
    )
    return (
        f'\n  <li class="list-group-item" data-fuente="{valor_html(entrada.fuente)}">\n'
        '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        '      <p class="mb-1">\n'
        f'        <span class="badge {insignia}">{valor_html(capfirst(entrada.modelo))}</span>\n'
        f"        <strong>{valor_html(entrada.accion)}</strong>\n"
        f"        {objeto}\n"
        "      </p>\n"
        '      <p class="small text-muted mb-1">\n'
        f'        <time datetime="{local.isoformat()}">{_fecha(local, textos["fechas"])}</time> ·\n'
        f"        {quien}\n"
        "      </p>\n"
        "    </div>\n"
        f"    {cambios}\n"
        f"    {comentario}\n"
        "  </li>\n  "
    )


@register.simple_tag
def filas_auditoria(entradas):
    """The <li> of each auditoria.Entrada of a page of the trail (seguimiento.views.auditoria)."""
    textos = {
        "sistema": conditional_escape(_("sistema (línea de comandos)")),
        "comentario": conditional_escape(_("Comentario")),
        "fechas": {},
    }
    return mark_safe("".join(_fila(entrada, textos) for entrada in entradas))
