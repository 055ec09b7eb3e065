"""Progress markup built in Python: traffic lights, progress bars, and the rows repeated per meta.

A plan of 300 metas drawn with template includes and {% blocktranslate %} inside the loops cost
about 100 ms of template work per page (thousands of nodes, a translation lookup per string and
row), far more than computing the figures. Like the admin's change list
(django.contrib.admin.templatetags.admin_list builds its rows in Python), the rows repeated per
meta — on the dashboard and in Mis metas — are built here: their fixed texts are translated and
escaped once per language, the texts that come from the database are escaped as they are
written, and numbers are formatted directly. The markup is what the templates had.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from plan_participacion.models import Meta
from seguimiento.avance import Color

register = template.Library()

_DECIMA = Decimal("0.1")
_UNIDAD = Decimal("1")
_TEXTOS = {}


def _textos():
    """The fixed texts of the rows in the active language, translated and escaped once per process and language."""
    clave = (translation.get_language(), get_script_prefix())
    if clave not in _TEXTOS:
        _TEXTOS[clave] = _traducir()
    return _TEXTOS[clave]


def _traducir():
    textos = {
        "sin_programacion": _("sin programación"),
        "sin_metas": _("sin metas"),
        "sin_metas_registradas": _("Esta estrategia no tiene metas registradas."),
        "estrategia": _("Estrategia"),
        "ejecucion": _("Ejecución a la fecha"),
        "actividades": _("%(ejecutado)s de %(programado)s actividades programadas (%(porcentaje)s %%)"),
        "de_la_estrategia": _("Avance de la estrategia %(n)s"),
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
        "por_periodo": _("Por periodo"),
        "periodo": _("%(aprobado)s de %(esperado)s"),
        "cumplido": _("cumplido"),
        "pendiente": _("pendiente"),
        "no_cuenta": _("no cuenta (el plan cubre menos de la mitad del periodo)"),
    }
    # Only numbers are put into these: escaping them now escapes what is shown.
    textos = {clave: escape(texto) for clave, texto in textos.items()}
    textos["separador"] = formats.get_format("DECIMAL_SEPARATOR")
    textos["colores"] = {color: escape(str(color.label)) for color in Color}
    textos["periodicidad"] = {valor: escape(str(etiqueta)) for valor, etiqueta in Meta.Periodicidad.choices}
    textos["crear"] = escape(reverse("evidencia_crear"))
    textos["lista"] = escape(reverse("evidencia_lista"))
    return textos


def _decimal(valor, separador):
    """What {{ valor|floatformat:1 }} shows: one decimal, half up, the language's separator."""
    return str(Decimal(valor).quantize(_DECIMA, ROUND_HALF_UP)).replace(".", separador)


def _semaforo(color, sin_color, textos):
    """sin_color: escaped, what to say when there is no light (by default «sin programación»)."""
    if color:
        return f'<span class="badge semaforo-{color}">{textos["colores"][color]}</span>'
    sin_color = sin_color or textos["sin_programacion"]
    return f'<span class="badge text-bg-light border">{sin_color}</span>'


def _barra(valor, texto, color, etiqueta, textos):
    """valor: 0–100, drives the bar; texto: the real percentage people read (may exceed 100)."""
    porcentaje = _decimal(texto, textos["separador"])
    clase = f" semaforo-{color}" if color else ""
    ancho = Decimal(valor).quantize(_UNIDAD, ROUND_HALF_UP)
    return (
        '<div class="d-flex align-items-center gap-2">\n'
        f'  <div class="progress flex-grow-1" role="progressbar" aria-label="{escape(etiqueta)}" '
        f'aria-valuenow="{valor}" aria-valuemin="0" aria-valuemax="100" aria-valuetext="{porcentaje} %">\n'
        f'    <div class="progress-bar{clase} avance-{ancho}"></div>\n'
        "  </div>\n"
        f'  <span class="text-nowrap small fw-semibold">{porcentaje} %</span>\n'
        "</div>"
    )


@register.simple_tag
def semaforo(color, sin_color=None):
    """The traffic light of a figure as a badge with its name (colour is never the only cue)."""
    return mark_safe(_semaforo(color, escape(sin_color) if sin_color else None, _textos()))


@register.simple_tag
def barra(valor, texto, color, etiqueta):
    return mark_safe(_barra(valor, texto, color, etiqueta, _textos()))


def periodos_html(periodos, textos=None):
    """The periods of a periodic meta (seguimiento.avance: CumplimientoPeriodo), each met, pending or not
    counted, in words (colour is never the only cue); "" for a meta without periods."""
    if not periodos:
        return ""
    textos = textos or _textos()
    items = []
    for p in periodos:
        if p.cumplido is None:
            estado, clase = textos["no_cuenta"], "text-bg-light border"
            cifra = ""
        else:
            estado, clase = (
                (textos["cumplido"], "semaforo-verde") if p.cumplido else (textos["pendiente"], "semaforo-rojo")
            )
            cifra = " " + textos["periodo"] % {"aprobado": p.aprobado, "esperado": p.esperado}
        items.append(
            f'<li class="periodo{" periodo-cumplido" if p.cumplido else ""}">{escape(p.periodo.etiqueta)}:{cifra} '
            f'<span class="badge {clase}">{estado}</span></li>'
        )
    return (
        f'<div class="small mt-1 periodos"><span class="text-muted">{textos["por_periodo"]}:</span>'
        f'<ul class="list-unstyled mb-0 ms-2">{"".join(items)}</ul></div>'
    )


