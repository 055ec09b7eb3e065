"""Coordinator and committee: review queue, dashboard, semáforo."""

from django.urls import path

from seguimiento.views import revision, tablero

urlpatterns = [
    path("revision/", revision.cola, name="revision_cola"),
    path("tablero/", tablero.tablero, name="tablero"),
    path("tablero/semaforo/", tablero.semaforo_editar, name="semaforo_editar"),
]
