from django.contrib import admin

from reportes.models import Informe, SolicitudInforme


class SolicitudEnLinea(admin.TabularInline):
    model = SolicitudInforme
    extra = 0
    can_delete = False
    readonly_fields = ["usuario", "pedida_en"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Informe)
class InformeAdmin(admin.ModelAdmin):
    """Report jobs, to look at; their state only changes through reportes.trabajos (and its page's buttons)."""

    list_display = ["tipo", "plan", "corte", "estado", "progreso", "paginas", "pedido_por", "ultima_solicitud"]
    list_filter = ["estado", "tipo"]
    inlines = [SolicitudEnLinea]
    readonly_fields = [f.name for f in Informe._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
