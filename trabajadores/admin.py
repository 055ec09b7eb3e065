from django.contrib import admin

from trabajadores.models import Trabajador


@admin.register(Trabajador)
class TrabajadorAdmin(admin.ModelAdmin):
    """What the workers' heartbeats say; read-only (the workers write it)."""

    list_display = ["colas", "servidor", "pid", "iniciado", "visto"]
    readonly_fields = ["worker_id", "colas", "servidor", "pid", "iniciado", "visto"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
