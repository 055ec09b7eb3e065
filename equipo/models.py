"""The coordinator's team: who may report for the entidad, and the audit trail of every change to it.

People are Django users; their entidad is plan_participacion.Membresia and their secretariats
Secretaria.delegados. What the coordination did to them (invited, changed their secretariats,
deactivated, unlocked…) is one CambioEquipo row each, written by equipo.acciones.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Entidad

# Roles that manage the team rather than belong to it.
GRUPOS_QUE_GESTIONAN = ["Coordinador", "Administrador"]


def delegados_de(entidad):
    """The people this entidad's coordination manages: its delegates (not coordinators, staff or superusers)."""
    return (
        get_user_model()
        .objects.filter(membresia__entidad=entidad, is_superuser=False, is_staff=False)
        .filter(Q(groups__name="Delegado") | Q(secretarias__isnull=False))
        .exclude(groups__name__in=GRUPOS_QUE_GESTIONAN)
        .distinct()
    )


class CambioEquipo(models.Model):
    """One change to the team: who did what to whom, when, and the secretariats before and after."""

    class Accion(models.TextChoices):
        INVITACION = "invitacion", _("Invitó")
        REENVIO = "reenvio", _("Reenvió la invitación")
        ACTIVACION = "activacion", _("Activó su cuenta")
        SECRETARIAS = "secretarias", _("Cambió las secretarías")
        DESACTIVACION = "desactivacion", _("Desactivó")
        REACTIVACION = "reactivacion", _("Reactivó")
        DESBLOQUEO = "desbloqueo", _("Desbloqueó el inicio de sesión")

    entidad = models.ForeignKey(Entidad, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="+")
    persona = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="cambios_de_equipo",
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autor"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Quien hizo el cambio (la persona misma al activar su cuenta)."),
    )
    fecha = models.DateTimeField(_("fecha"), default=timezone.now, db_index=True)
    accion = models.CharField(_("acción"), max_length=15, choices=Accion.choices)
    secretarias_antes = models.JSONField(_("secretarías antes"), default=list, blank=True)
    secretarias_despues = models.JSONField(_("secretarías después"), default=list, blank=True)
    comentario = models.TextField(_("comentario"), blank=True)

    class Meta:
        verbose_name = _("cambio del equipo")
        verbose_name_plural = _("cambios del equipo")
        ordering = ["-fecha", "-pk"]
        permissions = [("gestionar_equipo", _("Puede invitar y gestionar a los delegados de su entidad"))]
        indexes = [models.Index(fields=["entidad", "-fecha"], name="cambioequipo_entidad_fecha")]

    def __str__(self):
        return f"{self.get_accion_display()} · {self.persona} · {timezone.localtime(self.fecha):%Y-%m-%d %H:%M}"

    def secretarias_agregadas(self):
        return [s for s in self.secretarias_despues if s not in self.secretarias_antes]

    def secretarias_quitadas(self):
        return [s for s in self.secretarias_antes if s not in self.secretarias_despues]
