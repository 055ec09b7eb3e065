"""Coordinator and committee: review queue, dashboard, semáforo."""

from django.urls import path

from seguimiento.views import revision

urlpatterns = [
    path("revision/", revision.cola, name="revision_cola"),
]
