"""Evidence of what each secretariat did toward a meta, its files, its review and its history;
closed periods of a plan and the signed documents archived when one is closed.

State changes never happen here: they are the explicit functions of
seguimiento.acciones, each in a transaction and each leaving a history row.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# AlmacenPrivado is named by migration 0003; it sends every call to STORAGES["privado"].
from plan_participacion.almacen import AlmacenPrivado, almacen_privado  # noqa: F401
from plan_participacion.models import AlcanceQuerySet, Meta, Plan, Secretaria, entidad_de, es_administrador


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
        """The one access rule: reviewers and the committee see their entidad's evidence (administrators
        every entidad's), delegates their secretariats' evidence."""
        if not user.is_authenticated:
            return self.none()
        if self.ve_todas(user):
            return self if es_administrador(user) else self.de_entidad(entidad_de(user))
        return self.filter(secretaria__delegados=user)

    def de_entidad(self, entidad):
        """Evidence of an entidad's secretariats (an evidence's secretaría and plan are of the same entidad)."""
        if entidad is None:
            return self.none()
        return self.filter(secretaria__entidad=entidad.pk)

    @staticmethod
    def ve_todas(user):
        """Reviewers and the committee see every secretariat's evidence of their entidad (and deleted
        evidence's history)."""
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

    def con_historial_desacorde(self):
        """Evidence whose estado is not the estado_nuevo of its last CambioEstado: there must be none.

        The actions change the state and write the history row in one transaction, under a row
        lock; this is the check that they did (tests, and anyone auditing a database).
        """
        ultimo = CambioEstado.objects.filter(evidencia=OuterRef("pk")).order_by("-pk").values("estado_nuevo")[:1]
        return self.annotate(ultimo_estado=Subquery(ultimo)).filter(
            Q(ultimo_estado__isnull=True) | ~Q(ultimo_estado=F("estado"))
        )


class Evidencia(models.Model):
    """A "reporte de avance": one activity done toward a meta, with its proof."""

    # What a delegate may write (the form's fields, what acciones.crear and editar save). Never the
    # state, the reviewer or the review's timestamps: only the review actions write those.
    CAMPOS_DELEGADO = (
        "meta",
        "secretaria",
        "fecha_actividad",
        "cantidad",
        "descripcion",
        "lugar",
        "participantes_total",
        "mujeres",
        "hombres",
        "otro_sexo",
        "edad_0_17",
        "edad_18_28",
        "edad_29_59",
        "edad_60_mas",
        "medios",
        "enlaces",
    )

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

    @property
    def version(self):
        """What the edit form carries so that saving over someone else's newer change is refused."""
        return self.actualizada.isoformat() if self.actualizada else ""

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
    sha256_original = models.CharField(
        _("SHA-256 del archivo subido"),
        max_length=64,
        blank=True,
        help_text=_("Solo si lo guardado difiere de lo subido: las imágenes se recodifican sin sus metadatos."),
    )
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


