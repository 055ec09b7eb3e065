"""Coordinator and committee: review queue, dashboard, semáforo, audit trail."""

from django.urls import path

from seguimiento.views import auditoria, recordatorios, revision, tablero

urlpatterns = [
    path("revision/", revision.cola, name="revision_cola"),
    path("tablero/", tablero.tablero, name="tablero"),
    path("tablero/semaforo/", tablero.semaforo_editar, name="semaforo_editar"),
    path("tablero/recordatorios/", recordatorios.recordatorios_mes, name="recordatorios_mes"),
    path("auditoria/", auditoria.auditoria_lista, name="auditoria"),
]
