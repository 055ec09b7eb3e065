"""The coordinator's review queue (her home page): evidence sent and waiting for a decision, oldest first.

Evidence sent again after a return is marked "reenviada", with what changed since the return (the
evidence's edit history, seguimiento.historial), so the reviewer looks at that first.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import render
from django.utils import timezone

from seguimiento import cola_revision, historial
from seguimiento.forms_tablero import FiltroRevisionForm
from seguimiento.models import CambioEstado, EdicionEvidencia, Evidencia
from seguimiento.vigencias import plan_por_defecto

POR_PAGINA = 25
DIAS_ESPERA_LARGA = cola_revision.DIAS_ESPERA_LARGA


@login_required
@permission_required("seguimiento.revisar_evidencia", raise_exception=True)
def cola(request):
    form = FiltroRevisionForm(request.GET, usuario=request.user, plan_vigente=plan_por_defecto(request.user))
    form.is_valid()  # invalid filters are shown with their message and ignored; the valid ones apply
    enviadas = Evidencia.objects.visible_para(request.user).enviadas()
    evidencias = (
        form.filtrar(enviadas)
        .select_related("meta__estrategia__objetivo__linea__plan", "secretaria", "autor")
        .prefetch_related(
            Prefetch("historial", queryset=CambioEstado.objects.select_related("usuario")),
            Prefetch("ediciones", queryset=EdicionEvidencia.objects.order_by("fecha", "pk")),
        )
        .order_by(F("enviada_en").asc(nulls_first=True), "pk")
    )
    pagina = Paginator(evidencias, POR_PAGINA).get_page(request.GET.get("page"))
    ahora = timezone.now()
    for evidencia in pagina:
        espera = ahora - (evidencia.enviada_en or evidencia.creada)
        evidencia.dias_esperando = espera.days
        evidencia.espera_larga = espera.days >= DIAS_ESPERA_LARGA
        evidencia.desde_devolucion = historial.desde_la_devolucion(evidencia)
    return render(
        request,
        "seguimiento/revision/cola.html",
        {
            "form": form,
            "pagina": pagina,
            "ahora": ahora,
            "dias_espera_larga": DIAS_ESPERA_LARGA,
            "resumen": cola_revision.resumen(enviadas, ahora),
        },
    )
