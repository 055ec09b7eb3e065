"""Evidence of what each secretariat did toward a meta, its files, and its review.

State changes never happen here: they are the explicit functions of
seguimiento.acciones, each in a transaction and each leaving a history row.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Meta, Secretaria


@deconstructible(path="seguimiento.models.AlmacenPrivado")
class AlmacenPrivado(FileSystemStorage):
    """Storage for evidence files: outside static/, with no public URL.

    The location is read from settings.PRIVATE_MEDIA_ROOT on every use, not
    when the module loads: migrations then carry no machine-specific path, and
    tests can point it at a temporary folder with the settings fixture.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Los archivos de evidencia no tienen URL pública: se sirven con la vista archivo_descargar.")


almacen_privado = AlmacenPrivado()


def ruta_archivo(instancia, nombre):
    # Unguessable path; the original name is kept in the database only.
    sufijo = Path(nombre).suffix.lower()[:10]
    secreto = uuid.uuid4().hex
    return f"evidencias/{secreto[:2]}/{secreto}{sufijo}"


class GrupoValor(models.Model):
    nombre = models.CharField(_("nombre"), max_length=120, unique=True)
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    activo = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("grupo de valor")
        verbose_name_plural = _("grupos de valor")
        ordering = ["orden", "nombre"]

    def __str__(self):
        return self.nombre


class MedioVerificacion(models.TextChoices):
    ACTA = "acta", _("Acta")
    LISTA_ASISTENCIA = "lista_asistencia", _("Lista de asistencia")
    REGISTRO_FOTOGRAFICO = "registro_fotografico", _("Registro fotográfico")
    OFICIO = "oficio", _("Oficio")
    CORREO = "correo", _("Correo electrónico")
    PUBLICACION = "publicacion", _("Publicación")
    INFORME = "informe", _("Informe")
    OTRO = "otro", _("Otro")


class EvidenciaQuerySet(models.QuerySet):
    def visible_para(self, user):
        """The one access rule: reviewers see everything, delegates their secretariats' evidence."""
        if not user.is_authenticated:
            return self.none()
        if self.ve_todas(user):
            return self
        return self.filter(secretaria__delegados=user)

    @staticmethod
    def ve_todas(user):
        """Reviewers and the committee see every secretariat's evidence (and deleted evidence's history)."""
        return user.is_authenticated and (
            user.has_perm("seguimiento.revisar_evidencia") or user.has_perm("seguimiento.ver_todas_evidencias")
        )

    def editables_por(self, user):
        """Drafts and returned evidence of the user's secretariats: what a delegate may change or delete."""
        return self.filter(
            secretaria__delegados=user,
            estado__in=[Evidencia.Estado.BORRADOR, Evidencia.Estado.DEVUELTA],
        )

    def aprobadas(self):
        return self.filter(estado=Evidencia.Estado.APROBADA)

    def enviadas(self):
        return self.filter(estado=Evidencia.Estado.ENVIADA)

    def del_plan(self, plan):
        return self.filter(meta__estrategia__objetivo__linea__plan=plan)


