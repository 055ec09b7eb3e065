"""The coordinator's review queue (her home page): evidence sent and waiting for a decision, oldest first.

Evidence sent again after a return is marked "reenviada", with what changed since the return (the
evidence's edit history, seguimiento.historial), so the reviewer looks at that first.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import render
from django.utils import timezone

from plan_participacion.models import Meta
from seguimiento import cola_revision, historial
from seguimiento.forms_tablero import FiltroRevisionForm
from seguimiento.models import EdicionEvidencia, Evidencia

POR_PAGINA = 25
DIAS_ESPERA_LARGA = cola_revision.DIAS_ESPERA_LARGA


@login_required
@permission_required("seguimiento.revisar_evidencia", raise_exception=True)
def cola(request):
    form = FiltroRevisionForm(request.GET, usuario=request.user)
    form.is_valid()  # invalid filters are shown with their message and ignored; the valid ones apply
    enviadas = Evidencia.objects.visible_para(request.user).enviadas()
    ahora = timezone.now()
    resumen = cola_revision.resumen(enviadas, ahora)
    evidencias = (
        form.filtrar(enviadas)
        # The meta, its strategy and its line in a query of their own: joined here too, the seven tables
        # took PostgreSQL longer to plan than to read the page (~5 ms against 1).
        .select_related("secretaria", "autor")
        .prefetch_related(
            Prefetch("meta", queryset=Meta.objects.select_related("estrategia__objetivo__linea").order_by()),
            "historial",
            Prefetch("ediciones", queryset=EdicionEvidencia.objects.order_by("fecha", "pk")),
        )
        .order_by(F("enviada_en").asc(nulls_first=True), "pk")
    )
    paginador = Paginator(evidencias, POR_PAGINA)
    if not form.hay_filtros():
        paginador.count = resumen["total"]  # the same rows, already counted: no second COUNT
    pagina = paginador.get_page(request.GET.get("page"))
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
            "resumen": resumen,
            # The menu's count (seguimiento.contexto) is this page's total: not counted a second time.
            "por_revisar": resumen["total"],
        },
    )
