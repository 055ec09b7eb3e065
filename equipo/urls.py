"""The coordinator's team pages (/equipo/) and the invitation link."""

from django.urls import path

from equipo import views

urlpatterns = [
    path("", views.equipo, name="equipo"),
    path("invitar/", views.invitar, name="equipo_invitar"),
    path("<int:pk>/", views.persona, name="equipo_persona"),
    path("<int:pk>/desactivar/", views.desactivar, name="equipo_desactivar"),
    path("<int:pk>/reactivar/", views.reactivar, name="equipo_reactivar"),
    path("<int:pk>/desbloquear/", views.desbloquear, name="equipo_desbloquear"),
    path("<int:pk>/reenviar/", views.reenviar, name="equipo_reenviar"),
    path("activar/<uidb64>/<token>/", views.activar, name="equipo_activar"),
]
