"""The plan as the municipality writes it: Plan → Línea → Objetivo → Estrategia → Meta → Indicador.

The monthly schedule belongs to the strategy (one row per strategy in the
sheet), and each strategy names the secretariats responsible for it.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def clave_nombre(texto):
    """Comparison key for names written several ways in the sheet.

    Accents, case, punctuation and spacing do not tell two secretariats apart
    ("Secretaria de Salud publica" is "Secretaría de Salud Pública").
    """
    sin_tildes = "".join(c for c in unicodedata.normalize("NFKD", texto or "") if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", sin_tildes.lower()).strip()


def primer_dia(fecha):
    return datetime.date(fecha.year, fecha.month, 1)


def sumar_meses(mes, n):
    indice = mes.year * 12 + (mes.month - 1) + n
    return datetime.date(indice // 12, indice % 12 + 1, 1)


def ultimo_dia(mes):
    """Last day of the month of a date."""
    return sumar_meses(primer_dia(mes), 1) - datetime.timedelta(days=1)


def historial(nombre, **opciones):
    """Who changed what and when (django-simple-history), with Spanish names for the admin and /auditoria/."""
    return HistoricalRecords(
        verbose_name=format_lazy(_("historial de {}"), nombre),
        verbose_name_plural=format_lazy(_("historial de {}"), nombre),
        **opciones,
    )


def meses_entre(inicio, fin):
    """First days of every month from inicio to fin, both included."""
    meses = []
    mes = primer_dia(inicio)
    while mes <= fin:
        meses.append(mes)
        mes = sumar_meses(mes, 1)
    return meses


class Secretaria(models.Model):
    nombre = models.CharField(_("nombre"), max_length=200, unique=True)
    clave = models.CharField(_("clave de comparación"), max_length=200, unique=True, editable=False)
    sigla = models.CharField(_("sigla"), max_length=20, blank=True)
    activa = models.BooleanField(_("activa"), default=True)
    delegados = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegados"),
        related_name="secretarias",
        blank=True,
        help_text=_("Personas que reportan avances en nombre de esta secretaría."),
    )

    history = historial(_("secretaría"))

    class Meta:
        verbose_name = _("secretaría")
        verbose_name_plural = _("secretarías")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre

    def save(self, *args, **kwargs):
        self.clave = clave_nombre(self.nombre)
        super().save(*args, **kwargs)


class SecretariaAlias(models.Model):
    """A spelling of a secretariat seen in a sheet ("Secretaria de Transito")."""

    secretaria = models.ForeignKey(
        Secretaria, verbose_name=_("secretaría"), on_delete=models.CASCADE, related_name="alias"
    )
    nombre = models.CharField(_("escritura"), max_length=200)
    clave = models.CharField(_("clave de comparación"), max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("alias de secretaría")
        verbose_name_plural = _("alias de secretaría")
        ordering = ["nombre"]

    def __str__(self):
        return self.nombre

    def save(self, *args, **kwargs):
        self.clave = clave_nombre(self.nombre)
        super().save(*args, **kwargs)


class PlanQuerySet(models.QuerySet):
    def vigente(self):
        """The plan people mean when they name none: the most recent one."""
        return self.order_by("-mes_inicio", "-pk").first()


class Plan(models.Model):
    municipio = models.CharField(_("municipio"), max_length=120)
    titulo = models.CharField(_("título"), max_length=300)
    politica = models.CharField(_("política"), max_length=300, blank=True)
    codigo_formato = models.CharField(_("código del formato"), max_length=50, blank=True)
    version = models.CharField(_("versión"), max_length=20, blank=True)
    fecha_formato = models.DateField(_("fecha del formato"), null=True, blank=True)
    elaboro = models.CharField(_("elaboró"), max_length=300, blank=True)
    reviso = models.CharField(_("revisó"), max_length=300, blank=True)
    aprobo = models.CharField(_("aprobó"), max_length=300, blank=True)
    fecha_aprobacion = models.DateField(_("fecha de aprobación"), null=True, blank=True)
    mes_inicio = models.DateField(_("mes de inicio"), help_text=_("Primer día del primer mes del cronograma."))
    mes_fin = models.DateField(_("mes final"), help_text=_("Primer día del último mes del cronograma."))
    archivo_origen = models.CharField(_("archivo de origen"), max_length=255, blank=True)
    importado_en = models.DateTimeField(_("importado en"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    history = historial(_("plan"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planes")
        ordering = ["-mes_inicio", "municipio"]
        permissions = [
            ("importar_plan", _("Puede importar el cronograma desde Excel")),
            ("ver_auditoria", _("Puede ver la auditoría de cambios del plan y de las evidencias")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipio", "mes_inicio", "mes_fin"], name="plan_unico_por_periodo"),
            models.CheckConstraint(condition=Q(mes_inicio__lte=models.F("mes_fin")), name="plan_periodo_ordenado"),
        ]

    def __str__(self):
        return _("%(municipio)s, %(inicio)s – %(fin)s") % {
            "municipio": self.municipio,
            "inicio": formats.date_format(self.mes_inicio, "M Y"),
            "fin": formats.date_format(self.mes_fin, "M Y"),
        }

    def get_absolute_url(self):
        return reverse("plan_detalle", args=[self.pk])

    def meses(self):
        return meses_entre(self.mes_inicio, self.mes_fin)

    def estrategias(self):
        return Estrategia.objects.filter(objetivo__linea__plan=self)

    def metas(self):
        return Meta.objects.filter(estrategia__objetivo__linea__plan=self)


class LineaAccion(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lineas")
    numero = models.PositiveSmallIntegerField(_("número"))
    nombre = models.TextField(_("nombre"))

    history = historial(_("línea de acción"))

    class Meta:
        verbose_name = _("línea de acción")
        verbose_name_plural = _("líneas de acción")
        ordering = ["plan", "numero"]
        constraints = [models.UniqueConstraint(fields=["plan", "numero"], name="linea_unica_por_plan")]

    def __str__(self):
        return self.nombre


class Objetivo(models.Model):
    linea = models.ForeignKey(
        LineaAccion, verbose_name=_("línea de acción"), on_delete=models.CASCADE, related_name="objetivos"
    )
    numero = models.PositiveSmallIntegerField(_("orden"), default=1)
    texto = models.TextField(_("texto"))

    history = historial(_("objetivo"))

    class Meta:
        verbose_name = _("objetivo")
        verbose_name_plural = _("objetivos")
        ordering = ["linea", "numero"]

    def __str__(self):
        return self.texto


class Estrategia(models.Model):
    objetivo = models.ForeignKey(
        Objetivo, verbose_name=_("objetivo"), on_delete=models.CASCADE, related_name="estrategias"
    )
    numero = models.PositiveSmallIntegerField(_("número"))
    texto = models.TextField(_("texto"))
    medios_verificacion = models.TextField(_("medios de verificación"), blank=True)
    fortalezas = models.TextField(_("fortalezas"), blank=True)
    debilidades = models.TextField(_("debilidades"), blank=True)
    responsables = models.ManyToManyField(
        Secretaria, verbose_name=_("responsables"), related_name="estrategias", blank=True
    )

    history = historial(_("estrategia"), m2m_fields=["responsables"])

    class Meta:
        verbose_name = _("estrategia")
        verbose_name_plural = _("estrategias")
        ordering = ["objetivo__linea__plan", "numero"]

    def __str__(self):
        return f"{self.numero}. {self.texto}"

    def total_programado(self):
        return self.programacion.aggregate(total=Sum("cantidad"))["total"] or 0


class Meta(models.Model):
    class Periodicidad(models.TextChoices):
        UNICA = "unica", _("Única")
        ANUAL = "anual", _("Anual")
        SEMESTRAL = "semestral", _("Semestral")
        TRIMESTRAL = "trimestral", _("Trimestral")
        MENSUAL = "mensual", _("Mensual")

    estrategia = models.ForeignKey(
        Estrategia, verbose_name=_("estrategia"), on_delete=models.CASCADE, related_name="metas"
    )
    codigo = models.CharField(_("código"), max_length=20, help_text=_("Como en la hoja: 1.1, 1.2 …"))
    orden = models.PositiveSmallIntegerField(_("orden"), default=1)
    texto = models.TextField(_("texto"))
    cantidad_objetivo = models.PositiveIntegerField(_("cantidad objetivo"), default=1)
    periodicidad = models.CharField(
        _("periodicidad"), max_length=12, choices=Periodicidad.choices, default=Periodicidad.UNICA
    )
    por_secretaria = models.BooleanField(
        _("por secretaría"),
        default=False,
        help_text=_("La meta aplica a cada secretaría responsable («de cada secretaría»)."),
    )

    history = historial(_("meta"))

    class Meta:
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        ordering = ["estrategia", "orden"]
        constraints = [
            models.UniqueConstraint(fields=["estrategia", "codigo"], name="meta_codigo_unico"),
            models.CheckConstraint(condition=Q(cantidad_objetivo__gte=1), name="meta_objetivo_positivo"),
        ]

    def __str__(self):
        return f"{self.codigo}. {self.texto}"


class Indicador(models.Model):
    meta = models.ForeignKey(
        "plan_participacion.Meta", verbose_name=_("meta"), on_delete=models.CASCADE, related_name="indicadores"
    )
    codigo = models.CharField(_("código"), max_length=20)
    texto = models.TextField(_("texto"))

    history = historial(_("indicador"))

    class Meta:
        verbose_name = _("indicador de cumplimiento")
        verbose_name_plural = _("indicadores de cumplimiento")
        ordering = ["meta", "codigo"]
        constraints = [models.UniqueConstraint(fields=["meta", "codigo"], name="indicador_codigo_unico")]

    def __str__(self):
        return f"{self.codigo}. {self.texto}"


class ProgramacionMensual(models.Model):
    estrategia = models.ForeignKey(
        Estrategia, verbose_name=_("estrategia"), on_delete=models.CASCADE, related_name="programacion"
    )
    mes = models.DateField(_("mes"), help_text=_("Primer día del mes."))
    cantidad = models.PositiveIntegerField(_("actividades programadas"))

    history = historial(_("programación mensual"))

    class Meta:
        verbose_name = _("programación mensual")
        verbose_name_plural = _("programación mensual")
        ordering = ["estrategia", "mes"]
        constraints = [
            models.UniqueConstraint(fields=["estrategia", "mes"], name="programacion_unica_por_mes"),
            models.CheckConstraint(condition=Q(cantidad__gte=1), name="programacion_positiva"),
            models.CheckConstraint(condition=Q(mes__day=1), name="programacion_primer_dia"),
        ]

    def __str__(self):
        return f"{self.estrategia.numero} · {formats.date_format(self.mes, 'M Y')}: {self.cantidad}"