class Evidencia(models.Model):
    """A "reporte de avance": one activity done toward a meta, with its proof."""

    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        ENVIADA = "enviada", _("Enviada")
        APROBADA = "aprobada", _("Aprobada")
        DEVUELTA = "devuelta", _("Devuelta")

    meta = models.ForeignKey(Meta, verbose_name=_("meta"), on_delete=models.PROTECT, related_name="evidencias")
    secretaria = models.ForeignKey(
        Secretaria, verbose_name=_("secretaría"), on_delete=models.PROTECT, related_name="evidencias"
    )
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="evidencias"
    )
    fecha_actividad = models.DateField(_("fecha de la actividad"))
    cantidad = models.PositiveIntegerField(
        _("cantidad"), default=1, help_text=_("Cuánto aporta esta actividad a la cantidad objetivo de la meta.")
    )
    descripcion = models.TextField(_("descripción"))
    lugar = models.CharField(_("lugar"), max_length=200, blank=True)
    medios = models.JSONField(_("medios de verificación"), default=list, blank=True)
    enlaces = models.TextField(_("enlaces"), blank=True, help_text=_("Una dirección por línea."))

    participantes_total = models.PositiveIntegerField(_("total de participantes"), default=0)
    mujeres = models.PositiveIntegerField(_("mujeres"), default=0)
    hombres = models.PositiveIntegerField(_("hombres"), default=0)
    otro_sexo = models.PositiveIntegerField(_("otro / sin información de sexo"), default=0)
    edad_0_17 = models.PositiveIntegerField(_("0 a 17 años"), default=0)
    edad_18_28 = models.PositiveIntegerField(_("18 a 28 años"), default=0)
    edad_29_59 = models.PositiveIntegerField(_("29 a 59 años"), default=0)
    edad_60_mas = models.PositiveIntegerField(_("60 años o más"), default=0)

    estado = models.CharField(_("estado"), max_length=10, choices=Estado.choices, default=Estado.BORRADOR)
    creada = models.DateTimeField(_("creada"), auto_now_add=True)
    actualizada = models.DateTimeField(_("actualizada"), auto_now=True)
    enviada_en = models.DateTimeField(_("enviada en"), null=True, blank=True)
    revisada_en = models.DateTimeField(_("revisada en"), null=True, blank=True)
    revisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revisor"),
        on_delete=models.PROTECT,
        related_name="evidencias_revisadas",
        null=True,
        blank=True,
    )
    motivo_devolucion = models.TextField(_("motivo de la devolución"), blank=True)

    objects = EvidenciaQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ["-fecha_actividad", "-pk"]
        permissions = [
            ("revisar_evidencia", _("Puede aprobar o devolver evidencias")),
            ("ver_todas_evidencias", _("Puede ver las evidencias de todas las secretarías")),
            ("ver_tablero", _("Puede ver el tablero de avance")),
            ("descargar_reportes", _("Puede descargar los reportes del comité")),
        ]
        indexes = [
            models.Index(fields=["estado", "fecha_actividad"], name="evidencia_estado_fecha"),
            models.Index(fields=["meta", "estado"], name="evidencia_meta_estado"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cantidad__gte=1), name="evidencia_cantidad_positiva"),
        ]

    def __str__(self):
        return _("%(meta)s · %(secretaria)s · %(fecha)s") % {
            "meta": self.meta.codigo,
            "secretaria": self.secretaria,
            "fecha": self.fecha_actividad,
        }

    def get_absolute_url(self):
        return reverse("evidencia_detalle", args=[self.pk])

    @property
    def editable(self):
        return self.estado in (self.Estado.BORRADOR, self.Estado.DEVUELTA)

    def medios_display(self):
        etiquetas = dict(MedioVerificacion.choices)
        return [etiquetas.get(m, m) for m in self.medios]

    def lista_enlaces(self):
        return [linea.strip() for linea in self.enlaces.splitlines() if linea.strip()]


class ParticipacionGrupo(models.Model):
    evidencia = models.ForeignKey(
        Evidencia, verbose_name=_("evidencia"), on_delete=models.CASCADE, related_name="participacion_grupos"
    )
    grupo = models.ForeignKey(GrupoValor, verbose_name=_("grupo de valor"), on_delete=models.PROTECT)
    cantidad = models.PositiveIntegerField(_("participantes"))

    class Meta:
        verbose_name = _("participantes por grupo de valor")
        verbose_name_plural = _("participantes por grupo de valor")
        ordering = ["grupo__orden", "grupo__nombre"]
        constraints = [models.UniqueConstraint(fields=["evidencia", "grupo"], name="participacion_grupo_unica")]

    def __str__(self):
        return f"{self.grupo}: {self.cantidad}"


class ArchivoEvidencia(models.Model):
    evidencia = models.ForeignKey(
        Evidencia, verbose_name=_("evidencia"), on_delete=models.CASCADE, related_name="archivos"
    )
    archivo = models.FileField(_("archivo"), storage=almacen_privado, upload_to=ruta_archivo, max_length=200)
    nombre_original = models.CharField(_("nombre del archivo"), max_length=200)
    tipo_contenido = models.CharField(_("tipo de contenido"), max_length=120)
    tamano = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    subido_en = models.DateTimeField(_("subido en"), auto_now_add=True)
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subido por"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("archivo de evidencia")
        verbose_name_plural = _("archivos de evidencia")
        ordering = ["subido_en", "pk"]

    def __str__(self):
        return self.nombre_original

    def get_absolute_url(self):
        return reverse("archivo_descargar", args=[self.pk])


class CambioEstado(models.Model):
    """History of an evidence: who moved it from which state to which, when and why."""

    # A deleted draft keeps its history for the audit trail: the rows lose the link and keep
    # ``resumen``, written when the evidence is deleted (acciones.eliminar).
    ELIMINADA = "eliminada"
    ESTADOS = [*Evidencia.Estado.choices, (ELIMINADA, _("Eliminada"))]

    evidencia = models.ForeignKey(
        Evidencia,
        verbose_name=_("evidencia"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="historial",
    )
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.PROTECT, related_name="+"
    )
    fecha = models.DateTimeField(_("fecha"))
    estado_anterior = models.CharField(
        _("estado anterior"), max_length=10, choices=Evidencia.Estado.choices, blank=True
    )
    estado_nuevo = models.CharField(_("estado nuevo"), max_length=10, choices=ESTADOS)
    comentario = models.TextField(_("comentario"), blank=True)
    resumen = models.CharField(
        _("evidencia eliminada"),
        max_length=300,
        blank=True,
        help_text=_("Qué evidencia era (meta, secretaría, fecha), guardado al eliminarla."),
    )

    class Meta:
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("historial de estados")
        ordering = ["fecha", "pk"]
        # The audit trail's keyset pages (seguimiento.auditoria): each page is an index scan from the cursor.
        indexes = [
            models.Index(fields=["fecha", "id"], name="cambioestado_fecha_id"),
            models.Index(fields=["usuario", "fecha", "id"], name="cambioestado_usuario_fecha"),
        ]

    def __str__(self):
        return f"{self.get_estado_anterior_display() or '—'} → {self.get_estado_nuevo_display()}"


