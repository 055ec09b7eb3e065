"""Files of an evidence form not saved yet: kept on the server, tied to one session and one form.

Two ways in, one way out:

* a form with other errors keeps the files that passed the checks (``preparar_revisados``): the
  delegate fixes a number and saves, without picking the files again;
* an upload in pieces (``iniciar``, then ``recibir`` each piece with its ``Content-Range``) goes
  on where it stopped after a dropped connection; once complete, the whole file goes through
  seguimiento.archivos.revisar_archivo like any upload (``revisar``), so what is kept is what the
  ordinary path would store (an image re-encoded, with the SHA-256 of the stored bytes);
* ``adjuntar`` hands the files to acciones.crear / acciones.editar when the form is saved, and
  deletes them once that succeeded.

A file belongs to a session (the SHA-256 of its key, never the key), a user, a form ("nueva" or
"evidencia-<id>") and the form's random ``lote``: another session, user or form cannot list,
continue, attach or remove it. The bytes live under ARCHIVOS_PREPARADOS_ROOT (by default
PRIVATE_MEDIA_ROOT/preparados), never under a URL; what nobody saved is deleted after
PREPARADOS_HORAS (``purgar_vencidos``, run whenever a file is prepared).
"""

import datetime
import hashlib
import os
import re
import secrets
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from seguimiento.archivos import ArchivoRevisado, revisar_archivo, tamano_legible
from seguimiento.models import ArchivoPreparado

Estado = ArchivoPreparado.Estado
_LOTE = re.compile(r"[A-Za-z0-9_-]{20,64}")
_RANGO = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
NUEVA = "nueva"
# While a file waits to be attached, it counts toward the evidence's total.
EN_ESPERA = (Estado.SUBIENDO, Estado.REVISANDO, Estado.LISTO)
# Files one person may have waiting at a time (besides PREPARADOS_MAX_BYTES): no flood of tiny ones.
MAX_ARCHIVOS_EN_ESPERA = 200


class ErrorSubida(Exception):
    """A request about a prepared file that cannot be honoured; ``status`` is the HTTP answer."""

    def __init__(self, mensaje, status=400, **datos):
        super().__init__(mensaje)
        self.status = status
        self.datos = datos


class PreparadoPerdido(Exception):
    """A file the form showed as attached is no longer there (removed, expired, or attached by another try)."""


# ---- who and where ----


def directorio():
    return Path(settings.ARCHIVOS_PREPARADOS_ROOT or Path(settings.PRIVATE_MEDIA_ROOT) / "preparados")


def ruta(preparado, *, parte=False):
    return directorio() / preparado.token[:2] / (preparado.token + (".parte" if parte else ""))


def clave_sesion(request):
    if request.session.session_key is None:
        request.session.save()
    return hashlib.sha256(request.session.session_key.encode()).hexdigest()


def nuevo_lote():
    return secrets.token_urlsafe(24)


def lote_valido(texto):
    return bool(texto) and _LOTE.fullmatch(texto) is not None


def lote_de(datos):
    """The form's lote from its POST data, or a new one if it carries none (or a made-up one)."""
    lote = datos.get("lote", "")
    return lote if lote_valido(lote) else nuevo_lote()


def formulario_de(evidencia=None):
    return NUEVA if evidencia is None or evidencia.pk is None else f"evidencia-{evidencia.pk}"


def _de_la_sesion(request):
    return ArchivoPreparado.objects.filter(sesion=clave_sesion(request), usuario=request.user)


def del_formulario(request, lote, formulario, estados=(Estado.LISTO,)):
    """The prepared files of this session's form ``lote``, oldest first."""
    if not lote_valido(lote):
        return ArchivoPreparado.objects.none()
    return _de_la_sesion(request).filter(lote=lote, formulario=formulario, estado__in=estados).order_by("creado", "pk")


def de_la_sesion(request, token):
    """One prepared file of this session and user, or None."""
    if not lote_valido(token):
        return None
    return _de_la_sesion(request).filter(token=token).first()


def _borrar(rutas):
    for archivo in rutas:
        Path(archivo).unlink(missing_ok=True)


