"""The text that opens the progress report: the figures of the corte told in Spanish prose.

``texto_generado(plan, corte)`` writes it from the same figures as the dashboard and the tables
(seguimiento.avance.avance_plan, sin_reportar and seguimiento.participantes.participantes_al_corte);
``redactar`` does the writing from those figures alone, without the database, so that the tests
pin every sentence on hand-computed numbers. ``texto_del_informe(plan, corte)`` is what the PDF
prints: the coordinator's edited text (seguimiento.models.NarrativaInforme, saved by the action
acciones.guardar_narrativa) or, when nobody edited it, the generated one. Once the period of the
corte is closed the text can no longer be edited, so the signed report carries exactly the text
the committee read.

Spanish as the rest of the app writes it: months and dates with reportes.templatetags.informes
(«marzo de 2024», «31 de marzo de 2024»), percentages with one decimal and a comma («85,7 %»),
and every count agreeing in number with its noun («1 actividad programada», «2 actividades
programadas»).
"""

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plan_participacion.models import primer_dia
from reportes.templatetags.informes import fecha_larga, mes_largo, porcentaje
from seguimiento.avance import avance_plan, avance_por_fase, sin_reportar
from seguimiento.participantes import participantes_al_corte

ATRASADAS = 3  # metas named in «las metas más atrasadas»
LARGO_META = 90  # characters of a meta's text quoted in the prose
DETALLE_PENDIENTES = 4  # up to this many secretariats without report, each with its strategies


def lista(partes):
    """["a", "b", "c"] → "a, b y c" (Spanish enumeration)."""
    partes = [p for p in partes if p]
    if len(partes) <= 1:
        return "".join(partes)
    return _("%(primeros)s y %(ultimo)s") % {"primeros": ", ".join(partes[:-1]), "ultimo": partes[-1]}


def en_color(color):
    """Color.VERDE → "en verde" (the semáforo as a word, never the colour alone)."""
    return _("en %(color)s") % {"color": str(color.label).lower()} if color else ""


def _cifra_con_color(valor, color):
    """ "85,7 %, en verde" """
    return ", ".join(p for p in (porcentaje(valor), en_color(color)) if p)


def _porcentaje_y_color(valor, color):
    """ "50,0 % (en rojo)" """
    texto = porcentaje(valor)
    return f"{texto} ({en_color(color)})" if color else texto


def _ejecucion(ejecucion, mes):
    """ "lleva 12 de 14 actividades programadas hasta marzo de 2023 (85,7 %, en verde)" """
    programado, ejecutado = ejecucion.programado_a_la_fecha, ejecucion.ejecutado_a_la_fecha
    if not programado:
        frase = _("no tiene actividades programadas hasta %(mes)s") % {"mes": mes}
        if ejecutado:
            frase += ngettext(
                " y aun así registra %(n)s actividad ejecutada",
                " y aun así registra %(n)s actividades ejecutadas",
                ejecutado,
            ) % {"n": ejecutado}
        return frase
    return ngettext(
        "lleva %(hechas)s de %(n)s actividad programada hasta %(mes)s (%(cifra)s)",
        "lleva %(hechas)s de %(n)s actividades programadas hasta %(mes)s (%(cifra)s)",
        programado,
    ) % {
        "hechas": ejecutado,
        "n": programado,
        "mes": mes,
        "cifra": _cifra_con_color(ejecucion.porcentaje, ejecucion.color),
    }


def _metas(avance):
    """ "el avance de sus metas es del 50,0 % (en rojo)" """
    if avance.porcentaje is None:
        return _("no tiene metas registradas")
    return _("el avance de sus metas es del %(cifra)s") % {
        "cifra": _porcentaje_y_color(avance.porcentaje, avance.color)
    }


def _parrafo_plan(avance, mes):
    plan = avance.plan
    inicio = _("Con corte al %(corte)s, el plan «%(titulo)s» (%(municipio)s)") % {
        "corte": fecha_larga(avance.corte),
        "titulo": plan.politica or plan.titulo,
        "municipio": plan.municipio,
    }
    if avance.porcentaje is None:
        metas = _("todavía no tiene metas con las que medir su avance")
    else:
        metas = _("tiene un avance de metas del %(cifra)s") % {
            "cifra": _porcentaje_y_color(avance.porcentaje, avance.color)
        }
    return _("%(inicio)s %(metas)s y %(ejecucion)s.") % {
        "inicio": inicio,
        "metas": metas,
        "ejecucion": _ejecucion(avance.ejecucion, mes),
    }


