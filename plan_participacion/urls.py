from django.contrib import admin
from django.urls import include, path

from plan_participacion.views import ciclo, importar, metas, plan
from seguimiento.views import cuentas
from trabajadores.views import salud

admin.site.site_header = "Seguimiento al Plan de Participación Ciudadana"
admin.site.site_title = "Plan de Participación"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", plan.inicio, name="inicio"),
    path("plan/", plan.plan_detalle, name="plan_vigente"),
    path("plan/<int:pk>/", plan.plan_detalle, name="plan_detalle"),
    path("plan/<int:pk>/publicar/", plan.plan_publicar, name="plan_publicar"),
    path("plan/<int:pk>/despublicar/", plan.plan_despublicar, name="plan_despublicar"),
    path("participa/", include("participa.urls")),
    path("plan/<int:pk>/fases/", ciclo.plan_fases, name="plan_fases"),
    path("plan/importar/", importar.plan_importar, name="plan_importar"),
    path("plan/importar/confirmar/", importar.plan_importar_confirmar, name="plan_importar_confirmar"),
    path("plan/metas/<int:pk>/objetivo/", metas.meta_objetivo, name="meta_objetivo"),
    path("equipo/", include("equipo.urls")),
    path("", include("seguimiento.urls")),
    path("", include("seguimiento.urls_tablero")),
    path("reportes/", include("reportes.urls")),
    # Before Django's own: the login page says when a session ends; the reset is throttled.
    path("cuentas/login/", cuentas.EntrarView.as_view(), name="login"),
    path("cuentas/password_reset/", cuentas.RestablecerView.as_view(), name="password_reset"),
    path("cuentas/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("salud/", salud, name="salud"),
]
