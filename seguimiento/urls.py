"""Delegates' journey: Mis metas, evidence, files, and the review actions on one evidence."""

from django.urls import path

from seguimiento.views import evidencias, subidas

urlpatterns = [
    path("mis-metas/", evidencias.mis_metas, name="mis_metas"),
    path("evidencias/", evidencias.evidencia_lista, name="evidencia_lista"),
    path("evidencias/nueva/", evidencias.evidencia_crear, name="evidencia_crear"),
    path("evidencias/subidas/", subidas.subida_iniciar, name="subida_iniciar"),
    path("evidencias/subidas/<str:token>/", subidas.subida_trozo, name="subida_trozo"),
    path("evidencias/<int:pk>/", evidencias.evidencia_detalle, name="evidencia_detalle"),
    path("evidencias/<int:pk>/editar/", evidencias.evidencia_editar, name="evidencia_editar"),
    path("evidencias/<int:pk>/eliminar/", evidencias.evidencia_eliminar, name="evidencia_eliminar"),
    path("evidencias/<int:pk>/enviar/", evidencias.evidencia_enviar, name="evidencia_enviar"),
    path("evidencias/<int:pk>/aprobar/", evidencias.evidencia_aprobar, name="evidencia_aprobar"),
    path("evidencias/<int:pk>/devolver/", evidencias.evidencia_devolver, name="evidencia_devolver"),
    path("archivos/<int:pk>/descargar/", evidencias.archivo_descargar, name="archivo_descargar"),
    path("archivos/<int:pk>/ver/", evidencias.archivo_ver, name="archivo_ver"),
]
