"""Structured logging: one JSON object per line (LOG_FORMAT=json, the default with DEBUG off).

Keys: ts (UTC, ISO 8601 with milliseconds), nivel, logger, mensaje, proceso; for
django.request and django.server records also metodo, ruta and estado; exc when an
exception is attached; any extra=... given to the logger that is JSON-friendly.
"""

import datetime
import json
import logging

# Attributes every LogRecord has: they are not "extra".
_ESTANDAR = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class FormatoJSON(logging.Formatter):
    def format(self, record):
        datos = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "nivel": record.levelname,
            "logger": record.name,
            "mensaje": record.getMessage(),
            "proceso": record.process,
        }
        peticion = getattr(record, "request", None)
        if peticion is not None and hasattr(peticion, "method"):
            datos["metodo"] = peticion.method
            datos["ruta"] = peticion.path
        codigo = getattr(record, "status_code", None)
        if codigo is not None:
            datos["estado"] = codigo
        for clave, valor in vars(record).items():
            if clave in _ESTANDAR or clave in {"request", "status_code", "server_time"} or clave in datos:
                continue
            if isinstance(valor, str | int | float | bool) or valor is None:
                datos[clave] = valor
        if record.exc_info:
            datos["exc"] = self.formatException(record.exc_info)
        elif record.stack_info:
            datos["stack"] = self.formatStack(record.stack_info)
        return json.dumps(datos, ensure_ascii=False, default=str)
