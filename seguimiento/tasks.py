"""Background work of the evidence journey, run by `manage.py db_worker` (django-tasks).

On Django 6 the import becomes ``from django.tasks import task``.

Mail is never sent inside a request: callers enqueue ``enviar_correo`` with
``transaction.on_commit`` (see ``encolar_correo``), and a worker of the "correo"
queue sends it, so a render of several minutes on the "informes" queue never holds
up a password reset. A send that fails (SMTP down, refused, timed out) is logged
and enqueued again after CORREO_ESPERA × attempt seconds, up to CORREO_INTENTOS
attempts in all; the last failure is logged as an error and leaves the task FAILED
in the queue's table (visible in the admin). A mail whose worker died mid-send is
sent again by the reaper (reintentar_correos_perdidos), within the same bound.
"""

import datetime
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)

FALLAS_DE_ENVIO = (smtplib.SMTPException, OSError)


@task(queue_name="correo")
def enviar_correo(asunto, cuerpo, destinatarios, intento=1):
    """Send one notification; enqueued with transaction.on_commit, never sent inside a request."""
    try:
        send_mail(asunto, cuerpo, None, list(destinatarios))
    except FALLAS_DE_ENVIO as error:
        if not reintentar(asunto, cuerpo, destinatarios, intento):
            logger.error(
                "Correo «%s» a %s sin enviar tras %d intentos: %s", asunto, ", ".join(destinatarios), intento, error
            )
            raise
        logger.warning(
            "Correo «%s» a %s: el intento %d falló (%s); se reintenta", asunto, ", ".join(destinatarios), intento, error
        )
        return "reintento"
    if intento > 1:
        logger.info("Correo «%s» a %s enviado en el intento %d", asunto, ", ".join(destinatarios), intento)
    return "enviado"


def reintentar(asunto, cuerpo, destinatarios, intento):
    """Enqueue attempt ``intento + 1`` after its wait; False when the attempts are used up."""
    if intento >= settings.CORREO_INTENTOS:
        return False
    tarea = enviar_correo
    if task_backends[tarea.backend].supports_defer:
        tarea = tarea.using(run_after=timezone.now() + timedelta(seconds=settings.CORREO_ESPERA * intento))
    tarea.enqueue(asunto, cuerpo, list(destinatarios), intento=intento + 1)
    return True


def encolar_correo(asunto, cuerpo, destinatarios):
    """Send a mail once the current transaction commits (at once outside one). Never raises into a request:
    a queue that cannot take it is logged."""

    def encolar():
        enviar_correo.enqueue(asunto, cuerpo, list(destinatarios))

    transaction.on_commit(encolar, robust=True)


def reintentar_correos_perdidos(recogidas):
    """The reaper's part: mail tasks whose worker died mid-send are sent again (bounded like any retry)."""
    for resultado in recogidas:
        if resultado.task_path != enviar_correo.module_path:
            continue
        argumentos = resultado.args_kwargs
        asunto, cuerpo, destinatarios, *resto = argumentos["args"]
        intento = argumentos["kwargs"].get("intento", resto[0] if resto else 1)
        if not reintentar(asunto, cuerpo, destinatarios, intento):
            logger.error("Correo «%s» a %s perdido con su trabajador, sin más intentos", asunto, destinatarios)


@task()
def enviar_recordatorios(plan_id, mes, usuario_id=None):
    """The coordinator's "Enviar recordatorios del mes": the list as it is when the task runs, sent and recorded."""
    from plan_participacion.models import Plan
    from seguimiento import recordatorios  # it enqueues mail with this module's tasks

    with translation.override(translation.get_supported_language_variant(settings.LANGUAGE_CODE)):
        lista = recordatorios.preparar(Plan.objects.get(pk=plan_id), datetime.date.fromisoformat(mes))
        usuario = get_user_model().objects.filter(pk=usuario_id).first() if usuario_id else None
        envio = recordatorios.enviar(lista, usuario=usuario)
    return envio.cantidad


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
