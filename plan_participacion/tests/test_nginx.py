"""The shipped proxy, run for real: deploy/nginx.conf in front of gunicorn on 127.0.0.1.

A temporary prefix holds a main configuration that includes the shipped file with only its
ports, certificate lines and files' folder replaced; gunicorn runs the app as on a server
(DEBUG=false, X-Accel-Redirect downloads) on a SQLite database made for the run. Then the
headers of a page, an attachment and an inline image are read through nginx.

nginx comes from scripts/instalar_sistema.sh (`make test` runs it first).
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
CONFIGURACION = RAIZ / "deploy" / "nginx.conf"
UNIDAD = RAIZ / "deploy" / "participacion.service"
SERVIDOR = "participacion.candelaria.gov.co"
CLAVE = "k3Yq-9vLm2Zp8Rt4Wx7Nc1Bd6Hf0Js5Gu3Ea9Ko2Ti8Ly4Mr7Qw1Pz6Vn0Xs5"
CSP_DE_LOS_ARCHIVOS = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

PREPARAR = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from plan_participacion.models import Entidad, Estrategia, LineaAccion, Meta, Objetivo, Plan, Secretaria
from seguimiento.archivos import guardar_archivos, revisar_archivo
from conftest import crear_usuario
from seguimiento.tests.conftest import EvidenciaFactory, bytes_pdf, bytes_png, subida
import datetime

call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
# Hashed names as in production, without the gzip and brotli copies (14 s here; test_produccion.py checks them).
manifiesto = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": manifiesto}}
call_command("collectstatic", interactive=False, verbosity=0)
candelaria = Entidad.objects.create(nombre="Municipio de Candelaria")
salud = Secretaria.objects.create(entidad=candelaria, nombre="Secretaría de Salud")
plan = Plan.objects.create(entidad=candelaria, municipio="Candelaria", titulo="Plan", codigo_formato="54-PSC-FT-743",
                           version="1",
                           mes_inicio=datetime.date(2024, 1, 1), mes_fin=datetime.date(2024, 6, 1))
linea = LineaAccion.objects.create(plan=plan, numero=1, nombre="Línea")
objetivo = Objetivo.objects.create(linea=linea, texto="Objetivo")
estrategia = Estrategia.objects.create(objetivo=objetivo, numero=1, texto="Estrategia")
estrategia.responsables.set([salud])
meta = Meta.objects.create(estrategia=estrategia, codigo="1.1", orden=1, texto="Una reunión", cantidad_objetivo=1)
daniela = crear_usuario("daniela.salud", "Delegado", entidad=candelaria)
salud.delegados.add(daniela)
evidencia = EvidenciaFactory(meta=meta, secretaria=salud, autor=daniela)
guardar_archivos(evidencia, [revisar_archivo(subida("foto reunión.png", bytes_png())),
                             revisar_archivo(subida("acta.pdf", bytes_pdf()))], usuario=daniela)
sesion = SessionStore()
sesion[SESSION_KEY] = str(daniela.pk)
sesion[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
sesion[HASH_SESSION_KEY] = daniela.get_session_auth_hash()
sesion.create()
archivos = {a.nombre_original: a for a in evidencia.archivos.all()}
print(json.dumps({
    "sesion": sesion.session_key,
    "foto": archivos["foto reunión.png"].pk,
    "acta": archivos["acta.pdf"].pk,
    "ruta_acta": archivos["acta.pdf"].archivo.name,
}))
"""


def puerto_libre():
    with socket.socket() as conexion:
        conexion.bind(("127.0.0.1", 0))
        return conexion.getsockname()[1]


def esperar_puerto(puerto, proceso, registro):
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if proceso.poll() is not None:
            pytest.fail(f"El proceso terminó antes de escuchar en {puerto}:\n{registro.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", puerto), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"Nada escucha en 127.0.0.1:{puerto} después de 60 s:\n{registro.read_text()[-3000:]}")


def reemplazar(texto, viejo, nuevo):
    """Replace a line of the shipped file that must be there exactly once (else the test would test another file)."""
    assert texto.count(viejo) == 1, f"deploy/nginx.conf ya no tiene exactamente una vez: {viejo!r}"
    return texto.replace(viejo, nuevo)


