"""Large verification reports: generated once in the background and kept on disk.

WeasyPrint lays out a few pages per second on this project's machines, and the
verification report lists every approved evidence: with thousands of them it
takes minutes (bench/reportes.py), far beyond a request timeout. Above
``settings.REPORTES_EVIDENCIAS_EN_LINEA`` approved evidences (200 by default: about 8 s of CPU here)
the view does not render it in the request: it starts one background thread
and answers 202 with a page that reloads itself; the same URL serves the PDF as
soon as it is on disk.

* The file name is a fingerprint of what the report shows (plan, corte, the
  plan's evidence count and last change, semáforo thresholds, this module's
  format version), so any approval, return or edit gives a new document. A file
  is also dropped after ``VIGENCIA`` seconds, so edits to the plan's texts in the
  admin show up within that time.
* A lock file (created with O_EXCL) keeps two workers or two impatient clicks
  from rendering the same report twice; a lock older than ``BLOQUEO_MAXIMO`` is
  taken to belong to a dead worker and is replaced.
* Files live under PRIVATE_MEDIA_ROOT/informes/, never under static/, and are
  only sent by the permission-checked view.
"""

import hashlib
import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.models import Count, Max, Q
from django.utils import translation

from plan_participacion.models import Plan
from seguimiento.models import Evidencia, Semaforo

logger = logging.getLogger(__name__)

VERSION = "verificacion-1"
VIGENCIA = 60 * 60
BLOQUEO_MAXIMO = 30 * 60
UMBRAL_POR_DEFECTO = 200


def umbral():
    return getattr(settings, "REPORTES_EVIDENCIAS_EN_LINEA", UMBRAL_POR_DEFECTO)


def carpeta():
    return Path(settings.PRIVATE_MEDIA_ROOT) / "informes"


def estado(plan, corte):
    """(approved evidences up to the corte, fingerprint of everything the report shows): two queries."""
    datos = Evidencia.objects.del_plan(plan).aggregate(
        total=Count("pk"),
        ultima=Max("actualizada"),
        aprobadas=Count("pk", filter=Q(estado=Evidencia.Estado.APROBADA, fecha_actividad__lte=corte)),
    )
    semaforo = Semaforo.actual()
    partes = [
        VERSION,
        plan.pk,
        plan.importado_en.isoformat(),
        corte.isoformat(),
        datos["total"],
        datos["ultima"].isoformat() if datos["ultima"] else "",
        semaforo.rojo_menor_que,
        semaforo.verde_desde,
    ]
    return datos["aprobadas"], hashlib.sha256("|".join(map(str, partes)).encode()).hexdigest()[:40]


def lanzar(funcion, *argumentos):
    """Run funcion in a daemon thread that closes its own database connections (replaced in tests)."""

    def en_hilo():
        try:
            funcion(*argumentos)
        finally:
            connections.close_all()

    threading.Thread(target=en_hilo, daemon=True, name="informe-verificacion").start()


def generar(plan_pk, corte, ruta, bloqueo):
    from reportes.informes import pdf_verificacion

    try:
        with translation.override(settings.LANGUAGE_CODE):
            pdf = pdf_verificacion(Plan.objects.get(pk=plan_pk), corte)
        temporal = ruta.with_suffix(".tmp")
        temporal.write_bytes(pdf)
        os.replace(temporal, ruta)
        logger.info("Informe de verificación listo: %s (%d bytes)", ruta.name, len(pdf))
    except Exception:
        logger.exception("No se pudo generar el informe de verificación %s", ruta.name)
    finally:
        bloqueo.unlink(missing_ok=True)


def _tomar_bloqueo(bloqueo):
    for _intento in range(2):
        try:
            os.close(os.open(bloqueo, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except FileExistsError:
            try:
                if time.time() - bloqueo.stat().st_mtime < BLOQUEO_MAXIMO:
                    return False
            except FileNotFoundError:
                continue
            bloqueo.unlink(missing_ok=True)
    return False


def verificacion_en_disco(plan, corte, huella):
    """Path of the ready PDF, or None while it is being generated (starting it when nobody is)."""
    destino = carpeta()
    destino.mkdir(parents=True, exist_ok=True)
    ruta = destino / f"verificacion-{huella}.pdf"
    if ruta.exists():
        if time.time() - ruta.stat().st_mtime < VIGENCIA:
            return ruta
        ruta.unlink(missing_ok=True)
    bloqueo = ruta.with_suffix(".generando")
    if _tomar_bloqueo(bloqueo):
        lanzar(generar, plan.pk, corte, ruta, bloqueo)
    return None
