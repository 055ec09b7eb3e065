from django.urls import path, re_path

from participa import views

urlpatterns = [
    path("", views.inicio, name="participa"),
    path("<int:pk>/", views.plan_detalle, name="participa_plan"),
    path("<int:pk>/diccionario/", views.diccionario, name="participa_diccionario"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<conjunto>metas|cronograma|participantes)\.(?P<formato>csv|json)$",
        views.datos_abiertos,
        name="participa_datos",
    ),
    path("<int:pk>/informes/<int:documento>/", views.informe, name="participa_informe"),
]
