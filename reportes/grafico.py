"""Planned vs executed activities per month as an SVG drawn on the server (no JavaScript in a PDF)."""

import math

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

ANCHO, ALTO = 720, 215
IZQUIERDA, DERECHA, ARRIBA, ABAJO = 44, 10, 28, 40
COLOR_PROGRAMADO = "#7f8fa6"
COLOR_EJECUTADO = "#1e7b45"
FUENTE = "Informe Sans"


def _escala(maximo):
    """A round top for the axis and its step: 7 → (8, 2), 33 → (40, 10)."""
    if maximo <= 0:
        return 1, 1
    bruto = maximo / 4
    magnitud = 10 ** math.floor(math.log10(bruto))
    paso = next(m * magnitud for m in (1, 2, 2.5, 5, 10) if m * magnitud >= bruto)
    paso = max(1, int(paso)) if paso >= 1 else 1
    return paso * math.ceil(maximo / paso), paso


def grafico_meses(meses):
    """SVG markup of grouped bars (programado, ejecutado) for a tuple of avance.MesEjecucion."""
    tope, paso = _escala(max([m.programado for m in meses] + [m.ejecutado or 0 for m in meses] + [0]))
    alto_util = ALTO - ARRIBA - ABAJO
    ancho_util = ANCHO - IZQUIERDA - DERECHA
    grupo = ancho_util / max(len(meses), 1)
    barra = min(18.0, grupo * 0.36)

    def y(valor):
        return ARRIBA + alto_util - alto_util * valor / tope

    partes = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="grafico" viewBox="0 0 {ANCHO} {ALTO}" '
        f'width="{ANCHO}" height="{ALTO}" font-family="{FUENTE}" font-size="10" role="img" '
        f'aria-label="{escape(_("Actividades programadas y ejecutadas por mes"))}">'
    ]
    for valor in range(0, tope + 1, paso):
        partes.append(
            f'<line x1="{IZQUIERDA}" x2="{ANCHO - DERECHA}" y1="{y(valor):.1f}" y2="{y(valor):.1f}" '
            f'stroke="#d0d4da" stroke-width="0.6"/>'
            f'<text x="{IZQUIERDA - 6}" y="{y(valor) + 3.5:.1f}" text-anchor="end" fill="#333">{valor}</text>'
        )
    for i, mes in enumerate(meses):
        centro = IZQUIERDA + grupo * (i + 0.5)
        for desplazamiento, valor, color in (
            (-barra - 1, mes.programado, COLOR_PROGRAMADO),
            (1, mes.ejecutado, COLOR_EJECUTADO),
        ):
            if valor:
                partes.append(
                    f'<rect x="{centro + desplazamiento:.1f}" y="{y(valor):.1f}" width="{barra:.1f}" '
                    f'height="{y(0) - y(valor):.1f}" fill="{color}"/>'
                    f'<text x="{centro + desplazamiento + barra / 2:.1f}" y="{y(valor) - 3:.1f}" '
                    f'text-anchor="middle" font-size="8" fill="#222">{valor}</text>'
                )
        etiqueta = formats.date_format(mes.mes, "M y").replace(".", "").upper()
        partes.append(
            f'<text x="{centro:.1f}" y="{ALTO - ABAJO + 14}" text-anchor="middle" fill="#222">{escape(etiqueta)}</text>'
        )
        if mes.posterior_al_corte:
            partes.append(
                f'<text x="{centro:.1f}" y="{ALTO - ABAJO + 25}" text-anchor="middle" font-size="7" '
                f'fill="#666">{escape(_("post."))}</text>'
            )
    partes.append(
        f'<line x1="{IZQUIERDA}" x2="{ANCHO - DERECHA}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333"/>'
        f'<rect x="{IZQUIERDA}" y="6" width="10" height="10" fill="{COLOR_PROGRAMADO}"/>'
        f'<text x="{IZQUIERDA + 14}" y="15" fill="#222">{escape(_("Programado"))}</text>'
        f'<rect x="{IZQUIERDA + 110}" y="6" width="10" height="10" fill="{COLOR_EJECUTADO}"/>'
        f'<text x="{IZQUIERDA + 124}" y="15" fill="#222">{escape(_("Ejecutado (evidencias aprobadas)"))}</text>'
        f'<text x="{ANCHO - DERECHA}" y="{ALTO - 4}" text-anchor="end" font-size="8" fill="#666">'
        f"{escape(_('«post.»: mes posterior al corte, solo programado'))}</text>"
        "</svg>"
    )
    return mark_safe("".join(partes))  # every interpolated text is escaped above
