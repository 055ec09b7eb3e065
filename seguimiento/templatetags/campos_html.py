"""A filter's field (label, input, errors) as crispy-forms' Bootstrap 5 pack draws it, built in Python.

``{{ campo|as_crispy_field }}`` renders bootstrap5/field.html, a template of some eighty nodes, for
each field: about a millisecond per field, five per page of the review queue and four of the audit
trail, more than all their rows. For the fields the filters use (a select or a text input: no
checkbox, file, radio or hidden input, no helper) ``campo_filtro`` writes the same elements and
attributes: the wrapper ``div_<id>``, the label (with the required mark), the widget with the classes
crispy adds (the widget's class name, form-select or form-control, is-invalid), the errors in an
``invalid-feedback`` block and the help text; only the blank lines between them are not repeated.
Any other field is left to crispy. ``seguimiento/tests/test_campos_html.py`` compares both.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _clases(campo, widget):
    """The widget's classes as crispy_field leaves them (crispy_forms.templatetags.crispy_forms_field)."""
    nombre = widget.__class__.__name__.lower()
    nombre = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(nombre, nombre)
    clases = widget.attrs.get("class", "")
    if not clases:
        clases = nombre
    elif clases.find(nombre) == -1:
        clases += f" {nombre}"
    agregar = "form-select" if isinstance(widget, forms.Select) else "form-control"
    for clase in (agregar, "is-invalid") if campo.errors else (agregar,):
        if clase not in clases.split():
            clases += f" {clase}"
    return clases


def _propio(campo):
    """Whether crispy would draw the field through the plain branch of bootstrap5/field.html."""
    widget = campo.field.widget
    if getattr(campo.form, "helper", None) is not None or campo.is_hidden or campo.use_fieldset:
        return False
    if hasattr(widget, "widgets") or hasattr(widget, "widget"):  # MultiWidget and wrappers
        return False
    if isinstance(widget, forms.Select):
        return not widget.allow_multiple_selected
    return isinstance(widget, Input) and not isinstance(widget, (forms.FileInput, forms.CheckboxInput))


@register.simple_tag
def campo_filtro(campo):
    """``{{ campo|as_crispy_field }}``, written in Python for a select or a text input."""
    if not _propio(campo):
        return as_crispy_field(campo)
    widget = campo.field.widget
    requerido = campo.field.required
    partes = [f'<div id="div_{conditional_escape(campo.auto_id)}" class="mb-3']
    if campo.css_classes():
        partes.append(f" {conditional_escape(campo.css_classes())}")
    partes.append('">')
    if campo.label:
        para = f'for="{conditional_escape(campo.id_for_label)}" ' if campo.id_for_label else ""
        clase, marca = (" requiredField", '<span class="asteriskField">*</span>') if requerido else ("", "")
        partes.append(f'<label {para}class="form-label{clase}">{conditional_escape(campo.label)}{marca}</label>')
    partes.append(campo.as_widget(attrs={"class": _clases(campo, widget)}))
    if campo.errors:
        errores = campo.errors
        id_errores = conditional_escape(getattr(errores, "field_id", ""))
        partes.append(f'<div id="{id_errores}_error" class="invalid-feedback">')
        partes.extend(
            f'<p id="error_{n}_{conditional_escape(campo.auto_id)}"><strong>{conditional_escape(error)}</strong></p>'
            for n, error in enumerate(errores, start=1)
        )
        partes.append("</div>")
    if campo.help_text:
        ayuda = f'id="{conditional_escape(campo.auto_id)}_helptext" ' if campo.auto_id else ""
        partes.append(f'<div {ayuda}class="form-text">{campo.help_text}</div>')  # |safe, as crispy
    partes.append("</div>")
    return mark_safe("".join(partes))
