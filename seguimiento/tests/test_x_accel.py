"""Evidence downloads behind nginx (ARCHIVOS_X_ACCEL_PREFIX): the view still decides who may
download; nginx only streams the file the view names."""

import pytest
from django.urls import reverse

from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.tests.conftest import bytes_pdf, bytes_png, subida


@pytest.fixture
def x_accel(settings):
    settings.ARCHIVOS_X_ACCEL_PREFIX = "/_evidencias_privadas/"


@pytest.fixture
def foto_y_acta(evidencia_salud, delegada_salud):
    guardar_archivos(
        evidencia_salud,
        [revisar_archivo(subida("foto reunión.png", bytes_png())), revisar_archivo(subida("acta.pdf", bytes_pdf()))],
        usuario=delegada_salud,
    )
    return evidencia_salud.archivos.order_by("pk")


def test_la_secretaria_recibe_la_redireccion_interna_sin_el_contenido(client, x_accel, foto_y_acta, delegada_salud):
    foto, acta = foto_y_acta
    client.force_login(delegada_salud)
    respuesta = client.get(reverse("archivo_descargar", args=[acta.pk]))
    assert respuesta.status_code == 200
    assert respuesta["X-Accel-Redirect"] == f"/_evidencias_privadas/{acta.archivo.name}"
    assert respuesta.content == b""
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"] == 'attachment; filename="acta.pdf"'
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert respuesta["Cache-Control"] == "private, no-store"
    assert "sandbox" in respuesta["Content-Security-Policy"]

    vista = client.get(reverse("archivo_ver", args=[foto.pk]))
    assert vista["X-Accel-Redirect"] == f"/_evidencias_privadas/{foto.archivo.name}"
    assert vista["Content-Disposition"].startswith("inline; filename*=utf-8''foto%20reuni")


def test_otra_secretaria_no_recibe_ninguna_redireccion(client, x_accel, foto_y_acta, delegado_hacienda):
    client.force_login(delegado_hacienda)
    for archivo in foto_y_acta:
        respuesta = client.get(reverse("archivo_descargar", args=[archivo.pk]))
        assert respuesta.status_code == 404
        assert "X-Accel-Redirect" not in respuesta


def test_sin_sesion_no_hay_redireccion(client, x_accel, foto_y_acta):
    respuesta = client.get(reverse("archivo_descargar", args=[foto_y_acta[0].pk]))
    assert respuesta.status_code == 302
    assert "X-Accel-Redirect" not in respuesta


def test_sin_el_ajuste_la_vista_envia_el_archivo(client, foto_y_acta, delegada_salud):
    acta = foto_y_acta[1]
    client.force_login(delegada_salud)
    respuesta = client.get(reverse("archivo_descargar", args=[acta.pk]))
    assert "X-Accel-Redirect" not in respuesta
    assert b"".join(respuesta.streaming_content) == bytes_pdf()