def _parrafo_linea(linea, mes):
    frases = [
        _("Línea de acción %(numero)s, «%(nombre)s»: %(metas)s y %(ejecucion)s.")
        % {
            "numero": linea.linea.numero,
            "nombre": linea.linea.nombre,
            "metas": _metas(linea),
            "ejecucion": _ejecucion(linea.ejecucion, mes),
        }
    ]
    for estrategia in linea.estrategias:
        frases.append(
            _("La estrategia %(numero)s %(ejecucion)s; %(metas)s.")
            % {
                "numero": estrategia.estrategia.numero,
                "ejecucion": _ejecucion(estrategia.ejecucion, mes),
                "metas": _metas(estrategia),
            }
        )
    return " ".join(frases)


def _describir_meta(avance_meta):
    """ "1.2 «Doce (12) reuniones.» (3 de 12, 25,0 %, en rojo)" """
    return _("%(codigo)s «%(texto)s» (%(aprobado)s de %(objetivo)s, %(cifra)s)") % {
        "codigo": avance_meta.meta.codigo,
        "texto": Truncator(avance_meta.meta.texto).chars(LARGO_META),
        "aprobado": avance_meta.aprobado_que_cuenta,
        "objetivo": avance_meta.objetivo,
        "cifra": _cifra_con_color(avance_meta.porcentaje, avance_meta.color),
    }


def _parrafo_fases(avance):
    """Progress by phase of the cycle, and the phases where citizens take part in no strategy."""
    fases = avance_por_fase(avance)
    if all(f.sin_estrategias for f in fases):
        return _(
            "Las estrategias todavía no tienen marcadas las fases del ciclo de la gestión en que participa "
            "la ciudadanía."
        )
    partes = []
    for fase in fases:
        if fase.sin_estrategias:
            continue
        quienes = ngettext("la estrategia %(numeros)s", "las estrategias %(numeros)s", len(fase.estrategias)) % {
            "numeros": lista([str(e.estrategia.numero) for e in fase.estrategias])
        }
        if fase.porcentaje is None:
            cifra = _("sin metas")
        else:
            cifra = _("avance de metas del %(cifra)s") % {"cifra": _cifra_con_color(fase.porcentaje, fase.color)}
        partes.append(
            _("en %(fase)s, %(quienes)s (%(cifra)s)")
            % {"fase": fase.etiqueta.lower(), "quienes": quienes, "cifra": cifra}
        )
    texto = _("Por fase del ciclo de la gestión pública, la ciudadanía participa %(partes)s.") % {
        "partes": lista(partes)
    }
    for fase in fases:
        if fase.sin_estrategias:
            texto += " " + _("Ninguna estrategia tiene participación en la fase de %(fase)s.") % {
                "fase": fase.etiqueta.lower()
            }
    return texto


def _parrafo_atrasadas(avance):
    metas = avance.metas()
    if not metas:
        return ""
    pendientes = [m for m in metas if m.porcentaje_tope is not None and m.porcentaje_tope < 100]
    if not pendientes:
        return ngettext(
            "La meta del plan está cumplida al corte.",
            "Las %(n)s metas del plan están cumplidas al corte.",
            len(metas),
        ) % {"n": len(metas)}
    # sorted() is stable: among equal percentages, the plan's order
    atrasadas = sorted(pendientes, key=lambda m: m.porcentaje_tope)[:ATRASADAS]
    texto = ngettext(
        "La meta más atrasada es la %(metas)s.",
        "Las %(n)s metas más atrasadas son: %(metas)s.",
        len(atrasadas),
    ) % {"n": len(atrasadas), "metas": "; ".join(_describir_meta(m) for m in atrasadas)}
    cumplidas = len(metas) - len(pendientes)
    if cumplidas:
        cuantas = ngettext("%(n)s está cumplida", "%(n)s están cumplidas", cumplidas) % {"n": cumplidas}
    else:
        cuantas = _("ninguna está cumplida")
    texto += " " + ngettext("De %(total)s meta, %(cuantas)s.", "De %(total)s metas, %(cuantas)s.", len(metas)) % {
        "total": len(metas),
        "cuantas": cuantas,
    }
    return texto


def _estrategias(numeros):
    return ngettext("estrategia %(numeros)s", "estrategias %(numeros)s", len(numeros)) % {
        "numeros": lista([str(n) for n in numeros])
    }


