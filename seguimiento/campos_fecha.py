"""Dates and months as people in Colombia type and read them, whatever the browser's language.

A ``<input type="date">`` shows and asks for the date in the browser's locale (mm/dd/yyyy in an
English Chrome) and answers with English bubbles. These fields are text inputs instead: they show
dd/mm/aaaa (months: mm/aaaa), carry a ``pattern`` that static/js/validacion.js explains in Spanish,
and the server reads what people write:

* dd/mm/aaaa, with "/", "-" or "." between the parts, and one-digit days and months (1/3/2024);
* ddmmaaaa (a phone's numeric keyboard has no "/"): 31032024;
* aaaa-mm-dd, what bookmarks and links carry (/reportes/avance.pdf?corte=2024-03-31);
* in words: "31 de marzo de 2024", "31 marzo 2024".

Months: mm/aaaa, aaaa-mm, "marzo de 2024", "mar 2024".
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plan_participacion.importer.fechas import NOMBRES_MESES, numero_de_mes
from plan_participacion.models import clave_nombre

FORMATO = "%d/%m/%Y"
FORMATO_MES = "%m/%Y"

_NUMERICA = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_OCHO_CIFRAS = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_EN_PALABRAS = re.compile(r"(\d{1,2}) (?:de )?([a-z]+)\.? (?:de |del )?(\d{4})")
_MES_NUMERICO = re.compile(r"(\d{1,2})[/.\-](\d{4})")
_MES_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_MES_EN_PALABRAS = re.compile(r"([a-z]+)\.? (?:de |del )?(\d{4})")

# What the browser checks before sending (static/js/validacion.js says it in Spanish); the server
# accepts this and the words above. Characters escaped for the `v` flag Chromium applies to patterns.
PATRON = r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{8}|\d{4}\-\d{1,2}\-\d{1,2})\s*"
PATRON_MES = r"\s*(\d{1,2}[\/.\-]\d{4}|\d{4}\-\d{1,2})\s*"


def ejemplo():
    return _("Escriba la fecha como dd/mm/aaaa (día, mes y año), por ejemplo 31/03/2024")


def ejemplo_mes():
    return _("Escriba el mes como mm/aaaa (mes y año), por ejemplo 03/2024")


def _fecha(anio, mes, dia, texto):
    if not 1 <= mes <= 12:
        raise ValueError(
            _("«%(texto)s»: no hay mes %(mes)s. %(ejemplo)s.") % {"texto": texto, "mes": mes, "ejemplo": ejemplo()}
        )
    dias = calendar.monthrange(anio, mes)[1]
    if not 1 <= dia <= dias:
        raise ValueError(
            _("«%(texto)s» no existe: %(mes)s de %(anio)s tiene %(dias)s días.")
            % {"texto": texto, "mes": NOMBRES_MESES[mes - 1], "anio": anio, "dias": dias}
        )
    if anio < 1900:
        raise ValueError(_("«%(texto)s»: revise el año. %(ejemplo)s.") % {"texto": texto, "ejemplo": ejemplo()})
    return datetime.date(anio, mes, dia)


def leer_fecha(texto):
    """'31/03/2024', '31032024', '2024-03-31' or '31 de marzo de 2024' → date(2024, 3, 31).

    ValueError with a sentence for people otherwise (a day that does not exist says so).
    """
    limpio = " ".join(str(texto or "").split())
    if coincide := _NUMERICA.fullmatch(limpio) or _OCHO_CIFRAS.fullmatch(limpio):
        dia, mes, anio = (int(g) for g in coincide.groups())
        return _fecha(anio, mes, dia, limpio)
    if coincide := _ISO.fullmatch(limpio):
        anio, mes, dia = (int(g) for g in coincide.groups())
        return _fecha(anio, mes, dia, limpio)
    if coincide := _EN_PALABRAS.fullmatch(clave_nombre(limpio)):
        mes = numero_de_mes(coincide.group(2))
        if mes is not None:
            return _fecha(int(coincide.group(3)), mes, int(coincide.group(1)), limpio)
    raise ValueError(_("%(ejemplo)s; recibí «%(texto)s».") % {"ejemplo": ejemplo(), "texto": limpio})


def leer_mes_escrito(texto):
    """'03/2024', '2024-03' or 'marzo de 2024' → date(2024, 3, 1); ValueError with a sentence otherwise."""
    limpio = " ".join(str(texto or "").split())
    anio = mes = None
    if coincide := _MES_NUMERICO.fullmatch(limpio):
        mes, anio = (int(g) for g in coincide.groups())
    elif coincide := _MES_ISO.fullmatch(limpio):
        anio, mes = (int(g) for g in coincide.groups())
    elif coincide := _MES_EN_PALABRAS.fullmatch(clave_nombre(limpio)):
        mes, anio = numero_de_mes(coincide.group(1)), int(coincide.group(2))
    if mes is not None and 1 <= mes <= 12 and anio >= 1900:
        return datetime.date(anio, mes, 1)
    raise ValueError(_("%(ejemplo)s; recibí «%(texto)s».") % {"ejemplo": ejemplo_mes(), "texto": limpio})


class _EntradaDeTexto(forms.TextInput):
    """A text input that shows a date with ``formato`` and carries the pattern the browser checks."""

    formato = ""
    propios = {}

    def __init__(self, attrs=None):
        comunes = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__({**comunes, **self.propios, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(self.formato)
        return super().format_value(value)


class EntradaFecha(_EntradaDeTexto):
    """A text input for dd/mm/aaaa: never the browser's own date control, which follows its language."""

    formato = FORMATO
    propios = {
        "placeholder": gettext_lazy("dd/mm/aaaa"),
        "pattern": PATRON,
        "maxlength": 30,
        "data-fecha": "",
        "data-mensaje-patron": gettext_lazy(
            "Escriba la fecha como dd/mm/aaaa (día, mes y año), por ejemplo 31/03/2024."
        ),
    }


class EntradaMes(_EntradaDeTexto):
    formato = FORMATO_MES
    propios = {
        "placeholder": gettext_lazy("mm/aaaa"),
        "pattern": PATRON_MES,
        "maxlength": 20,
        "data-mensaje-patron": gettext_lazy("Escriba el mes como mm/aaaa (mes y año), por ejemplo 03/2024."),
    }


class FechaField(forms.DateField):
    """A date typed as dd/mm/aaaa (or the other ways leer_fecha reads), shown as dd/mm/aaaa.

    ``min_value`` and ``max_value`` (dates) go to the input as data-min and data-max, for the
    browser's check; the form still checks them (with its own sentence).
    """

    widget = EntradaFecha

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        super().__init__(**kwargs)
        self.limites(min_value, max_value)

    def limites(self, minimo=None, maximo=None):
        for nombre, valor in (("data-min", minimo), ("data-max", maximo)):
            if valor is None:
                self.widget.attrs.pop(nombre, None)
            else:
                self.widget.attrs[nombre] = valor.strftime(FORMATO)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return leer_fecha(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class MesField(forms.Field):
    """A month typed as mm/aaaa (or aaaa-mm, or in words), cleaned to its first day."""

    widget = EntradaMes

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return datetime.date(value.year, value.month, 1)
        try:
            return leer_mes_escrito(value)
        except ValueError as error:
            raise ValidationError(str(error), code="mes_invalido") from error

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(FORMATO_MES)
        return value
