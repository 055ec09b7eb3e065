"""Reminds the delegates of secretariats that have not reported a month with planned activities.

Who has not reported is decided by seguimiento.avance.sin_reportar, the same
function the dashboard's "quién no ha reportado" uses. Meant for a monthly
cron job, e.g. on the 25th: ``python manage.py recordatorios``.
"""

import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from plan_participacion.models import Plan, primer_dia
from seguimiento.avance import sin_reportar
from seguimiento.forms_tablero import leer_mes


def _nombre(usuario):
    return usuario.get_full_name() or usuario.username


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Escribe a los delegados de las secretarías que no han enviado evidencias de un mes con actividades "
            "programadas. Muestra a quién escribe; con --dry-run no envía nada."
        )

    def add_arguments(self, parser):
        parser.add_argument("--mes", help=_("Mes a revisar, AAAA-MM. Por defecto, el mes actual."))
        parser.add_argument("--plan", help=_("ID del plan. Por defecto, el plan vigente (el más reciente)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Solo mostrar a quién se escribiría."))

    def handle(self, *args, **options):
        # The language the web pages are served in (LocaleMiddleware picks it from LANGUAGES), so that
        # the email's dates read like the dashboard's ("marzo de 2024").
        with translation.override(translation.get_supported_language_variant(settings.LANGUAGE_CODE)):
            return self.recordar(**options)

    def recordar(self, *, mes=None, plan=None, dry_run=False, **options):
        mes = self._mes(mes)
        plan = self._plan(plan)
        nombre_mes = formats.date_format(mes, "YEAR_MONTH_FORMAT")
        if not plan.mes_inicio <= mes <= plan.mes_fin:
            raise CommandError(
                _("%(mes)s está fuera del periodo del plan «%(plan)s».")
                % {"mes": nombre_mes.capitalize(), "plan": plan}
            )

        pendientes = sin_reportar(plan, mes)
        if not pendientes:
            self.stdout.write(
                _("Nadie tiene reportes pendientes de %(mes)s en «%(plan)s».") % {"mes": nombre_mes, "plan": plan}
            )
            return

        por_delegado = {}
        for pendiente in pendientes:
            if not pendiente.delegados:
                self.stderr.write(
                    _("%(secretaria)s no tiene delegados: nadie recibirá su recordatorio.")
                    % {"secretaria": pendiente.secretaria}
                )
            for delegado in pendiente.delegados:
                por_delegado.setdefault(delegado.pk, (delegado, []))[1].append(pendiente)

        asunto = _("Recordatorio: reporte de avance de %(mes)s") % {"mes": nombre_mes}
        enviados, fallidos = 0, []
        for delegado, suyos in por_delegado.values():
            detalle = "; ".join(
                _("%(secretaria)s (estrategias %(numeros)s)")
                % {"secretaria": p.secretaria, "numeros": ", ".join(str(e.numero) for e in p.estrategias)}
                for p in suyos
            )
            if not delegado.email:
                self.stderr.write(
                    _("%(nombre)s no tiene correo registrado: no se le puede recordar %(detalle)s.")
                    % {"nombre": _nombre(delegado), "detalle": detalle}
                )
                continue
            destinatario = f"{_nombre(delegado)} <{delegado.email}>"
            if dry_run:
                self.stdout.write(_("Escribiría a %(a)s: %(detalle)s.") % {"a": destinatario, "detalle": detalle})
                continue
            cuerpo = render_to_string(
                "seguimiento/tablero/correo_recordatorio.txt",
                {"delegado": delegado, "nombre": _nombre(delegado), "pendientes": suyos, "mes": mes, "plan": plan},
            )
            try:
                send_mail(asunto, cuerpo, None, [delegado.email])
            except (smtplib.SMTPException, OSError) as error:
                fallidos.append(destinatario)
                self.stderr.write(_("No se pudo escribir a %(a)s: %(error)s") % {"a": destinatario, "error": error})
                continue
            enviados += 1
            self.stdout.write(_("Recordatorio enviado a %(a)s: %(detalle)s.") % {"a": destinatario, "detalle": detalle})

        if dry_run:
            self.stdout.write(_("Simulación: no se envió ningún correo."))
        else:
            self.stdout.write(_("Correos enviados: %(n)s.") % {"n": enviados})
        if fallidos:
            raise CommandError(_("No se pudo enviar el recordatorio a: %(lista)s.") % {"lista": ", ".join(fallidos)})

    def _mes(self, texto):
        if texto is None:
            return primer_dia(timezone.localdate())
        try:
            return leer_mes(texto)
        except ValueError as error:
            raise CommandError(str(error)) from error

    def _plan(self, pk):
        if pk is None:
            plan = Plan.objects.vigente()
            if plan is None:
                raise CommandError(_("Todavía no hay un plan cargado."))
            return plan
        if not str(pk).isdigit():
            raise CommandError(_("--plan espera el número (ID) de un plan; recibí «%(valor)s».") % {"valor": pk})
        plan = Plan.objects.filter(pk=int(pk)).first()
        if plan is None:
            raise CommandError(_("No existe un plan con ID %(pk)s.") % {"pk": pk})
        return plan
