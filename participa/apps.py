from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participa"
    verbose_name = _("Menú Participa")