def _parrafo_sin_reportar(avance, pendientes, mes):
    programado_mes = sum(m.programado for m in avance.ejecucion.meses if m.mes == primer_dia(avance.corte))
    if not programado_mes:
        return _("En %(mes)s no hay actividades programadas, así que no se espera ningún reporte.") % {"mes": mes}
    if not pendientes:
        return _("Todas las secretarías responsables reportaron las actividades programadas en %(mes)s.") % {"mes": mes}
    if len(pendientes) > DETALLE_PENDIENTES:
        # a long list reads better by name; the report's section «Quién no ha reportado» has the detail
        quienes = lista([p.secretaria.nombre for p in pendientes])
    else:
        quienes = lista(
            [
                "%s (%s)" % (p.secretaria.nombre, _estrategias([e.numero for e in p.estrategias]))  # noqa: UP031
                for p in pendientes
            ]
        )
    return ngettext(
        "En %(mes)s no ha reportado %(n)s secretaría responsable: %(quienes)s.",
        "En %(mes)s no han reportado %(n)s secretarías responsables: %(quienes)s.",
        len(pendientes),
    ) % {"mes": mes, "n": len(pendientes), "quienes": quienes}


def _personas_por_sexo(cifras):
    partes = []
    if cifras.mujeres:
        partes.append(ngettext("%(n)s mujer", "%(n)s mujeres", cifras.mujeres) % {"n": cifras.mujeres})
    if cifras.hombres:
        partes.append(ngettext("%(n)s hombre", "%(n)s hombres", cifras.hombres) % {"n": cifras.hombres})
    if cifras.otro_sexo:
        partes.append(
            ngettext(
                "%(n)s persona de otro sexo o sin esa información",
                "%(n)s personas de otro sexo o sin esa información",
                cifras.otro_sexo,
            )
            % {"n": cifras.otro_sexo}
        )
    return lista(partes)


def _parrafo_participantes(participantes):
    total = participantes.total()
    if total.vacias:
        return _("Hasta el corte ninguna evidencia aprobada registra participantes.")
    texto = ngettext(
        "Hasta el corte participó %(n)s persona en las actividades con evidencia aprobada",
        "Hasta el corte participaron %(n)s personas en las actividades con evidencia aprobada",
        total.participantes_total,
    ) % {"n": total.participantes_total}
    sexo = _personas_por_sexo(total)
    texto += f" ({sexo})." if sexo else "."
    grupos = [(grupo, n) for grupo, n in participantes.por_grupo(total) if n]
    if grupos:
        texto += " " + _("Por grupo de valor: %(grupos)s.") % {
            "grupos": lista([f"{grupo.nombre} ({n})" for grupo, n in grupos])
        }
    else:
        texto += " " + _("Ninguna evidencia aprobada registra grupos de valor.")
    return texto


def redactar(avance, participantes, pendientes):
    """The generated text (paragraphs separated by a blank line) from the corte's figures.

    ``avance`` is an avance.AvancePlan, ``participantes`` a participantes.ParticipantesPlan of the
    same plan and corte, ``pendientes`` sin_reportar(plan, month of the corte).
    """
    mes = mes_largo(primer_dia(avance.corte))
    parrafos = [_parrafo_plan(avance, mes)]
    parrafos += [_parrafo_linea(linea, mes) for linea in avance.lineas]
    parrafos += [
        _parrafo_fases(avance),
        _parrafo_atrasadas(avance),
        _parrafo_sin_reportar(avance, pendientes, mes),
        _parrafo_participantes(participantes),
    ]
    return "\n\n".join(p for p in parrafos if p)


def texto_generado(plan, corte, *, avance=None):
    """The text written from the figures of ``plan`` at ``corte`` (a fixed number of queries)."""
    avance = avance or avance_plan(plan, corte)
    return redactar(avance, participantes_al_corte(plan, corte), sin_reportar(plan, primer_dia(corte)))


def editada(plan, corte):
    """The NarrativaInforme of (plan, corte) with a text (the coordinator's), or None."""
    from seguimiento.models import NarrativaInforme

    narrativa = NarrativaInforme.objects.filter(plan=plan, corte=corte).select_related("editado_por").first()
    return narrativa if narrativa is not None and narrativa.texto else None


def texto_del_informe(plan, corte, *, avance=None):
    """What the progress report prints: the coordinator's text, or the generated one."""
    narrativa = editada(plan, corte)
    if narrativa is not None:
        return narrativa.texto
    return texto_generado(plan, corte, avance=avance)


def normalizar(texto):
    """The text as it is stored: Unix line ends, no trailing spaces, at most one blank line in a row."""
    lineas = [linea.rstrip() for linea in (texto or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    parrafos, actual = [], []
    for linea in lineas:
        if linea:
            actual.append(linea)
        elif actual:
            parrafos.append("\n".join(actual))
            actual = []
    if actual:
        parrafos.append("\n".join(actual))
    return "\n\n".join(parrafos)
