"""Spanish month names and dates as people write them in the sheet."""

import datetime
import re

from plan_participacion.models import clave_nombre

NOMBRES_MESES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
_VARIANTES = {"setiembre": 9}


def numero_de_mes(palabra):
    """1–12 for "ENE.", "Ene", "enero", "SEPT.", "set" …; None when it is not a month."""
    palabra = clave_nombre(palabra)
    if len(palabra) < 3 or not palabra.isalpha():
        return None
    for numero, nombre in enumerate(NOMBRES_MESES, start=1):
        if nombre.startswith(palabra):
            return numero
    for nombre, numero in _VARIANTES.items():
        if nombre.startswith(palabra):
            return numero
    return None


def _anio(texto):
    anio = int(texto)
    return anio + 2000 if anio < 100 else anio


def mes_de_celda(texto):
    """(mes, año or None) for a month header cell: "OCT.", "enero 2024", "ENE-24", "2024-01-01"."""
    iso = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", texto or "")
    if iso and 1 <= int(iso.group(2)) <= 12:
        return int(iso.group(2)), int(iso.group(1))
    partes = clave_nombre(texto).split()
    if not partes or len(partes) > 2:
        return None
    mes = numero_de_mes(partes[0])
    if mes is None:
        return None
    if len(partes) == 1:
        return mes, None
    if re.fullmatch(r"\d{2}|\d{4}", partes[1]):
        return mes, _anio(partes[1])
    return None


def nombre_mes(fecha):
    """ "octubre de 2022" """
    return f"{NOMBRES_MESES[fecha.month - 1]} de {fecha.year}"


def abreviatura_mes(fecha):
    """ "OCT. 2022" """
    return f"{NOMBRES_MESES[fecha.month - 1][:3].upper()}. {fecha.year}"


def _fecha_o_none(anio, mes, dia):
    try:
        return datetime.date(anio, mes, dia)
    except ValueError:
        return None


def fecha_espanola(texto):
    """A date written as "17-Agosto-2021", "22 de Diciembre de 2022", "2022-12-22" or "22/12/2022"; else None.

    Numeric dates are day first, as in Colombia.
    """
    texto = (texto or "").strip()
    if iso := re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", texto):
        return _fecha_o_none(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    if numerica := re.search(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b", texto):
        return _fecha_o_none(_anio(numerica.group(3)), int(numerica.group(2)), int(numerica.group(1)))
    clave = clave_nombre(texto)
    for patron in _FECHAS_EN_PALABRAS:
        for coincidencia in patron.finditer(clave):
            partes = coincidencia.groupdict()
            if numero := numero_de_mes(partes["mes"]):
                return _fecha_o_none(int(partes["anio"]), numero, int(partes["dia"]))
    return None


_FECHAS_EN_PALABRAS = [
    re.compile(r"\b(?P<dia>\d{1,2}) (?:de )?(?P<mes>[a-z]{3,}) (?:de |del )?(?P<anio>\d{4})\b"),
    re.compile(r"\b(?P<mes>[a-z]{3,}) (?P<dia>\d{1,2}) (?:de |del )?(?P<anio>\d{4})\b"),
]
