"""Every change of an evidence and of a plan's closed periods, in one place.

Each action is one transaction that locks the rows it changes, re-checks the state (and whether
the evidence's date is in a closed period) on the locked rows, saves only the fields it owns,
writes the history row and enqueues its notifications with transaction.on_commit. Views call
these; nothing else changes an evidence or a closing, and forms only validate.

Locks, always in this order: the plan's row, then the evidence's row.

* The evidence: SELECT … FOR UPDATE. Two actions on one evidence run one after the other, and
  the second sees what the first committed (an edit that arrives after an approval is refused
  instead of writing its stale copy over it).
* The plan: FOR KEY SHARE by every evidence action (they do not wait for each other), FOR UPDATE
  by cerrar_periodo and reabrir_periodo. A closing therefore commits either before an action
  checks the closed period or after the action committed, never in between: the documents
  archived for the closing see every approval that got in, and nothing changes after.
* SQLite has no row locks; with ``transaction_mode = IMMEDIATE`` (settings) a transaction takes
  the database's write lock at BEGIN, so writers run one at a time, which is stronger.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from plan_participacion.models import Meta, Plan
from reportes.templatetags.informes import fecha_larga
from seguimiento import cierres, historial, narrativa, resumen
from seguimiento.archivos import borrar_al_confirmar, borrar_del_almacen, guardar_archivos
from seguimiento.models import (
    ArchivoEvidencia,
    CambioEstado,
    Cierre,
    EdicionEvidencia,
    Evidencia,
    NarrativaInforme,
    ParticipacionGrupo,
    VersionNarrativa,
)
from seguimiento.tasks import archivar_cierre, encolar_correo

Estado = Evidencia.Estado
EstadoArchivo = Cierre.EstadoArchivo
PERMISO_CIERRE = "seguimiento.cerrar_periodo"


class TransicionInvalida(Exception):
    """The evidence is not in a state that allows this action (e.g. someone else already reviewed it)."""


class PeriodoCerrado(TransicionInvalida):
    """The evidence's date (or the date it would get) falls in a closed period of its plan."""

    def __init__(self, cierre):
        self.cierre = cierre
        super().__init__(cierres.mensaje_bloqueo(cierre))


# ---- locks and checks ----


