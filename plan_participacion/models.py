"""The plan as the municipality writes it: Plan → Línea → Objetivo → Estrategia → Meta → Indicador.

The monthly schedule belongs to the strategy (one row per strategy in the
sheet), and each strategy names the secretariats responsible for it.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Q, Sum, Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plan_participacion import ciclo


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


# "Municipio de", "Alcaldía municipal de" … say what kind of entity it is, not which one.
PREFIJOS_DE_ENTIDAD = re.compile(
    r"^(?:municipio|alcaldia(?: municipal)?|distrito(?: especial)?|gobernacion|departamento)(?: del?)? "
)


def clave_entidad(nombre):
    """Comparison key of an entity's name: "Alcaldía Municipal de Candelaria" and "MUNICIPIO DE CANDELARIA"
    are the same entity ("candelaria")."""
    clave = clave_nombre(nombre)
    return PREFIJOS_DE_ENTIDAD.sub("", clave) or clave


def es_administrador(user):
    """Superusers and the "Administrador" group see and manage every entity."""
    return user.is_authenticated and user.has_perm("plan_participacion.administrar_entidades")


def entidad_de(user):
    """The user's Entidad, or None (anonymous, or nobody assigned it yet). Cached on the user object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_entidad"):
        membresia = Membresia.objects.filter(usuario_id=user.pk).select_related("entidad").first()
        user._entidad = membresia.entidad if membresia else None
    return user._entidad


class AlcanceQuerySet(models.QuerySet):
    """Scoping of every model of the plan by entity; ruta_entidad is the lookup from the model to it."""

    ruta_entidad = "entidad"

    def de_entidad(self, entidad):
        if entidad is None:
            return self.none()
        return self.filter(**{self.ruta_entidad: entidad.pk})

    def visible_para(self, user):
        """What a person may see: their entity's rows; administrators everything; anonymous nothing."""
        if not user.is_authenticated:
            return self.none()
        if es_administrador(user):
            return self
        return self.de_entidad(entidad_de(user))


class EntidadQuerySet(AlcanceQuerySet):
    ruta_entidad = "pk"

    def llamadas(self, nombre):
        """Entities whose name is this one however it is written (see clave_entidad)."""
        return self.filter(clave=clave_entidad(nombre))


class Entidad(models.Model):
    """The public entity (municipio, gobernación…) that owns plans, secretarías and people."""

    nombre = models.CharField(
        _("nombre"),
        max_length=200,
        unique=True,
        help_text=_("Como lo escribe la hoja del plan, p. ej. «Municipio de Candelaria»."),
    )
    clave = models.CharField(_("clave de comparación"), max_length=200, editable=False, db_index=True)
    codigo_dane = models.CharField(
        _("código DANE"),
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{2}(?:\d{3})?$", _("Escriba el código DIVIPOLA: 2 dígitos (departamento) o 5 (municipio).")
            )
        ],
        help_text=_("Código DIVIPOLA del DANE, opcional: 76130 para Candelaria (Valle del Cauca)."),
    )
    nit = models.CharField(
        _("NIT"),
        max_length=15,
        blank=True,
        validators=[
            RegexValidator(
                r"^\d{6,10}(?:-\d)?$",
                _("Escriba el NIT con solo dígitos y, si quiere, el dígito de verificación: 891380033-9."),
            )
        ],
        help_text=_("Opcional, p. ej. 891380033-9."),
    )

    objects = EntidadQuerySet.as_manager()

    history = historial(_("entidad"))

    class Meta:
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")
        ordering = ["nombre"]
        permissions = [("administrar_entidades", _("Puede administrar todas las entidades y sus planes"))]
        constraints = [
            models.UniqueConstraint(fields=["codigo_dane"], condition=~Q(codigo_dane=""), name="entidad_dane_unico"),
        ]

    def __str__(self):
        return self.nombre

    def save(self, *args, **kwargs):
        self.clave = clave_entidad(self.nombre)
        super().save(*args, **kwargs)


