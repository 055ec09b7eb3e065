"""python manage.py importar_cronograma RUTA [--dry-run] [--actualizar [--usar-valores-de-la-hoja]] [--entidad E]"""

from django.core.management.base import BaseCommand, CommandError

from plan_participacion.importer import ErrorImportacion, importar
from plan_participacion.importer.entidades import buscar_entidad


class Command(BaseCommand):
    help = (
        "Importa el cronograma del plan de acción desde un libro de Excel (.xlsx) o un texto separado por "
        "tabulaciones, muestra el resumen y las advertencias. Si el plan ya existe, --dry-run muestra los "
        "cambios y --actualizar los aplica (conserva evidencias y lo editado en la aplicación)."
    )

    def add_arguments(self, parser):
        parser.add_argument("ruta", help="Archivo .xlsx o texto separado por tabulaciones.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Revisa el archivo y muestra los cambios sin guardar nada."
        )
        parser.add_argument(
            "--actualizar",
            "--reemplazar",
            action="store_true",
            dest="actualizar",
            help="Si ya existe el plan del mismo municipio y periodo, le aplica los cambios de la hoja.",
        )
        parser.add_argument(
            "--usar-valores-de-la-hoja",
            action="store_true",
            dest="usar_hoja",
            help=(
                "Al actualizar, toma las metas y los responsables de la hoja aunque se hayan editado en la aplicación."
            ),
        )
        parser.add_argument(
            "--entidad",
            help=(
                "Entidad en la que se importa (nombre exacto o código DANE); por defecto, la del municipio de la hoja."
            ),
        )

    def handle(self, *args, ruta, dry_run, actualizar, usar_hoja, entidad, **options):
        try:
            destino = buscar_entidad(entidad) if entidad else None
            resultado = importar(ruta, dry_run=dry_run, actualizar=actualizar, usar_hoja=usar_hoja, entidad=destino)
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
        if resumen.dry_run and resumen.actualizado:
            return (
                "Simulación (--dry-run): el plan ya existe; no se guardó nada. Para aplicar estos cambios use "
                "--actualizar."
            )
        if resumen.dry_run:
            return "Simulación (--dry-run): el archivo se puede importar; no se guardó nada."
        if resumen.actualizado:
            return f"Plan actualizado: {resultado.plan}."
        return f"Plan importado: {resultado.plan}."