def _borrar_al_confirmar(preparados):
    rutas = [r for p in preparados for r in (ruta(p), ruta(p, parte=True))]
    transaction.on_commit(lambda: _borrar(rutas))


def purgar_vencidos(ahora=None):
    """Delete what nobody attached within PREPARADOS_HORAS; returns how many files went."""
    limite = (ahora or timezone.now()) - datetime.timedelta(hours=settings.PREPARADOS_HORAS)
    vencidos = list(ArchivoPreparado.objects.filter(actualizado__lt=limite))
    if vencidos:
        ArchivoPreparado.objects.filter(pk__in=[p.pk for p in vencidos]).delete()
        _borrar([r for p in vencidos for r in (ruta(p), ruta(p, parte=True))])
    return len(vencidos)


def quitar(preparado):
    """The delegate removed it from the form (or it was rejected): the row and its bytes go."""
    with transaction.atomic():
        ArchivoPreparado.objects.filter(pk=preparado.pk).delete()
        _borrar_al_confirmar([preparado])


def _escribir(destino, fuente):
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(destino.name + ".tmp")
    fuente.seek(0)
    with open(temporal, "wb") as salida:
        for trozo in fuente.chunks() if hasattr(fuente, "chunks") else iter(lambda: fuente.read(1 << 20), b""):
            salida.write(trozo)
    os.replace(temporal, destino)


# ---- a form with other errors keeps its checked files ----


def preparar_revisados(request, lote, formulario, revisados):
    """Keep uploads that passed the checks (ArchivoRevisado) for the next try of this form."""
    purgar_vencidos()
    sesion = clave_sesion(request)
    nuevos = []
    for revisado in revisados:
        preparado = ArchivoPreparado(
            token=secrets.token_urlsafe(24),
            lote=lote,
            formulario=formulario,
            sesion=sesion,
            usuario=request.user,
            estado=Estado.LISTO,
            nombre=revisado.nombre,
            tipo_contenido=revisado.tipo,
            tamano=revisado.tamano,
            recibido=revisado.tamano,
            sha256=revisado.sha256,
            sha256_original=revisado.sha256_original,
        )
        _escribir(ruta(preparado), revisado.subido)
        try:
            preparado.save()
        except Exception:
            _borrar([ruta(preparado)])
            raise
        nuevos.append(preparado)
    return nuevos


# ---- uploads in pieces ----


def _bytes_en_espera(consulta):
    return consulta.filter(estado__in=EN_ESPERA).aggregate(total=Sum("tamano"))["total"] or 0