def evidencia_de_la_historia(related_name):
    """The link of a history row to its evidence. A deleted draft keeps its history for the audit
    trail: the rows lose the link and keep ``resumen``, written when it is deleted (acciones.eliminar)."""
    return models.ForeignKey(
        Evidencia,
        verbose_name=_("evidencia"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


class HistoriaDeEvidencia(models.Model):
    """Who did something to an evidence and when; what the evidence was, once deleted."""

    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.PROTECT, related_name="+"
    )
    fecha = models.DateTimeField(_("fecha"))
    resumen = models.CharField(
        _("evidencia eliminada"),
        max_length=300,
        blank=True,
        help_text=_("Qué evidencia era (meta, secretaría, fecha), guardado al eliminarla."),
    )

    class Meta:
        abstract = True


class CambioEstado(HistoriaDeEvidencia):
    """History of an evidence: who moved it from which state to which, when and why."""

    ELIMINADA = "eliminada"
    ESTADOS = [*Evidencia.Estado.choices, (ELIMINADA, _("Eliminada"))]

    evidencia = evidencia_de_la_historia("historial")
    estado_anterior = models.CharField(
        _("estado anterior"), max_length=10, choices=Evidencia.Estado.choices, blank=True
    )
    estado_nuevo = models.CharField(_("estado nuevo"), max_length=10, choices=ESTADOS)
    comentario = models.TextField(_("comentario"), blank=True)

    class Meta:
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("historial de estados")
        ordering = ["fecha", "pk"]
        # The audit trail's keyset pages (seguimiento.auditoria): each page is an index scan from the cursor.
        indexes = [
            models.Index(fields=["fecha", "id"], name="cambioestado_fecha_id"),
            models.Index(fields=["usuario", "fecha", "id"], name="cambioestado_usuario_fecha"),
            # The latest deletion, read by every data version (seguimiento.version_datos): a few rows.
            models.Index(fields=["fecha"], condition=Q(estado_nuevo="eliminada"), name="cambioestado_eliminadas"),
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


class EdicionEvidencia(HistoriaDeEvidencia):
    """One edit of an evidence by its secretariat: each field changed (before, after) and the files
    added or removed (name, size, SHA-256). Written by acciones.editar, never changed afterwards."""

    evidencia = evidencia_de_la_historia("ediciones")
    # [{"campo": "cantidad", "etiqueta": "cantidad", "antes": "1", "despues": "2"}], values as people read them.
    cambios = models.JSONField(_("campos cambiados"), default=list, blank=True)
    # [{"nombre": "acta.pdf", "tamano": 1234, "sha256": "…"}]
    archivos_agregados = models.JSONField(_("archivos agregados"), default=list, blank=True)
    archivos_quitados = models.JSONField(_("archivos quitados"), default=list, blank=True)

    class Meta:
        verbose_name = _("edición de evidencia")
        verbose_name_plural = _("ediciones de evidencias")
        ordering = ["fecha", "pk"]
        # The audit trail's keyset pages read each source from (fecha, id), as for CambioEstado.
        indexes = [
            models.Index(fields=["fecha", "id"], name="edicionevidencia_fecha_id"),
            models.Index(fields=["usuario", "fecha", "id"], name="edicionevidencia_usuario_fecha"),
        ]

    def __str__(self):
        return _("Edición de %(usuario)s, %(fecha)s") % {"usuario": self.usuario, "fecha": self.fecha}


class CierreQuerySet(AlcanceQuerySet):
    ruta_entidad = "plan__entidad"

    def vigentes(self):
        """Closings in force: not reopened."""
        return self.filter(reabierto_en__isnull=True)

    def que_cubren(self, plan_id, fecha):
        """Closings in force of the plan whose period includes ``fecha``; the latest first."""
        return self.vigentes().filter(plan_id=plan_id, hasta__gte=fecha).order_by("-hasta", "-pk")


def ruta_documento_firmado(instancia, nombre):
    # Never reused, never overwritten: a new closing archives new files.
    sufijo = Path(nombre).suffix.lower()[:10]
    return f"firmados/{instancia.cierre.plan_id}/{instancia.cierre.hasta.isoformat()}/{uuid.uuid4().hex}{sufijo}"


class Cierre(models.Model):
    """A plan closed up to a date (``hasta``): evidence dated on or before it no longer changes.

    Closing archives the committee's documents for that date once (DocumentoFirmado); reopening
    (the latest closing only, with a reason) keeps them, marked "reemplazado".
    """

    class EstadoArchivo(models.TextChoices):
        GENERANDO = "generando", _("Generando el archivo firmado")
        LISTO = "listo", _("Archivo firmado listo")
        FALLIDO = "fallido", _("No se pudo generar el archivo firmado")
        CANCELADO = "cancelado", _("Sin archivo: se reabrió antes de archivarlo")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="cierres")
    hasta = models.DateField(_("cerrado hasta"))
    cerrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cerrado por"), on_delete=models.PROTECT, related_name="+"
    )
    cerrado_en = models.DateTimeField(_("cerrado en"))
    motivo = models.TextField(_("observación del cierre"), blank=True)
    reabierto_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reabierto por"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reabierto_en = models.DateTimeField(_("reabierto en"), null=True, blank=True)
    motivo_reapertura = models.TextField(_("motivo de la reapertura"), blank=True)

    estado_archivo = models.CharField(
        _("archivo firmado"), max_length=10, choices=EstadoArchivo.choices, default=EstadoArchivo.GENERANDO
    )
    intentos = models.PositiveSmallIntegerField(_("intentos de archivo"), default=0)
    error = models.TextField(_("último error del archivo"), blank=True)
    archivado_en = models.DateTimeField(_("archivado en"), null=True, blank=True)
    resumen = models.JSONField(_("resumen de las cifras"), default=dict, blank=True)

    objects = CierreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cierre de periodo")
        verbose_name_plural = _("cierres de periodo")
        ordering = ["-cerrado_en", "-pk"]
        permissions = [("cerrar_periodo", _("Puede cerrar y reabrir periodos del plan"))]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "hasta"], condition=Q(reabierto_en__isnull=True), name="cierre_vigente_unico"
            )
        ]

    def __str__(self):
        return _("%(plan)s: cerrado hasta el %(hasta)s") % {"plan": self.plan, "hasta": self.hasta.strftime("%d/%m/%Y")}

    @property
    def vigente(self):
        return self.reabierto_en is None

    @property
    def reemplazado(self):
        return self.reabierto_en is not None

    @property
    def generando(self):
        return self.vigente and self.estado_archivo == self.EstadoArchivo.GENERANDO


