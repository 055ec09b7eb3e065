"""Importer of the municipality's cronograma: read (file → cells) → analizar (cells → dataclasses
and warnings) → guardar (one transaction).
"""

from plan_participacion.importer.errores import Advertencia, ErrorImportacion

__all__ = ["Advertencia", "ErrorImportacion"]
