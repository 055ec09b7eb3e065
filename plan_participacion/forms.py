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
    reemplazar = forms.BooleanField(label=_("Reemplazar el plan existente"), required=False)
