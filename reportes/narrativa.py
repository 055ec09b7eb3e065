"""The coordinator's page for the text that opens the progress report: /reportes/narrativa/?plan=&corte=.

It shows the text the report will print for that plan and corte (the coordinator's, or the one
generated from the figures by seguimiento.narrativa), lets the coordinator save an edited text or go
back to the generated one (the actions acciones.guardar_narrativa and restablecer_narrativa, each
with a version in the history), and lists that history. Once a closing in force covers the corte
the page only reads: the signed report carries the text as it was.

Coordinator only (``seguimiento.cerrar_periodo``: whoever closes the period signs off its text);
plans of another entidad are a 404.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from plan_participacion.models import Plan
from reportes.forms import ReporteForm
from reportes.views import elegir
from seguimiento import acciones, cierres
from seguimiento import narrativa as textos
from seguimiento.models import NarrativaInforme

HISTORIAL = 20  # versions listed on the page


class NarrativaForm(forms.Form):
    texto = forms.CharField(
        label=gettext_lazy("Texto del informe"),
        required=False,
        max_length=acciones.LARGO_MAXIMO_NARRATIVA,
        strip=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 22}),
        help_text=gettext_lazy("Deje una línea en blanco entre párrafos."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def _direccion(plan, corte):
    return reverse("reporte_narrativa") + "?" + urlencode({"plan": plan.pk, "corte": corte.isoformat()})


@never_cache
@login_required
@permission_required(acciones.PERMISO_NARRATIVA, raise_exception=True)
def narrativa(request):
    plan, corte, eleccion = elegir(request)  # the reports' choice of plan and corte (seguimiento.vigencias)
    if plan is None:
        contexto = {"eleccion": eleccion, "plan": None, "hay_planes": Plan.objects.visible_para(request.user).exists()}
        return render(request, "reportes/narrativa.html", contexto, status=400 if eleccion.errors else 200)

    fila = NarrativaInforme.objects.filter(plan=plan, corte=corte).select_related("editado_por").first()
    generado = textos.texto_generado(plan, corte)
    version = fila.version if fila is not None else 0
    status = 200
    form = NarrativaForm(initial={"texto": fila.texto if fila and fila.texto else generado, "version": version})
    if request.method == "POST":
        form = NarrativaForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("accion") == "restablecer":
                    acciones.restablecer_narrativa(
                        plan, corte, usuario=request.user, version=form.cleaned_data["version"]
                    )
                    messages.success(request, _("El informe vuelve a llevar el texto generado con las cifras."))
                else:
                    acciones.guardar_narrativa(
                        plan,
                        corte,
                        usuario=request.user,
                        texto=form.cleaned_data["texto"],
                        version=form.cleaned_data["version"],
                    )
                    messages.success(request, _("Texto guardado: el informe de avance con este corte lo lleva."))
                return redirect(_direccion(plan, corte))
            except acciones.TransicionInvalida as error:
                fila = NarrativaInforme.objects.filter(plan=plan, corte=corte).select_related("editado_por").first()
                # the text typed stays on the page, against the version now saved
                actual = fila.version if fila is not None else 0
                form = NarrativaForm({"texto": form.cleaned_data["texto"], "version": actual})
                form.is_valid()
                form.add_error(None, str(error))
                status = 409
        else:
            status = 400

    cierre = cierres.que_cubre(plan.pk, corte)
    versiones = fila.versiones.select_related("autor")[:HISTORIAL] if fila is not None else []
    contexto = {
        "eleccion": ReporteForm(initial={"plan": plan, "corte": corte}, usuario=request.user),
        "plan": plan,
        "corte": corte,
        "fila": fila,
        "editado": fila is not None and bool(fila.texto),
        "generado": generado,
        "form": form,
        "cierre": cierre,
        "versiones": versiones,
        "enlace_pdf": reverse("reporte_avance") + "?" + urlencode({"plan": plan.pk, "corte": corte.isoformat()}),
    }
    return render(request, "reportes/narrativa.html", contexto, status=status)
