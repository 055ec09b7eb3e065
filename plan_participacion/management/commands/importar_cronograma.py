"""python manage.py importar_cronograma RUTA [--dry-run] [--actualizar [--usar-valores-de-la-hoja]] [--entidad E]
[--aplicar-fases]"""

from django.core.management.base import BaseCommand, CommandError

from plan_participacion import acciones, ciclo
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

        parser.add_argument(
            "--aplicar-fases",
            action="store_true",
            dest="aplicar_fases",
            help=(
                "Etiqueta con las fases del ciclo sugeridas las estrategias que aún no tienen (como la casilla de la "
                "vista previa del navegador); sin esta opción solo se muestran las sugerencias."
            ),
        )

    def handle(self, *args, ruta, dry_run, actualizar, usar_hoja, entidad, aplicar_fases=False, **options):
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
        self.escribir_fases(resultado, aplicar_fases)
        self.stdout.write(self.style.SUCCESS(self.conclusion(resultado)))

    def escribir_fases(self, resultado, aplicar):
        """The phases of the cycle suggested for each strategy (plan_participacion.ciclo), applied if asked."""
        if resultado.plan_leido is None:
            return
        self.stdout.write("Fases del ciclo sugeridas por las palabras de cada estrategia:")
        for leida in ciclo.sugerencias_leidas(resultado.plan_leido):
            nombres = ", ".join(leida.nombres) or "ninguna (etiquétela en «Fases del ciclo»)"
            self.stdout.write(f"  - Estrategia {leida.numero}: {nombres}")
        if aplicar and not resultado.resumen.dry_run:
            etiquetadas = acciones.aplicar_sugerencias_ciclo(resultado.plan, usuario=None)
            self.stdout.write(f"Estrategias etiquetadas con las fases sugeridas: {len(etiquetadas)}.")
        elif not resultado.resumen.dry_run:
            self.stdout.write("Para etiquetarlas así use --aplicar-fases, o hágalo en la página «Fases del ciclo».")

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
