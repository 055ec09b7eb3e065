"""Committee documents: PDF progress and verification reports, Excel schedule.

Stable URLs, usable as bookmarks: /reportes/avance.pdf?corte=AAAA-MM-DD,
/reportes/verificacion.pdf?corte=AAAA-MM-DD, /reportes/cronograma.xlsx; a
``plan`` parameter chooses the plan (the latest one by default). On the date of a
closed period they are the signed documents archived by the closing (reportes.firmados),
listed at /reportes/firmados/; /reportes/verificar/ checks a document by its hash, for anyone.
"""

from django.urls import path

from reportes import firmados, furag, narrativa, views

urlpatterns = [
    path("", views.inicio, name="reportes"),
    path("avance.pdf", views.avance_pdf, name="reporte_avance"),
    path("verificacion.pdf", views.verificacion_pdf, name="reporte_verificacion"),
    path("cronograma.xlsx", views.cronograma_xlsx, name="reporte_cronograma"),
    path("narrativa/", narrativa.narrativa, name="reporte_narrativa"),
    path("furag/", furag.pagina, name="reporte_furag"),
    path("furag.pdf", furag.furag_pdf, name="reporte_furag_pdf"),
    path("furag.xlsx", furag.furag_xlsx, name="reporte_furag_xlsx"),
    path("firmados/", firmados.lista, name="firmados"),
    path("firmados/<int:pk>/descargar/", firmados.descargar, name="firmado_descargar"),
    path("firmados/cierre/<int:pk>/resumen.json", firmados.resumen, name="firmado_resumen"),
    path("verificar/", firmados.verificar, name="verificar"),
    path("informes/<int:pk>/", views.informe_detalle, name="informe_detalle"),
    path("informes/<int:pk>/descargar/", views.informe_descargar, name="informe_descargar"),
    path("informes/<int:pk>/reintentar/", views.informe_reintentar, name="informe_reintentar"),
]
