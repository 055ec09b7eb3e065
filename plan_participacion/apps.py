from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanParticipacionConfig(AppConfig):
    name = "plan_participacion"
    verbose_name = _("Plan de participación ciudadana")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from plan_participacion.sesiones import al_entrar

        user_logged_in.connect(al_entrar, dispatch_uid="sesion_renovada_al_entrar")
