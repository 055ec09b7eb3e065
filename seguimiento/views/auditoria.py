"""The audit trail for control bodies: who changed the plan or moved an evidence, and when."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from seguimiento import auditoria
from seguimiento.forms_tablero import FiltroAuditoriaForm

POR_PAGINA = 50


@login_required
@permission_required("plan_participacion.ver_auditoria", raise_exception=True)
def auditoria_lista(request):
    form = FiltroAuditoriaForm(request.GET, tipos=auditoria.tipos())
    form.is_valid()  # invalid filters are shown with their message and ignored; the valid ones apply
    registros = auditoria.registros(request.user, **form.filtros())
    pagina = Paginator(registros, POR_PAGINA).get_page(request.GET.get("page"))
    return render(
        request,
        "seguimiento/auditoria.html",
        {"form": form, "pagina": pagina, "entradas": auditoria.entradas(pagina.object_list, request.user)},
    )
