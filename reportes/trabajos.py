"""Report jobs: asking for a report, the render slots, running one, resuming after a lost worker, cleanup.

Every state change of an Informe is a function here, in a transaction, on locked
rows. Views call ``pedir`` and ``reintentar``; the task worker calls ``generar``
(reportes.tasks.generar_informe); the reaper calls ``reanudar_informes``.

* **One job per fingerprint.** ``huella`` sums up what the report shows: the
  approved evidence up to the corte (count, latest change, sum of ids, so that one
  leaving and another entering still changes it), the latest change to any plan
  data (django-simple-history), the semáforo thresholds and FORMATO. Drafts,
  sent or returned evidence and other plans' evidence do not change it.
* **Bounded renders.** ``tomar_cupo`` lets at most REPORTES_EN_PARALELO jobs be
  "generando" across all workers and servers (a lock held for a few milliseconds:
  pg_advisory_xact_lock on PostgreSQL, an exclusive transaction on SQLite); a task
  that finds no slot leaves its job queued and enqueues itself again a little later.
* **Bounded per person.** Starting a new job while REPORTES_PENDIENTES_POR_USUARIO
  of one's own are waiting raises DemasiadosPendientes (the view answers 429).
  Joining a job someone else already started costs nothing and is always allowed.
"""

import hashlib
import logging
import os
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, Max, Subquery, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task_backends
from django_tasks_db.utils import exclusive_transaction

from plan_participacion.almacen import almacen_privado
from plan_participacion.models import Plan
from reportes.models import Informe, SolicitudInforme
from seguimiento.auditoria import MODELOS_PLAN
from seguimiento.models import Evidencia, Semaforo

logger = logging.getLogger(__name__)

FORMATO = {Informe.Tipo.VERIFICACION: "verificacion-typst-1"}
CARPETA = "informes"
Estado = Informe.Estado


class DemasiadosPendientes(Exception):
    """The person already has REPORTES_PENDIENTES_POR_USUARIO jobs waiting."""


# ---- what a report depends on ----


def ultimo_cambio_del_plan():
    """Latest change to any plan data (plan, lines … secretariats), from their history: one query."""
    subconsultas = {
        f"u_{clave}": Subquery(modelo.history.order_by("-history_date").values("history_date")[:1])
        for clave, modelo in MODELOS_PLAN.items()
    }
    fila = Plan.objects.order_by().annotate(**subconsultas).values(*subconsultas)[:1]
    fechas = [f for f in (fila[0].values() if fila else []) if f]
    return max(fechas) if fechas else None


def estado_de_los_datos(plan, corte, tipo=Informe.Tipo.VERIFICACION):
    """(approved evidences up to the corte, fingerprint of everything the report shows)."""
    datos = (
        Evidencia.objects.aprobadas()
        .del_plan(plan)
        .filter(fecha_actividad__lte=corte)
        .aggregate(n=Count("pk"), ultima=Max("actualizada"), suma=Sum("pk"))
    )
    cambio = ultimo_cambio_del_plan()
    semaforo = Semaforo.actual()
    partes = [
        FORMATO[tipo],
        tipo,
        plan.pk,
        plan.importado_en.isoformat(),
        corte.isoformat(),
        datos["n"],
        datos["ultima"].isoformat() if datos["ultima"] else "",
        datos["suma"] or 0,
        cambio.isoformat() if cambio else "",
        semaforo.rojo_menor_que,
        semaforo.verde_desde,
    ]
    return datos["n"], hashlib.sha256("|".join(map(str, partes)).encode()).hexdigest()


# ---- asking ----


def pendientes_de(usuario):
    return Informe.objects.pendientes().pedidos_por(usuario).count()


def archivo_disponible(informe):
    return informe.estado == Estado.LISTO and bool(informe.archivo) and almacen_privado.exists(informe.archivo)


