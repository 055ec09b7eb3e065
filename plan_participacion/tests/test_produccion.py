"""Production settings, checked in a fresh Python process with a server's environment variables.

The suite itself runs with DEBUG on (the settings module is read once), so everything that
only happens with DEBUG=False (required variables, check --deploy, hashed static files,
JSON logs) is tried in a subprocess, the way gunicorn would load the settings.
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plan_participacion.registro import FormatoJSON

RAIZ = Path(__file__).resolve().parents[2]
CLAVE = "k3Yq-9vLm2Zp8Rt4Wx7Nc1Bd6Hf0Js5Gu3Ea9Ko2Ti8Ly4Mr7Qw1Pz6Vn0Xs5"


# Variables of the developer's shell that would change what is tested.
PROPIAS = (
    "DJANGO_",
    "DATABASE_URL",
    "SECURE_",
    "COOKIES_",
    "LOG_",
    "STATIC_",
    "ARCHIVOS_",
    "GUNICORN_",
    "AWS_",
    "TRABAJADORES_",
)


def entorno_produccion(tmp_path, **cambios):
    entorno = {clave: valor for clave, valor in os.environ.items() if not clave.startswith(PROPIAS)}
    entorno.update(
        DJANGO_SETTINGS_MODULE="plan_participacion.settings",
        DEBUG="false",
        SECRET_KEY=CLAVE,
        ALLOWED_HOSTS="participacion.candelaria.gov.co",
        DATABASE_URL=f"sqlite:///{tmp_path / 'produccion.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "estaticos"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "media_privada"),
    )
    for clave, valor in cambios.items():
        if valor is None:
            entorno.pop(clave, None)
        else:
            entorno[clave] = valor
    return entorno


def ejecutar(argumentos, entorno):
    return subprocess.run(
        [sys.executable, *argumentos], cwd=RAIZ, env=entorno, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_sin_advertencias(tmp_path):
    resultado = ejecutar(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], entorno_produccion(tmp_path))
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "System check identified no issues" in resultado.stdout


def test_check_deploy_avisa_si_se_desactivan_las_cookies_seguras(tmp_path):
    """The toggles for a local http run are not silent: a real server would be told."""
    entorno = entorno_produccion(tmp_path, COOKIES_SEGURAS="false", SECURE_SSL_REDIRECT="false")
    resultado = ejecutar(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], entorno)
    assert resultado.returncode != 0
    salida = resultado.stdout + resultado.stderr
    assert "security.W008" in salida and "security.W012" in salida and "security.W016" in salida


@pytest.mark.parametrize(
    ("faltante", "mensaje"),
    [
        ("SECRET_KEY", "Defina la variable de entorno SECRET_KEY (obligatoria con DEBUG=False)."),
        ("ALLOWED_HOSTS", "Defina ALLOWED_HOSTS (obligatoria con DEBUG=False)"),
    ],
)
def test_sin_variable_obligatoria_un_error_claro(tmp_path, faltante, mensaje):
    resultado = ejecutar(["manage.py", "check"], entorno_produccion(tmp_path, **{faltante: None}))
    assert resultado.returncode != 0
    assert "ImproperlyConfigured" in resultado.stderr
    assert mensaje in resultado.stderr


def test_log_format_desconocido_es_un_error_claro(tmp_path):
    resultado = ejecutar(["manage.py", "check"], entorno_produccion(tmp_path, LOG_FORMAT="xml"))
    assert resultado.returncode != 0
    assert "LOG_FORMAT debe ser «json» o «texto»." in resultado.stderr


SERVIR_ESTATICO = """
import django, json
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", "--noinput", verbosity=0)
url = staticfiles_storage.url("css/app.css")
cliente = Client(HTTP_HOST="participacion.candelaria.gov.co")
comprimida = cliente.get(url, secure=True, HTTP_ACCEPT_ENCODING="gzip")
plana = cliente.get(url, secure=True)
cuerpo = b"".join(plana.streaming_content)
original = open("static/css/app.css", "rb").read()
ausente = cliente.get("/static/css/no-existe.css", secure=True)
print(json.dumps({
    "url": url,
    "estado": comprimida.status_code,
    "codificacion": comprimida.headers.get("Content-Encoding"),
    "cache": comprimida.headers.get("Cache-Control"),
    "igual": cuerpo == original,
    "ausente": ausente.status_code,
}))
"""


def test_whitenoise_sirve_estaticos_con_hash_y_comprimidos(tmp_path):
    resultado = ejecutar(["-c", SERVIR_ESTATICO], entorno_produccion(tmp_path))
    assert resultado.returncode == 0, resultado.stderr
    datos = json.loads(resultado.stdout.strip().splitlines()[-1])
    nombre = datos["url"].rsplit("/", 1)[-1]
    assert datos["url"].startswith("/static/css/app.") and nombre != "app.css" and nombre.endswith(".css")
    assert datos["estado"] == 200
    assert datos["codificacion"] == "gzip"
    assert "max-age=315360000" in datos["cache"] and "immutable" in datos["cache"]
    assert datos["igual"] is True
    assert datos["ausente"] == 404
    assert (tmp_path / "estaticos" / "staticfiles.json").exists()


REGISTRAR = """
import django, logging
django.setup()
registro = logging.getLogger("plan_participacion.prueba")
registro.warning("Importación rechazada: %s", "sin encabezado", extra={"filas": 3})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").exception("Error interno")
"""


def test_en_produccion_los_registros_son_json_de_una_linea(tmp_path):
    resultado = ejecutar(["-c", REGISTRAR], entorno_produccion(tmp_path))
    assert resultado.returncode == 0, resultado.stderr
    lineas = resultado.stderr.strip().splitlines()
    assert len(lineas) == 2, resultado.stderr
    aviso, error = (json.loads(linea) for linea in lineas)
    assert aviso["nivel"] == "WARNING"
    assert aviso["logger"] == "plan_participacion.prueba"
    assert aviso["mensaje"] == "Importación rechazada: sin encabezado"
    assert aviso["filas"] == 3
    assert aviso["ts"].endswith("+00:00")
    assert error["nivel"] == "ERROR"
    assert "ZeroDivisionError" in error["exc"]


def test_log_format_texto_para_leer_en_una_terminal(tmp_path):
    resultado = ejecutar(["-c", REGISTRAR], entorno_produccion(tmp_path, LOG_FORMAT="texto"))
    primera = resultado.stderr.splitlines()[0]
    assert "WARNING plan_participacion.prueba Importación rechazada: sin encabezado" in primera
    with pytest.raises(json.JSONDecodeError):
        json.loads(primera)


def test_formato_json_de_una_peticion(rf):
    registro = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/",), None)
    registro.request = rf.get("/x/?q=1")
    registro.status_code = 404
    datos = json.loads(FormatoJSON().format(registro))
    assert {k: datos[k] for k in ("nivel", "logger", "mensaje", "metodo", "ruta", "estado")} == {
        "nivel": "WARNING",
        "logger": "django.request",
        "mensaje": "Not Found: /x/",
        "metodo": "GET",
        "ruta": "/x/",
        "estado": 404,
    }


LEER_GUNICORN = """
import json, multiprocessing, runpy
c = runpy.run_path("gunicorn.conf.py")
print(json.dumps({
    "workers": c["workers"], "threads": c["threads"], "bind": c["bind"], "timeout": c["timeout"],
    "json": "logconfig_dict" in c, "nucleos": multiprocessing.cpu_count(),
}))
"""


def test_gunicorn_conf_lee_el_entorno(tmp_path):
    entorno = entorno_produccion(tmp_path, GUNICORN_WORKERS="3", GUNICORN_BIND="127.0.0.1:9000,[::1]:9000")
    datos = json.loads(ejecutar(["-c", LEER_GUNICORN], entorno).stdout)
    assert (datos["workers"], datos["threads"], datos["timeout"]) == (3, 4, 60)
    assert datos["bind"] == ["127.0.0.1:9000", "[::1]:9000"]
    assert datos["json"] is True
    por_defecto = json.loads(ejecutar(["-c", LEER_GUNICORN], entorno_produccion(tmp_path, LOG_FORMAT="texto")).stdout)
    assert por_defecto["workers"] == 2 * por_defecto["nucleos"] + 1
    assert por_defecto["json"] is False


def test_con_un_bucket_los_archivos_privados_van_a_s3(tmp_path):
    entorno = entorno_produccion(
        tmp_path, AWS_STORAGE_BUCKET_NAME="participacion", AWS_S3_ENDPOINT_URL="https://minio.interno:9000"
    )
    resultado = ejecutar(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], entorno)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    codigo = (
        "from plan_participacion.almacen import almacen; a = almacen(); "
        "print(type(a).__name__, a.bucket_name, a.endpoint_url, a.default_acl)"
    )
    resultado = ejecutar(["manage.py", "shell", "-c", codigo], entorno)
    assert resultado.stdout.splitlines()[-1].split() == [
        "AlmacenS3",
        "participacion",
        "https://minio.interno:9000",
        "private",
    ], resultado.stderr


def test_x_accel_y_bucket_a_la_vez_no_arranca(tmp_path):
    entorno = entorno_produccion(
        tmp_path, AWS_STORAGE_BUCKET_NAME="participacion", ARCHIVOS_X_ACCEL_PREFIX="/_privados/"
    )
    resultado = ejecutar(["manage.py", "check"], entorno)
    assert resultado.returncode != 0
    assert "ImproperlyConfigured: ARCHIVOS_X_ACCEL_PREFIX sirve archivos de PRIVATE_MEDIA_ROOT" in resultado.stderr


def test_una_ausencia_menor_que_tres_latidos_se_explica(tmp_path):
    entorno = entorno_produccion(tmp_path, TRABAJADORES_LATIDO="30", TRABAJADORES_AUSENCIA="60")
    resultado = ejecutar(["manage.py", "check"], entorno)
    assert "TRABAJADORES_AUSENCIA debe ser al menos tres veces TRABAJADORES_LATIDO." in resultado.stderr
