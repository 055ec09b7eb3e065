"""The coordinator's daily summary of evidence waiting for review.

Meant for a daily job on ONE server (deploy/: systemd timer or crontab), e.g. at 07:00 Bogotá time:
``python manage.py resumen_revision`` enqueues the task ``enviar_resumen_revision`` for the
workers, which enqueues one mail per reviewer on the "correo" queue. ``--ahora`` builds it in this
process (the mails are still enqueued); ``--dry-run`` only shows what would be sent. A day's
summary goes out once (``--forzar`` sends it again); nothing is sent when nothing waits.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from seguimiento import cola_revision
from seguimiento.tasks import enviar_resumen_revision


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Resumen diario para la coordinación de las evidencias que esperan revisión. Por defecto lo deja en "
            "la cola de tareas; --ahora lo prepara aquí; --dry-run solo muestra qué se enviaría."
        )

    def add_arguments(self, parser):
        parser.add_argument("--ahora", action="store_true", help=_("Preparar el resumen en este proceso."))
        parser.add_argument("--dry-run", action="store_true", help=_("Solo mostrar a quién se escribiría y qué."))
        parser.add_argument("--forzar", action="store_true", help=_("Enviarlo aunque hoy ya se haya enviado."))

    def handle(self, *args, ahora=False, dry_run=False, forzar=False, **options):
        with translation.override(translation.get_supported_language_variant(settings.LANGUAGE_CODE)):
            if dry_run:
                return self.simular()
            if not ahora:
                resultado = enviar_resumen_revision.enqueue(forzar=forzar)
                self.stdout.write(
                    _("Resumen de revisión en cola (tarea %(id)s); lo prepara un trabajador de la cola «default».")
                    % {"id": resultado.id}
                )
                return
            pendientes, destinatarios, ya_enviado = cola_revision.enviar_resumen(forzar=forzar)
            if not pendientes:
                self.stdout.write(_("No hay evidencias esperando revisión: no se envió ningún resumen."))
            elif ya_enviado:
                self.stdout.write(_("El resumen de hoy ya se envió; use --forzar para enviarlo otra vez."))
            elif not destinatarios:
                self.stderr.write(_("Ningún revisor activo tiene correo registrado: nadie recibiría el resumen."))
            else:
                self.stdout.write(
                    _("Resumen en cola para %(a)s (%(n)s evidencias por revisar).")
                    % {"a": ", ".join(r.email for r in destinatarios), "n": pendientes}
                )

    def simular(self):
        por_revisor = cola_revision.resumenes()
        if not por_revisor:
            self.stdout.write(_("No hay evidencias esperando revisión: no se enviaría nada."))
            return
        for revisor, datos in por_revisor:
            asunto, cuerpo = cola_revision.correo(datos, revisor)
            self.stdout.write(_("Para %(a)s: %(asunto)s") % {"a": revisor.email, "asunto": asunto})
            self.stdout.write(cuerpo)
        self.stdout.write(_("Simulación: no se envió ningún correo."))
