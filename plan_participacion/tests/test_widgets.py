"""widgets.Select writes the markup Django's Select writes with its templates, byte for byte."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from plan_participacion import widgets

OPCIONES = [
    ("", gettext_lazy("Todos")),
    (1, "Salud & <Bienestar>"),
    (2, "Comillas \"dobles\" y 'simples'"),
    ("3", "Acentos: Línea de acción «uno»"),
    (4, 12345),
    ("Grupo <b>", [(5, "dentro"), (6, "también")]),
    (7, mark_safe("<em>ya segura</em>")),
]


@pytest.mark.parametrize("valor", [None, "", 1, "1", "3", 5, ["1", "6"], "no-existe"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"class": "form-select form-select-sm", "required": True, "disabled": False},
        {"aria-describedby": 'x"y', "data-valor": 0},
    ],
)
def test_igual_que_el_select_de_django(valor, attrs):
    django = forms.Select(attrs={"class": "x"}, choices=OPCIONES).render("campo<", valor, {"id": "id_campo", **attrs})
    nuestro = widgets.Select(attrs={"class": "x"}, choices=OPCIONES).render(
        "campo<", valor, {"id": "id_campo", **attrs}
    )
    assert nuestro == django


def test_un_campo_de_modelo_en_un_formulario(db, django_user_model):
    for nombre in ("ana", "beto&co"):
        django_user_model.objects.create(username=nombre)

    class Filtro(forms.Form):
        usuario = forms.ModelChoiceField(django_user_model.objects.order_by("username"), required=False)

    class FiltroRapido(forms.Form):
        usuario = forms.ModelChoiceField(
            django_user_model.objects.order_by("username"), required=False, widget=widgets.Select
        )

    elegido = django_user_model.objects.get(username="beto&co").pk
    assert str(FiltroRapido({"usuario": elegido})["usuario"]) == str(Filtro({"usuario": elegido})["usuario"])


def test_crispy_lo_dibuja_igual():
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    def formulario(widget):
        campo = forms.ChoiceField(choices=OPCIONES, widget=widget(attrs={"class": "form-select form-select-sm"}))
        return type("Filtro", (forms.Form,), {"campo": campo})({"campo": "no-existe"})

    django, nuestro = formulario(forms.Select), formulario(widgets.Select)
    django.is_valid(), nuestro.is_valid()
    assert as_crispy_field(nuestro["campo"]) == as_crispy_field(django["campo"])