def iniciar(request, *, lote, formulario, nombre, tamano, ya_en_la_evidencia=0):
    """Start an upload of ``tamano`` bytes for this form; refused (ErrorSubida) past any limit.

    ``ya_en_la_evidencia``: bytes of the files the evidence already has (and keeps), for its total.
    """
    if not lote_valido(lote):
        raise ErrorSubida(_("El formulario no tiene un identificador válido: vuelva a abrirlo."))
    nombre = (re.split(r"[\\/]", nombre or "")[-1][:200]) or _("sin nombre")
    try:
        tamano = int(tamano)
    except (TypeError, ValueError):
        tamano = -1
    if tamano <= 0:
        raise ErrorSubida(_("El archivo «%(nombre)s» está vacío.") % {"nombre": nombre})
    if tamano > settings.ARCHIVO_MAX_BYTES:
        raise ErrorSubida(
            _("El archivo «%(nombre)s» pesa %(tamano)s; el máximo por archivo es %(maximo)s.")
            % {
                "nombre": nombre,
                "tamano": tamano_legible(tamano),
                "maximo": tamano_legible(settings.ARCHIVO_MAX_BYTES),
            },
            status=413,
        )
    purgar_vencidos()
    suyos = ArchivoPreparado.objects.filter(usuario=request.user, estado__in=EN_ESPERA)
    del_usuario = _bytes_en_espera(suyos)
    if suyos.count() >= MAX_ARCHIVOS_EN_ESPERA:
        raise ErrorSubida(
            _(
                "Ya tiene %(n)s archivos subidos sin guardar en ningún reporte. Guarde o cancele esos "
                "formularios, o quite archivos, antes de subir más."
            )
            % {"n": MAX_ARCHIVOS_EN_ESPERA},
            status=413,
        )
    if del_usuario + tamano > settings.PREPARADOS_MAX_BYTES:
        raise ErrorSubida(
            _(
                "Ya tiene %(espera)s de archivos subidos sin guardar en ningún reporte; el máximo es %(maximo)s. "
                "Guarde o cancele esos formularios, o quite archivos, antes de subir más."
            )
            % {"espera": tamano_legible(del_usuario), "maximo": tamano_legible(settings.PREPARADOS_MAX_BYTES)},
            status=413,
        )
    del_formulario_actual = _bytes_en_espera(del_formulario(request, lote, formulario, estados=EN_ESPERA))
    total = ya_en_la_evidencia + del_formulario_actual + tamano
    if total > settings.EVIDENCIA_MAX_BYTES:
        raise ErrorSubida(
            _("Los archivos de esta evidencia sumarían %(total)s; el máximo por evidencia es %(maximo)s.")
            % {"total": tamano_legible(total), "maximo": tamano_legible(settings.EVIDENCIA_MAX_BYTES)},
            status=413,
        )
    preparado = ArchivoPreparado(
        token=secrets.token_urlsafe(24),
        lote=lote,
        formulario=formulario,
        sesion=clave_sesion(request),
        usuario=request.user,
        nombre=nombre,
        tamano=tamano,
    )
    parte = ruta(preparado, parte=True)
    parte.parent.mkdir(parents=True, exist_ok=True)
    parte.touch()
    preparado.save()
    return preparado


def leer_rango(cabecera):
    """'bytes 0-1023/5000' → (0, 1023, 5000); ErrorSubida otherwise."""
    coincide = _RANGO.fullmatch((cabecera or "").strip())
    if not coincide:
        raise ErrorSubida(_("Cada parte debe llegar con su cabecera Content-Range: bytes inicio-fin/total."))
    inicio, fin, total = (int(g) for g in coincide.groups())
    if fin < inicio or fin >= total:
        raise ErrorSubida(_("La cabecera Content-Range no describe una parte del archivo."))
    return inicio, fin, total


def recibir(preparado, rango, datos):
    """Append one piece; returns the file's row, checked (LISTO or RECHAZADO) once the last piece arrived.

    The piece must start where the server's copy ends (``recibido``): otherwise 409 with the
    server's ``recibido``, and the browser goes on from there. A piece that arrives twice (its
    answer was lost with the connection) is answered the same way, so nothing is written twice.
    Bytes past ``recibido`` left by a try that failed after writing are cut before appending.
    """
    inicio, fin, total = leer_rango(rango)
    if len(datos) != fin - inicio + 1:
        raise ErrorSubida(_("La parte recibida no tiene los bytes que anuncia su Content-Range: se perdió algo."))
    if len(datos) > settings.SUBIDA_TROZO_BYTES:
        raise ErrorSubida(
            _("Cada parte puede tener a lo sumo %(maximo)s.") % {"maximo": tamano_legible(settings.SUBIDA_TROZO_BYTES)},
            status=413,
        )
    with transaction.atomic():
        fila = ArchivoPreparado.objects.select_for_update().filter(pk=preparado.pk).first()
        if fila is None:
            raise ErrorSubida(_("Esa subida ya no existe: vuelva a elegir el archivo."), status=404)
        if fila.estado != Estado.SUBIENDO:
            return fila
        if total != fila.tamano:
            raise ErrorSubida(_("El tamaño del archivo cambió durante la subida: vuelva a elegirlo."))
        if inicio != fila.recibido:
            raise ErrorSubida(
                _("El servidor tiene %(n)s bytes de este archivo: siga desde ahí.") % {"n": fila.recibido},
                status=409,
                recibido=fila.recibido,
            )
        parte = ruta(fila, parte=True)
        with open(parte, "r+b") as salida:
            salida.seek(inicio)
            salida.truncate()
            salida.write(datos)
            salida.flush()
            os.fsync(salida.fileno())
        fila.recibido = fin + 1
        campos = ["recibido", "actualizado"]
        if fila.recibido == fila.tamano:
            fila.estado = Estado.REVISANDO
            campos.append("estado")
        fila.save(update_fields=campos)
    if fila.estado == Estado.REVISANDO:
        return revisar(fila)
    return fila


