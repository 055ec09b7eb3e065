"""Dates typed as people in Colombia write them, and shown as dd/mm/aaaa, whatever the browser's language."""

import datetime

import pytest
from django import forms

from seguimiento.campos_fecha import FechaField, MesField, leer_fecha, leer_mes_escrito

MARZO_31 = datetime.date(2024, 3, 31)


@pytest.mark.parametrize(
    "texto",
    [
        "31/03/2024",
        " 31/3/2024 ",
        "31-03-2024",
        "31.03.2024",
        "31032024",  # a phone's numeric keyboard has no "/"
        "2024-03-31",  # links and bookmarks: /reportes/avance.pdf?corte=2024-03-31
        "31 de marzo de 2024",
        "31 Marzo 2024",
        "31 mar. 2024",
    ],
)
def test_lee_la_fecha_como_se_escribe(texto):
    assert leer_fecha(texto) == MARZO_31


def test_el_dia_va_primero():
    assert leer_fecha("01/02/2024") == datetime.date(2024, 2, 1)


@pytest.mark.parametrize(
    ("texto", "mensaje"),
    [
        ("31/02/2024", "«31/02/2024» no existe: febrero de 2024 tiene 29 días."),
        ("29/02/2023", "«29/02/2023» no existe: febrero de 2023 tiene 28 días."),
        ("03/31/2024", "«03/31/2024»: no hay mes 31. Escriba la fecha como dd/mm/aaaa (día, mes y año)"),
        ("mañana", "Escriba la fecha como dd/mm/aaaa (día, mes y año), por ejemplo 31/03/2024; recibí «mañana»."),
        ("31/03/24", "recibí «31/03/24»"),
        ("31 de marzuelo de 2024", "Escriba la fecha como dd/mm/aaaa"),
        ("01/01/0999", "revise el año"),
    ],
)
def test_una_fecha_mal_escrita_se_explica(texto, mensaje):
    with pytest.raises(ValueError, match=mensaje.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        leer_fecha(texto)


@pytest.mark.parametrize("texto", ["03/2024", "3/2024", "2024-03", "marzo de 2024", "Mar 2024"])
def test_lee_el_mes(texto):
    assert leer_mes_escrito(texto) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("texto", ["13/2024", "2024-3x", "marzo"])
def test_un_mes_mal_escrito_se_explica(texto):
    with pytest.raises(ValueError, match="Escriba el mes como mm/aaaa"):
        leer_mes_escrito(texto)


class Formulario(forms.Form):
    fecha = FechaField(label="Fecha", min_value=datetime.date(2024, 1, 1), max_value=MARZO_31)
    mes = MesField(label="Mes", required=False)


def test_el_campo_es_texto_con_patron_y_muestra_dd_mm_aaaa():
    html = str(Formulario(initial={"fecha": MARZO_31, "mes": datetime.date(2024, 3, 1)}))
    assert 'type="text"' in html and 'type="date"' not in html and 'type="month"' not in html
    assert 'value="31/03/2024"' in html and 'value="03/2024"' in html
    assert 'placeholder="dd/mm/aaaa"' in html and 'placeholder="mm/aaaa"' in html
    assert 'data-min="01/01/2024"' in html and 'data-max="31/03/2024"' in html
    assert 'data-mensaje-patron="Escriba la fecha como dd/mm/aaaa' in html
    assert 'inputmode="numeric"' in html


def test_el_patron_del_navegador_acepta_lo_mismo_que_el_servidor_en_cifras():
    import re

    patron = re.compile(Formulario().fields["fecha"].widget.attrs["pattern"].replace("\\/", "/").replace("\\-", "-"))
    for texto in ["31/03/2024", "1/3/2024", "31-03-2024", "31032024", "2024-03-31"]:
        assert patron.fullmatch(texto), texto
        leer_fecha(texto)
    assert not patron.fullmatch("03/31/24")


def test_el_formulario_limpia_la_fecha():
    form = Formulario({"fecha": "15/03/2024", "mes": "02/2024"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"fecha": datetime.date(2024, 3, 15), "mes": datetime.date(2024, 2, 1)}
    form = Formulario({"fecha": "15/15/2024"})
    assert not form.is_valid()
    assert "no hay mes 15" in form.errors["fecha"][0]