class Membresia(models.Model):
    """The entity a person works for: what they may see and, for a coordinator, where they import."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="membresia"
    )
    entidad = models.ForeignKey(Entidad, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="membresias")

    objects = AlcanceQuerySet.as_manager()

    history = historial(_("pertenencia a entidad"))

    class Meta:
        verbose_name = _("pertenencia a entidad")
        verbose_name_plural = _("pertenencias a entidades")

    def __str__(self):
        return f"{self.usuario} · {self.entidad}"


class SecretariaQuerySet(AlcanceQuerySet):
    def llamadas(self, nombre):
        """Secretariats written this way (their name or a known alias), within the queryset's scope."""
        clave = clave_nombre(nombre)
        return self.filter(Q(clave=clave) | Q(alias__clave=clave)).distinct()


class Secretaria(models.Model):
    entidad = models.ForeignKey(
        Entidad,
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="secretarias",
    )
    nombre = models.CharField(_("nombre"), max_length=200)
    clave = models.CharField(_("clave de comparación"), max_length=200, editable=False)
    sigla = models.CharField(_("sigla"), max_length=20, blank=True)
    activa = models.BooleanField(_("activa"), default=True)
    delegados = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegados"),
        related_name="secretarias",
        blank=True,
        help_text=_("Personas que reportan avances en nombre de esta secretaría."),
    )

    objects = SecretariaQuerySet.as_manager()

    history = historial(_("secretaría"))

    class Meta:
        verbose_name = _("secretaría")
        verbose_name_plural = _("secretarías")
        ordering = ["nombre"]
        constraints = [
            models.UniqueConstraint(fields=["entidad", "nombre"], name="secretaria_nombre_unico_por_entidad"),
            models.UniqueConstraint(fields=["entidad", "clave"], name="secretaria_clave_unica_por_entidad"),
        ]

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
    # The secretariat's entity, copied so that a spelling is unique within an entity.
    entidad = models.ForeignKey(
        Entidad, verbose_name=_("entidad"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    nombre = models.CharField(_("escritura"), max_length=200)
    clave = models.CharField(_("clave de comparación"), max_length=200, editable=False)

    objects = AlcanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("alias de secretaría")
        verbose_name_plural = _("alias de secretaría")
        ordering = ["nombre"]
        constraints = [models.UniqueConstraint(fields=["entidad", "clave"], name="alias_clave_unica_por_entidad")]

    def __str__(self):
        return self.nombre

    def save(self, *args, **kwargs):
        self.clave = clave_nombre(self.nombre)
        self.entidad_id = self.secretaria.entidad_id
        super().save(*args, **kwargs)


class PlanQuerySet(AlcanceQuerySet):
    def publicados(self):
        """What anyone may read without an account in /participa/."""
        return self.filter(publicado=True)

    def vigente(self, usuario=None, *, entidad=None, hoy=None):
        """The plan people mean when they name none.

        Without arguments (the callers written before entidades): the most recent plan. With a
        user or an entidad: among that entity's plans, the one in force today (today within its
        months; the latest to start if several are), else the most recent one.
        """
        if usuario is None and entidad is None:
            return self.order_by("-mes_inicio", "-pk").first()
        planes = self.visible_para(usuario) if usuario is not None else self
        if entidad is not None:
            planes = planes.de_entidad(entidad)
        mes = primer_dia(hoy or timezone.localdate())
        en_curso = Case(When(mes_inicio__lte=mes, mes_fin__gte=mes, then=Value(0)), default=Value(1))
        return planes.order_by(en_curso, "-mes_inicio", "-pk").first()


class Plan(models.Model):
    entidad = models.ForeignKey(
        Entidad,
        verbose_name=_("entidad"),
        on_delete=models.PROTECT,
        related_name="planes",
    )
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
    publicado = models.BooleanField(
        _("publicado en el Menú Participa"),
        default=False,
        editable=False,  # changes only through acciones.publicar_plan / despublicar_plan
        help_text=_("Visible sin cuenta en /participa/ con sus datos abiertos."),
    )

    objects = PlanQuerySet.as_manager()

    history = historial(_("plan"))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("planes")
        ordering = ["-mes_inicio", "municipio"]
        permissions = [
            ("importar_plan", _("Puede importar el cronograma desde Excel")),
            ("ver_auditoria", _("Puede ver la auditoría de cambios del plan y de las evidencias")),
            ("publicar_plan", _("Puede publicar o retirar el plan del Menú Participa")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entidad", "municipio", "mes_inicio", "mes_fin"], name="plan_unico_por_periodo"
            ),
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
        return Estrategia.objects.del_plan(self)

    def metas(self):
        return Meta.objects.del_plan(self)


class LineaAccionQuerySet(AlcanceQuerySet):
    ruta_entidad = "plan__entidad"


class ObjetivoQuerySet(AlcanceQuerySet):
    ruta_entidad = "linea__plan__entidad"


class EstrategiaQuerySet(AlcanceQuerySet):
    ruta_entidad = "objetivo__linea__plan__entidad"

    def del_plan(self, plan):
        return self.filter(objetivo__linea__plan=plan)


class MetaQuerySet(AlcanceQuerySet):
    ruta_entidad = "estrategia__objetivo__linea__plan__entidad"

    def del_plan(self, plan):
        return self.filter(estrategia__objetivo__linea__plan=plan)

    def con_evidencias(self):
        return self.filter(evidencias__isnull=False).distinct()


class IndicadorQuerySet(AlcanceQuerySet):
    ruta_entidad = "meta__estrategia__objetivo__linea__plan__entidad"


class ProgramacionQuerySet(AlcanceQuerySet):
    ruta_entidad = "estrategia__objetivo__linea__plan__entidad"


class LineaAccion(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lineas")
    numero = models.PositiveSmallIntegerField(_("número"))
    nombre = models.TextField(_("nombre"))

    objects = LineaAccionQuerySet.as_manager()

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

    objects = ObjetivoQuerySet.as_manager()

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
    # plan_participacion.ciclo: lists of Fase / SeccionParticipa values (JSON: the same on SQLite and PostgreSQL)
    fases = models.JSONField(
        _("fases del ciclo con participación"),
        default=list,
        blank=True,
        validators=[ciclo.validar_fases],
        help_text=_("Diagnóstico, formulación, implementación, evaluación y seguimiento."),
    )
    secciones_participa = models.JSONField(
        _("secciones del Menú Participa"), default=list, blank=True, validators=[ciclo.validar_secciones]
    )

    objects = EstrategiaQuerySet.as_manager()

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
    objetivo_ajustado = models.PositiveIntegerField(
        _("objetivo total ajustado"),
        null=True,
        blank=True,
        help_text=_(
            "Fijado por la coordinación en lugar del calculado (cantidad × periodos); la cantidad de la hoja no cambia."
        ),
    )
    motivo_objetivo = models.TextField(_("motivo del ajuste del objetivo"), blank=True)
    fuera_de_la_hoja = models.BooleanField(
        _("ya no está en la hoja"),
        default=False,
        help_text=_("Una reimportación no la trajo, pero se conservó porque tiene evidencias."),
    )

    objects = MetaQuerySet.as_manager()

    history = historial(_("meta"))

    class Meta:
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        ordering = ["estrategia", "orden"]
        permissions = [("ajustar_objetivo_meta", _("Puede ajustar el objetivo total de una meta"))]
        constraints = [
            models.UniqueConstraint(fields=["estrategia", "codigo"], name="meta_codigo_unico"),
            models.CheckConstraint(condition=Q(cantidad_objetivo__gte=1), name="meta_objetivo_positivo"),
            models.CheckConstraint(
                condition=Q(objetivo_ajustado__isnull=True) | Q(objetivo_ajustado__gte=1),
                name="meta_objetivo_ajustado_positivo",
            ),
        ]

    def __str__(self):
        return f"{self.codigo}. {self.texto}"


class Indicador(models.Model):
    meta = models.ForeignKey(
        "plan_participacion.Meta", verbose_name=_("meta"), on_delete=models.CASCADE, related_name="indicadores"
    )
    codigo = models.CharField(_("código"), max_length=20)
    texto = models.TextField(_("texto"))

    objects = IndicadorQuerySet.as_manager()

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

    objects = ProgramacionQuerySet.as_manager()

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
