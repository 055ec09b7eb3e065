"""Forms of the browser import: the upload and the confirmation."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from plan_participacion.importer import ErrorImportacion
from plan_participacion.importer.leer import leer_bytes

TIPOS_ACEPTADOS = ".xlsx,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/plain"


class ImportarPlanForm(forms.Form):
    archivo = forms.FileField(
        label=_("Hoja de cálculo del cronograma"),
        help_text=_("Libro de Excel (.xlsx) o texto separado por tabulaciones (.tsv o .txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": TIPOS_ACEPTADOS}),
    )

    def clean_archivo(self):
        """The file's bytes within IMPORTADOR_MAX_BYTES, with the importer's own message otherwise."""
        archivo = self.cleaned_data["archivo"]
        try:
            self.cleaned_data["datos"], self.cleaned_data["nombre"] = leer_bytes(archivo, archivo.name)
        except ErrorImportacion as error:
            raise ValidationError(error.mensaje, code="archivo_invalido") from error
        return archivo

    @property
    def maximo(self):
        return settings.IMPORTADOR_MAX_BYTES


class ConfirmarImportacionForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Set when the preview showed a merge into an existing plan: confirming applies it. Without
    # it, a plan imported by someone else meanwhile brings the preview back instead.
    actualizar = forms.BooleanField(widget=forms.HiddenInput, required=False)
    usar_hoja = forms.BooleanField(
        label=_("Usar los valores de la hoja"),
        required=False,
        help_text=_(
            "Toma las cantidades, periodicidades y responsables de la hoja aunque se hayan editado en la aplicación."
        ),
    )
    aplicar_ciclo = forms.BooleanField(
        label=_("Etiquetar las estrategias con las fases sugeridas"),
        required=False,
        initial=True,
        help_text=_("Solo las estrategias que aún no tienen fases; después se cambian en «Fases del ciclo»."),
    )


class ObjetivoMetaForm(forms.Form):
    """The coordinator sets a meta's expected total, or goes back to the derived one; always with a reason."""

    objetivo = forms.IntegerField(
        label=_("Objetivo total"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Lo que se espera en todo el plan. Déjelo vacío para volver al calculado."),
    )
    motivo = forms.CharField(
        label=_("Motivo"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda en el historial de la meta, con su nombre y la fecha."),
    )

    def clean_motivo(self):
        motivo = " ".join(self.cleaned_data["motivo"].split())
        if len(motivo) < 10:
            raise ValidationError(_("Explique el motivo en una frase (al menos 10 caracteres)."), code="corto")
        return motivo
