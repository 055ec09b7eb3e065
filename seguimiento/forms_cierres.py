"""Forms of the closing page: which plan, close up to a date (with an optional note), reopen (with a reason)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Plan
from seguimiento.campos_fecha import EntradaFecha, FechaField

MAX_TEXTO = 2000


class PlanCierreForm(forms.Form):
    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        label=_("Plan"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("No existe ese plan: elija uno de la lista.")},
    )

    def __init__(self, *args, usuario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.visible_para(usuario)


class CierreForm(PlanCierreForm):
    hasta = FechaField(
        label=_("Cerrar hasta (incluido)"),
        widget=EntradaFecha(attrs={"class": "form-control"}),
        help_text=_(
            "Normalmente el último día de un mes. Las evidencias con fecha de actividad hasta ese día se congelan."
        ),
        error_messages={"required": _("Escriba la fecha hasta la que se cierra el periodo, como dd/mm/aaaa.")},
    )
    motivo = forms.CharField(
        label=_("Observación (opcional)"),
        required=False,
        max_length=MAX_TEXTO,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("Por ejemplo, el acta del comité que aprobó el informe. Queda en la auditoría."),
    )


class ReaperturaForm(PlanCierreForm):
    motivo = forms.CharField(
        label=_("Motivo de la reapertura"),
        max_length=MAX_TEXTO,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Obligatorio: queda en la auditoría junto con su nombre y la fecha."),
        error_messages={"required": _("Escriba el motivo de la reapertura: queda en la auditoría.")},
    )

    def clean_motivo(self):
        motivo = self.cleaned_data["motivo"].strip()
        if not motivo:
            raise forms.ValidationError(self.fields["motivo"].error_messages["required"], code="required")
        return motivo