class ResumenAprobado(models.Model):
    """Approved evidence of one secretariat toward one meta in one month: how many and how much.

    A summary kept by the actions that make evidence approved or change an approved one
    (seguimiento.resumen, in their transaction), so that progress reads O(metas × months) rows
    instead of every evidence. ``manage.py recalcular_resumen`` rebuilds it from the evidence.
    Participants are totalled too (by sex and age band here, by grupo de valor in
    ResumenGrupo) for the reports that ask for them.
    """

    meta = models.ForeignKey(Meta, verbose_name=_("meta"), on_delete=models.CASCADE, related_name="+")
    secretaria = models.ForeignKey(Secretaria, verbose_name=_("secretaría"), on_delete=models.CASCADE, related_name="+")
    mes = models.DateField(_("mes"), help_text=_("Primer día del mes de las actividades."))
    evidencias = models.PositiveIntegerField(_("evidencias aprobadas"), default=0)
    cantidad = models.PositiveBigIntegerField(_("cantidad aprobada"), default=0)
    participantes_total = models.PositiveBigIntegerField(_("total de participantes"), default=0)
    mujeres = models.PositiveBigIntegerField(_("mujeres"), default=0)
    hombres = models.PositiveBigIntegerField(_("hombres"), default=0)
    otro_sexo = models.PositiveBigIntegerField(_("otro / sin información de sexo"), default=0)
    edad_0_17 = models.PositiveBigIntegerField(_("0 a 17 años"), default=0)
    edad_18_28 = models.PositiveBigIntegerField(_("18 a 28 años"), default=0)
    edad_29_59 = models.PositiveBigIntegerField(_("29 a 59 años"), default=0)
    edad_60_mas = models.PositiveBigIntegerField(_("60 años o más"), default=0)

    class Meta:
        verbose_name = _("resumen de evidencias aprobadas")
        verbose_name_plural = _("resúmenes de evidencias aprobadas")
        constraints = [
            models.UniqueConstraint(fields=["meta", "secretaria", "mes"], name="resumen_unico_por_mes"),
            models.CheckConstraint(condition=Q(mes__day=1), name="resumen_primer_dia"),
        ]
        indexes = [models.Index(fields=["mes", "meta"], name="resumen_mes_meta")]  # one month of a plan

    def __str__(self):
        return f"{self.meta_id} · {self.secretaria_id} · {self.mes:%Y-%m}: {self.evidencias} / {self.cantidad}"


class ResumenGrupo(models.Model):
    """Participants of one grupo de valor in the approved evidence of a ResumenAprobado row."""

    resumen = models.ForeignKey(
        ResumenAprobado, verbose_name=_("resumen"), on_delete=models.CASCADE, related_name="grupos"
    )
    grupo = models.ForeignKey(GrupoValor, verbose_name=_("grupo de valor"), on_delete=models.CASCADE, related_name="+")
    participantes = models.PositiveBigIntegerField(_("participantes"), default=0)

    class Meta:
        verbose_name = _("participantes aprobados por grupo de valor")
        verbose_name_plural = _("participantes aprobados por grupo de valor")
        constraints = [models.UniqueConstraint(fields=["resumen", "grupo"], name="resumen_grupo_unico")]

    def __str__(self):
        return f"{self.resumen_id} · {self.grupo_id}: {self.participantes}"


class Semaforo(models.Model):
    """Thresholds of the traffic light, editable by the coordinator (one row)."""

    rojo_menor_que = models.PositiveSmallIntegerField(
        _("rojo por debajo de (%)"), default=60, help_text=_("Un avance menor que este porcentaje es rojo.")
    )
    verde_desde = models.PositiveSmallIntegerField(
        _("verde desde (%)"), default=80, help_text=_("Un avance igual o mayor que este porcentaje es verde.")
    )

    class Meta:
        verbose_name = _("umbrales del semáforo")
        verbose_name_plural = _("umbrales del semáforo")
        constraints = [
            models.CheckConstraint(
                condition=Q(rojo_menor_que__lte=models.F("verde_desde")) & Q(verde_desde__lte=100),
                name="semaforo_umbrales_ordenados",
            )
        ]

    def __str__(self):
        return _("Rojo < %(rojo)s %%, verde ≥ %(verde)s %%") % {"rojo": self.rojo_menor_que, "verde": self.verde_desde}

    @classmethod
    def actual(cls):
        return cls.objects.order_by("pk").first() or cls()
