"""Which entidad a sheet is imported into, and who may do it.

- From the command line (no user) or by an administrator (superuser or the "Administrador"
  group): the entidad named like the sheet's municipio (models.clave_entidad: "Municipio de
  Candelaria" and "Alcaldía de Candelaria" are one), created when there is none. With several
  of that name, the command's --entidad says which.
- By anyone else (a coordinator): only their own entidad, and only a sheet of their own
  municipio; another municipio's sheet is refused with a message that names both.
"""

from dataclasses import dataclass

from django.db.models import Q

from plan_participacion.importer.errores import ErrorImportacion
from plan_participacion.models import Entidad, clave_entidad, entidad_de, es_administrador


@dataclass
class Destino:
    entidad: Entidad
    nueva: bool = False  # created by this import


def entidad_destino(plan_leido, *, usuario=None, entidad=None):
    """The Destino of plan_leido; ErrorImportacion when this person may not import it."""
    if usuario is not None and not es_administrador(usuario):
        return _de_la_coordinacion(plan_leido, usuario, entidad)
    if entidad is not None:
        return Destino(entidad)
    return _por_municipio(plan_leido.municipio)


def _de_la_coordinacion(plan_leido, usuario, pedida):
    propia = entidad_de(usuario)
    if propia is None:
        raise ErrorImportacion(
            "Su usuario no pertenece a ninguna entidad, así que no puede importar planes. Pida al administrador "
            "que lo asigne a la suya."
        )
    if pedida is not None and pedida != propia:
        raise ErrorImportacion(f"Solo puede importar planes de su entidad, {propia}.")
    if clave_entidad(plan_leido.municipio) != propia.clave:
        raise ErrorImportacion(
            f"La hoja es del {plan_leido.municipio}, pero usted pertenece a {propia}: solo puede importar planes de "
            "su entidad. Si la hoja es la correcta, pida al administrador que la importe."
        )
    return Destino(propia)


def _por_municipio(municipio):
    candidatas = list(Entidad.objects.llamadas(municipio)[:2])
    if len(candidatas) > 1:
        raise ErrorImportacion(
            f"Hay más de una entidad llamada como «{municipio}». Indique en cuál importar con "
            "--entidad (nombre exacto o código DANE)."
        )
    if candidatas:
        return Destino(candidatas[0])
    return Destino(Entidad.objects.create(nombre=municipio), nueva=True)


def buscar_entidad(texto):
    """The entidad named exactly so, or with this DANE code (the command's --entidad)."""
    texto = texto.strip()
    entidad = Entidad.objects.filter(Q(nombre__iexact=texto) | Q(codigo_dane=texto)).first() if texto else None
    if entidad is None:
        raise ErrorImportacion(f"No existe la entidad «{texto}» (se busca por nombre exacto o por código DANE).")
    return entidad
