"""Which plan and corte a report is about: the dashboard's rules, without its month field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Plan
from seguimiento.campos_fecha import EntradaFecha, FechaField
from seguimiento.forms_tablero import TableroForm


class ReporteForm(TableroForm):
    """``plan`` (id; blank: the latest plan) and ``corte`` (dd/mm/aaaa as typed, AAAA-MM-DD in bookmarked
    links; blank: corte_por_defecto).

    A corte outside the plan's period is an error, as on the dashboard.
    """

    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        required=False,
        label=_("Plan"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("No existe el plan «%(value)s»: elija uno de la lista.")},
    )
    corte = FechaField(
        required=False,
        label=_("Fecha de corte"),
        widget=EntradaFecha(attrs={"class": "form-control"}),
        help_text=_("Cuentan las evidencias aprobadas con fecha de actividad hasta este día. En blanco: hoy."),
    )
    mes = None
