"""SQLite answers "database is locked" when a writer waited longer than its timeout for another one.

With ``transaction_mode = IMMEDIATE`` and a timeout of SQLITE_TIMEOUT seconds (settings) writers
queue instead of failing, so this only happens under a load SQLite cannot carry; even then the
person gets a clear page that asks them to try again (503, Retry-After), never a server error.
Nothing was saved: the transaction that could not start changed nothing.
"""

import logging

from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

SEGUNDOS_PARA_REINTENTAR = 5


def es_base_bloqueada(error):
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


class BaseOcupadaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not es_base_bloqueada(exception):
            return None
        logger.warning("Base de datos ocupada en %s %s: %s", request.method, request.path, exception)
        respuesta = render(request, "base_ocupada.html", status=503)
        respuesta["Retry-After"] = str(SEGUNDOS_PARA_REINTENTAR)
        return respuesta