def _bloquear_planes(*ids):
    """Hold the plans' rows until this transaction ends, so that no closing of them commits meanwhile.

    FOR KEY SHARE does not conflict with itself nor with an UPDATE of the plan's columns (the
    admin), only with the FOR UPDATE of cerrar_periodo and reabrir_periodo.
    """
    ids = sorted({i for i in ids if i is not None})
    if ids and connection.vendor == "postgresql":
        tabla = connection.ops.quote_name(Plan._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {tabla} WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE", [ids])


def _plan_de_meta(meta):
    return Meta.objects.filter(pk=meta.pk).values_list("estrategia__objetivo__linea__plan_id", flat=True).first()


def _bloquear(evidencia):
    """The evidence's current row, locked, with its plan held (``plan_id`` set on it)."""
    plan_id = (
        Evidencia.objects.filter(pk=evidencia.pk)
        .values_list("meta__estrategia__objetivo__linea__plan_id", flat=True)
        .first()
    )
    _bloquear_planes(plan_id)
    fila = (
        Evidencia.objects.select_for_update(of=("self",))
        .select_related("meta__estrategia__objetivo__linea", "autor")
        .filter(pk=evidencia.pk)
        .first()
    )
    if fila is None:
        raise TransicionInvalida(_("La evidencia ya no existe: alguien la eliminó."))
    fila.plan_id = fila.meta.estrategia.objetivo.linea.plan_id
    if fila.plan_id != plan_id:  # its meta moved to another plan between the two queries
        _bloquear_planes(fila.plan_id)
    return fila


def _exigir_abierto(plan_id, fecha):
    cierre = cierres.que_cubre(plan_id, fecha)
    if cierre is not None:
        raise PeriodoCerrado(cierre)


def _exigir_delegado(usuario, secretaria_id):
    if not usuario.secretarias.filter(pk=secretaria_id).exists():
        raise TransicionInvalida(_("Solo los delegados de la secretaría de la evidencia pueden modificarla."))


def _exigir_editable(evidencia, verbo):
    if not evidencia.editable:
        raise TransicionInvalida(
            _("Solo se puede %(verbo)s una evidencia en borrador o devuelta; esta está «%(estado)s».")
            % {"verbo": verbo, "estado": evidencia.get_estado_display()}
        )


def _bloquear_para_la_secretaria(evidencia, usuario, verbo):
    """The locked row, if its period is open, the user is its secretariat's delegate and it is a draft or returned."""
    fila = _bloquear(evidencia)
    _exigir_abierto(fila.plan_id, fila.fecha_actividad)
    _exigir_delegado(usuario, fila.secretaria_id)
    _exigir_editable(fila, verbo)
    return fila


def _registrar(evidencia, *, usuario, anterior, comentario=""):
    return CambioEstado.objects.create(
        evidencia=evidencia,
        usuario=usuario,
        fecha=timezone.now(),
        estado_anterior=anterior,
        estado_nuevo=evidencia.estado,
        comentario=comentario,
    )


@contextmanager
def _transaccion_con_archivos():
    """A transaction that also removes the files it stored (the caller extends the list) if it fails."""
    guardados = []
    try:
        with transaction.atomic():
            yield guardados
    except BaseException:
        borrar_del_almacen(guardados)
        raise


def _guardar_grupos(evidencia, participacion):
    evidencia.participacion_grupos.all().delete()
    ParticipacionGrupo.objects.bulk_create(
        ParticipacionGrupo(evidencia=evidencia, grupo=grupo, cantidad=cantidad)
        for grupo, cantidad in participacion.items()
        if cantidad
    )


# ---- the delegate's actions ----


@transaction.atomic
def registrar_creacion(evidencia, *, usuario):
    """First history row of a new draft (crear writes it; data loaders that create rows directly too)."""
    return _registrar(evidencia, usuario=usuario, anterior="", comentario=_("Borrador creado."))


def crear(*, usuario, datos, participacion=None, archivos=()):
    """A new draft from what the delegate typed.

    ``datos`` maps Evidencia.CAMPOS_DELEGADO to values (Meta and Secretaria instances for those
    two); ``participacion`` maps GrupoValor to participants; ``archivos`` are checked uploads
    (seguimiento.archivos.ArchivoRevisado). Raises PeriodoCerrado if the date is closed.
    """
    with _transaccion_con_archivos() as guardados:
        plan_id = _plan_de_meta(datos["meta"])
        _bloquear_planes(plan_id)
        _exigir_delegado(usuario, datos["secretaria"].pk)
        _exigir_abierto(plan_id, datos["fecha_actividad"])
        evidencia = Evidencia(autor=usuario, **{campo: datos[campo] for campo in Evidencia.CAMPOS_DELEGADO})
        evidencia.save()
        _guardar_grupos(evidencia, participacion or {})
        guardados.extend(guardar_archivos(evidencia, archivos, usuario=usuario))
        registrar_creacion(evidencia, usuario=usuario)
    return evidencia


def editar(evidencia, *, usuario, datos, participacion=None, archivos=(), quitar=(), version=""):
    """Save the delegate's changes to a draft or returned evidence; returns (evidencia, edicion).

    The row is locked and checked again here, whatever the form saw: an evidence sent, approved
    or in a closed period meanwhile is refused (TransicionInvalida, PeriodoCerrado), and so is a
    form opened before someone else's change (``version``, from Evidencia.version). Only the
    fields that change are written (never the state or the review); the EdicionEvidencia says
    which, before and after, and the files added and removed. ``edicion`` is None when nothing
    changed. ``quitar``: files (or their ids) of this evidence to remove.
    """
    with _transaccion_con_archivos() as guardados:
        fila = _bloquear(evidencia)
        plan_nuevo = _plan_de_meta(datos["meta"]) if "meta" in datos else fila.plan_id
        if plan_nuevo != fila.plan_id:
            _bloquear_planes(plan_nuevo)
        _exigir_delegado(usuario, fila.secretaria_id)
        if "secretaria" in datos:
            _exigir_delegado(usuario, datos["secretaria"].pk)
        _exigir_abierto(fila.plan_id, fila.fecha_actividad)
        _exigir_abierto(plan_nuevo, datos.get("fecha_actividad", fila.fecha_actividad))
        if not fila.editable:
            raise TransicionInvalida(
                _(
                    "Sus cambios no se guardaron: la evidencia ya está «%(estado)s», y solo se modifica "
                    "en borrador o devuelta."
                )
                % {"estado": fila.get_estado_display()}
            )
        if version and version != fila.version:
            raise TransicionInvalida(
                _(
                    "Sus cambios no se guardaron: alguien modificó esta evidencia mientras usted la editaba. "
                    "Abra otra vez el formulario, que ya muestra la versión actual, y repita sus cambios."
                )
            )

        grupos_antes = {p.grupo: p.cantidad for p in fila.participacion_grupos.select_related("grupo")}
        grupos_despues = grupos_antes if participacion is None else {g: c for g, c in participacion.items() if c}
        cambios = historial.diferencias(fila, datos, grupos_antes, grupos_despues)
        ids_quitar = [getattr(archivo, "pk", archivo) for archivo in quitar]
        quitados = list(ArchivoEvidencia.objects.filter(evidencia=fila, pk__in=ids_quitar)) if ids_quitar else []
        if not (cambios or quitados or archivos):
            return fila, None

        campos = [c["campo"] for c in cambios if not c["campo"].startswith(historial.CAMPO_GRUPO)]
        for campo in campos:
            setattr(fila, campo, datos[campo])
        fila.save(update_fields=[*campos, "actualizada"])
        if grupos_despues != grupos_antes:
            _guardar_grupos(fila, grupos_despues)
        if quitados:
            borrar_al_confirmar([a.archivo.name for a in quitados])
            ArchivoEvidencia.objects.filter(pk__in=[a.pk for a in quitados]).delete()
        guardados.extend(guardar_archivos(fila, archivos, usuario=usuario))
        edicion = EdicionEvidencia.objects.create(
            evidencia=fila,
            usuario=usuario,
            fecha=timezone.now(),
            cambios=cambios,
            archivos_agregados=[historial.archivo(a.nombre, a.tamano, a.sha256) for a in archivos],
            archivos_quitados=[historial.archivo(a.nombre_original, a.tamano, a.sha256) for a in quitados],
        )
    return fila, edicion


@transaction.atomic
def enviar(evidencia, *, usuario):
    evidencia = _bloquear_para_la_secretaria(evidencia, usuario, _("enviar"))
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


@transaction.atomic
def eliminar(evidencia, *, usuario):
    """Delete a draft or returned evidence and its files; its history stays, for the audit trail."""
    evidencia = _bloquear_para_la_secretaria(evidencia, usuario, _("eliminar"))
    que_era = _("Meta %(meta)s · %(secretaria)s · actividad del %(fecha)s · «%(descripcion)s»") % {
        "meta": evidencia.meta.codigo,
        "secretaria": evidencia.secretaria.nombre,
        "fecha": fecha_larga(evidencia.fecha_actividad),
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
    evidencia.historial.update(resumen=que_era[:300])
    evidencia.ediciones.update(resumen=que_era[:300])
    borrar_al_confirmar(rutas)
    evidencia.delete()


# ---- the review ----


def _exigir_enviada(evidencia):
    if evidencia.estado in (Estado.APROBADA, Estado.DEVUELTA):
        raise TransicionInvalida(
            _("La evidencia ya fue revisada: está «%(estado)s».") % {"estado": evidencia.get_estado_display()}
        )
    if evidencia.estado != Estado.ENVIADA:
        raise TransicionInvalida(_("La evidencia todavía no ha sido enviada a revisión."))


def _avisar_autor(evidencia, sitio):
    """Mail the author about the review once the transaction commits (a task: never in the request)."""
    destinatario = evidencia.autor.email
    if not destinatario:
        return
    contexto = {
        "evidencia": evidencia,
        "aprobada": evidencia.estado == Estado.APROBADA,
        "enlace": f"{sitio}{evidencia.get_absolute_url()}",
    }
    asunto = " ".join(render_to_string("seguimiento/correo_revision_asunto.txt", contexto).split())
    cuerpo = render_to_string("seguimiento/correo_revision.txt", contexto)
    encolar_correo(asunto, cuerpo, [destinatario])


def _revisar(evidencia, *, revisor, estado, motivo="", comentario="", sitio=""):
    evidencia = _bloquear(evidencia)
    _exigir_abierto(evidencia.plan_id, evidencia.fecha_actividad)
    _exigir_enviada(evidencia)
    anterior = evidencia.estado
    evidencia.estado = estado
    evidencia.revisor = revisor
    evidencia.revisada_en = timezone.now()
    evidencia.motivo_devolucion = motivo
    evidencia.save(update_fields=["estado", "revisor", "revisada_en", "motivo_devolucion", "actualizada"])
    _registrar(evidencia, usuario=revisor, anterior=anterior, comentario=comentario or motivo)
    _avisar_autor(evidencia, sitio)
    return evidencia


@transaction.atomic
def aprobar(evidencia, *, revisor, comentario="", sitio=""):
    """``sitio``: scheme and host for the link in the author's mail (the request's, in a view)."""
    evidencia = _revisar(evidencia, revisor=revisor, estado=Estado.APROBADA, comentario=comentario, sitio=sitio)
    resumen.sumar(evidencia)  # progress reads the summary: same transaction, its row locked
    return evidencia


@transaction.atomic
def devolver(evidencia, *, revisor, motivo, sitio=""):
    motivo = (motivo or "").strip()
    if not motivo:
        raise TransicionInvalida(_("Escriba el motivo de la devolución: la secretaría lo necesita para corregir."))
    return _revisar(evidencia, revisor=revisor, estado=Estado.DEVUELTA, motivo=motivo, sitio=sitio)


# ---- closed periods ----


def _exigir_permiso_de_cierre(usuario):
    if not usuario.has_perm(PERMISO_CIERRE):
        raise PermissionDenied(_("Solo la coordinación cierra y reabre periodos."))


def _archivar_al_confirmar(cierre):
    # robust: the closing is in force once committed; a lost job shows as "generando" and can be retried.
    transaction.on_commit(lambda: archivar_cierre.enqueue(cierre.pk), robust=True)


@transaction.atomic
def cerrar_periodo(plan, hasta, *, usuario, motivo=""):
    """Close ``plan`` up to ``hasta`` (included) and enqueue the archive of its signed documents.

    From this transaction's commit on, no evidence of the plan dated on or before ``hasta`` can be
    created, edited, sent, approved, returned or deleted. ``hasta`` must be a past day inside the
    plan's period, later than the closing in force.
    """
    _exigir_permiso_de_cierre(usuario)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    error = cierres.error_de_fecha(plan, hasta, cierres.vigente(plan))
    if error:
        raise TransicionInvalida(error)
    cierre = Cierre.objects.create(
        plan=plan, hasta=hasta, cerrado_por=usuario, cerrado_en=timezone.now(), motivo=(motivo or "").strip()
    )
    _archivar_al_confirmar(cierre)
    return cierre


@transaction.atomic
def reabrir_periodo(plan, *, usuario, motivo):
    """Reopen the latest closing in force of ``plan``; the reason is mandatory and stays in the audit trail.

    Its signed documents are kept, marked "reemplazado"; the next closing archives new ones.
    """
    _exigir_permiso_de_cierre(usuario)
    motivo = (motivo or "").strip()
    if not motivo:
        raise TransicionInvalida(_("Escriba el motivo de la reapertura: queda en la auditoría."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    cierre = Cierre.objects.select_for_update().vigentes().filter(plan=plan).order_by("-hasta", "-pk").first()
    if cierre is None:
        raise TransicionInvalida(_("Este plan no tiene ningún periodo cerrado."))
    cierre.reabierto_por = usuario
    cierre.reabierto_en = timezone.now()
    cierre.motivo_reapertura = motivo
    campos = ["reabierto_por", "reabierto_en", "motivo_reapertura"]
    if cierre.estado_archivo != EstadoArchivo.LISTO:
        # Data may change from now on: a job still running must not archive it as this closing's.
        cierre.estado_archivo = EstadoArchivo.CANCELADO
        campos.append("estado_archivo")
    cierre.save(update_fields=campos)
    return cierre


@transaction.atomic
def reintentar_archivo(cierre, *, usuario):
    """Enqueue the archive of a closing again (after its automatic retries failed, or a job was lost)."""
    _exigir_permiso_de_cierre(usuario)
    cierre = Cierre.objects.select_for_update().get(pk=cierre.pk)
    if not cierre.vigente:
        raise TransicionInvalida(_("Ese cierre se reabrió: ya no se archiva."))
    if cierre.estado_archivo == EstadoArchivo.LISTO:
        raise TransicionInvalida(_("El archivo firmado de ese cierre ya está listo."))
    cierre.estado_archivo = EstadoArchivo.GENERANDO
    cierre.intentos = 0
    cierre.error = ""
    cierre.save(update_fields=["estado_archivo", "intentos", "error"])
    _archivar_al_confirmar(cierre)
    return cierre


# ---- the text of the progress report ----

PERMISO_NARRATIVA = PERMISO_CIERRE  # who closes the period writes the text the committee signs
LARGO_MAXIMO_NARRATIVA = 20000


class NarrativaCerrada(PeriodoCerrado):
    """The corte of the text is in a closed period: the signed report already carries it."""

    def __init__(self, cierre):
        super().__init__(cierre)
        self.args = (
            _(
                "%(cierre)s: el texto del informe con ese corte ya no se puede cambiar. Si hay que corregirlo, "
                "la coordinación debe reabrir el periodo."
            )
            % {"cierre": cierres.mensaje(cierre)},
        )


class NarrativaDesactualizada(TransicionInvalida):
    """Someone else saved the text after this person opened it."""


def _bloquear_narrativa(plan, corte, usuario, version):
    """(plan locked like a closing, the NarrativaInforme locked or None) after the checks every change needs."""
    if not usuario.has_perm(PERMISO_NARRATIVA):
        raise PermissionDenied(_("Solo la coordinación edita el texto del informe."))
    # FOR UPDATE on the plan, as cerrar_periodo: a closing commits before this check or after this change.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    cierre = cierres.que_cubre(plan.pk, corte)
    if cierre is not None:
        raise NarrativaCerrada(cierre)
    fila = NarrativaInforme.objects.select_for_update().filter(plan=plan, corte=corte).first()
    actual = fila.version if fila is not None else 0
    if version is not None and version != actual:
        autor = cierres.nombre(fila.editado_por) if fila is not None else ""
        raise NarrativaDesactualizada(
            _(
                "%(autor)s guardó el texto mientras usted lo editaba: sus cambios no se guardaron. "
                "Revise la versión actual y vuelva a escribirlos."
            )
            % {"autor": autor or _("Otra persona")}
        )
    return plan, fila


def _nueva_version(plan, corte, fila, *, usuario, texto, accion):
    ahora = timezone.now()
    if fila is None:
        fila = NarrativaInforme.objects.create(
            plan=plan, corte=corte, texto=texto, version=1, editado_por=usuario, editado_en=ahora
        )
    else:
        fila.texto, fila.version, fila.editado_por, fila.editado_en = texto, fila.version + 1, usuario, ahora
        fila.save(update_fields=["texto", "version", "editado_por", "editado_en"])
    VersionNarrativa.objects.create(
        narrativa=fila, numero=fila.version, accion=accion, texto=texto, autor=usuario, creado_en=ahora
    )
    return fila


@transaction.atomic
def guardar_narrativa(plan, corte, *, usuario, texto, version=None):
    """Keep ``texto`` as the text of the progress report of (plan, corte), with a new version in its history.

    ``version`` is the one the person opened (0: none saved yet); if someone saved meanwhile,
    NarrativaDesactualizada. Refused (NarrativaCerrada) once a closing in force covers the corte.
    Saving the same text again changes nothing.
    """
    texto = narrativa.normalizar(texto)
    if not texto:
        raise TransicionInvalida(_("El texto está vacío: escríbalo, o use «Volver al texto generado»."))
    if len(texto) > LARGO_MAXIMO_NARRATIVA:
        raise TransicionInvalida(
            _("El texto tiene %(n)s caracteres; el máximo es %(maximo)s.")
            % {"n": len(texto), "maximo": LARGO_MAXIMO_NARRATIVA}
        )
    plan, fila = _bloquear_narrativa(plan, corte, usuario, version)
    if fila is not None and fila.texto == texto:
        return fila
    return _nueva_version(plan, corte, fila, usuario=usuario, texto=texto, accion=VersionNarrativa.Accion.EDITADO)


@transaction.atomic
def restablecer_narrativa(plan, corte, *, usuario, version=None):
    """Back to the generated text: the report follows the figures again; the edited text stays in the history."""
    plan, fila = _bloquear_narrativa(plan, corte, usuario, version)
    if fila is None or not fila.texto:
        return fila
    return _nueva_version(plan, corte, fila, usuario=usuario, texto="", accion=VersionNarrativa.Accion.RESTABLECIDO)
