"""The signed documents of a closing: rendered once from the frozen data, hashed, stored, never again.

When acciones.cerrar_periodo commits, the task seguimiento.tasks.archivar_cierre calls ``ejecutar``:
it renders the committee's three documents (and the progress report's public edition, for the
Menú Participa) for the closing date with the functions /reportes/ uses (reportes.informes.pdf_avance,
pdf_avance_publico and pdf_verificacion, reportes.excel.libro_cronograma),
stores them under PRIVATE_MEDIA_ROOT/firmados/ with their size and SHA-256, and writes one
DocumentoFirmado each and the figures' summary (Cierre.resumen) in one transaction.

* Once: a closing already archived is left as it is; when two workers render the same closing,
  the first to store wins and the other's files are removed.
* From frozen data: the job runs after the closing committed, and from that commit the actions
  refuse any change to evidence dated in the period. On PostgreSQL the documents and the summary
  are read in one REPEATABLE READ snapshot. A closing reopened before its files are stored is not
  archived (its data may have moved since).
* Retried: a failure is recorded on the Cierre (intentos, error) and the task enqueued again, up
  to INTENTOS times, each later than the one before when the backend can defer; after that the
  closing shows the error and the coordinator can retry it (acciones.reintentar_archivo).
* Never rendered again, never cleaned up: the files live in firmados/, apart from the report cache
  (informes/), and the rows are protected (on_delete=PROTECT). Each file is read back and its
  SHA-256 checked before the archive is marked ready.
"""

import datetime
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone, translation

from plan_participacion.models import Plan
from reportes import informes
from reportes.excel import TIPO_XLSX, libro_cronograma
from seguimiento import narrativa
from seguimiento.archivos import borrar_del_almacen
from seguimiento.avance import avance_plan
from seguimiento.models import Cierre, DocumentoFirmado, Evidencia

logger = logging.getLogger(__name__)

Tipo = DocumentoFirmado.Tipo
EstadoArchivo = Cierre.EstadoArchivo
INTENTOS = 3
ESPERA_ENTRE_INTENTOS = datetime.timedelta(minutes=1)  # times the attempt number


@dataclass(frozen=True)
class Documento:
    tipo: str
    prefijo: str  # of the file name, as /reportes/ names it
    extension: str
    tipo_contenido: str
    generar: object  # (plan, corte) -> bytes


DOCUMENTOS = (
    Documento(Tipo.AVANCE, "informe-avance", "pdf", "application/pdf", informes.pdf_avance),
    Documento(Tipo.VERIFICACION, "informe-verificacion", "pdf", "application/pdf", informes.pdf_verificacion),
    Documento(Tipo.CRONOGRAMA, "cronograma", "xlsx", TIPO_XLSX, libro_cronograma),
    # Published in the Menú Participa (/participa/<plan>/) while the plan is published.
    Documento(Tipo.AVANCE_PUBLICO, "informe-avance-publico", "pdf", "application/pdf", informes.pdf_avance_publico),
)


class ArchivoAlterado(Exception):
    """A stored file does not have the SHA-256 it was archived with."""


def sha256(contenido):
    return hashlib.sha256(contenido).hexdigest()


# ---- the job ----


def ejecutar(cierre_id):
    """What the task runs: archive the closing, or record the failure and enqueue another attempt."""
    try:
        return archivar(cierre_id)
    except Exception as error:
        logger.exception("No se pudo archivar el cierre %s", cierre_id)
        intentos = _registrar_falla(cierre_id, error)
        if intentos >= INTENTOS:
            raise
        _reprogramar(cierre_id, intentos)
        return None


def archivar(cierre_id):
    """Render, hash and store the three documents of the closing, unless already done or reopened."""
    Cierre.objects.filter(pk=cierre_id).update(intentos=F("intentos") + 1)
    cierre = Cierre.objects.select_related("plan").get(pk=cierre_id)
    if cierre.estado_archivo == EstadoArchivo.LISTO or not cierre.vigente:
        return cierre
    plan, corte = cierre.plan, cierre.hasta
    with translation.override(settings.LANGUAGE_CODE), _instantanea():
        contenidos = {documento.tipo: documento.generar(plan, corte) for documento in DOCUMENTOS}
        avance = avance_plan(plan, corte)
        resumen = resumen_de(avance)
        # the opening text the signed progress report carries, in words an auditor can search
        resumen["narrativa"] = narrativa.texto_del_informe(plan, corte, avance=avance)
    return _guardar(cierre_id, contenidos, resumen)


