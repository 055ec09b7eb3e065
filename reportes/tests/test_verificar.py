"""/reportes/verificar/: anyone checks a document against the archive by its SHA-256, without an account.

The archive is made by closing plan_pequeno up to 31 March 2024 (seguimiento.tests.test_firmados
tests how); here a control body uploads what it received, or pastes its hash.
"""

import datetime
import hashlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reportes.firmados import HuellaDeArchivo
from seguimiento import acciones
from seguimiento.models import DocumentoFirmado
from seguimiento.tests.conftest import MARZO

URL = "/reportes/verificar/"


@pytest.fixture(autouse=True)
def limite_limpio(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def archivados(plan_pequeno, coordinador, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador)
    return {d.tipo: d for d in DocumentoFirmado.objects.all()}


def contenido(documento):
    with documento.archivo.open("rb") as archivo:
        return archivo.read()


def subir(client, nombre, datos, **extra):
    return client.post(URL, {"archivo": SimpleUploadedFile(nombre, datos)}, **extra)


def test_la_pagina_es_publica_y_se_explica(client):
    respuesta = client.get(reverse("verificar"))
    assert respuesta.status_code == 200
    texto = respuesta.content.decode()
    assert "Suba el PDF o el Excel que recibió, o pegue su huella SHA-256" in texto
    assert "El archivo no se guarda" in texto


@pytest.mark.parametrize("tipo", ["avance", "verificacion", "cronograma"])
def test_reconoce_un_documento_archivado(client, archivados, tipo, almacen_temporal):
    documento = archivados[tipo]
    guardados = sorted(p for p in almacen_temporal.rglob("*") if p.is_file())
    respuesta = subir(client, documento.nombre, contenido(documento))
    assert respuesta.status_code == 200
    texto = respuesta.content.decode()
    assert "Sí: es un documento firmado de esta aplicación, sin ningún cambio." in texto
    assert documento.get_tipo_display() in texto
    assert "Municipio de Prueba" in texto and "31 de marzo de 2024" in texto
    assert "se cerró el" in texto and "(Carolina Ríos)" in texto
    assert documento.sha256 in texto
    # Nothing uploaded is stored: not in the archive's folder, not even in memory or a temporary file.
    assert sorted(p for p in almacen_temporal.rglob("*") if p.is_file()) == guardados
    subido = respuesta.wsgi_request.FILES["archivo"]
    assert isinstance(subido, HuellaDeArchivo) and subido.file is None
    assert (subido.size, subido.sha256) == (documento.tamano, documento.sha256)


def test_rechaza_una_copia_con_un_byte_cambiado(client, archivados):
    original = contenido(archivados["avance"])
    alterado = bytearray(original)
    alterado[len(alterado) // 2] ^= 0x01
    respuesta = subir(client, "informe.pdf", bytes(alterado))
    texto = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "No: no es un documento archivado por esta aplicación." in texto
    assert hashlib.sha256(bytes(alterado)).hexdigest() in texto
    assert "aunque sea un solo carácter" in texto


def test_por_huella_pegada_o_en_la_direccion(client, archivados):
    huella = archivados["cronograma"].sha256
    pegada = client.post(URL, {"sha256": f"  SHA256: {huella.upper()[:32]} {huella.upper()[32:]} "})
    assert "Sí: es un documento firmado" in pegada.content.decode()
    enlace = client.get(URL, {"sha256": huella})
    assert "Cronograma programado y ejecutado (Excel)" in enlace.content.decode()
    otra = client.get(URL, {"sha256": "0" * 64})
    assert "No: no es un documento archivado" in otra.content.decode()


def test_explica_lo_que_no_es_una_huella(client):
    respuesta = client.post(URL, {"sha256": "no-es-una-huella"})
    assert respuesta.status_code == 400
    assert "Eso no es una huella SHA-256" in respuesta.content.decode()
    vacio = client.post(URL, {})
    assert vacio.status_code == 400
    assert "Elija un archivo o pegue una huella SHA-256." in vacio.content.decode()


def test_un_archivo_que_no_es_pdf_ni_excel(client, archivados):
    respuesta = subir(client, "notas.txt", b"hola")
    assert "No: no es un documento archivado" in respuesta.content.decode()
    assert "no es un PDF ni un libro de Excel" in respuesta.content.decode()


def test_un_documento_reemplazado_se_reconoce_como_reemplazado(client, archivados, plan_pequeno, coordinador):
    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="El comité pidió revisar marzo")
    respuesta = subir(client, "informe.pdf", contenido(archivados["avance"]))
    texto = respuesta.content.decode()
    assert "pero fue reemplazado" in texto
    assert "El comité pidió revisar marzo" in texto


def test_un_archivo_demasiado_grande_se_rechaza_sin_leerlo_entero(client, settings):
    settings.VERIFICAR_MAX_BYTES = 1000
    respuesta = subir(client, "grande.pdf", b"%PDF-" + b"x" * 5000)
    assert respuesta.status_code == 413
    assert "El archivo supera" in respuesta.content.decode()


def test_se_limita_el_numero_de_verificaciones_por_cliente(client, settings, archivados):
    settings.VERIFICAR_LIMITE, settings.VERIFICAR_VENTANA_SEGUNDOS = 3, 600
    huella = archivados["avance"].sha256
    for _vez in range(3):
        assert client.get(URL, {"sha256": huella}).status_code == 200
    limitada = subir(client, "informe.pdf", contenido(archivados["avance"]))
    assert limitada.status_code == 429
    assert limitada["Retry-After"] == "600"
    assert "Se han hecho demasiadas verificaciones desde su conexión. Espere 10 minutos" in limitada.content.decode()
    # Another address is not affected; the page itself (no query) is never limited.
    assert client.get(URL, {"sha256": huella}, REMOTE_ADDR="10.0.0.8").status_code == 200
    assert client.get(URL).status_code == 200


def test_cada_turno_se_libera_al_pasar_la_ventana(client, db, settings, time_machine):
    settings.VERIFICAR_LIMITE, settings.VERIFICAR_VENTANA_SEGUNDOS = 2, 60
    huella = {"sha256": "a" * 64}
    time_machine.move_to(datetime.datetime(2024, 4, 5, 10, 0, 0, tzinfo=datetime.UTC), tick=False)
    assert client.get(URL, huella).status_code == 200
    time_machine.move_to(datetime.datetime(2024, 4, 5, 10, 0, 30, tzinfo=datetime.UTC), tick=False)
    assert client.get(URL, huella).status_code == 200
    assert client.get(URL, huella).status_code == 429
    # A minute after the first check its turn is free again; the second one's is not yet.
    time_machine.move_to(datetime.datetime(2024, 4, 5, 10, 1, 1, tzinfo=datetime.UTC), tick=False)
    assert client.get(URL, huella).status_code == 200
    assert client.get(URL, huella).status_code == 429


def test_exige_el_token_csrf(archivados):
    from django.test import Client

    sin_token = Client(enforce_csrf_checks=True)
    assert sin_token.post(URL, {"sha256": archivados["avance"].sha256}).status_code == 403