def configuracion_de_prueba(carpeta, puerto, puerto_redireccion, puerto_gunicorn, media):
    sitio = CONFIGURACION.read_text()
    sitio = reemplazar(sitio, "server 127.0.0.1:8000;", f"server 127.0.0.1:{puerto_gunicorn};")
    sitio = reemplazar(sitio, "    listen 80;\n", f"    listen 127.0.0.1:{puerto_redireccion};\n")
    sitio = reemplazar(sitio, "    listen [::]:80;\n", "")
    sitio = reemplazar(sitio, "    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{puerto};\n")
    sitio = reemplazar(sitio, "    listen [::]:443 ssl http2;\n", "")
    sitio = "\n".join(linea for linea in sitio.splitlines() if not linea.strip().startswith("ssl_"))
    sitio = reemplazar(sitio, "alias /srv/participacion/media_privada/;", f"alias {media}/;")
    cache_participa = f"proxy_cache_path {carpeta / 'participa'} "
    sitio = reemplazar(sitio, "proxy_cache_path /var/cache/nginx/participa ", cache_participa)
    (carpeta / "participacion.conf").write_text(sitio)
    temporales = "\n".join(
        f"    {tipo}_temp_path {carpeta / tipo};" for tipo in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    tipos = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    principal = carpeta / "nginx.conf"
    principal.write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {carpeta / "nginx.pid"};
error_log {carpeta / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    {tipos}
    default_type application/octet-stream;
    access_log {carpeta / "access.log"};
{temporales}
    include {carpeta / "participacion.conf"};
}}
"""
    )
    return principal


def binario_nginx():
    binario = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if binario is None:
        pytest.fail("Falta nginx: ejecute `make test` o `bash scripts/instalar_sistema.sh`.")
    return binario


@pytest.fixture(scope="module")
def servidor(tmp_path_factory):
    """nginx (deploy/nginx.conf) → gunicorn (gunicorn.conf.py, DEBUG=false) → SQLite, all on 127.0.0.1."""
    carpeta = tmp_path_factory.mktemp("nginx")
    media = carpeta / "media_privada"
    puerto, puerto_redireccion, puerto_gunicorn = puerto_libre(), puerto_libre(), puerto_libre()
    entorno = {clave: valor for clave, valor in os.environ.items() if not clave.startswith(("DJANGO_", "GUNICORN_"))}
    entorno.update(
        DJANGO_SETTINGS_MODULE="plan_participacion.settings",
        DEBUG="false",
        SECRET_KEY=CLAVE,
        ALLOWED_HOSTS=SERVIDOR,
        DATABASE_URL=f"sqlite:///{carpeta / 'app.sqlite3'}",
        STATIC_ROOT=str(carpeta / "estaticos"),
        PRIVATE_MEDIA_ROOT=str(media),
        ARCHIVOS_X_ACCEL_PREFIX="/_evidencias_privadas/",
        PROXIES_DE_CONFIANZA="1",
        # Plain http on 127.0.0.1 (as make carga does); TLS is nginx's, with real certificates.
        SECURE_SSL_REDIRECT="false",
        COOKIES_SEGURAS="false",
        LOG_FORMAT="texto",
        GUNICORN_BIND=f"127.0.0.1:{puerto_gunicorn}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        GUNICORN_ACCESS_LOG="",
    )
    preparado = subprocess.run(
        [sys.executable, "-c", PREPARAR], cwd=RAIZ, env=entorno, capture_output=True, text=True, timeout=300
    )
    assert preparado.returncode == 0, preparado.stderr[-3000:]
    datos = json.loads(preparado.stdout.strip().splitlines()[-1])

    registro_gunicorn = carpeta / "gunicorn.log"
    with registro_gunicorn.open("w") as salida:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "plan_participacion.wsgi"],
            cwd=RAIZ,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
    principal = configuracion_de_prueba(carpeta, puerto, puerto_redireccion, puerto_gunicorn, media)
    registro_nginx = carpeta / "error.log"
    registro_nginx.touch()
    nginx = subprocess.Popen(
        [binario_nginx(), "-p", str(carpeta), "-c", str(principal), "-e", str(registro_nginx), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=registro_nginx.open("a"),
    )
    try:
        esperar_puerto(puerto_gunicorn, gunicorn, registro_gunicorn)
        esperar_puerto(puerto, nginx, registro_nginx)
        yield {**datos, "puerto": puerto, "puerto_redireccion": puerto_redireccion, "gunicorn": puerto_gunicorn}
    finally:
        for proceso in (nginx, gunicorn):
            proceso.send_signal(signal.SIGTERM)
        for proceso in (nginx, gunicorn):
            try:
                proceso.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proceso.kill()
                proceso.wait()


def pedir(puerto, ruta, sesion=None, metodo="GET", cabeceras=None):
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    todas = {"Host": SERVIDOR, **(cabeceras or {})}
    if sesion:
        todas["Cookie"] = f"sessionid={sesion}"
    conexion.request(metodo, ruta, headers=todas)
    respuesta = conexion.getresponse()
    cuerpo = respuesta.read()
    conexion.close()
    return respuesta, cuerpo


def test_una_pagina_llega_con_sus_cabeceras(servidor):
    respuesta, cuerpo = pedir(servidor["puerto"], "/mis-metas/", servidor["sesion"])
    assert respuesta.status == 200
    assert "Mis metas" in cuerpo.decode()
    assert respuesta.getheader("Cache-Control") == "private, no-store"
    assert respuesta.getheader("X-Content-Type-Options") == "nosniff"
    assert respuesta.getheader("X-Frame-Options") == "DENY"
    assert "default-src 'self'" in respuesta.getheader("Content-Security-Policy")
    assert respuesta.getheader("Server") == "nginx"  # no version (server_tokens off)


def test_un_adjunto_llega_de_nginx_con_nosniff_y_la_politica_sandbox(servidor):
    # What gunicorn answers: no body, the file's location for nginx, and the view's headers.
    directa, cuerpo_directo = pedir(
        servidor["gunicorn"], f"/archivos/{servidor['acta']}/descargar/", servidor["sesion"]
    )
    assert cuerpo_directo == b""
    assert directa.getheader("X-Accel-Redirect") == f"/_evidencias_privadas/{servidor['ruta_acta']}"
    assert directa.getheader("Content-Security-Policy") == CSP_DE_LOS_ARCHIVOS

    respuesta, cuerpo = pedir(servidor["puerto"], f"/archivos/{servidor['acta']}/descargar/", servidor["sesion"])
    assert respuesta.status == 200
    assert cuerpo.startswith(b"%PDF-") and cuerpo.rstrip().endswith(b"%%EOF")
    assert respuesta.getheader("Content-Type") == "application/pdf"
    assert respuesta.getheader("Content-Disposition") == 'attachment; filename="acta.pdf"'
    assert respuesta.getheader("X-Content-Type-Options") == "nosniff"
    assert respuesta.getheader("Content-Security-Policy") == directa.getheader("Content-Security-Policy")
    assert respuesta.getheader("Cache-Control") == "private, no-store"
    assert respuesta.getheader("X-Frame-Options") == "DENY"
    assert respuesta.getheader("X-Accel-Redirect") is None


def test_una_imagen_en_linea_llega_con_nosniff_y_la_politica_sandbox(servidor):
    respuesta, cuerpo = pedir(servidor["puerto"], f"/archivos/{servidor['foto']}/ver/", servidor["sesion"])
    assert respuesta.status == 200
    assert cuerpo.startswith(b"\x89PNG")
    assert respuesta.getheader("Content-Type") == "image/png"
    assert respuesta.getheader("Content-Disposition").startswith("inline; filename*=utf-8''foto%20reuni")
    assert respuesta.getheader("X-Content-Type-Options") == "nosniff"
    assert respuesta.getheader("Content-Security-Policy") == CSP_DE_LOS_ARCHIVOS
    assert respuesta.getheader("Cache-Control") == "private, no-store"


def test_la_ubicacion_interna_no_se_puede_pedir_directamente(servidor):
    respuesta, cuerpo = pedir(servidor["puerto"], f"/_evidencias_privadas/{servidor['ruta_acta']}")
    assert respuesta.status == 404
    assert b"%PDF" not in cuerpo


def test_sin_sesion_no_hay_archivo(servidor):
    respuesta, cuerpo = pedir(servidor["puerto"], f"/archivos/{servidor['acta']}/descargar/")
    assert respuesta.status == 302
    assert respuesta.getheader("Location").startswith("/cuentas/login/")
    assert b"%PDF" not in cuerpo


def test_un_cuerpo_demasiado_grande_se_rechaza_en_nginx(servidor):
    conexion = http.client.HTTPConnection("127.0.0.1", servidor["puerto"], timeout=30)
    conexion.putrequest("POST", "/evidencias/nueva/", skip_host=True)
    conexion.putheader("Host", SERVIDOR)
    conexion.putheader("Content-Type", "multipart/form-data; boundary=x")
    conexion.putheader("Content-Length", str(60 * 1024 * 1024))
    conexion.endheaders()
    respuesta = conexion.getresponse()
    conexion.close()
    assert respuesta.status == 413


def test_http_redirige_a_https(servidor):
    respuesta, _cuerpo = pedir(servidor["puerto_redireccion"], "/mis-metas/?x=1")
    assert respuesta.status == 301
    assert respuesta.getheader("Location") == f"https://{SERVIDOR}/mis-metas/?x=1"


# --- What the shipped files promise, read from them -------------------------------------------


def directiva(nombre):
    lineas = [linea.strip() for linea in CONFIGURACION.read_text().splitlines() if linea.strip().startswith(nombre)]
    assert len(lineas) == 1, nombre
    return lineas[0].removeprefix(nombre).strip(" ;")


def segundos(valor):
    return int(valor.removesuffix("s"))


def test_los_limites_de_nginx_cuadran_con_los_de_la_aplicacion(settings):
    assert int(directiva("client_max_body_size").removesuffix("m")) * 1024 * 1024 > settings.EVIDENCIA_MAX_BYTES
    assert int(directiva("client_max_body_size").removesuffix("m")) * 1024 * 1024 > settings.IMPORTADOR_MAX_BYTES
    gunicorn = {}
    exec(compile((RAIZ / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), gunicorn)  # noqa: S102
    assert segundos(directiva("proxy_read_timeout")) > gunicorn["timeout"]


def test_la_unidad_de_systemd_arranca_gunicorn_con_la_configuracion_del_repositorio():
    texto = UNIDAD.read_text()
    valores = dict(linea.split("=", 1) for linea in texto.splitlines() if "=" in linea and not linea.startswith("#"))
    assert valores["ExecStart"] == "/srv/participacion/app/.venv/bin/gunicorn plan_participacion.wsgi"
    assert valores["WorkingDirectory"] == "/srv/participacion/app"  # where gunicorn.conf.py is read
    assert valores["EnvironmentFile"] == "/etc/participacion.env"
    assert valores["Type"] == "notify"  # gunicorn tells systemd when it is ready
    assert valores["ExecReload"] == "/bin/kill -s HUP $MAINPID"
    assert valores["ReadWritePaths"] == "/srv/participacion/media_privada"
    assert "alias /srv/participacion/media_privada/;" in CONFIGURACION.read_text()


def test_el_menu_participa_lo_sirve_la_cache_de_nginx(servidor):
    """An anonymous crowd reaches gunicorn once: the second visitor gets nginx's copy, session or not."""
    primera, cuerpo = pedir(servidor["puerto"], "/participa/")
    assert primera.status == 200 and "Menú Participa" in cuerpo.decode()
    assert "public" in primera.getheader("Cache-Control")
    segunda, otra = pedir(servidor["puerto"], "/participa/", servidor["sesion"])
    assert segunda.getheader("X-Cache-Participa") == "HIT"
    assert otra == cuerpo and segunda.getheader("Set-Cookie") is None
    privada, _cuerpo = pedir(servidor["puerto"], "/mis-metas/", servidor["sesion"])
    assert privada.getheader("X-Cache-Participa") is None and privada.getheader("Cache-Control") == "private, no-store"
