"""Background work of the evidence journey, run by `manage.py db_worker` (django-tasks).

On Django 6 the import becomes ``from django.tasks import task``.
"""

import datetime

from django.core.mail import send_mail
from django_tasks import task


@task(queue_name="correo")
def enviar_correo(asunto, cuerpo, destinatarios):
    """Send one notification; enqueued with transaction.on_commit, never sent inside a request."""
    send_mail(asunto, cuerpo, None, list(destinatarios))


@task(queue_name="informes")
def archivar_cierre(cierre_id):
    """Archive the signed documents of a closing (seguimiento.firmados); retried there when it fails."""
    from seguimiento import firmados  # renders the reports: imported where the work is done

    firmados.ejecutar(cierre_id)


@task()
def enviar_resumen_revision(fecha=None, forzar=False):
    """The coordinator's daily summary of pending reviews (seguimiento.cola_revision): one mail task per reviewer.

    ``fecha``: the day (ISO) whose summary it is, by default today; a day's summary goes out once.
    """
    from seguimiento import cola_revision  # queries and templates: imported where the work is done

    hoy = datetime.date.fromisoformat(fecha) if fecha else None
    pendientes, destinatarios, ya_enviado = cola_revision.enviar_resumen(hoy, forzar=forzar)
    return {"pendientes": pendientes, "destinatarios": len(destinatarios), "ya_enviado": ya_enviado}