def _fila_meta(m, textos):
    separador = textos["separador"]
    codigo = escape(m.meta.codigo)
    detalle = ""
    if m.secretarias:
        items = [
            f"<li>{escape(s.secretaria.nombre)}: "
            + textos["de_pct"]
            % {"aprobado": s.aprobado, "objetivo": s.objetivo, "porcentaje": _decimal(s.porcentaje, separador)}
            + f" {_semaforo(s.color, None, textos)}</li>"
            for s in m.secretarias
        ]
        if m.aprobado_que_cuenta != m.aprobado:
            maximo = textos["maximo"] % {"aprobado": m.aprobado, "objetivo": m.secretarias[0].objetivo}
            items.append(f'<li class="text-muted">{maximo}</li>')
        detalle = f'<ul class="list-unstyled small mb-0 mt-1">{"".join(items)}</ul>'
    detalle += periodos_html(m.periodos, textos)
    barra_ = _barra(m.porcentaje_tope, m.porcentaje, m.color, textos["meta"] % {"codigo": m.meta.codigo}, textos)
    de = textos["de"] % {"aprobado": m.aprobado_que_cuenta, "objetivo": m.objetivo}
    return (
        f'<tr>\n  <td class="texto ps-3"><span class="fw-semibold">{codigo}</span> {escape(m.meta.texto)}'
        f"{detalle}</td>\n"
        f'  <td class="texto">{barra_}\n    <span class="small">{de}</span>\n'
        f"    {_semaforo(m.color, None, textos)}</td>\n</tr>"
    )


def _fila_estrategia(e, textos):
    ejecucion = e.ejecucion
    if ejecucion.sin_programacion:
        a_la_fecha = textos["sin_programacion"]
    else:
        a_la_fecha = textos["actividades"] % {
            "ejecutado": ejecucion.ejecutado_a_la_fecha,
            "programado": ejecucion.programado_a_la_fecha,
            "porcentaje": _decimal(ejecucion.porcentaje, textos["separador"]),
        }
    numero = e.estrategia.numero
    barra_ = ""
    if e.porcentaje is not None:
        barra_ = _barra(e.porcentaje, e.porcentaje, e.color, textos["de_la_estrategia"] % {"n": numero}, textos)
    return (
        f'<tr class="table-light">\n  <th scope="row" class="texto">{textos["estrategia"]} {numero}. '
        f"{escape(e.estrategia.texto)}\n"
        f'    <div class="small fw-normal text-muted">{textos["ejecucion"]}:\n      {a_la_fecha}\n'
        f"      {_semaforo(ejecucion.color, None, textos)}</div>\n  </th>\n"
        f'  <td class="texto">{barra_}\n    {_semaforo(e.color, textos["sin_metas"], textos)}</td>\n</tr>'
    )


@register.simple_tag
def filas_de_estrategia(avance_estrategia):
    """The dashboard's rows of a strategy: its own (executed of planned to date, progress), then one
    per meta: code and text (each secretariat's progress for a meta «de cada secretaría»), its bar,
    approved of target and traffic light."""
    textos = _textos()
    filas = [_fila_estrategia(avance_estrategia, textos)]
    filas += [_fila_meta(m, textos) for m in avance_estrategia.metas]
    if not avance_estrategia.metas:
        filas.append(f'<tr><td colspan="2" class="texto text-muted ps-3">{textos["sin_metas_registradas"]}</td></tr>')
    return mark_safe("\n".join(filas))


def _item_meta_delegado(fila, textos):
    meta = fila.meta
    codigo = escape(meta.codigo)
    periodicidad = textos["periodicidad"].get(meta.periodicidad) or escape(meta.periodicidad)
    insignias = f'<span class="badge text-bg-light border">{periodicidad}</span>'
    if meta.por_secretaria:
        insignias += f' <span class="badge text-bg-info">{textos["por_secretaria"]}</span>'
    avances = []
    for n, a in enumerate(fila.avances, start=1):
        secretaria = f'<p class="small fw-semibold mb-0">{escape(a.secretaria.nombre)}</p>' if a.secretaria else ""
        aprobado = textos["aprobado"] % {"aprobada": a.aprobada, "objetivo": a.objetivo}
        revision = textos["revision"] % {"n": a.en_revision}
        identificador = f"avance-{meta.pk}-{n}"
        avances.append(
            f'<div class="avance mb-2">{secretaria}\n'
            f'  <label class="small d-block" for="{identificador}">{aprobado} · {revision}</label>\n'
            f'  <progress class="w-100" id="{identificador}" max="{a.objetivo}" value="{a.aprobada}">'
            f"{formats.localize(a.porcentaje)} %</progress>\n</div>"
        )
    de_la_meta = f'<span class="visually-hidden"> {textos["de_la_meta"]} {codigo}</span>'
    return (
        f'<li class="list-group-item meta-delegado" id="meta-{meta.pk}">\n'
        f'  <p class="mb-2"><span class="fw-semibold">{codigo}</span> {escape(meta.texto)} {insignias}</p>\n'
        f"  {chr(10).join(avances)}\n"
        '  <div class="d-flex flex-wrap gap-2">\n'
        f'    <a class="btn btn-sm btn-outline-primary" href="{textos["crear"]}?meta={meta.pk}">'
        f"{textos['registrar']}{de_la_meta}</a>\n"
        f'    <a class="btn btn-sm btn-link" href="{textos["lista"]}?meta={meta.pk}">{textos["ver"]}{de_la_meta}</a>\n'
        "  </div>\n</li>"
    )


@register.simple_tag
def metas_del_delegado(fila_estrategia):
    """Mis metas' items of a strategy: each meta with its progress (per secretariat when «de cada
    secretaría»), what is under review, and the links to report on it and to its reports."""
    textos = _textos()
    return mark_safe("\n".join(_item_meta_delegado(fila, textos) for fila in fila_estrategia.metas))
