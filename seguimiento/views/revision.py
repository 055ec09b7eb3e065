"""The coordinator's review queue: evidence sent and waiting for a decision, oldest first."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from plan_participacion.models import Plan
from seguimiento.forms_tablero import FiltroRevisionForm
from seguimiento.models import Evidencia

POR_PAGINA = 25
# A secretariat waiting longer than this for an answer is shown as a long wait.
DIAS_ESPERA_LARGA = 7


@login_required
@permission_required("seguimiento.revisar_evidencia", raise_exception=True)
def cola(request):
    form = FiltroRevisionForm(request.GET, plan_vigente=Plan.objects.vigente())
    form.is_valid()  # invalid filters are shown with their message and ignored; the valid ones apply
    evidencias = (
        form.filtrar(Evidencia.objects.visible_para(request.user).enviadas())
        .select_related("meta__estrategia__objetivo__linea__plan", "secretaria", "autor")
        .order_by(F("enviada_en").asc(nulls_first=True), "pk")
    )
    pagina = Paginator(evidencias, POR_PAGINA).get_page(request.GET.get("page"))
    ahora = timezone.now()
    for evidencia in pagina:
        espera = ahora - (evidencia.enviada_en or evidencia.creada)
        evidencia.dias_esperando = espera.days
        evidencia.espera_larga = espera.days >= DIAS_ESPERA_LARGA
    return render(
        request,
        "seguimiento/revision/cola.html",
        {"form": form, "pagina": pagina, "ahora": ahora, "dias_espera_larga": DIAS_ESPERA_LARGA},
    )