class DocumentoFirmadoQuerySet(AlcanceQuerySet):
    ruta_entidad = "cierre__plan__entidad"


class DocumentoFirmado(models.Model):
    """One committee document archived by a closing: its bytes never change and are never rendered again."""

    class Tipo(models.TextChoices):
        AVANCE = "avance", _("Informe de avance (PDF)")
        VERIFICACION = "verificacion", _("Informe de verificación (PDF)")
        CRONOGRAMA = "cronograma", _("Cronograma programado y ejecutado (Excel)")
        # The edition for the Menú Participa: the same figures, no personal names (no signatures).
        AVANCE_PUBLICO = "avance_publico", _("Informe de avance, edición pública (PDF)")

    cierre = models.ForeignKey(Cierre, verbose_name=_("cierre"), on_delete=models.PROTECT, related_name="documentos")
    tipo = models.CharField(_("documento"), max_length=15, choices=Tipo.choices)
    archivo = models.FileField(_("archivo"), storage=almacen_privado, upload_to=ruta_documento_firmado, max_length=200)
    nombre = models.CharField(_("nombre del archivo"), max_length=200)
    tipo_contenido = models.CharField(_("tipo de contenido"), max_length=120)
    tamano = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    creado_en = models.DateTimeField(_("archivado en"))

    objects = DocumentoFirmadoQuerySet.as_manager()

    class Meta:
        verbose_name = _("documento firmado")
        verbose_name_plural = _("documentos firmados")
        ordering = ["cierre", "pk"]
        constraints = [models.UniqueConstraint(fields=["cierre", "tipo"], name="documento_firmado_unico")]

    def __str__(self):
        return self.nombre

    def get_absolute_url(self):
        return reverse("firmado_descargar", args=[self.pk])


class EnvioRecordatoriosQuerySet(AlcanceQuerySet):
    ruta_entidad = "plan__entidad"


class EnvioRecordatorios(models.Model):
    """One sending of the monthly reminders: to whom, for which month, asked by whom (none: the schedule)."""

    plan = models.ForeignKey(
        "plan_participacion.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    mes = models.DateField(_("mes"), help_text=_("Primer día del mes recordado."))
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pedido por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Vacío: lo envió la tarea programada (manage.py recordatorios)."),
    )
    fecha = models.DateTimeField(_("fecha"))
    cantidad = models.PositiveIntegerField(_("correos en cola"))
    destinatarios = models.TextField(_("destinatarios"), blank=True, help_text=_("Uno por línea, con lo pendiente."))

    objects = EnvioRecordatoriosQuerySet.as_manager()

    class Meta:
        verbose_name = _("envío de recordatorios")
        verbose_name_plural = _("envíos de recordatorios")
        ordering = ["-fecha", "-pk"]
        permissions = [("enviar_recordatorios", _("Puede enviar los recordatorios del mes"))]

    def __str__(self):
        return _("Recordatorios de %(mes)s: %(n)s") % {"mes": self.mes.strftime("%Y-%m"), "n": self.cantidad}


