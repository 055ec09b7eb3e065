"""Committee documents: PDF progress and verification reports, Excel schedule.

Stable URLs, usable as bookmarks: /reportes/avance.pdf?corte=AAAA-MM-DD,
/reportes/verificacion.pdf?corte=AAAA-MM-DD, /reportes/cronograma.xlsx; a
``plan`` parameter chooses the plan (the latest one by default).
"""

from django.urls import path

from reportes import views

urlpatterns = [
    path("", views.inicio, name="reportes"),
    path("avance.pdf", views.avance_pdf, name="reporte_avance"),
    path("verificacion.pdf", views.verificacion_pdf, name="reporte_verificacion"),
    path("cronograma.xlsx", views.cronograma_xlsx, name="reporte_cronograma"),
    path("informes/<int:pk>/", views.informe_detalle, name="informe_detalle"),
    path("informes/<int:pk>/descargar/", views.informe_descargar, name="informe_descargar"),
    path("informes/<int:pk>/reintentar/", views.informe_reintentar, name="informe_reintentar"),
]
