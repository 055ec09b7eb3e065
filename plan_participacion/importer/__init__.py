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
- A plan belongs to an entidad: the one of the sheet's municipio, created if new, for the
  command line and administrators; a coordinator's own, and only for a sheet of their
  municipio (entidades.py). Secretariats are matched within the entidad.
- Importing a plan that exists is a merge (fusionar.py): evidence and what was edited in the
  app are kept. It happens only when asked (actualizar); a dry run always shows it.
- A dry run runs guardar and rolls the transaction back: the preview of a merge is exactly
  what confirming would do, and nothing is kept.
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


def importar(
    origen,
    nombre_archivo=None,
    *,
    dry_run=False,
    actualizar=False,
    usar_hoja=False,
    usuario=None,
    entidad=None,
    reemplazar=False,
):
    """Import a cronograma from a path, bytes or binary file object; ErrorImportacion when refused.

    A dry run goes all the way through guardar (an existing plan is merged, so its preview is
    the list of changes; a refusal is reported exactly as in a real import) and then rolls the
    transaction back. An existing plan is merged for real only with actualizar (reemplazar is
    its older name); usar_hoja takes the sheet's targets and responsables even where the app
    edited them. usuario is the author of the history rows and, unless an administrator, may
    import only into their own entidad; entidad forces the destination (the command's --entidad).
    """
    hoja = leer(origen, nombre_archivo)
    plan_leido, advertencias = analizar(hoja.filas, hoja=hoja.nombre)
    with transaction.atomic():
        guardado = guardar(
            plan_leido,
            entidad=entidad,
            actualizar=actualizar or reemplazar or dry_run,
            usar_hoja=usar_hoja,
            archivo_origen=hoja.archivo,
            usuario=usuario,
        )
        if dry_run:
            transaction.set_rollback(True)
    resumen = Resumen.de(plan_leido, guardado, archivo=hoja.archivo, dry_run=dry_run)
    return Resultado(
        plan=None if dry_run else guardado.plan, resumen=resumen, advertencias=advertencias, plan_leido=plan_leido
    )
