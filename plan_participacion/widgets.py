"""Form widgets shared by the apps.

``Select`` is Django's ``forms.Select`` with its markup written in Python (same name on purpose: crispy-forms
adds the widget's class name, lowercased, to its CSS classes unless they already contain it, as
"form-select" contains "select"). The stock widget renders
``django/forms/widgets/select.html``, which includes ``select_option.html`` and ``attrs.html`` once per
option: a filter offering the 80 people of an entidad, or 40 secretarías and 60 strategies, spent more
template work on its options than the rest of the page on its rows. The options, their attributes and
their escaping are the same (``plan_participacion/tests/test_widgets.py`` compares both, byte for byte).
"""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _atributos(attrs):
    """What ``django/forms/widgets/attrs.html`` writes: ` name="value"`, ` name` for True, nothing for False."""
    partes = []
    for nombre, valor in attrs.items():
        if valor is False:
            continue
        partes.append(f" {conditional_escape(nombre)}")
        if valor is not True:
            partes.append(f'="{conditional_escape(str(valor))}"')
    return "".join(partes)


class Select(forms.Select):
    """A ``<select>`` with the markup of ``django/forms/widgets/select.html``, built without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        partes = [f'<select name="{conditional_escape(widget["name"])}"{_atributos(widget["attrs"])}>']
        for grupo, opciones, _indice in widget["optgroups"]:
            if grupo:
                partes.append(f'\n  <optgroup label="{conditional_escape(grupo)}">')
            partes.extend(
                f'\n  <option value="{conditional_escape(str(opcion["value"]))}"{_atributos(opcion["attrs"])}>'
                f"{conditional_escape(localize(opcion['label']))}</option>\n"
                for opcion in opciones
            )
            if grupo:
                partes.append("\n  </optgroup>")
        partes.append("\n</select>")
        return mark_safe("".join(partes))
