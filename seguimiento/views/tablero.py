"""Dashboard of progress for the coordinator and the committee, and the semáforo thresholds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _

from plan_participacion.models import primer_dia
from seguimiento import cierres
from seguimiento.avance import avance_plan, corte_por_defecto, sin_reportar
from seguimiento.forms_tablero import SemaforoForm, TableroForm
from seguimiento.models import Semaforo
from seguimiento.participantes import EDADES, SEXOS, participantes_al_corte
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
    avance = avance_plan(plan, corte)
    programado_mes = sum(m.programado for m in avance.ejecucion.meses if m.mes == mes)
    mes_participantes = datos.get("participantes")
    participantes = participantes_al_corte(plan, corte)
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
            "avance": avance,
            "grafico": datos_grafico(avance),
            "mes": mes,
            "programado_mes": programado_mes,
            "pendientes": sin_reportar(plan, mes),
            "cierre": cierres.vigente(plan),
            "mes_participantes": mes_participantes,
            "participantes": participantes_por_nivel(avance, participantes, mes_participantes),
            "participantes_grupos": participantes.por_grupo(participantes.total(mes=mes_participantes)),
            "participantes_sexos": [etiqueta for _campo, etiqueta in SEXOS],
            "participantes_edades": [etiqueta for _campo, etiqueta in EDADES],
        },
    )


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
