from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

# SimpleHistoryAdmin adds the "Historial" button to each object: who changed what, and when
# (the middleware in settings records the signed-in user; /auditoria/ merges all of it).
from plan_participacion.models import (
    Entidad,
    Estrategia,
    Indicador,
    LineaAccion,
    Membresia,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    SecretariaAlias,
    entidad_de,
    es_administrador,
)

User = get_user_model()


def solo_lo_presente(campo):
    """A list filter offering only the values present in the (scoped) list: no other entidad's plan names."""
    return (campo, admin.RelatedOnlyFieldListFilter)


class AlcanceAdmin(SimpleHistoryAdmin):
    """Each person administers their entidad's rows only (administrators: all); so do the choices of
    every foreign key and many-to-many field."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_para(request.user)

    def _acotar(self, request, queryset):
        if hasattr(queryset, "visible_para"):
            return queryset.visible_para(request.user)
        if queryset.model is User and not es_administrador(request.user):
            return queryset.filter(membresia__entidad=entidad_de(request.user))
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        campo = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if campo is not None and hasattr(campo, "queryset"):
            campo.queryset = self._acotar(request, campo.queryset)
        return campo

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        campo = super().formfield_for_manytomany(db_field, request, **kwargs)
        if campo is not None and hasattr(campo, "queryset"):
            campo.queryset = self._acotar(request, campo.queryset)
        return campo


@admin.register(Entidad)
class EntidadAdmin(AlcanceAdmin):
    """Superusers and the "Administrador" group create and edit entidades; a coordinator sees their own."""

    list_display = ["nombre", "codigo_dane", "nit", "total_planes", "total_personas"]
    search_fields = ["nombre", "codigo_dane", "nit"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_planes=Count("planes", distinct=True), n_personas=Count("membresias", distinct=True))
        )

    @admin.display(description=_("planes"), ordering="n_planes")
    def total_planes(self, obj):
        return obj.n_planes

    @admin.display(description=_("personas"), ordering="n_personas")
    def total_personas(self, obj):
        return obj.n_personas


@admin.register(Membresia)
class MembresiaAdmin(AlcanceAdmin):
    list_display = ["usuario", "entidad"]
    list_filter = [solo_lo_presente("entidad")]
    search_fields = ["usuario__username", "usuario__first_name", "usuario__last_name", "entidad__nombre"]
    raw_id_fields = ["usuario"]
    list_select_related = ["usuario", "entidad"]


class MembresiaInline(admin.StackedInline):
    model = Membresia
    extra = 0
    max_num = 1
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class UsuarioAdmin(UserAdmin):
    """Django's user admin with the person's entidad."""

    inlines = [*UserAdmin.inlines, MembresiaInline]


class LineaAccionInline(admin.StackedInline):
    model = LineaAccion
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(AlcanceAdmin):
    list_display = ["municipio", "titulo", "mes_inicio", "mes_fin", "codigo_formato", "version", "importado_en"]
    list_filter = [solo_lo_presente("entidad"), "municipio"]
    search_fields = ["municipio", "titulo", "codigo_formato"]
    date_hierarchy = "mes_inicio"
    readonly_fields = ["archivo_origen", "importado_en"]
    inlines = [LineaAccionInline]
    fieldsets = [
        (None, {"fields": ["entidad", "municipio", "titulo", "politica", "mes_inicio", "mes_fin"]}),
        (_("Formato institucional"), {"fields": ["codigo_formato", "version", "fecha_formato"]}),
        (_("Firmas"), {"fields": ["elaboro", "reviso", "aprobo", "fecha_aprobacion"]}),
        (_("Origen"), {"fields": ["archivo_origen", "importado_en"]}),
    ]


class ObjetivoInline(admin.StackedInline):
    model = Objetivo
    extra = 0
    show_change_link = True


@admin.register(LineaAccion)
class LineaAccionAdmin(AlcanceAdmin):
    list_display = ["numero", "nombre", "plan"]
    list_filter = [solo_lo_presente("plan")]
    search_fields = ["nombre"]
    inlines = [ObjetivoInline]


class EstrategiaInline(admin.StackedInline):
    model = Estrategia
    extra = 0
    show_change_link = True
    fields = ["numero", "texto"]


@admin.register(Objetivo)
class ObjetivoAdmin(AlcanceAdmin):
    list_display = ["texto", "linea"]
    list_filter = [solo_lo_presente("linea__plan")]
    search_fields = ["texto"]
    inlines = [EstrategiaInline]


class MetaInline(admin.StackedInline):
    model = Meta
    extra = 0
    show_change_link = True
    fields = ["codigo", "orden", "texto", "cantidad_objetivo", "periodicidad", "por_secretaria", "fuera_de_la_hoja"]


class ProgramacionMensualInline(admin.TabularInline):
    model = ProgramacionMensual
    extra = 0


@admin.register(Estrategia)
class EstrategiaAdmin(AlcanceAdmin):
    list_display = ["numero", "texto", "plan", "total_metas"]
    list_filter = [solo_lo_presente("objetivo__linea__plan"), solo_lo_presente("responsables")]
    search_fields = ["texto", "metas__texto"]
    filter_horizontal = ["responsables"]
    inlines = [MetaInline, ProgramacionMensualInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("objetivo__linea__plan")
            .annotate(num_metas=Count("metas", distinct=True))
        )

    @admin.display(description=_("plan"), ordering="objetivo__linea__plan")
    def plan(self, obj):
        return obj.objetivo.linea.plan

    @admin.display(description=_("metas"), ordering="num_metas")
    def total_metas(self, obj):
        return obj.num_metas


class IndicadorInline(admin.TabularInline):
    model = Indicador
    extra = 0


@admin.register(Meta)
class MetaAdmin(AlcanceAdmin):
    list_display = ["codigo", "texto", "cantidad_objetivo", "periodicidad", "por_secretaria", "estrategia_numero"]
    list_filter = [
        "periodicidad",
        "por_secretaria",
        "fuera_de_la_hoja",
        solo_lo_presente("estrategia__objetivo__linea__plan"),
    ]
    # The adjusted total has its own page (meta_objetivo), which asks for the reason and keeps it.
    readonly_fields = ["objetivo_ajustado", "motivo_objetivo"]
    search_fields = ["codigo", "texto", "indicadores__texto"]
    list_select_related = ["estrategia"]
    inlines = [IndicadorInline]

    @admin.display(description=_("estrategia"), ordering="estrategia__numero")
    def estrategia_numero(self, obj):
        return obj.estrategia.numero


@admin.register(Indicador)
class IndicadorAdmin(AlcanceAdmin):
    list_display = ["codigo", "texto", "meta"]
    list_filter = [solo_lo_presente("meta__estrategia__objetivo__linea__plan")]
    search_fields = ["codigo", "texto"]
    list_select_related = ["meta"]


class SecretariaAliasInline(admin.TabularInline):
    model = SecretariaAlias
    extra = 0


@admin.register(Secretaria)
class SecretariaAdmin(AlcanceAdmin):
    list_display = ["nombre", "sigla", "activa", "entidad"]
    list_filter = ["activa", solo_lo_presente("entidad")]
    search_fields = ["nombre", "sigla", "alias__nombre"]
    filter_horizontal = ["delegados"]
    inlines = [SecretariaAliasInline]


@admin.register(ProgramacionMensual)
class ProgramacionMensualAdmin(AlcanceAdmin):
    list_display = ["estrategia", "mes", "cantidad"]
    list_filter = [solo_lo_presente("estrategia__objetivo__linea__plan"), "mes"]
    list_select_related = ["estrategia"]
    date_hierarchy = "mes"
