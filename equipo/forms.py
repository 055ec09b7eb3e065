"""Forms of the team pages: invite a delegate, change their secretariats, a comment on (de)activation."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from equipo.acciones import correo_en_uso
from plan_participacion.models import Secretaria


class SecretariasField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.nombre


def secretarias_de(entidad):
    return Secretaria.objects.de_entidad(entidad).filter(activa=True).order_by("nombre")


class SecretariasForm(forms.Form):
    secretarias = SecretariasField(
        label=_("Secretarías"),
        queryset=Secretaria.objects.none(),
        help_text=_("Reporta avances en nombre de las secretarías marcadas y ve sus metas."),
        error_messages={"required": _("Marque al menos una secretaría.")},
    )

    def __init__(self, *args, entidad, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretarias"].queryset = secretarias_de(entidad)


class InvitarForm(SecretariasForm):
    nombres = forms.CharField(label=_("Nombres"), max_length=150)
    apellidos = forms.CharField(label=_("Apellidos"), max_length=150)
    correo = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=150,
        help_text=_("Le llega un enlace para elegir su contraseña; el correo será su nombre de usuario."),
    )

    field_order = ["nombres", "apellidos", "correo", "secretarias"]

    def clean_correo(self):
        correo = self.cleaned_data["correo"].strip().lower()
        if correo_en_uso(correo):
            raise ValidationError(
                _("Ya existe una cuenta con ese correo. Si es de su entidad, búsquela en la lista del equipo."),
                code="existente",
            )
        return correo


class ComentarioForm(forms.Form):
    comentario = forms.CharField(label=_("Comentario (opcional)"), max_length=500, required=False)
