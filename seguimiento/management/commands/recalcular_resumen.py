"""Rebuilds the summary of approved evidence from the evidence, and says where it was wrong.

The actions keep seguimiento.ResumenAprobado up to date in their own transaction; this command
is the check (and the repair) for anything that changed evidence behind their back: a
restored backup, an UPDATE typed in psql, a bug. ``--revisar`` only compares and exits with
status 1 on any difference, for a nightly cron job that must alert someone.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seguimiento import resumen

MOSTRAR = 50


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Recalcula el resumen de evidencias aprobadas (por meta, secretaría y mes) desde las evidencias y "
            "muestra cada diferencia que tenía. Con --revisar solo compara: no escribe y termina con error si "
            "encuentra diferencias."
        )

    def add_arguments(self, parser):
        parser.add_argument("--revisar", action="store_true", help=_("Solo comparar, sin escribir nada."))

    def handle(self, *args, **options):
        encontradas = resumen.diferencias() if options["revisar"] else resumen.recalcular()
        if not encontradas:
            self.stdout.write(self.style.SUCCESS(_("El resumen coincide con las evidencias aprobadas.")))
            return
        for diferencia in encontradas[:MOSTRAR]:
            self.stdout.write(str(diferencia))
        if len(encontradas) > MOSTRAR:
            self.stdout.write(_("… y %(n)s diferencias más.") % {"n": len(encontradas) - MOSTRAR})
        total = ngettext("%(n)s diferencia", "%(n)s diferencias", len(encontradas)) % {"n": len(encontradas)}
        if options["revisar"]:
            raise CommandError(
                _(
                    "El resumen no coincide con las evidencias aprobadas: %(total)s. Corríjalo con "
                    "`manage.py recalcular_resumen`."
                )
                % {"total": total}
            )
        self.stdout.write(self.style.WARNING(_("Resumen recalculado; tenía %(total)s.") % {"total": total}))
