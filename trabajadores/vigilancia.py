"""The reaper: tasks left RUNNING by a worker that stopped beating are marked failed, and their owners resume them.

django-tasks-db only hands out READY tasks, so a task whose worker was killed
(OOM killer, ``kill -9``, a server restarted mid-render) would stay RUNNING
forever and its report page would say "se está preparando" forever. One round
(``vigilar``), run by every live worker's heartbeat thread every
TRABAJADORES_VIGILANCIA seconds and once when a worker starts:

1. every RUNNING task whose last worker has not beaten for TRABAJADORES_AUSENCIA
   seconds (or has no heartbeat row and started longer ago than that) is marked
   FAILED with ``TrabajadorPerdido``, with a conditional UPDATE so that two
   reapers never both claim it;
2. report jobs are re-enqueued (reportes.trabajos.reanudar_informes, bounded
   attempts) and lost mail is retried (seguimiento.tasks.reintentar_correos_perdidos);
3. heartbeat rows of workers gone for a day are deleted, and the cleanup of old
   report files is enqueued once an hour.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trabajadores.models import Trabajador

logger = logging.getLogger(__name__)

RUNNING, FAILED = "RUNNING", "FAILED"


class TrabajadorPerdido(Exception):
    """The worker running this task stopped sending its heartbeat (killed, out of memory, server down)."""


def tareas_perdidas(ahora=None):
    """RUNNING tasks whose last worker is not alive."""
    ahora = ahora or timezone.now()
    limite = ahora - timedelta(seconds=settings.TRABAJADORES_AUSENCIA)
    vistos = dict(Trabajador.objects.values_list("worker_id", "visto"))
    perdidas = []
    for resultado in DBTaskResult.objects.filter(status=RUNNING):
        worker_id = resultado.worker_ids[-1] if resultado.worker_ids else None
        visto = vistos.get(worker_id)
        if visto is None:
            # No heartbeat row: it died before its first beat, or is not one of ours. Give it the same time.
            if resultado.started_at and resultado.started_at >= limite:
                continue
        elif visto >= limite:
            continue
        perdidas.append(resultado)
    return perdidas


def recoger_tareas_perdidas(ahora=None):
    """Mark the lost tasks FAILED; returns those this call marked (another reaper may have been first)."""
    ahora = ahora or timezone.now()
    recogidas = []
    for resultado in tareas_perdidas(ahora):
        worker_id = resultado.worker_ids[-1] if resultado.worker_ids else "?"
        motivo = (
            f"TrabajadorPerdido: el trabajador {worker_id} dejó de dar señales de vida "
            f"(más de {settings.TRABAJADORES_AUSENCIA} s sin latido) mientras ejecutaba la tarea."
        )
        marcadas = DBTaskResult.objects.filter(pk=resultado.pk, status=RUNNING).update(
            status=FAILED,
            finished_at=ahora,
            exception_class_path=f"{__name__}.TrabajadorPerdido",
            traceback=motivo,
            return_value=None,
        )
        if marcadas:
            logger.warning("Tarea %s (%s) recogida: %s", resultado.pk, resultado.task_path, motivo)
            recogidas.append(resultado)
    return recogidas


def vigilar():
    """One round of the reaper (see the module's docstring)."""
    from reportes.tasks import limpiar_informes
    from reportes.trabajos import reanudar_informes
    from seguimiento.tasks import reintentar_correos_perdidos

    recogidas = recoger_tareas_perdidas()
    reintentar_correos_perdidos(recogidas)
    reanudar_informes()
    Trabajador.objects.filter(visto__lt=timezone.now() - timedelta(days=1)).delete()
    hace_una_hora = timezone.now() - timedelta(hours=1)
    if not DBTaskResult.objects.filter(task_path=limpiar_informes.module_path, enqueued_at__gte=hace_una_hora).exists():
        limpiar_informes.enqueue()  # two workers may both enqueue it at once: harmless, it is idempotent
    return recogidas
