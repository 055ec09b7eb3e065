"""campo_filtro draws a filter's field as crispy-forms' |as_crispy_field does (same elements and attributes)."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from seguimiento import auditoria
from seguimiento.forms_tablero import FiltroAuditoriaForm, FiltroRevisionForm
from seguimiento.templatetags.campos_html import campo_filtro


def normalizado(html):
    """The markup without the blank space crispy's template leaves between elements and inside the label."""
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


def igual_que_crispy(formulario):
    formulario.is_valid()
    for nombre in formulario.fields:
        nuestro = normalizado(campo_filtro(formulario[nombre]))
        assert nuestro == normalizado(as_crispy_field(formulario[nombre])), nombre
        assert nuestro.startswith(f'<div id="div_id_{nombre}" class="mb-3">')


@pytest.mark.parametrize(
    "datos",
    [
        {},
        {"mes": "03/2024", "secretaria": "x"},
        {"mes": "marzo", "estrategia": "999999", "plan": "0"},
    ],
)
def test_la_cola(coordinador, plan_pequeno, salud, datos):
    igual_que_crispy(FiltroRevisionForm(datos, usuario=coordinador))
    igual_que_crispy(
        FiltroRevisionForm({**datos, "secretaria": str(salud.pk), "plan": str(plan_pequeno.pk)}, usuario=coordinador)
    )


@pytest.mark.parametrize(
    "datos",
    [
        {},
        {"tipo": "evidencia", "desde": "01/03/2024", "hasta": "31/03/2024"},
        {"tipo": "no-existe", "usuario": "0", "desde": "zz", "hasta": "01/01/2020"},
        {"desde": "02/03/2024", "hasta": "01/03/2024"},
    ],
)
def test_la_auditoria(coordinador, delegada_salud, datos):
    igual_que_crispy(FiltroAuditoriaForm(datos, usuario=coordinador, tipos=auditoria.tipos()))
    igual_que_crispy(FiltroAuditoriaForm({**datos, "usuario": str(delegada_salud.pk)}, usuario=coordinador, tipos=[]))


def test_un_campo_obligatorio_con_ayuda():
    class Formulario(forms.Form):
        nombre = forms.CharField(label="Nombre <y> apellido", help_text="Como en la cédula.")
        elegir = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select(attrs={"class": "form-select"}))

    igual_que_crispy(Formulario({}))
    igual_que_crispy(Formulario({"nombre": "Ana", "elegir": "a"}))


def test_lo_demas_lo_dibuja_crispy():
    class Formulario(forms.Form):
        acepto = forms.BooleanField()
        oculto = forms.CharField(widget=forms.HiddenInput)

    formulario = Formulario({})
    formulario.is_valid()
    for nombre in formulario.fields:
        assert campo_filtro(formulario[nombre]) == as_crispy_field(formulario[nombre])
