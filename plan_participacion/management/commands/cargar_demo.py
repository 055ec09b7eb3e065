"""Everything a newcomer needs to try the app: the Candelaria plan and the demo accounts.

Idempotent: the plan is imported only when it is not there yet, and the demo
accounts are updated in place.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from plan_participacion.importer import ErrorImportacion, importar


class Command(BaseCommand):
    help = "Carga el plan de Candelaria (si falta) y los usuarios de demostración."

    def add_arguments(self, parser):
        parser.add_argument("--forzar", action="store_true", help="Crear los usuarios aunque DEBUG esté desactivado.")

    def handle(self, *args, forzar, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError(
                "Con DEBUG=False no se cargan datos de demostración (use --forzar si de verdad los quiere)."
            )
        try:
            previo = importar(settings.SEMILLA_CANDELARIA, dry_run=True)
            if previo.resumen.actualizado:
                self.stdout.write(f"El plan de Candelaria ya está cargado ({previo.resumen.entidad}).")
            else:
                resultado = importar(settings.SEMILLA_CANDELARIA)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Plan importado: {resultado.plan} — {previo.resumen.metas} metas, "
                        f"{previo.resumen.total_programado} actividades programadas."
                    )
                )
        except ErrorImportacion as error:
            raise CommandError(str(error)) from error
        call_command("usuarios_demo", forzar=forzar, stdout=self.stdout)
