"""Admin for evidence, the grupos de valor catalog, the semáforo, delegates' secretariats, and closings."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from plan_participacion.models import Secretaria
from seguimiento.models import (
    ArchivoEvidencia,
    CambioEstado,
    Cierre,
    DocumentoFirmado,
    EdicionEvidencia,
    Evidencia,
    GrupoValor,
    NarrativaInforme,
    ParticipacionGrupo,
    Semaforo,
    VersionNarrativa,
)


class SecretariaDelUsuarioInline(admin.TabularInline):
    """The secretariats a person reports for, managed from the user's page."""

    model = Secretaria.delegados.through
    extra = 1
    verbose_name = _("secretaría")
    verbose_name_plural = _("Secretarías")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["secretaria"].label = _("secretaría")
        return formset


admin.site.unregister(User)


@admin.register(User)
class UsuarioAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, SecretariaDelUsuarioInline]
    list_filter = [*UserAdmin.list_filter, "secretarias"]


class SoloLecturaInline:
    """Rows that only the application writes (files, history): shown, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ParticipacionGrupoInline(SoloLecturaInline, admin.TabularInline):
    model = ParticipacionGrupo
    fields = ["grupo", "cantidad"]


class ArchivoEvidenciaInline(SoloLecturaInline, admin.TabularInline):
    model = ArchivoEvidencia
    fields = ["descarga", "tipo_contenido", "tamano_legible", "sha256", "sha256_original", "subido_en", "subido_por"]
    readonly_fields = fields

    @admin.display(description=_("archivo"))
    def descarga(self, archivo):
        return format_html('<a href="{}">{}</a>', reverse("archivo_descargar", args=[archivo.pk]), archivo)

    @admin.display(description=_("tamaño"))
    def tamano_legible(self, archivo):
        return filesizeformat(archivo.tamano)


class CambioEstadoInline(SoloLecturaInline, admin.TabularInline):
    model = CambioEstado
    fields = ["fecha", "usuario", "estado_anterior", "estado_nuevo", "comentario"]
    readonly_fields = fields


class SoloLecturaAdmin(admin.ModelAdmin):
    """Rows that only seguimiento.acciones writes: the admin shows them, never adds, changes or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EdicionEvidenciaInline(SoloLecturaInline, admin.TabularInline):
    model = EdicionEvidencia
    fields = ["fecha", "usuario", "cambios", "archivos_agregados", "archivos_quitados"]
    readonly_fields = fields


@admin.register(Evidencia)
class EvidenciaAdmin(SoloLecturaAdmin):
    """Evidence is written by delegates and moved by seguimiento.acciones; the admin only shows it."""

    list_display = ["__str__", "estado", "cantidad", "autor", "enviada_en", "revisor"]
    list_filter = ["estado", "secretaria", "meta__estrategia__objetivo__linea__plan"]
    list_select_related = ["meta", "secretaria", "autor", "revisor"]
    search_fields = ["descripcion", "lugar", "meta__codigo", "autor__username", "autor__first_name"]
    date_hierarchy = "fecha_actividad"
    inlines = [ParticipacionGrupoInline, ArchivoEvidenciaInline, CambioEstadoInline, EdicionEvidenciaInline]


@admin.register(GrupoValor)
class GrupoValorAdmin(admin.ModelAdmin):
    list_display = ["nombre", "orden", "activo"]
    list_editable = ["orden", "activo"]
    search_fields = ["nombre"]


@admin.register(Semaforo)
class SemaforoAdmin(admin.ModelAdmin):
    """One row of thresholds; it can be edited but not duplicated or removed."""

    list_display = ["__str__", "rojo_menor_que", "verde_desde"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Semaforo.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentoFirmadoInline(SoloLecturaInline, admin.TabularInline):
    model = DocumentoFirmado
    fields = ["tipo", "nombre", "tamano", "sha256", "creado_en"]
    readonly_fields = fields


@admin.register(Cierre)
class CierreAdmin(SoloLecturaAdmin):
    """Closings are made and reopened on /cierres/ (seguimiento.acciones); the admin only shows them."""

    list_display = ["plan", "hasta", "cerrado_por", "cerrado_en", "estado_archivo", "reabierto_en"]
    list_filter = ["plan", "estado_archivo"]
    list_select_related = ["plan", "cerrado_por"]
    inlines = [DocumentoFirmadoInline]


class VersionNarrativaInline(SoloLecturaInline, admin.TabularInline):
    model = VersionNarrativa
    fields = ["numero", "accion", "autor", "creado_en", "texto"]
    readonly_fields = fields


@admin.register(NarrativaInforme)
class NarrativaInformeAdmin(SoloLecturaAdmin):
    """Written on /reportes/narrativa/ (seguimiento.acciones.guardar_narrativa); the admin only shows it."""

    list_display = ["plan", "corte", "version", "editado_por", "editado_en"]
    list_filter = ["plan"]
    list_select_related = ["plan", "editado_por"]
    inlines = [VersionNarrativaInline]