def revisar(fila):
    """Check the assembled file exactly like an ordinary upload; keep what that path would store."""
    parte = ruta(fila, parte=True)
    cambios = {}
    try:
        with open(parte, "rb") as abierto:
            revisado = revisar_archivo(File(abierto, name=fila.nombre))
            # What the ordinary path stores: the re-encoded image, or the bytes as they came.
            _escribir(ruta(fila), revisado.subido)
    except ValidationError as error:
        cambios = {"estado": Estado.RECHAZADO, "error": " ".join(error.messages)}
        _borrar([parte])
    else:
        _borrar([parte])
        cambios = {
            "estado": Estado.LISTO,
            "nombre": revisado.nombre,
            "tipo_contenido": revisado.tipo,
            "tamano": revisado.tamano,
            "sha256": revisado.sha256,
            "sha256_original": revisado.sha256_original,
        }
    actualizados = ArchivoPreparado.objects.filter(pk=fila.pk, estado=Estado.REVISANDO).update(
        actualizado=timezone.now(), **cambios
    )
    if not actualizados:  # removed while it was being checked
        _borrar([ruta(fila)])
    for campo, valor in cambios.items():
        setattr(fila, campo, valor)
    return fila


# ---- attached when the form is saved ----


def _sha256(ruta_archivo):
    resumen = hashlib.sha256()
    with open(ruta_archivo, "rb") as abierto:
        for trozo in iter(lambda: abierto.read(1 << 20), b""):
            resumen.update(trozo)
    return resumen.hexdigest()


@contextmanager
def adjuntar(preparados):
    """Yield the prepared files as ArchivoRevisado (open) for acciones.crear or editar.

    They are claimed first (ADJUNTANDO), so a form sent twice attaches them once; if the block
    fails they are released for the next try, and if it succeeds they are deleted.
    """
    preparados = list(preparados)
    if not preparados:
        yield []
        return
    ids = [p.pk for p in preparados]
    with transaction.atomic():
        filas = list(ArchivoPreparado.objects.select_for_update().filter(pk__in=ids, estado=Estado.LISTO))
        if len(filas) != len(ids):
            raise PreparadoPerdido(
                _(
                    "Un archivo ya adjunto dejó de estar en el servidor (se quitó, venció o ya se guardó). "
                    "Revise la lista."
                )
            )
        ArchivoPreparado.objects.filter(pk__in=ids).update(estado=Estado.ADJUNTANDO)
    try:
        with ExitStack() as abiertos:
            revisados = []
            for fila in filas:
                archivo = ruta(fila)
                if not archivo.exists() or archivo.stat().st_size != fila.tamano or _sha256(archivo) != fila.sha256:
                    raise PreparadoPerdido(
                        _(
                            "El archivo «%(nombre)s» ya adjunto no está completo en el servidor: "
                            "quítelo y súbalo de nuevo."
                        )
                        % {"nombre": fila.nombre}
                    )
                revisados.append(
                    ArchivoRevisado(
                        subido=File(abiertos.enter_context(open(archivo, "rb")), name=fila.nombre),
                        nombre=fila.nombre,
                        tipo=fila.tipo_contenido,
                        tamano=fila.tamano,
                        sha256=fila.sha256,
                        sha256_original=fila.sha256_original,
                    )
                )
            yield revisados
    except BaseException:
        ArchivoPreparado.objects.filter(pk__in=ids, estado=Estado.ADJUNTANDO).update(estado=Estado.LISTO)
        raise
    ArchivoPreparado.objects.filter(pk__in=ids).delete()
    _borrar([r for p in filas for r in (ruta(p), ruta(p, parte=True))])
