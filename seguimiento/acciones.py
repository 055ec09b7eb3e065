"""Every state change of an evidence, in one place.

Each action locks the row, checks the current state, changes it and writes a
CambioEstado, all in one transaction. Views call these; nothing else changes
Evidencia.estado.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from seguimiento import resumen
from seguimiento.archivos import borrar_al_confirmar
from seguimiento.models import CambioEstado, Evidencia

Estado = Evidencia.Estado


class TransicionInvalida(Exception):
    """The evidence is not in a state that allows this action (e.g. someone else already reviewed it)."""


def _bloquear(evidencia):
    return Evidencia.objects.select_for_update().get(pk=evidencia.pk)


def _registrar(evidencia, *, usuario, anterior, comentario=""):
    return CambioEstado.objects.create(
        evidencia=evidencia,
        usuario=usuario,
        fecha=timezone.now(),
        estado_anterior=anterior,
        estado_nuevo=evidencia.estado,
        comentario=comentario,
    )


@transaction.atomic
def registrar_creacion(evidencia, *, usuario):
    """First history row of a new draft."""
    return _registrar(evidencia, usuario=usuario, anterior="", comentario=_("Borrador creado."))


@transaction.atomic
def enviar(evidencia, *, usuario):
    evidencia = _bloquear(evidencia)
    if evidencia.estado not in (Estado.BORRADOR, Estado.DEVUELTA):
        raise TransicionInvalida(
            _("Solo se puede enviar una evidencia en borrador o devuelta; esta está «%(estado)s».")
            % {"estado": evidencia.get_estado_display()}
        )
    if not evidencia.archivos.exists() and not evidencia.lista_enlaces():
        raise TransicionInvalida(
            _("Adjunte al menos un archivo o un enlace como medio de verificación antes de enviar.")
        )
    anterior = evidencia.estado
    evidencia.estado = Estado.ENVIADA
    evidencia.enviada_en = timezone.now()
    evidencia.save(update_fields=["estado", "enviada_en", "actualizada"])
    _registrar(evidencia, usuario=usuario, anterior=anterior)
    return evidencia


def _exigir_enviada(evidencia):
    if evidencia.estado in (Estado.APROBADA, Estado.DEVUELTA):
        raise TransicionInvalida(
            _("La evidencia ya fue revisada: está «%(estado)s».") % {"estado": evidencia.get_estado_display()}
        )
    if evidencia.estado != Estado.ENVIADA:
        raise TransicionInvalida(_("La evidencia todavía no ha sido enviada a revisión."))


def _revisar(evidencia, *, revisor, estado, motivo="", comentario=""):
    evidencia = _bloquear(evidencia)
    _exigir_enviada(evidencia)
    anterior = evidencia.estado
    evidencia.estado = estado
    evidencia.revisor = revisor
    evidencia.revisada_en = timezone.now()
    evidencia.motivo_devolucion = motivo
    evidencia.save(update_fields=["estado", "revisor", "revisada_en", "motivo_devolucion", "actualizada"])
    _registrar(evidencia, usuario=revisor, anterior=anterior, comentario=comentario or motivo)
    return evidencia


@transaction.atomic
def aprobar(evidencia, *, revisor, comentario=""):
    evidencia = _revisar(evidencia, revisor=revisor, estado=Estado.APROBADA, comentario=comentario)
    resumen.sumar(evidencia)  # progress reads the summary: same transaction, its row locked
    return evidencia


@transaction.atomic
def devolver(evidencia, *, revisor, motivo):
    motivo = (motivo or "").strip()
    if not motivo:
        raise TransicionInvalida(_("Escriba el motivo de la devolución: la secretaría lo necesita para corregir."))
    return _revisar(evidencia, revisor=revisor, estado=Estado.DEVUELTA, motivo=motivo)


@transaction.atomic
def eliminar(evidencia, *, usuario):
    """Delete a draft or returned evidence and its files; its history stays, for the audit trail."""
    evidencia = _bloquear(evidencia)
    if evidencia.estado not in (Estado.BORRADOR, Estado.DEVUELTA):
        raise TransicionInvalida(
            _("Solo se puede eliminar una evidencia en borrador o devuelta; esta está «%(estado)s».")
            % {"estado": evidencia.get_estado_display()}
        )
    resumen = _("Meta %(meta)s · %(secretaria)s · actividad del %(fecha)s · «%(descripcion)s»") % {
        "meta": evidencia.meta.codigo,
        "secretaria": evidencia.secretaria.nombre,
        "fecha": evidencia.fecha_actividad.isoformat(),
        "descripcion": Truncator(evidencia.descripcion).chars(80),
    }
    rutas = list(evidencia.archivos.values_list("archivo", flat=True))
    CambioEstado.objects.create(
        evidencia=evidencia,
        usuario=usuario,
        fecha=timezone.now(),
        estado_anterior=evidencia.estado,
        estado_nuevo=CambioEstado.ELIMINADA,
        comentario=_("Evidencia eliminada con sus %(n)d archivos.") % {"n": len(rutas)},
    )
    evidencia.historial.update(resumen=resumen[:300])
    borrar_al_confirmar(rutas)
    evidencia.delete()
