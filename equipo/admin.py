from django.contrib import admin

from equipo.models import CambioEquipo


@admin.register(CambioEquipo)
class CambioEquipoAdmin(admin.ModelAdmin):
    """Read only: the trail is written by equipo.acciones, never by hand."""

    list_display = ["fecha", "accion", "persona", "autor", "entidad"]
    list_filter = ["accion", "entidad"]
    search_fields = ["persona__username", "persona__first_name", "persona__last_name", "comentario"]
    date_hierarchy = "fecha"
    list_select_related = ["persona", "autor", "entidad"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
