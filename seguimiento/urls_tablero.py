"""Coordinator and committee: review queue, dashboard, semáforo."""

urlpatterns = []
