"""Reminds the delegates of secretariats that have not reported a month with planned activities.

Who gets one is decided by seguimiento.recordatorios (the same list the
coordinator's "Enviar recordatorios del mes" shows). The mails are enqueued, one
task each on the "correo" queue, and sent by its worker with retries; the sending
is recorded in the audit trail. Installed as a monthly job by deploy/ (systemd
timer or crontab), e.g. on the 25th: ``python manage.py recordatorios``.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plan_participacion.models import Entidad, Plan, primer_dia
from seguimiento import recordatorios
from seguimiento.forms_tablero import leer_mes


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Escribe a los delegados de las secretarías que no han enviado evidencias de un mes con actividades "
            "programadas. Muestra a quién escribe; con --dry-run no envía nada."
        )

    def add_arguments(self, parser):
        parser.add_argument("--mes", help=_("Mes a revisar, AAAA-MM. Por defecto, el mes actual."))
        parser.add_argument(
            "--plan",
            help=_(
                "ID del plan. Por defecto, el plan vigente de cada entidad (el que incluye el mes de hoy, o el más "
                "reciente)."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Solo mostrar a quién se escribiría."))

    def handle(self, *args, **options):
        # The language the web pages are served in (LocaleMiddleware picks it from LANGUAGES), so that
        # the email's dates read like the dashboard's ("marzo de 2024").
        with translation.override(translation.get_supported_language_variant(settings.LANGUAGE_CODE)):
            return self.recordar(**options)

    def recordar(self, *, mes=None, plan=None, dry_run=False, **options):
        try:
            mes = self._mes(mes)
        except ValueError as error:
            raise CommandError(str(error)) from error
        planes = [self._plan(plan)] if plan is not None else self._vigentes()
        for elegido in planes:
            try:
                lista = recordatorios.preparar(elegido, mes)
            except recordatorios.MesFueraDelPlan as error:
                if len(planes) == 1:
                    raise CommandError(str(error)) from error
                # Another entidad's plan may not cover the month: the others still get their reminders.
                self.stderr.write(f"{elegido}: {error}")
                continue
            self._recordar_lista(lista, dry_run)

    def _recordar_lista(self, lista, dry_run):
        if not lista.hay_pendientes:
            self.stdout.write(
                _("Nadie tiene reportes pendientes de %(mes)s en «%(plan)s».")
                % {"mes": lista.nombre_mes, "plan": lista.plan}
            )
            return
        for secretaria in lista.sin_delegados:
            self.stderr.write(
                _("%(secretaria)s no tiene delegados: nadie recibirá su recordatorio.") % {"secretaria": secretaria}
            )
        for recordatorio in lista.sin_correo:
            self.stderr.write(
                _("%(nombre)s no tiene correo registrado: no se le puede recordar %(detalle)s.")
                % {"nombre": recordatorios.nombre(recordatorio.delegado), "detalle": recordatorio.detalle}
            )
        plantilla = (
            _("Escribiría a %(a)s: %(detalle)s.") if dry_run else _("Recordatorio en cola para %(a)s: %(detalle)s.")
        )
        for recordatorio in lista.recordatorios:
            self.stdout.write(plantilla % {"a": recordatorio.destinatario, "detalle": recordatorio.detalle})
        if dry_run:
            self.stdout.write(_("Simulación: no se envió ningún correo."))
            return
        envio = recordatorios.enviar(lista)
        self.stdout.write(
            _("Correos en cola: %(n)s (los envía el trabajador de la cola «correo»).") % {"n": envio.cantidad}
        )

    def _mes(self, texto):
        if texto is None:
            return primer_dia(timezone.localdate())
        return leer_mes(texto)

    def _vigentes(self):
        """The plan in force of each entidad (plan_participacion.PlanQuerySet.vigente), one per entidad."""
        planes = [
            Plan.objects.vigente(entidad=entidad)
            for entidad in Entidad.objects.filter(planes__isnull=False).distinct().order_by("nombre")
        ]
        if not planes:
            raise CommandError(_("Todavía no hay un plan cargado."))
        return planes

    def _plan(self, pk):
        if not str(pk).isdigit():
            raise CommandError(_("--plan espera el número (ID) de un plan; recibí «%(valor)s».") % {"valor": pk})
        plan = Plan.objects.filter(pk=int(pk)).first()
        if plan is None:
            raise CommandError(_("No existe un plan con ID %(pk)s.") % {"pk": pk})
        return plan
