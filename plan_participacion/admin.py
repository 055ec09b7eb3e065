from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

# SimpleHistoryAdmin adds the "Historial" button to each object: who changed what, and when
# (the middleware in settings records the signed-in user; /auditoria/ merges all of it).
from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    SecretariaAlias,
)


class LineaAccionInline(admin.StackedInline):
    model = LineaAccion
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["municipio", "titulo", "mes_inicio", "mes_fin", "codigo_formato", "version", "importado_en"]
    list_filter = ["municipio"]
    search_fields = ["municipio", "titulo", "codigo_formato"]
    date_hierarchy = "mes_inicio"
    readonly_fields = ["archivo_origen", "importado_en"]
    inlines = [LineaAccionInline]
    fieldsets = [
        (None, {"fields": ["municipio", "titulo", "politica", "mes_inicio", "mes_fin"]}),
        (_("Formato institucional"), {"fields": ["codigo_formato", "version", "fecha_formato"]}),
        (_("Firmas"), {"fields": ["elaboro", "reviso", "aprobo", "fecha_aprobacion"]}),
        (_("Origen"), {"fields": ["archivo_origen", "importado_en"]}),
    ]


class ObjetivoInline(admin.StackedInline):
    model = Objetivo
    extra = 0
    show_change_link = True


@admin.register(LineaAccion)
class LineaAccionAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "nombre", "plan"]
    list_filter = ["plan"]
    search_fields = ["nombre"]
    inlines = [ObjetivoInline]


class EstrategiaInline(admin.StackedInline):
    model = Estrategia
    extra = 0
    show_change_link = True
    fields = ["numero", "texto"]


@admin.register(Objetivo)
class ObjetivoAdmin(SimpleHistoryAdmin):
    list_display = ["texto", "linea"]
    list_filter = ["linea__plan"]
    search_fields = ["texto"]
    inlines = [EstrategiaInline]


class MetaInline(admin.StackedInline):
    model = Meta
    extra = 0
    show_change_link = True
    fields = ["codigo", "orden", "texto", "cantidad_objetivo", "periodicidad", "por_secretaria"]


class ProgramacionMensualInline(admin.TabularInline):
    model = ProgramacionMensual
    extra = 0


@admin.register(Estrategia)
class EstrategiaAdmin(SimpleHistoryAdmin):
    list_display = ["numero", "texto", "plan", "total_metas"]
    list_filter = ["objetivo__linea__plan", "responsables"]
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
class MetaAdmin(SimpleHistoryAdmin):
    list_display = ["codigo", "texto", "cantidad_objetivo", "periodicidad", "por_secretaria", "estrategia_numero"]
    list_filter = ["periodicidad", "por_secretaria", "estrategia__objetivo__linea__plan"]
    search_fields = ["codigo", "texto", "indicadores__texto"]
    list_select_related = ["estrategia"]
    inlines = [IndicadorInline]

    @admin.display(description=_("estrategia"), ordering="estrategia__numero")
    def estrategia_numero(self, obj):
        return obj.estrategia.numero


@admin.register(Indicador)
class IndicadorAdmin(SimpleHistoryAdmin):
    list_display = ["codigo", "texto", "meta"]
    list_filter = ["meta__estrategia__objetivo__linea__plan"]
    search_fields = ["codigo", "texto"]
    list_select_related = ["meta"]


class SecretariaAliasInline(admin.TabularInline):
    model = SecretariaAlias
    extra = 0


@admin.register(Secretaria)
class SecretariaAdmin(SimpleHistoryAdmin):
    list_display = ["nombre", "sigla", "activa"]
    list_filter = ["activa"]
    search_fields = ["nombre", "sigla", "alias__nombre"]
    filter_horizontal = ["delegados"]
    inlines = [SecretariaAliasInline]


@admin.register(ProgramacionMensual)
class ProgramacionMensualAdmin(SimpleHistoryAdmin):
    list_display = ["estrategia", "mes", "cantidad"]
    list_filter = ["estrategia__objetivo__linea__plan", "mes"]
    list_select_related = ["estrategia"]
    date_hierarchy = "mes"
