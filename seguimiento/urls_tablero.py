"""Coordinator and committee: review queue, dashboard, semáforo, audit trail, closed periods."""

from django.urls import path

from seguimiento.views import auditoria, cierres, recordatorios, revision, tablero

urlpatterns = [
    path("revision/", revision.cola, name="revision_cola"),
    path("tablero/", tablero.tablero, name="tablero"),
    path("tablero/semaforo/", tablero.semaforo_editar, name="semaforo_editar"),
    path("tablero/recordatorios/", recordatorios.recordatorios_mes, name="recordatorios_mes"),
    path("auditoria/", auditoria.auditoria_lista, name="auditoria"),
    path("cierres/", cierres.cierres_plan, name="cierres"),
    path("cierres/cerrar/", cierres.cierre_cerrar, name="cierre_cerrar"),
    path("cierres/reabrir/", cierres.cierre_reabrir, name="cierre_reabrir"),
    path("cierres/<int:pk>/reintentar/", cierres.cierre_reintentar, name="cierre_reintentar"),
    path("cierres/<int:pk>/estado/", cierres.cierre_estado, name="cierre_estado"),
]
