"""A verification report too large for one request is prepared in the background and then served from disk."""

import io
import os
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reportes import diferidos
from reportes.tests.conftest import CORTE
from seguimiento.models import Evidencia


@pytest.fixture
def lanzados(monkeypatch, settings):
    """Background jobs recorded instead of started; the test runs them when it wants."""
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 3  # the story has 4 approved evidences up to the corte
    trabajos = []
    monkeypatch.setattr(diferidos, "lanzar", lambda funcion, *argumentos: trabajos.append((funcion, argumentos)))
    return trabajos


def pedir(client):
    return client.get(reverse("reporte_verificacion"), {"corte": CORTE.isoformat()})


def test_un_informe_grande_se_prepara_aparte_y_luego_se_descarga(client, comite, historia_candelaria, lanzados):
    client.force_login(comite)
    respuesta = pedir(client)
    assert respuesta.status_code == 202
    html = respuesta.content.decode()
    assert "se está preparando aparte" in html and '<meta http-equiv="refresh" content="15">' in html
    assert len(lanzados) == 1

    # Asking again while it is being prepared starts nothing new.
    assert pedir(client).status_code == 202
    assert len(lanzados) == 1

    funcion, argumentos = lanzados.pop()
    funcion(*argumentos)
    respuesta = pedir(client)
    assert respuesta.status_code == 200
    assert respuesta["Content-Disposition"].startswith("attachment")
    assert "informe-verificacion-municipio-de-candelaria-2023-03-31.pdf" in respuesta["Content-Disposition"]
    contenido = b"".join(respuesta.streaming_content)
    texto = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)
    assert "INFORME DE VERIFICACIÓN" in texto and "Evidencias aprobadas: 4" in texto
    assert not lanzados
    assert not list(diferidos.carpeta().glob("*.generando"))


def test_una_evidencia_nueva_da_otro_informe(client, comite, historia_candelaria, lanzados):
    client.force_login(comite)
    pedir(client)
    funcion, argumentos = lanzados.pop()
    funcion(*argumentos)
    assert pedir(client).status_code == 200

    aprobada = historia_candelaria["evidencias"]["1.1"]
    Evidencia.objects.filter(pk=aprobada.pk).update(cantidad=2, actualizada=aprobada.actualizada.replace(year=2030))
    assert pedir(client).status_code == 202
    assert len(lanzados) == 1


def test_un_bloqueo_abandonado_no_impide_preparar_el_informe(client, comite, historia_candelaria, lanzados):
    client.force_login(comite)
    pedir(client)
    lanzados.clear()
    (bloqueo,) = diferidos.carpeta().glob("*.generando")
    viejo = time.time() - diferidos.BLOQUEO_MAXIMO - 60
    os.utime(bloqueo, (viejo, viejo))
    assert pedir(client).status_code == 202
    assert len(lanzados) == 1


def test_por_debajo_del_umbral_se_genera_en_la_peticion(client, comite, historia_candelaria, lanzados, settings):
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 4
    client.force_login(comite)
    respuesta = pedir(client)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert not lanzados


def test_un_error_al_generar_libera_el_bloqueo(client, comite, historia_candelaria, lanzados, monkeypatch):
    client.force_login(comite)
    pedir(client)
    funcion, argumentos = lanzados.pop()

    def falla(plan, corte):
        raise RuntimeError("sin memoria")

    monkeypatch.setattr("reportes.informes.pdf_verificacion", falla)
    funcion(*argumentos)
    assert not list(diferidos.carpeta().glob("*"))  # neither a lock nor a half-written PDF
    assert pedir(client).status_code == 202
    assert len(lanzados) == 1
