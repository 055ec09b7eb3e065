"""Importer of the municipality's cronograma: read (file → cells) → analizar (cells → dataclasses
and warnings) → guardar (one transaction). importar() chains them for the command and the
upload page, and prints nothing.
"""

from dataclasses import dataclass

from django.db import transaction

from plan_participacion.importer.analizar import analizar
from plan_participacion.importer.errores import Advertencia, ErrorImportacion
from plan_participacion.importer.guardar import guardar
from plan_participacion.importer.leer import leer
from plan_participacion.importer.resumen import Resumen

__all__ = ["Advertencia", "ErrorImportacion", "Resultado", "Resumen", "importar"]


@dataclass
class Resultado:
    plan: object  # the saved Plan, None on a dry run
    resumen: Resumen
    advertencias: list  # [Advertencia]


def importar(origen, nombre_archivo=None, *, dry_run=False, reemplazar=False):
    """Import a cronograma from a path, bytes or binary file object; ErrorImportacion when refused.

    A dry run goes all the way through guardar (so a plan that already exists, or that cannot
    be replaced, is reported exactly as in a real import) and then rolls the transaction back.
    """
    hoja = leer(origen, nombre_archivo)
    plan_leido, advertencias = analizar(hoja.filas, hoja=hoja.nombre)
    with transaction.atomic():
        guardado = guardar(plan_leido, reemplazar=reemplazar, archivo_origen=hoja.archivo)
        if dry_run:
            transaction.set_rollback(True)
    resumen = Resumen.de(plan_leido, guardado, archivo=hoja.archivo, dry_run=dry_run)
    return Resultado(plan=None if dry_run else guardado.plan, resumen=resumen, advertencias=advertencias)
