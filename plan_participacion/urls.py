from django.contrib import admin
from django.urls import include, path

from plan_participacion import views
from trabajadores.views import salud

admin.site.site_header = "Seguimiento al Plan de Participación Ciudadana"
admin.site.site_title = "Plan de Participación"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("plan/", views.plan_detalle, name="plan_vigente"),
    path("plan/<int:pk>/", views.plan_detalle, name="plan_detalle"),
    path("plan/importar/", views.plan_importar, name="plan_importar"),
    path("plan/importar/confirmar/", views.plan_importar_confirmar, name="plan_importar_confirmar"),
    path("", include("seguimiento.urls")),
    path("", include("seguimiento.urls_tablero")),
    path("reportes/", include("reportes.urls")),
    path("cuentas/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("salud/", salud, name="salud"),
]
