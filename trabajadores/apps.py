from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrabajadoresConfig(AppConfig):
    name = "trabajadores"
    verbose_name = _("Trabajadores en segundo plano")