@transaction.atomic
def pedir(plan, corte, *, usuario, tipo=Informe.Tipo.VERIFICACION, datos=None):
    """The job for this report (created, or shared with whoever asked first); starts it when needed.

    ``datos``: estado_de_los_datos(plan, corte, tipo) when the caller already has it.
    Raises DemasiadosPendientes when it would start a new job for someone who has too many waiting.
    """
    evidencias, huella = datos or estado_de_los_datos(plan, corte, tipo)
    ahora = timezone.now()
    informe = Informe.objects.select_for_update().filter(tipo=tipo, huella=huella).first()
    perdio_archivo = informe is not None and informe.estado == Estado.LISTO and not archivo_disponible(informe)
    if informe is None or perdio_archivo:
        _exigir_cupo_del_usuario(usuario)
    if informe is None:
        informe, creado = Informe.objects.get_or_create(
            tipo=tipo,
            huella=huella,
            defaults={
                "plan": plan,
                "corte": corte,
                "evidencias": evidencias,
                "pedido_por": usuario,
                "pedido_en": ahora,
                "ultima_solicitud": ahora,
            },
        )
        if creado:
            _encolar(informe)
    elif perdio_archivo:
        logger.warning("Falta el archivo del informe %s (%s): se prepara de nuevo", informe.pk, informe.archivo)
        _reiniciar(informe)
    Informe.objects.filter(pk=informe.pk).update(ultima_solicitud=ahora)
    SolicitudInforme.objects.update_or_create(informe=informe, usuario=usuario, defaults={"pedida_en": ahora})
    informe.refresh_from_db()
    return informe


@transaction.atomic
def reintentar(informe, *, usuario):
    """Start a failed job again (the "Reintentar" button)."""
    informe = Informe.objects.select_for_update().get(pk=informe.pk)
    if informe.estado != Estado.FALLO:
        return informe
    _exigir_cupo_del_usuario(usuario)
    _reiniciar(informe, intentos=0)
    ahora = timezone.now()
    Informe.objects.filter(pk=informe.pk).update(ultima_solicitud=ahora)
    SolicitudInforme.objects.update_or_create(informe=informe, usuario=usuario, defaults={"pedida_en": ahora})
    informe.refresh_from_db()
    return informe


def _exigir_cupo_del_usuario(usuario):
    limite = settings.REPORTES_PENDIENTES_POR_USUARIO
    if pendientes_de(usuario) >= limite:
        raise DemasiadosPendientes(
            _(
                "Ya tiene %(n)d informes en preparación, el máximo por persona. Espere a que alguno termine "
                "(la página de Reportes muestra cómo van) y vuelva a pedir este."
            )
            % {"n": limite}
        )


def _reiniciar(informe, **cambios):
    campos = {"estado": Estado.EN_COLA, "progreso": 0, "paginas": None, "error": "", "tarea": "", **cambios}
    for campo, valor in campos.items():
        setattr(informe, campo, valor)
    informe.save(update_fields=list(campos))
    _encolar(informe)


def _encolar(informe, *, despues_de=None):
    """Enqueue the job's task once the transaction commits, and remember the task's id."""
    pk = informe.pk

    def encolar():
        from reportes.tasks import generar_informe

        tarea = generar_informe
        if despues_de:
            if not task_backends[tarea.backend].supports_defer:
                return  # e.g. the immediate backend: running it again now would find no slot again
            tarea = tarea.using(run_after=timezone.now() + timedelta(seconds=despues_de))
        resultado = tarea.enqueue(pk)
        Informe.objects.filter(pk=pk, estado=Estado.EN_COLA).update(tarea=str(resultado.id))

    # robust: a queue that refuses the task is logged, not a 500; the reaper enqueues the job again.
    transaction.on_commit(encolar, robust=True)


# ---- running ----


def _cerrojo_de_cupos():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('reportes.cupos'))")


def tomar_cupo(informe_id, tarea_id):
    """(informe, True) when this task may render it now; (informe, False) when every slot is taken;
    (None, False) when there is nothing to do (already done, being done by another task, deleted)."""
    with exclusive_transaction():
        _cerrojo_de_cupos()
        informe = Informe.objects.select_for_update().filter(pk=informe_id).first()
        if informe is None or informe.estado != Estado.EN_COLA:
            return None, False
        if Informe.objects.filter(estado=Estado.GENERANDO).count() >= settings.REPORTES_EN_PARALELO:
            return informe, False
        informe.estado = Estado.GENERANDO
        informe.iniciado_en = timezone.now()
        informe.progreso = 0
        informe.intentos += 1
        informe.tarea = tarea_id
        informe.save(update_fields=["estado", "iniciado_en", "progreso", "intentos", "tarea"])
        return informe, True


