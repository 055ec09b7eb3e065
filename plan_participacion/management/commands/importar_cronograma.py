"""python manage.py importar_cronograma RUTA [--dry-run] [--reemplazar]"""

from django.core.management.base import BaseCommand, CommandError

from plan_participacion.importer import ErrorImportacion, importar


class Command(BaseCommand):
    help = (
        "Importa el cronograma del plan de acción desde un libro de Excel (.xlsx) o un texto separado por "
        "tabulaciones, muestra el resumen y las advertencias."
    )

    def add_arguments(self, parser):
        parser.add_argument("ruta", help="Archivo .xlsx o texto separado por tabulaciones.")
        parser.add_argument("--dry-run", action="store_true", help="Revisa el archivo sin guardar nada.")
        parser.add_argument(
            "--reemplazar",
            action="store_true",
            help="Si ya existe el plan del mismo municipio y periodo, lo borra y lo vuelve a crear.",
        )

    def handle(self, *args, ruta, dry_run, reemplazar, **options):
        try:
            resultado = importar(ruta, dry_run=dry_run, reemplazar=reemplazar)
        except ErrorImportacion as error:
            raise CommandError(error.mensaje) from error
        except OSError as error:
            raise CommandError(f"No se pudo leer el archivo «{ruta}»: {error.strerror or error}.") from error
        for linea in resultado.resumen.como_texto():
            self.stdout.write(linea)
        self.escribir_advertencias(resultado.advertencias)
        self.stdout.write(self.style.SUCCESS(self.conclusion(resultado)))

    def escribir_advertencias(self, advertencias):
        if not advertencias:
            self.stdout.write("Sin advertencias.")
            return
        self.stdout.write(self.style.WARNING(f"Advertencias ({len(advertencias)}):"))
        for advertencia in advertencias:
            self.stdout.write(f"  - {advertencia}")

    def conclusion(self, resultado):
        resumen = resultado.resumen
        if resumen.dry_run:
            return "Simulación (--dry-run): el archivo se puede importar; no se guardó nada."
        reemplazo = " (reemplazó al anterior)" if resumen.reemplazado else ""
        return f"Plan importado{reemplazo}: {resultado.plan}."
