"""The review queue's rows, built in Python (as seguimiento.templatetags.avance_html builds the dashboard's).

Drawn by the template, each of the 25 rows cost a {% url %}, six {% translate %} and {% blocktranslate %}
lookups and some forty nodes, about as much as everything else on the page. Here the fixed texts are
translated once per page, the values are escaped as the template escaped them (the translated text of a
{% translate %} is escaped, that of a {% blocktranslate %} is not, its values are), numbers and dates are
formatted by the same functions as the template's filters, and the markup, spaces included, is the one
the template wrote. What changed since a return is still drawn by seguimiento/_desde_devolucion.html,
which the evidence page shares (few rows have one).
"""

import html

from django import template
from django.template.defaultfilters import truncatewords
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def valor_html(valor):
    """A value as {{ valor }} writes it: localized, escaped."""
    if type(valor) is str:  # most values: what conditional_escape() does to them, without its wrappers
        return html.escape(valor)
    return conditional_escape(formats.localize(valor))


def fecha_html(valor, formato):
    """{{ valor|date:formato }}: a date, or an aware datetime in the current time zone."""
    if hasattr(valor, "tzinfo") and timezone.is_aware(valor):
        valor = timezone.localtime(valor)
    return valor_html(formats.date_format(valor, formato))


def _textos(dias_espera_larga):
    return {
        "meta": conditional_escape(_("Meta")),
        "reenviada": conditional_escape(_("Reenviada")),
        "esperando": _("Esperando hace %(tiempo)s"),
        "mas_de": ngettext("(más de %(dias)s día)", "(más de %(dias)s días)", dias_espera_larga)
        % {"dias": valor_html(dias_espera_larga)},
        "devuelta": _("Devuelta el %(fecha)s («%(motivo)s»). Qué cambió desde entonces:"),
        "actividad": _("Actividad del %(fecha)s, cantidad %(cantidad)s"),
        "estrategia": conditional_escape(_("Estrategia")),
        "linea": conditional_escape(_("línea")),
        "reporto": _("reportó %(autor)s"),
        "enviada": _("enviada el %(enviada)s"),
        "desde_devolucion": get_template("seguimiento/_desde_devolucion.html"),
    }


def _desde_la_devolucion(evidencia, textos):
    desde = evidencia.desde_devolucion
    if not desde:
        return ""
    devuelta = textos["devuelta"] % {
        "fecha": fecha_html(desde.devolucion.fecha, r"j \d\e F"),
        "motivo": conditional_escape(Truncator(desde.devolucion.comentario).chars(140)),
    }
    cambios = textos["desde_devolucion"].render({"desde_devolucion": desde})
    return (
        '\n    <div class="border-start border-3 border-info ps-2 mb-2 desde-devolucion">\n'
        f'      <p class="small fw-semibold mb-0">{devuelta}</p>\n'
        f"      {cambios}\n"
        "    </div>\n    "
    )


def _fila(evidencia, ahora, textos):
    meta, estrategia = evidencia.meta, evidencia.meta.estrategia
    autor = evidencia.autor
    reenviada = (
        f'<span class="badge text-bg-info ms-1 reenviada">{textos["reenviada"]}</span>'
        if evidencia.desde_devolucion
        else ""
    )
    esperando = enviada = ""
    if evidencia.enviada_en:
        esperando = textos["esperando"] % {"tiempo": valor_html(timesince(evidencia.enviada_en, ahora))}
        enviada = "· " + textos["enviada"] % {"enviada": fecha_html(evidencia.enviada_en, r"j \d\e F \d\e Y, H:i")}
    if evidencia.espera_larga:
        clase, mas_de = "text-bg-warning", f'<span class="visually-hidden">{textos["mas_de"]}</span>'
    else:
        clase, mas_de = "text-bg-light border", ""
    actividad = textos["actividad"] % {
        "fecha": fecha_html(evidencia.fecha_actividad, r"j \d\e F \d\e Y"),
        "cantidad": valor_html(evidencia.cantidad),
    }
    reporto = textos["reporto"] % {"autor": conditional_escape(autor.get_full_name() or autor.username)}
    return (
        f'\n  \n  <li class="list-group-item" id="evidencia-{evidencia.pk}">\n'
        '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        '      <h2 class="h6 mb-1">\n'
        f'        <a href="{reverse("evidencia_detalle", args=[evidencia.pk])}">{textos["meta"]} '
        f"{valor_html(meta.codigo)} · {valor_html(evidencia.secretaria.nombre)}</a>\n"
        f"        {reenviada}\n"
        "      </h2>\n"
        f'      <span class="badge {clase} align-self-start">\n'
        f"        {esperando}\n"
        f"        {mas_de}\n"
        "      </span>\n"
        "    </div>\n"
        f'    <p class="mb-1">{valor_html(truncatewords(evidencia.descripcion, 30))}</p>\n'
        f"    {_desde_la_devolucion(evidencia, textos)}\n"
        '    <p class="small text-muted mb-0">\n'
        f"      {actividad}\n"
        f"      · {textos['estrategia']} {valor_html(estrategia.numero)}, {textos['linea']} "
        f"{valor_html(estrategia.objetivo.linea.numero)}\n"
        f"      · {reporto}\n"
        f"      {enviada}\n"
        "    </p>\n"
        "  </li>\n  "
    )


@register.simple_tag
def filas_cola(pagina, ahora, dias_espera_larga):
    """The <li> of each evidence of a page of the queue (seguimiento.views.revision.cola)."""
    textos = _textos(dias_espera_larga)
    return mark_safe("".join(_fila(evidencia, ahora, textos) for evidencia in pagina))
