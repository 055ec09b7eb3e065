"""Dashboard of progress for the coordinator and the committee, and the semáforo thresholds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from plan_participacion.models import primer_dia
from seguimiento import cierres
from seguimiento.avance import avance_plan, con_delegados, corte_por_defecto, secretarias_sin_reportar
from seguimiento.forms_tablero import SemaforoForm, TableroForm
from seguimiento.models import Semaforo
from seguimiento.participantes import EDADES, SEXOS, participantes_al_corte
from seguimiento.version_datos import en_cache, plan_con_version
from seguimiento.vigencias import plan_elegido


def datos_grafico(avance):
    """What static/js/tablero.js draws: cumulative planned and executed activities per month."""
    meses = avance.ejecucion.meses
    return {
        "meses": [formats.date_format(m.mes, "M Y") for m in meses],
        "programado": [m.programado_acumulado for m in meses],
        "ejecutado": [m.ejecutado_acumulado for m in meses],  # null after the corte: the line stops there
        "etiquetas": {
            "programado": _("Programado acumulado"),
            "ejecutado": _("Ejecutado acumulado"),
            "eje": _("Actividades"),
        },
    }


def participantes_por_nivel(avance, participantes, mes=None):
    """Rows (level, AvanceLinea or AvanceEstrategia or None, Cifras) of the plan, each line and strategy."""
    filas = [("plan", None, participantes.total(mes=mes))]
    for linea in avance.lineas:
        filas.append(("linea", linea, participantes.de_linea(linea.linea.pk, mes=mes)))
        for e in linea.estrategias:
            filas.append(("estrategia", e, participantes.de_estrategia(e.estrategia.pk, mes=mes)))
    return filas


@login_required
@permission_required("seguimiento.ver_tablero", raise_exception=True)
def tablero(request):
    elegido = plan_elegido(request)  # 404 for a plan the user may not see (another entidad's)
    form = TableroForm(request.GET, usuario=request.user, por_defecto=elegido)
    valido = form.is_valid()  # invalid fields are explained on the form and replaced by their defaults
    datos = form.cleaned_data
    plan = datos.get("plan") or elegido
    if plan is None:
        return render(request, "plan/sin_plan.html")
    corte = datos.get("corte") or corte_por_defecto(plan)
    mes = datos.get("mes") or primer_dia(corte)
    mes_participantes = datos.get("participantes")
    cierre = cierres.vigente(plan)
    cifras = en_cache(
        "tablero",
        plan_con_version(plan),
        (plan.pk, corte, mes, mes_participantes),
        lambda: cifras_del_tablero(plan, corte, mes, mes_participantes, cierre),
    )
    if valido:
        form = TableroForm(
            initial={"plan": plan, "corte": corte, "mes": mes, "participantes": mes_participantes}, usuario=request.user
        )
    return render(
        request,
        "seguimiento/tablero/tablero.html",
        {
            "form": form,
            "plan": plan,
            "corte": corte,
            "semaforo": Semaforo.actual(),
            "mes": mes,
            "cifras": cifras,  # rendered HTML stays safe through the cache (SafeString pickles as itself)
            "pendientes": con_delegados(cifras["sin_reportar"]),  # the delegates: people's data, read now
            "cierre": cierre,
            "mes_participantes": mes_participantes,
        },
    )


def cifras_del_tablero(plan, corte, mes, mes_participantes, cierre):
    """The dashboard's figures at ``corte``, rendered: progress, execution, phases, metas and participants.

    The heavy part of the page, computed once per data version (seguimiento.version_datos.en_cache):
    {"html": _cifras.html, "participantes": _participantes.html, "programado_mes": activities planned in ``mes``,
    "sin_reportar": the secretariats that have not reported ``mes`` (avance.secretarias_sin_reportar)}.
    """
    avance = avance_plan(plan, corte)
    participantes = participantes_al_corte(plan, corte)
    contexto = {
        "plan": plan,
        "avance": avance,
        "grafico": datos_grafico(avance),
        "cierre": cierre,
        "participantes": participantes_por_nivel(avance, participantes, mes_participantes),
        "participantes_grupos": participantes.por_grupo(participantes.total(mes=mes_participantes)),
        "participantes_sexos": [etiqueta for _campo, etiqueta in SEXOS],
        "participantes_edades": [etiqueta for _campo, etiqueta in EDADES],
    }
    return {
        "html": render_to_string("seguimiento/tablero/_cifras.html", contexto),
        "participantes": render_to_string("seguimiento/tablero/_participantes.html", contexto),
        "programado_mes": sum(m.programado for m in avance.ejecucion.meses if m.mes == mes),
        "sin_reportar": secretarias_sin_reportar(plan, mes),
    }


@login_required
@permission_required("seguimiento.change_semaforo", raise_exception=True)
def semaforo_editar(request):
    form = SemaforoForm(request.POST or None, instance=Semaforo.actual())
    if request.method == "POST" and form.is_valid():
        semaforo = form.save()
        messages.success(
            request,
            _("Semáforo actualizado: rojo por debajo de %(rojo)s %%, verde desde %(verde)s %%.")
            % {"rojo": semaforo.rojo_menor_que, "verde": semaforo.verde_desde},
        )
        return redirect("tablero" if request.user.has_perm("seguimiento.ver_tablero") else "semaforo_editar")
    return render(request, "seguimiento/tablero/semaforo_form.html", {"form": form})
