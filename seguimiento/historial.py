"""The history of one evidence: what an edit changes, its timeline, and what changed since a return.

acciones.editar records each edit with ``diferencias`` and ``archivo``; the evidence page reads
``linea_de_tiempo`` and ``desde_la_devolucion`` (both work on the prefetched ``historial`` and
``ediciones``, no query of their own). Values are kept as people read them on the day of the edit
(a meta's code, a secretariat's name, "12 de marzo de 2024"), so the history still says what was
there after the catalog changes.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reportes.templatetags.informes import fecha_larga
from seguimiento.models import Evidencia, MedioVerificacion

Estado = Evidencia.Estado
CAMPO_GRUPO = "grupo:"


def _texto(campo, valor):
    """A field's value as the evidence page shows it."""
    if valor is None or valor == "":
        return ""
    if campo == "meta":
        return valor.codigo
    if campo == "secretaria":
        return valor.nombre
    if campo == "fecha_actividad":
        return fecha_larga(valor)
    if campo == "medios":
        etiquetas = dict(MedioVerificacion.choices)
        return ", ".join(str(etiquetas.get(m, m)) for m in valor)
    return str(valor)


def _crudo(campo, valor):
    """What two values are compared by: ids for relations, a set for the list of medios."""
    if campo in ("meta", "secretaria"):
        return getattr(valor, "pk", valor)
    if campo == "medios":
        return frozenset(valor or ())
    return valor


def diferencias(evidencia, datos, grupos_antes, grupos_despues):
    """The changes ``datos`` makes to ``evidencia``, as rows of EdicionEvidencia.cambios.

    ``datos`` maps Evidencia.CAMPOS_DELEGADO to their new values (model instances for meta and
    secretaría); ``grupos_antes`` and ``grupos_despues`` map GrupoValor to participants (0 or
    absent: none).
    """
    cambios = []
    for campo in Evidencia.CAMPOS_DELEGADO:
        if campo not in datos:
            continue
        antes, despues = getattr(evidencia, campo), datos[campo]
        if _crudo(campo, antes) == _crudo(campo, despues):
            continue
        cambios.append(
            {
                "campo": campo,
                "etiqueta": str(Evidencia._meta.get_field(campo).verbose_name),
                "antes": _texto(campo, antes),
                "despues": _texto(campo, despues),
            }
        )
    grupos = sorted({*grupos_antes, *grupos_despues}, key=lambda g: (g.orden, g.nombre))
    for grupo in grupos:
        antes, despues = grupos_antes.get(grupo) or 0, grupos_despues.get(grupo) or 0
        if antes != despues:
            cambios.append(
                {
                    "campo": f"{CAMPO_GRUPO}{grupo.pk}",
                    "etiqueta": _("participantes: %(grupo)s") % {"grupo": grupo.nombre},
                    "antes": str(antes),
                    "despues": str(despues),
                }
            )
    return cambios


def archivo(nombre, tamano, sha256):
    """A file as EdicionEvidencia keeps it (added from an upload, or removed from a stored row)."""
    return {"nombre": nombre, "tamano": tamano, "sha256": sha256}


# ---- reading it back ----


@dataclass(frozen=True)
class Suceso:
    """One row of the evidence's timeline: a state change or an edit."""

    fecha: object
    usuario: object
    cambio_estado: object = None
    edicion: object = None


def linea_de_tiempo(evidencia):
    """State changes and edits of the evidence, oldest first."""
    sucesos = [Suceso(c.fecha, c.usuario, cambio_estado=c) for c in evidencia.historial.all()]
    sucesos += [Suceso(e.fecha, e.usuario, edicion=e) for e in evidencia.ediciones.all()]
    return sorted(sucesos, key=lambda s: s.fecha)


@dataclass
class DesdeLaDevolucion:
    """The net effect of the edits made after the last return: what the reviewer has to look at again."""

    devolucion: object  # the CambioEstado of the return
    ediciones: int = 0
    cambios: list = field(default_factory=list)  # {"etiqueta", "antes", "despues"}
    agregados: list = field(default_factory=list)  # archivo()
    quitados: list = field(default_factory=list)

    @property
    def sin_cambios(self):
        return not (self.cambios or self.agregados or self.quitados)


def desde_la_devolucion(evidencia):
    """What changed since the evidence was last returned; None if it never was."""
    devoluciones = [c for c in evidencia.historial.all() if c.estado_nuevo == Estado.DEVUELTA]
    if not devoluciones:
        return None
    resultado = DesdeLaDevolucion(devolucion=devoluciones[-1])
    campos = {}  # campo → [etiqueta, first "antes", last "despues"], in order of first change
    agregados = {}
    for edicion in evidencia.ediciones.all():
        if edicion.fecha < resultado.devolucion.fecha:
            continue
        resultado.ediciones += 1
        for cambio in edicion.cambios:
            fila = campos.setdefault(cambio["campo"], [cambio["etiqueta"], cambio["antes"], cambio["despues"]])
            fila[2] = cambio["despues"]
        for quitado in edicion.archivos_quitados:
            clave = (quitado["sha256"], quitado["nombre"])
            if agregados.pop(clave, None) is None:  # a file added and removed again since the return is no news
                resultado.quitados.append(quitado)
        for agregado in edicion.archivos_agregados:
            agregados[(agregado["sha256"], agregado["nombre"])] = agregado
    resultado.cambios = [
        {"etiqueta": etiqueta, "antes": antes, "despues": despues}
        for etiqueta, antes, despues in campos.values()
        if antes != despues
    ]
    resultado.agregados = list(agregados.values())
    return resultado
