from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EquipoConfig(AppConfig):
    name = "equipo"
    verbose_name = _("Equipo")
    default_auto_field = "django.db.models.BigAutoField"