def generar(informe_id, tarea_id):
    """What the task does: take a slot, render to a temporary file, store it, mark the job ready (or failed)."""
    informe, puede = tomar_cupo(informe_id, tarea_id)
    if informe is None:
        return "sin trabajo"
    if not puede:
        with transaction.atomic():
            _encolar(informe, despues_de=settings.REPORTES_ESPERA_SIN_CUPO)
        return "en espera de cupo"
    try:
        with translation.override(settings.LANGUAGE_CODE):
            datos = _renderizar(informe)
    except Exception as error:
        logger.exception("No se pudo generar el informe %s", informe.pk)
        Informe.objects.filter(pk=informe.pk, tarea=tarea_id).update(
            estado=Estado.FALLO, error=f"{type(error).__name__}: {error}"[:2000], terminado_en=timezone.now()
        )
        raise
    actualizados = Informe.objects.filter(pk=informe.pk, tarea=tarea_id, estado=Estado.GENERANDO).update(
        estado=Estado.LISTO, progreso=100, terminado_en=timezone.now(), **datos
    )
    if not actualizados:  # the reaper gave the job to another task meanwhile: keep only one file
        almacen_privado.delete(datos["archivo"])
        return "reemplazado"
    logger.info("Informe %s listo: %s páginas, %s bytes", informe.pk, datos["paginas"], datos["tamano"])
    return "listo"


def _renderizar(informe):
    from reportes.verificacion import escribir_verificacion

    def progreso(hechas, total, paginas):
        Informe.objects.filter(pk=informe.pk, estado=Estado.GENERANDO).update(
            progreso=min(99, 100 * hechas // total), paginas=paginas
        )

    with tempfile.TemporaryFile() as temporal:
        paginas = escribir_verificacion(informe.plan, informe.corte, temporal, progreso=progreso)
        tamano = temporal.tell()
        temporal.seek(0)
        resumen = hashlib.sha256()
        for trozo in iter(lambda: temporal.read(1024 * 1024), b""):
            resumen.update(trozo)
        temporal.seek(0)
        nombre = f"{CARPETA}/{informe.tipo}-{informe.huella[:40]}.pdf"
        if informe.archivo:
            almacen_privado.delete(informe.archivo)
        guardado = almacen_privado.save(nombre, File(temporal, name=os.path.basename(nombre)))
    return {"archivo": guardado, "tamano": tamano, "sha256": resumen.hexdigest(), "paginas": paginas}


# ---- the reaper's part and the cleanup ----


def reanudar_informes(ahora=None):
    """Jobs waiting on a task that will never run (its worker died, or it was never enqueued): enqueue again.

    After REPORTES_INTENTOS attempts the job is marked failed instead, with a message the page shows.
    Only with the database queue: other backends keep no task rows to compare with.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from reportes.tasks import generar_informe

    if not isinstance(task_backends[generar_informe.backend], DatabaseBackend):
        return []
    ahora = ahora or timezone.now()
    gracia = ahora - timedelta(seconds=settings.TRABAJADORES_AUSENCIA)
    vivas = {str(i) for i in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).values_list("id", flat=True)}
    reanudados = []
    for informe in Informe.objects.pendientes().filter(ultima_solicitud__lt=gracia).exclude(tarea__in=vivas):
        with transaction.atomic():
            informe = Informe.objects.select_for_update().get(pk=informe.pk)
            if not informe.pendiente or informe.tarea in vivas:
                continue
            if informe.intentos >= settings.REPORTES_INTENTOS:
                informe.estado = Estado.FALLO
                informe.terminado_en = ahora
                informe.error = _(
                    "El trabajador que preparaba el informe se detuvo %(n)d veces antes de terminarlo."
                ) % {"n": informe.intentos}
                informe.save(update_fields=["estado", "terminado_en", "error"])
                logger.error("Informe %s: %s", informe.pk, informe.error)
            else:
                logger.warning("Informe %s sin tarea viva (%s): se encola de nuevo", informe.pk, informe.tarea or "—")
                _reiniciar(informe)
                reanudados.append(informe.pk)
    return reanudados


def limpiar(ahora=None):
    """Delete finished jobs, and their files, that nobody asked for in REPORTES_DIAS_SIN_PEDIR days."""
    ahora = ahora or timezone.now()
    limite = ahora - timedelta(days=settings.REPORTES_DIAS_SIN_PEDIR)
    borrados = 0
    for informe in Informe.objects.filter(ultima_solicitud__lt=limite, estado__in=[Estado.LISTO, Estado.FALLO]):
        with transaction.atomic():
            viejo = Informe.objects.select_for_update().filter(pk=informe.pk, ultima_solicitud__lt=limite).first()
            if viejo is None:  # asked for again meanwhile
                continue
            archivo = viejo.archivo
            viejo.delete()
        if archivo:
            almacen_privado.delete(archivo)
        borrados += 1
    if borrados:
        logger.info("Informes sin pedir en %d días borrados: %d", settings.REPORTES_DIAS_SIN_PEDIR, borrados)
    return borrados
