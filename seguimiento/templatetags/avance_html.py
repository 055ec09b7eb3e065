"""Progress markup built in Python: traffic lights, progress bars, and the rows repeated per meta.

A plan of 300 metas drawn with template includes and {% blocktranslate %} inside the loops cost
about 100 ms of template work per page (thousands of nodes, a translation lookup per string and
row), far more than computing the figures. Like the admin's change list
(django.contrib.admin.templatetags.admin_list builds its rows with format_html), the rows repeated
per meta — on the dashboard and in Mis metas — are built here: their fixed texts are translated
once per page and their numbers formatted directly. The markup is what the templates had.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_DECIMA = Decimal("0.1")
_UNIDAD = Decimal("1")


def _textos():
    """The fixed texts of a page, translated once."""
    return {
        "separador": formats.get_format("DECIMAL_SEPARATOR"),
        "sin_programacion": _("sin programación"),
        "meta": _("Avance de la meta %(codigo)s"),
        "de": _("%(aprobado)s de %(objetivo)s"),
        "de_pct": _("%(aprobado)s de %(objetivo)s (%(porcentaje)s %%)"),
        "maximo": _("%(aprobado)s aprobadas en total; de cada secretaría cuentan como máximo %(objetivo)s."),
        "aprobado": _("Aprobado: %(aprobada)s de %(objetivo)s"),
        "revision": _("En revisión: %(n)s"),
        "por_secretaria": _("por secretaría"),
        "registrar": _("Registrar avance"),
        "ver": _("Ver reportes"),
        "de_la_meta": _("de la meta"),
        "crear": reverse("evidencia_crear"),
        "lista": reverse("evidencia_lista"),
    }


def _decimal(valor, separador):
    """What {{ valor|floatformat:1 }} shows: one decimal, half up, the language's separator."""
    return str(Decimal(valor).quantize(_DECIMA, ROUND_HALF_UP)).replace(".", separador)


def _semaforo(color, sin_color, textos):
    if color:
        return format_html('<span class="badge semaforo-{}">{}</span>', color, color.label)
    return format_html('<span class="badge text-bg-light border">{}</span>', sin_color or textos["sin_programacion"])


def _barra(valor, texto, color, etiqueta, textos):
    """valor: 0–100, drives the bar; texto: the real percentage people read (may exceed 100)."""
    porcentaje = _decimal(texto, textos["separador"])
    return format_html(
        '<div class="d-flex align-items-center gap-2">\n'
        '  <div class="progress flex-grow-1" role="progressbar" aria-label="{}" aria-valuenow="{}" '
        'aria-valuemin="0" aria-valuemax="100" aria-valuetext="{} %">\n'
        '    <div class="progress-bar{}{} avance-{}"></div>\n'
        "  </div>\n"
        '  <span class="text-nowrap small fw-semibold">{} %</span>\n'
        "</div>",
        etiqueta,
        valor,
        porcentaje,
        " semaforo-" if color else "",
        color or "",
        Decimal(valor).quantize(_UNIDAD, ROUND_HALF_UP),
        porcentaje,
    )


@register.simple_tag
def semaforo(color, sin_color=None):
    """The traffic light of a figure as a badge with its name (colour is never the only cue)."""
    return _semaforo(color, sin_color, _textos())


@register.simple_tag
def barra(valor, texto, color, etiqueta):
    return _barra(valor, texto, color, etiqueta, _textos())


@register.simple_tag
def filas_de_metas(avance_estrategia):
    """The dashboard's rows of a strategy's metas: code and text (each secretariat's progress for a meta
    «de cada secretaría»), then its bar, approved of target and traffic light."""
    textos = _textos()
    separador = textos["separador"]
    filas = []
    for m in avance_estrategia.metas:
        detalle = ""
        if m.secretarias:
            items = [
                format_html(
                    "<li>{}: {} {}</li>",
                    s.secretaria.nombre,
                    textos["de_pct"]
                    % {"aprobado": s.aprobado, "objetivo": s.objetivo, "porcentaje": _decimal(s.porcentaje, separador)},
                    _semaforo(s.color, None, textos),
                )
                for s in m.secretarias
            ]
            if m.aprobado_que_cuenta != m.aprobado:
                items.append(
                    format_html(
                        '<li class="text-muted">{}</li>',
                        textos["maximo"] % {"aprobado": m.aprobado, "objetivo": m.meta.cantidad_objetivo},
                    )
                )
            detalle = format_html('<ul class="list-unstyled small mb-0 mt-1">{}</ul>', mark_safe("".join(items)))
        filas.append(
            format_html(
                '<tr>\n  <td class="texto ps-3"><span class="fw-semibold">{}</span> {}{}</td>\n'
                '  <td class="texto">{}\n    <span class="small">{}</span>\n    {}</td>\n</tr>',
                m.meta.codigo,
                m.meta.texto,
                detalle,
                _barra(m.porcentaje_tope, m.porcentaje, m.color, textos["meta"] % {"codigo": m.meta.codigo}, textos),
                textos["de"] % {"aprobado": m.aprobado_que_cuenta, "objetivo": m.objetivo},
                _semaforo(m.color, None, textos),
            )
        )
    return mark_safe("\n".join(filas))


@register.simple_tag
def metas_del_delegado(fila_estrategia):
    """Mis metas' items of a strategy: each meta with its progress (per secretariat when «de cada
    secretaría»), what is under review, and the links to report on it and to its reports."""
    textos = _textos()
    items = []
    for fila in fila_estrategia.metas:
        meta = fila.meta
        insignias = format_html(
            '<span class="badge text-bg-light border">{}</span>{}',
            meta.get_periodicidad_display(),
            format_html(' <span class="badge text-bg-info">{}</span>', textos["por_secretaria"])
            if meta.por_secretaria
            else "",
        )
        avances = format_html_join(
            "\n",
            '<div class="avance mb-2">{}\n'
            '  <label class="small d-block" for="avance-{}-{}">{} · {}</label>\n'
            '  <progress class="w-100" id="avance-{}-{}" max="{}" value="{}">{} %</progress>\n'
            "</div>",
            (
                (
                    format_html('<p class="small fw-semibold mb-0">{}</p>', a.secretaria.nombre)
                    if a.secretaria
                    else "",
                    meta.pk,
                    n,
                    textos["aprobado"] % {"aprobada": a.aprobada, "objetivo": a.objetivo},
                    textos["revision"] % {"n": a.en_revision},
                    meta.pk,
                    n,
                    a.objetivo,
                    a.aprobada,
                    formats.localize(a.porcentaje),
                )
                for n, a in enumerate(fila.avances, start=1)
            ),
        )
        items.append(
            format_html(
                '<li class="list-group-item meta-delegado" id="meta-{}">\n'
                '  <p class="mb-2"><span class="fw-semibold">{}</span> {} {}</p>\n'
                "  {}\n"
                '  <div class="d-flex flex-wrap gap-2">\n'
                '    <a class="btn btn-sm btn-outline-primary" href="{}?meta={}">{}'
                '<span class="visually-hidden"> {} {}</span></a>\n'
                '    <a class="btn btn-sm btn-link" href="{}?meta={}">{}'
                '<span class="visually-hidden"> {} {}</span></a>\n'
                "  </div>\n"
                "</li>",
                meta.pk,
                meta.codigo,
                meta.texto,
                insignias,
                avances,
                textos["crear"],
                meta.pk,
                textos["registrar"],
                textos["de_la_meta"],
                meta.codigo,
                textos["lista"],
                meta.pk,
                textos["ver"],
                textos["de_la_meta"],
                meta.codigo,
            )
        )
    return mark_safe("\n".join(items))
