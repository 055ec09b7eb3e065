"""What the importer tells the planning officer: a refusal or a warning."""

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


class ErrorImportacion(Exception):
    """The sheet cannot be imported; the message says why, in Spanish, for a planning officer."""

    def __init__(self, mensaje):
        super().__init__(mensaje)
        self.mensaje = mensaje


class PlanExistente(ErrorImportacion):
    """The plan of this municipio and period is already imported; replacing it must be asked for."""

    def __init__(self, mensaje, plan):
        super().__init__(mensaje)
        self.plan = plan


@dataclass(frozen=True)
class Advertencia:
    """Something imported with a doubt, located like a spreadsheet cell (fila 13, columna U)."""

    fila: int | None
    columna: int | None
    mensaje: str

    @property
    def letra_columna(self):
        return get_column_letter(self.columna) if self.columna else ""

    @property
    def ubicacion(self):
        partes = []
        if self.fila:
            partes.append(f"fila {self.fila}")
        if self.columna:
            partes.append(f"columna {self.letra_columna}")
        return ", ".join(partes)

    def __str__(self):
        return f"{self.ubicacion}: {self.mensaje}" if self.ubicacion else self.mensaje