@contextmanager
def _instantanea():
    """One consistent read for every document (PostgreSQL). SQLite reads in autocommit: a
    transaction there would hold the database's write lock for the whole rendering."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _guardar(cierre_id, contenidos, resumen):
    guardados = []
    try:
        with transaction.atomic():
            cierre = Cierre.objects.select_for_update().select_related("plan").get(pk=cierre_id)
            if cierre.estado_archivo == EstadoArchivo.LISTO or not cierre.vigente:
                return cierre
            ahora = timezone.now()
            for documento in DOCUMENTOS:
                contenido = contenidos[documento.tipo]
                firmado = DocumentoFirmado(
                    cierre=cierre,
                    tipo=documento.tipo,
                    nombre=informes.nombre_archivo(documento.prefijo, cierre.plan, cierre.hasta, documento.extension),
                    tipo_contenido=documento.tipo_contenido,
                    tamano=len(contenido),
                    sha256=sha256(contenido),
                    creado_en=ahora,
                )
                firmado.archivo.save(firmado.nombre, ContentFile(contenido), save=False)
                guardados.append(firmado.archivo.name)
                leer(firmado)  # what is on disk is what was hashed, before anyone relies on it
                firmado.save()
            cierre.estado_archivo = EstadoArchivo.LISTO
            cierre.archivado_en = ahora
            cierre.resumen = resumen
            cierre.error = ""
            cierre.save(update_fields=["estado_archivo", "archivado_en", "resumen", "error"])
    except BaseException:
        borrar_del_almacen(guardados)
        raise
    logger.info("Cierre %s archivado: %s", cierre_id, ", ".join(guardados))
    return cierre


def _registrar_falla(cierre_id, error):
    Cierre.objects.filter(pk=cierre_id).update(error=f"{type(error).__name__}: {error}"[:2000])
    Cierre.objects.filter(pk=cierre_id, estado_archivo=EstadoArchivo.GENERANDO, intentos__gte=INTENTOS).update(
        estado_archivo=EstadoArchivo.FALLIDO
    )
    return Cierre.objects.filter(pk=cierre_id).values_list("intentos", flat=True).get()


def _reprogramar(cierre_id, intentos):
    from seguimiento.tasks import archivar_cierre

    tarea = archivar_cierre
    if tarea.get_backend().supports_defer:
        tarea = tarea.using(run_after=timezone.now() + ESPERA_ENTRE_INTENTOS * intentos)
    tarea.enqueue(cierre_id)


# ---- reading the archive ----


def leer(firmado):
    """The archived bytes, checked against their SHA-256 (ArchivoAlterado if they changed on disk)."""
    with firmado.archivo.storage.open(firmado.archivo.name, "rb") as archivo:
        contenido = archivo.read()
    if sha256(contenido) != firmado.sha256:
        raise ArchivoAlterado(
            f"El documento firmado {firmado.pk} ({firmado.archivo.name}) no coincide con su SHA-256 archivado."
        )
    return contenido


def del_corte(plan_id, corte, tipo):
    """(closing in force closed exactly at ``corte``, its archived document of ``tipo`` or None), or (None, None).

    ``plan_id`` None means the latest plan, as /reportes/ reads it. One query when there is no such closing.
    """
    if plan_id is None:
        plan_id = Subquery(Plan.objects.order_by("-mes_inicio", "-pk").values("pk")[:1])
    documento = DocumentoFirmado.objects.filter(cierre=OuterRef("pk"), tipo=tipo).values("pk")[:1]
    cierre = (
        Cierre.objects.vigentes()
        .filter(plan_id=plan_id, hasta=corte)
        .annotate(documento_id=Subquery(documento))
        .select_related("plan")
        .first()
    )
    if cierre is None:
        return None, None
    if cierre.documento_id is None:
        return cierre, None
    return cierre, DocumentoFirmado.objects.get(pk=cierre.documento_id)


def buscar(huella):
    """The archived document with this SHA-256 (with its closing, plan and people), or None."""
    return (
        DocumentoFirmado.objects.filter(sha256=huella)
        .select_related("cierre__plan", "cierre__cerrado_por", "cierre__reabierto_por")
        .order_by("pk")
        .first()
    )


# ---- the figures' summary ----


def _numero(valor):
    return None if valor is None else str(valor)


def _color(color):
    return str(color) if color else None


def _ejecucion(ejecucion):
    return {
        "programado_total": ejecucion.programado_total,
        "programado_a_la_fecha": ejecucion.programado_a_la_fecha,
        "ejecutado_a_la_fecha": ejecucion.ejecutado_a_la_fecha,
        "porcentaje": _numero(ejecucion.porcentaje),
        "color": _color(ejecucion.color),
    }


def resumen_de(avance):
    """The figures the documents show, as JSON: percentages as strings ("68.8"), as seguimiento.avance rounds them."""
    plan = avance.plan
    return {
        "plan": {"id": plan.pk, "municipio": plan.municipio, "titulo": plan.titulo},
        "corte": avance.corte.isoformat(),
        "semaforo": {"rojo_menor_que": avance.semaforo.rojo_menor_que, "verde_desde": avance.semaforo.verde_desde},
        "avance": _numero(avance.porcentaje),
        "color": _color(avance.color),
        "ejecucion": _ejecucion(avance.ejecucion),
        "evidencias_aprobadas": Evidencia.objects.aprobadas()
        .del_plan(plan)
        .filter(fecha_actividad__lte=avance.corte)
        .count(),
        "meses": [
            {"mes": m.mes.isoformat()[:7], "programado": m.programado, "ejecutado": m.ejecutado}
            for m in avance.ejecucion.meses
        ],
        "lineas": [
            {
                "numero": linea.linea.numero,
                "nombre": linea.linea.nombre,
                "avance": _numero(linea.porcentaje),
                "color": _color(linea.color),
                "ejecucion": _ejecucion(linea.ejecucion),
                "estrategias": [
                    {
                        "numero": estrategia.estrategia.numero,
                        "avance": _numero(estrategia.porcentaje),
                        "color": _color(estrategia.color),
                        "ejecucion": _ejecucion(estrategia.ejecucion),
                        "metas": [
                            {
                                "codigo": meta.meta.codigo,
                                "objetivo": meta.objetivo,
                                "aprobado": meta.aprobado,
                                "aprobado_que_cuenta": meta.aprobado_que_cuenta,
                                "avance": _numero(meta.porcentaje),
                                "color": _color(meta.color),
                            }
                            for meta in estrategia.metas
                        ],
                    }
                    for estrategia in linea.estrategias
                ],
            }
            for linea in avance.lineas
        ],
    }
