"""Importer of the municipality's cronograma: leer (file → cells) → analizar (cells → dataclasses
and warnings) → guardar (one transaction). importar() chains them for the command and the
upload page, and prints nothing.

Decisions a planning officer may ask about:
- The municipio is stored readable: "MUNICIPIO DE CANDELARIA" → "Municipio de Candelaria"
  (also from "ALCALDÍA MUNICIPAL DE …"); with the period it identifies the plan.
- Title and política are kept as written (capitals included); texts of lines, objectives,
  strategies, metas and indicators are only trimmed and their spaces collapsed: typos stay.
- An "x" in a month cell counts as 1 activity, with a warning; any other text there, a
  decimal or a negative number is a warning and counts nothing. A number outside the month
  columns is never schedule: it is a warning naming its row and column.
- Secretariats are matched by models.clave_nombre; a name already in the database (as a
  Secretaria or a SecretariaAlias) keeps its name. New ones get the official spelling rebuilt
  from the sheet's variants (accents, capitals). SecretariaAlias.clave is unique, so one alias
  per secretariat records the first spelling seen; the other spellings share its clave.
- A dry run runs guardar and rolls the transaction back: an existing plan, or one that can
  no longer be replaced, is reported exactly as in a real import, and nothing is kept.
"""

from dataclasses import dataclass

from django.db import transaction

from plan_participacion.importer.analizar import analizar
from plan_participacion.importer.errores import Advertencia, ErrorImportacion, PlanExistente
from plan_participacion.importer.guardar import guardar
from plan_participacion.importer.leer import leer
from plan_participacion.importer.resumen import Resumen

__all__ = ["Advertencia", "ErrorImportacion", "PlanExistente", "Resultado", "Resumen", "importar"]


@dataclass
class Resultado:
    plan: object  # the saved Plan, None on a dry run
    resumen: Resumen
    advertencias: list  # [Advertencia]
    plan_leido: object = None  # the tree as read (analizar.PlanLeido), for a preview


def importar(origen, nombre_archivo=None, *, dry_run=False, reemplazar=False, usuario=None):
    """Import a cronograma from a path, bytes or binary file object; ErrorImportacion when refused.

    A dry run goes all the way through guardar (so a plan that already exists, or that cannot
    be replaced, is reported exactly as in a real import) and then rolls the transaction back.
    usuario is recorded as the author of the plan's history rows (the browser import passes it).
    """
    hoja = leer(origen, nombre_archivo)
    plan_leido, advertencias = analizar(hoja.filas, hoja=hoja.nombre)
    with transaction.atomic():
        guardado = guardar(plan_leido, reemplazar=reemplazar, archivo_origen=hoja.archivo, usuario=usuario)
        if dry_run:
            transaction.set_rollback(True)
    resumen = Resumen.de(plan_leido, guardado, archivo=hoja.archivo, dry_run=dry_run)
    return Resultado(
        plan=None if dry_run else guardado.plan, resumen=resumen, advertencias=advertencias, plan_leido=plan_leido
    )
