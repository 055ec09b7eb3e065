"""The audit trail for control bodies: who changed the plan or moved an evidence, and when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from seguimiento import auditoria
from seguimiento.forms_tablero import FiltroAuditoriaForm


@login_required
@permission_required("plan_participacion.ver_auditoria", raise_exception=True)
def auditoria_lista(request):
    form = FiltroAuditoriaForm(request.GET, usuario=request.user, tipos=auditoria.tipos())
    form.is_valid()  # invalid filters are shown with their message and ignored; the valid ones apply
    cursores = {}
    for nombre in ("antes", "despues"):
        if request.GET.get(nombre):
            cursores[nombre] = auditoria.Cursor.leer(request.GET[nombre])
            if cursores[nombre] is None:
                messages.warning(
                    request, _("El enlace de la página no es válido; se muestran los cambios más recientes.")
                )
                cursores = {}
                break
    pagina = auditoria.pagina(auditoria.ramas(request.user, **form.filtros()), **cursores)
    return render(
        request,
        "seguimiento/auditoria.html",
        {"form": form, "pagina": pagina, "entradas": auditoria.entradas(pagina.filas, request.user, form.personas())},
    )
