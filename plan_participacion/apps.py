from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanParticipacionConfig(AppConfig):
    name = "plan_participacion"
    verbose_name = _("Plan de participación ciudadana")
    default_auto_field = "django.db.models.BigAutoField"