class ArchivoPreparado(models.Model):
    """A file for an evidence form not saved yet: kept on the server between tries, tied to one session and form.

    It gets here two ways: a file that passed the checks in a form that had other errors (the
    delegate does not pick it again), or a file uploaded in pieces (``Content-Range``) that
    survives a dropped connection. Either way it is checked by seguimiento.archivos like any
    upload before it is LISTO, and attached by acciones.crear / acciones.editar when the form is
    saved. Handled by seguimiento.preparados; abandoned ones are deleted after a day.
    """

    class Estado(models.TextChoices):
        SUBIENDO = "subiendo", _("Subiendo")
        REVISANDO = "revisando", _("Revisando el contenido")
        LISTO = "listo", _("Listo para adjuntar")
        RECHAZADO = "rechazado", _("Rechazado")
        ADJUNTANDO = "adjuntando", _("Adjuntándose a la evidencia")

    token = models.CharField(_("identificador"), max_length=64, unique=True)
    lote = models.CharField(_("formulario"), max_length=64, help_text=_("El identificador aleatorio del formulario."))
    formulario = models.CharField(
        _("evidencia del formulario"), max_length=40, help_text=_("«nueva», o «evidencia-<id>» al editarla.")
    )
    sesion = models.CharField(_("sesión"), max_length=64, help_text=_("SHA-256 de la clave de la sesión."))
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="+"
    )
    estado = models.CharField(_("estado"), max_length=10, choices=Estado.choices, default=Estado.SUBIENDO)
    nombre = models.CharField(_("nombre del archivo"), max_length=200)
    tipo_contenido = models.CharField(_("tipo de contenido"), max_length=120, blank=True)
    tamano = models.PositiveBigIntegerField(
        _("tamaño en bytes"), help_text=_("El anunciado al empezar a subirlo; el guardado cuando está listo.")
    )
    recibido = models.PositiveBigIntegerField(_("bytes recibidos"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    sha256_original = models.CharField(_("SHA-256 del archivo subido"), max_length=64, blank=True)
    error = models.TextField(_("motivo del rechazo"), blank=True)
    creado = models.DateTimeField(_("creado"), auto_now_add=True)
    actualizado = models.DateTimeField(_("actualizado"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("archivo preparado")
        verbose_name_plural = _("archivos preparados")
        ordering = ["creado", "pk"]
        indexes = [models.Index(fields=["lote", "sesion"], name="preparado_lote_sesion")]

    def __str__(self):
        return self.nombre


class NarrativaInforme(models.Model):
    """The text that opens the progress report of (plan, corte), as the coordinator left it.

    Without a row (or with an empty ``texto``: "volver al texto generado") the report prints the
    text generated from the figures (seguimiento.narrativa). Changed only by the actions
    acciones.guardar_narrativa and restablecer_narrativa, each leaving a VersionNarrativa; refused
    once a closing in force covers the corte.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="narrativas")
    corte = models.DateField(_("fecha de corte"))
    texto = models.TextField(_("texto"), blank=True, help_text=_("Vacío: el informe lleva el texto generado."))
    version = models.PositiveIntegerField(_("versión"), default=0)
    editado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("editado por"), on_delete=models.PROTECT, related_name="+"
    )
    editado_en = models.DateTimeField(_("editado en"))

    class Meta:
        verbose_name = _("texto del informe de avance")
        verbose_name_plural = _("textos del informe de avance")
        constraints = [models.UniqueConstraint(fields=["plan", "corte"], name="narrativa_unica_por_corte")]

    def __str__(self):
        return _("%(plan)s: texto del informe con corte al %(corte)s") % {
            "plan": self.plan,
            "corte": self.corte.strftime("%d/%m/%Y"),
        }


class VersionNarrativaQuerySet(AlcanceQuerySet):
    ruta_entidad = "narrativa__plan__entidad"


class VersionNarrativa(models.Model):
    """One change of a NarrativaInforme: the whole text after it, who and when (also in the audit trail)."""

    class Accion(models.TextChoices):
        EDITADO = "editado", _("Editó el texto")
        RESTABLECIDO = "restablecido", _("Volvió al texto generado")

    narrativa = models.ForeignKey(
        NarrativaInforme, verbose_name=_("texto del informe"), on_delete=models.PROTECT, related_name="versiones"
    )
    numero = models.PositiveIntegerField(_("versión"))
    accion = models.CharField(_("acción"), max_length=12, choices=Accion.choices)
    texto = models.TextField(_("texto"), blank=True)
    autor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.PROTECT, related_name="+"
    )
    creado_en = models.DateTimeField(_("fecha"))

    objects = VersionNarrativaQuerySet.as_manager()

    class Meta:
        verbose_name = _("versión del texto del informe")
        verbose_name_plural = _("versiones del texto del informe")
        ordering = ["-numero"]
        constraints = [models.UniqueConstraint(fields=["narrativa", "numero"], name="version_narrativa_unica")]
        indexes = [models.Index(fields=["creado_en", "id"], name="narrativa_auditoria")]  # keyset pages

    def __str__(self):
        return f"{self.narrativa} · v{self.numero}"
