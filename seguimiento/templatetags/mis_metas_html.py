"""Mis metas' rows of metas, built in Python: a plan of hundreds of metas renders in one pass instead of
one template include per meta (texts translated once per call, values escaped one by one)."""

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from plan_participacion.models import Meta
from seguimiento.templatetags.avance_html import periodos_html

register = template.Library()


def _textos(plan=None):
    # The chosen plan travels to the evidence form (seguimiento.vigencias): "?plan=ID&meta=…".
    consulta = f"?plan={plan.pk}&amp;" if plan is not None else "?"
    return {
        "periodicidad": dict(Meta.Periodicidad.choices),
        "por_secretaria": escape(_("por secretaría")),
        "aprobado": escape(_("Aprobado: %(aprobada)s de %(objetivo)s")),
        "revision": escape(_("En revisión: %(n)s")),
        "registrar": escape(_("Registrar avance")),
        "ver": escape(_("Ver reportes")),
        "de_la_meta": escape(_("de la meta")),
        "crear": reverse("evidencia_crear") + consulta,
        "lista": reverse("evidencia_lista") + consulta,
    }


def _fila(fila, claves, textos):
    meta = fila.meta
    codigo = escape(meta.codigo)
    periodicidad = escape(textos["periodicidad"].get(meta.periodicidad, meta.periodicidad))
    insignias = f'<span class="badge text-bg-light border">{periodicidad}</span>'
    if meta.por_secretaria:
        insignias += f' <span class="badge text-bg-info">{textos["por_secretaria"]}</span>'
    avances = []
    for n, avance in enumerate(fila.avances, start=1):
        identificador = f"meta-avance-{meta.pk}-{n}"
        secretaria = (
            f'<span class="fw-semibold">{escape(avance.secretaria.nombre)}:</span> ' if avance.secretaria else ""
        )
        aprobado = textos["aprobado"] % {"aprobada": avance.aprobada, "objetivo": avance.objetivo}
        revision = textos["revision"] % {"n": avance.en_revision}
        avances.append(
            f'<div class="avance"><label class="small d-block" for="{identificador}">{secretaria}{aprobado} · '
            f'{revision}</label><progress class="w-100" id="{identificador}" max="{avance.objetivo}" '
            f'value="{avance.aprobada}">{formats.localize(avance.porcentaje)} %</progress>'
            f"{periodos_html(avance.periodos)}</div>"
        )
    de_la_meta = f'<span class="visually-hidden"> {textos["de_la_meta"]} {codigo}</span>'
    oculta = " hidden" if getattr(fila, "oculta", False) else ""
    return (
        f'<li class="list-group-item meta-delegado" id="meta-{meta.pk}" data-buscar="{escape(claves.get(meta.pk, ""))}"'
        f' data-codigo="{codigo}"{oculta}>\n'
        f'  <p class="mb-1 meta-texto"><span class="fw-semibold">{codigo}</span> {escape(meta.texto)} {insignias}</p>\n'
        f'  <div class="meta-avances">{"".join(avances)}</div>\n'
        '  <div class="d-flex flex-wrap gap-2 meta-acciones">'
        f'<a class="btn btn-sm btn-outline-primary" href="{textos["crear"]}meta={meta.pk}">{textos["registrar"]}'
        f"{de_la_meta}</a>"
        f'<a class="btn btn-sm btn-link" href="{textos["lista"]}meta={meta.pk}">{textos["ver"]}{de_la_meta}</a>'
        "</div>\n</li>"
    )


@register.simple_tag
def filas_de_metas(filas, agenda, plan=None):
    """The <li> of each meta (mis_metas.MetaDelegado) of ``filas``: code, text, progress per secretariat,
    what is under review, and its two links (to ``plan``); ``agenda`` gives what the search looks in and what
    it hid."""
    textos = _textos(plan)
    return mark_safe("\n".join(_fila(fila, agenda.claves, textos) for fila in filas))
