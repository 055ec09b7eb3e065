"""The task workers (``manage.py db_worker`` processes) as their heartbeat shows them.

django-tasks-db 0.13 keeps no record of its workers: a worker killed by the OOM
killer, a deploy or ``kill -9`` leaves its task RUNNING forever. Each worker
started through our ``db_worker`` (trabajadores/management/commands/db_worker.py)
keeps one row here up to date; the reaper (trabajadores.vigilancia) and /salud/
read them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrabajadorQuerySet(models.QuerySet):
    def vivos(self, ahora=None):
        """Workers whose heartbeat is more recent than TRABAJADORES_AUSENCIA seconds."""
        ahora = ahora or timezone.now()
        return self.filter(visto__gte=ahora - timedelta(seconds=settings.TRABAJADORES_AUSENCIA))

    def de_cola(self, cola):
        """Workers that take tasks from this queue (``db_worker --queue-name '*'`` takes them all)."""
        return [t for t in self if cola in t.lista_colas() or "*" in t.lista_colas()]


class Trabajador(models.Model):
    worker_id = models.CharField(_("identificador"), max_length=64, unique=True)
    colas = models.CharField(_("colas"), max_length=200, help_text=_("Separadas por comas; «*»: todas."))
    servidor = models.CharField(_("servidor"), max_length=200)
    pid = models.PositiveIntegerField(_("proceso"))
    iniciado = models.DateTimeField(_("iniciado"))
    visto = models.DateTimeField(_("último latido"), db_index=True)

    objects = TrabajadorQuerySet.as_manager()

    class Meta:
        verbose_name = _("trabajador")
        verbose_name_plural = _("trabajadores")
        ordering = ["colas", "servidor", "pid"]

    def __str__(self):
        return f"{self.colas} · {self.servidor}:{self.pid}"

    def lista_colas(self):
        return [c.strip() for c in self.colas.split(",") if c.strip()]
