"""Files on S3-compatible storage, over HTTP: moto's standalone server on 127.0.0.1 plays the bucket.

Upload an evidence file → it lands in the bucket, not on disk; the verification report job is stored
there too; both come back through the permission-checked views, streamed, with their security headers.
"""

import hashlib
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from plan_participacion import importacion
from plan_participacion.almacen import AlmacenS3, almacen, almacen_privado
from reportes.models import Informe
from seguimiento import acciones
from seguimiento.models import ArchivoEvidencia, Evidencia
from seguimiento.tests.conftest import bytes_pdf, datos_evidencia, subida

CUBO = "participacion-pruebas"


def puerto_libre():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def servidor_s3(tmp_path_factory):
    """moto's standalone S3 server, started for this module and stopped after it."""
    puerto = puerto_libre()
    registro = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(registro, "wb") as salida:
        proceso = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(puerto)],
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{puerto}"
    try:
        limite = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 - our own loopback server
                break
            except OSError:
                if time.monotonic() > limite or proceso.poll() is not None:
                    pytest.fail(f"moto_server no arrancó: {registro.read_text()[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        proceso.terminate()
        proceso.wait(timeout=10)


@pytest.fixture
def cubo(servidor_s3, settings, monkeypatch):
    """STORAGES["privado"] on an empty private bucket of the moto server (what AWS_STORAGE_BUCKET_NAME selects)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "prueba")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "prueba")
    cliente = boto3.client("s3", endpoint_url=servidor_s3, region_name="us-east-1")
    cliente.create_bucket(Bucket=CUBO)
    settings.STORAGES = {
        **settings.STORAGES,
        "privado": {
            "BACKEND": "plan_participacion.almacen.AlmacenS3",
            "OPTIONS": {
                "bucket_name": CUBO,
                "endpoint_url": servidor_s3,
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        },
    }
    assert isinstance(almacen(), AlmacenS3)
    yield cliente
    objetos = cliente.list_objects_v2(Bucket=CUBO).get("Contents", [])
    for objeto in objetos:
        cliente.delete_object(Bucket=CUBO, Key=objeto["Key"])
    cliente.delete_bucket(Bucket=CUBO)


def claves(cliente, prefijo=""):
    return sorted(o["Key"] for o in cliente.list_objects_v2(Bucket=CUBO, Prefix=prefijo).get("Contents", []))


def test_subir_informe_y_descargar_con_el_cubo(
    cubo,
    client,
    plan_pequeno,
    salud,
    delegada_salud,
    delegado_hacienda,
    coordinador,
    comite,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media_privada"
    contenido = bytes_pdf("Acta de la mesa de trabajo en el cubo")

    # 1. The delegate uploads: the file goes to the bucket, under an unguessable key, nothing on disk.
    client.force_login(delegada_salud)
    meta = plan_pequeno.metas().get(codigo="1.2")
    respuesta = client.post(
        reverse("evidencia_crear"), datos_evidencia(meta, salud, archivos=[subida("acta.pdf", contenido)])
    )
    assert respuesta.status_code == 302
    archivo = ArchivoEvidencia.objects.get()
    assert claves(cubo, "evidencias/") == [archivo.archivo.name]
    guardado = cubo.get_object(Bucket=CUBO, Key=archivo.archivo.name)["Body"].read()
    assert guardado == contenido
    assert not settings.PRIVATE_MEDIA_ROOT.exists()
    with pytest.raises(ValueError):
        archivo.archivo.url  # noqa: B018 - no public (presigned) URL: it could not carry the security headers

    # 2. Reviewed and approved; the committee asks for the verification report as a job.
    evidencia = Evidencia.objects.get()
    acciones.enviar(evidencia, usuario=delegada_salud)
    acciones.aprobar(evidencia, revisor=coordinador)
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 0
    client.force_login(comite)
    url = reverse("reporte_verificacion")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url, {"corte": "2024-03-31"}).status_code == 202
    informe = Informe.objects.get()
    assert informe.estado == Informe.Estado.LISTO
    assert claves(cubo, "informes/") == [informe.archivo]
    respuesta = client.get(url, {"corte": "2024-03-31"})
    assert respuesta.status_code == 200
    pdf = b"".join(respuesta.streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == informe.sha256
    assert respuesta["X-Content-Type-Options"] == "nosniff" and respuesta["Content-Disposition"].startswith(
        "attachment"
    )

    # 3. Downloads come back through the permission-checked view, streamed, with their headers.
    client.force_login(delegada_salud)
    respuesta = client.get(reverse("archivo_descargar", args=[archivo.pk]))
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == contenido
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in respuesta["Content-Security-Policy"]
    assert respuesta["Content-Disposition"].startswith("attachment")
    assert "no-store" in respuesta["Cache-Control"]
    client.force_login(delegado_hacienda)
    assert client.get(reverse("archivo_descargar", args=[archivo.pk])).status_code == 404


def test_la_hoja_en_espera_de_confirmacion_tambien_va_al_cubo(cubo, client, coordinador, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media_privada"
    sesion = {}
    token = importacion.guardar_pendiente(sesion, b"hoja del cronograma", "plan.tsv")
    assert claves(cubo, "importaciones/") == [f"importaciones/{token}"]
    assert importacion.leer_pendiente(sesion, token) == (b"hoja del cronograma", "plan.tsv")
    importacion.descartar_pendiente(sesion)
    assert claves(cubo, "importaciones/") == []
    almacen_privado.save("importaciones/otra", ContentFile(b"x"))
    importacion.limpiar_vencidas()  # recent: kept
    assert claves(cubo, "importaciones/") == ["importaciones/otra"]
    assert not settings.PRIVATE_MEDIA_ROOT.exists()
