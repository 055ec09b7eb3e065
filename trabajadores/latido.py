"""A worker's heartbeat: its Trabajador row, refreshed by a thread of the worker process, and the reaper's rounds.

The thread lives in the ``db_worker`` process, never in a web worker. It beats
every TRABAJADORES_LATIDO seconds, also while the main thread spends minutes on a
report, and every TRABAJADORES_VIGILANCIA seconds runs one round of the reaper
(trabajadores.vigilancia.vigilar): every live worker does, so the reaper needs no
process of its own and stops only when no worker is left to pick anything up.
"""

import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from trabajadores.models import Trabajador

logger = logging.getLogger(__name__)


def registrar(worker_id, colas):
    ahora = timezone.now()
    Trabajador.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "colas": colas,
            "servidor": socket.gethostname()[:200],
            "pid": os.getpid(),
            "iniciado": ahora,
            "visto": ahora,
        },
    )


def latir(worker_id, colas):
    if not Trabajador.objects.filter(worker_id=worker_id).update(visto=timezone.now()):
        registrar(worker_id, colas)  # its row was removed meanwhile (a long stop of the database, an admin)


def despedir(worker_id):
    Trabajador.objects.filter(worker_id=worker_id).delete()


class Latido:
    """The heartbeat thread of one worker process."""

    def __init__(self, worker_id, colas):
        self.worker_id = worker_id
        self.colas = colas
        self._alto = threading.Event()
        self._hilo = threading.Thread(target=self._bucle, name=f"latido-{worker_id[:12]}", daemon=True)

    def iniciar(self):
        self._hilo.start()
        return self

    def detener(self):
        self._alto.set()
        self._hilo.join(timeout=settings.TRABAJADORES_LATIDO + 5)

    def _bucle(self):
        from trabajadores.vigilancia import vigilar

        # Spread the rounds of several workers started together.
        proxima_vigilancia = time.monotonic() + random.uniform(0, settings.TRABAJADORES_VIGILANCIA)  # noqa: S311
        try:
            while not self._alto.wait(settings.TRABAJADORES_LATIDO):
                close_old_connections()
                try:
                    latir(self.worker_id, self.colas)
                    if time.monotonic() >= proxima_vigilancia:
                        proxima_vigilancia = time.monotonic() + settings.TRABAJADORES_VIGILANCIA
                        vigilar()
                except DatabaseError as error:
                    # The database is restarting or locked: the next beat tries again on a new connection.
                    logger.warning("Latido del trabajador %s sin base de datos: %s", self.worker_id, error)
                    connection.close()
                except Exception:
                    logger.exception("Falló una ronda de vigilancia del trabajador %s", self.worker_id)
        finally:
            connection.close()
