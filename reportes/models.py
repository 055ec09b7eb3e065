"""Report jobs: one row per distinct report asked for, rendered by a task worker and kept as a file.

Identical requests (same kind, plan, corte and same data behind it: the
fingerprint ``huella``) share one row and one file; a new approval, a change to
the plan or to the semáforo gives another fingerprint, hence another job. The row
says where the job is (en cola → generando → listo, or falló), how far it got,
where its file is (a path in the private storage, local folder or S3 bucket) with
its size and SHA-256, who asked and when, and the error if it failed.
State changes are the functions of reportes.trabajos.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import AlcanceQuerySet, Plan


class InformeQuerySet(AlcanceQuerySet):
    ruta_entidad = "plan__entidad"

    def pendientes(self):
        return self.filter(estado__in=[Informe.Estado.EN_COLA, Informe.Estado.GENERANDO])

    def pedidos_por(self, usuario):
        return self.filter(solicitudes__usuario=usuario).distinct()


class Informe(models.Model):
    class Tipo(models.TextChoices):
        VERIFICACION = "verificacion", _("Informe de verificación")

    class Estado(models.TextChoices):
        EN_COLA = "en_cola", _("En cola")
        GENERANDO = "generando", _("Generando")
        LISTO = "listo", _("Listo")
        FALLO = "fallo", _("Falló")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="informes")
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    corte = models.DateField(_("fecha de corte"))
    huella = models.CharField(
        _("huella"), max_length=64, help_text=_("Resumen de todo lo que el informe muestra: otro dato, otro informe.")
    )
    evidencias = models.PositiveIntegerField(_("evidencias aprobadas"), default=0)
    estado = models.CharField(_("estado"), max_length=10, choices=Estado.choices, default=Estado.EN_COLA)
    progreso = models.PositiveSmallIntegerField(_("progreso (%)"), default=0)
    paginas = models.PositiveIntegerField(_("páginas"), null=True, blank=True)
    archivo = models.CharField(_("archivo"), max_length=200, blank=True)
    tamano = models.PositiveBigIntegerField(_("tamaño en bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    pedido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pedido por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pedido_en = models.DateTimeField(_("pedido en"))
    ultima_solicitud = models.DateTimeField(_("última solicitud"), db_index=True)
    iniciado_en = models.DateTimeField(_("iniciado en"), null=True, blank=True)
    terminado_en = models.DateTimeField(_("terminado en"), null=True, blank=True)
    intentos = models.PositiveSmallIntegerField(_("intentos"), default=0)
    tarea = models.CharField(
        _("tarea"), max_length=64, blank=True, help_text=_("Identificador de la tarea en la cola.")
    )
    error = models.TextField(_("error"), blank=True)

    objects = InformeQuerySet.as_manager()

    class Meta:
        verbose_name = _("informe")
        verbose_name_plural = _("informes")
        ordering = ["-ultima_solicitud", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["tipo", "huella"], name="informe_unico_por_huella"),
            models.CheckConstraint(condition=Q(progreso__lte=100), name="informe_progreso_hasta_100"),
        ]
        indexes = [models.Index(fields=["estado", "ultima_solicitud"], name="informe_estado_solicitud")]

    def __str__(self):
        return _("%(tipo)s · %(plan)s · corte %(corte)s") % {
            "tipo": self.get_tipo_display(),
            "plan": self.plan,
            "corte": self.corte.isoformat(),
        }

    def get_absolute_url(self):
        return reverse("informe_detalle", args=[self.pk])

    @property
    def pendiente(self):
        return self.estado in (self.Estado.EN_COLA, self.Estado.GENERANDO)


class SolicitudInforme(models.Model):
    """Who asked for a report, and when they last did (several people may share one job)."""

    informe = models.ForeignKey(
        Informe, verbose_name=_("informe"), on_delete=models.CASCADE, related_name="solicitudes"
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="+"
    )
    pedida_en = models.DateTimeField(_("pedida en"))

    class Meta:
        verbose_name = _("solicitud de informe")
        verbose_name_plural = _("solicitudes de informes")
        constraints = [models.UniqueConstraint(fields=["informe", "usuario"], name="solicitud_unica_por_usuario")]

    def __str__(self):
        return f"{self.usuario} · {self.informe}"
