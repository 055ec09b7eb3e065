"""What the load test (carga.py) and the fault test (falla.py) share.

A throw-away PostgreSQL database (dropped and created again: never the one of the tests or of
a real plan), production settings (DEBUG=False, collectstatic, JSON logs) over plain http on
127.0.0.1, gunicorn from gunicorn.conf.py, locust headless, and the final check that every
write locust was told had been saved is in the database with its file on disk.

Two subcommands run inside Django with the bench's environment (called by the scripts):
    python bench/comun.py usuarios [N]  # bench accounts for N locust users: carga.delegado.N, carga.coordinador.N
    python bench/comun.py verificar ACUSES.jsonl
"""

import argparse
import csv
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVIDOR_PG = os.environ.get("CARGA_SERVIDOR_PG", "postgres://postgres@127.0.0.1:5432")
CLAVE = "carga-clave-larga-2026"


def url_bd(nombre):
    partes = urlsplit(SERVIDOR_PG)
    return urlunsplit(partes._replace(path=f"/{nombre}"))


def crear_bd(nombre):
    import psycopg2

    if nombre in {"postgres", "template0", "template1"} or not nombre.replace("_", "").isalnum():
        raise SystemExit(f"Nombre de base de datos no permitido: {nombre}")
    conexion = psycopg2.connect(url_bd("postgres"))
    conexion.autocommit = True
    with conexion.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{nombre}"')
    conexion.close()


def entorno(bd, carpeta, puerto, **extra):
    """A production environment, except plain http on 127.0.0.1 (documented toggles)."""
    variables = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "plan_participacion.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url_bd(bd),
        "SECURE_SSL_REDIRECT": "false",
        "COOKIES_SEGURAS": "false",
        "STATIC_ROOT": str(carpeta / "estaticos"),
        "PRIVATE_MEDIA_ROOT": str(carpeta / "media_privada"),
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{puerto}",
        "GUNICORN_ACCESS_LOG": str(carpeta / "acceso.log"),
        "CARGA_CLAVE": CLAVE,
        "CARGA_ACUSES": str(carpeta / "acuses.jsonl"),
    }
    variables.update(extra)
    return variables


def manage(variables, *argumentos):
    subprocess.run([sys.executable, "manage.py", *argumentos], cwd=RAIZ, env=variables, check=True)


def preparar(bd, carpeta, variables, usuarios=50):
    """New database and folder, migrations, static files, the Candelaria plan and the bench accounts
    (enough for ``usuarios`` locust users: 9 in 10 are delegates, each with an account of its own)."""
    shutil.rmtree(carpeta, ignore_errors=True)
    carpeta.mkdir(parents=True)
    crear_bd(bd)
    manage(variables, "migrate", "--noinput", "-v", "0")
    manage(variables, "createcachetable", "-v", "0")
    manage(variables, "collectstatic", "--noinput", "-v", "0")
    manage(variables, "cargar_demo", "--forzar")
    subprocess.run([sys.executable, __file__, "usuarios", str(usuarios)], cwd=RAIZ, env=variables, check=True)


@contextmanager
def gunicorn(variables, carpeta):
    """gunicorn with gunicorn.conf.py, stopped (SIGTERM, then SIGKILL) on the way out."""
    registro = open(carpeta / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    proceso = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "plan_participacion.wsgi"],
        cwd=RAIZ,
        env=variables,
        stdout=registro,
        stderr=subprocess.STDOUT,
    )
    host = f"http://{variables['GUNICORN_BIND']}"
    try:
        limite = time.monotonic() + 60
        while True:
            if proceso.poll() is not None:
                raise SystemExit(f"gunicorn terminó al arrancar; vea {carpeta / 'gunicorn.log'}")
            try:
                with urllib.request.urlopen(host + "/cuentas/login/", timeout=2) as respuesta:
                    if respuesta.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > limite:
                raise SystemExit("gunicorn no respondió en 60 s")
            time.sleep(0.3)
        yield proceso, host
    finally:
        proceso.send_signal(signal.SIGTERM)
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proceso.kill()
            proceso.wait()
        registro.close()


@contextmanager
def nginx(carpeta, puerto, puerto_gunicorn):
    """deploy/nginx.conf in front of gunicorn on 127.0.0.1:``puerto`` (plain http, as its test runs it)."""
    binario = shutil.which("nginx") or "/usr/sbin/nginx"
    sitio = (RAIZ / "deploy" / "nginx.conf").read_text()
    for viejo, nuevo in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{puerto_gunicorn};"),
        ("    listen 80;\n", "    listen 127.0.0.1:0;\n"),
        ("    listen [::]:80;\n", ""),
        ("    listen 443 ssl http2;\n", f"    listen 127.0.0.1:{puerto};\n"),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("alias /srv/participacion/media_privada/;", f"alias {carpeta / 'media_privada'}/;"),
        ("proxy_cache_path /var/cache/nginx/participa ", f"proxy_cache_path {carpeta / 'nginx' / 'participa'} "),
    ):
        sitio = sitio.replace(viejo, nuevo)
    sitio = "\n".join(linea for linea in sitio.splitlines() if not linea.strip().startswith("ssl_"))
    sitio = sitio.replace("listen 127.0.0.1:0;", f"listen 127.0.0.1:{puerto + 1};")
    base = carpeta / "nginx"
    base.mkdir(exist_ok=True)
    (base / "participacion.conf").write_text(sitio)
    temporales = "\n".join(
        f"    {t}_temp_path {base / t};" for t in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    tipos = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (base / "nginx.conf").write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {base / "nginx.pid"};
error_log {base / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    {tipos}
    default_type application/octet-stream;
    access_log off;
{temporales}
    include {base / "participacion.conf"};
}}
"""
    )
    proceso = subprocess.Popen(
        [binario, "-p", str(base), "-c", str(base / "nginx.conf"), "-e", str(base / "error.log"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        limite = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{puerto}/participa/", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proceso.poll() is not None or time.monotonic() > limite:
                    raise SystemExit(f"nginx no arrancó; vea {base / 'error.log'}") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{puerto}"
    finally:
        proceso.send_signal(signal.SIGTERM)
        proceso.wait(timeout=30)


def locust(variables, host, prefijo, *, usuarios, tasa, duracion, esperar=True, archivo="locustfile.py"):
    argumentos = [
        str(BIN / "locust"),
        "-f",
        str(RAIZ / "bench" / archivo),
        "--headless",
        "-u",
        str(usuarios),
        "-r",
        str(tasa),
        "-t",
        f"{duracion}s",
        "--host",
        host,
        "--csv",
        str(prefijo),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "1",
        "--stop-timeout",
        "10",
    ]
    salida = open(f"{prefijo}_locust.log", "w")  # noqa: SIM115 - the caller waits for the process
    proceso = subprocess.Popen(argumentos, cwd=RAIZ, env=variables, stdout=salida, stderr=subprocess.STDOUT)
    if esperar:
        proceso.wait()
    return proceso


def argumentos(descripcion, *, usuarios, tasa, duracion, espera, bd, puerto, carpeta):
    """The options both runs take, with each run's defaults; the caller adds its own and parses."""
    parser = argparse.ArgumentParser(description=descripcion, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--usuarios", type=int, default=usuarios)
    parser.add_argument("--tasa", type=float, default=tasa, help="usuarios que empiezan por segundo")
    parser.add_argument("--duracion", type=int, default=duracion, help="segundos")
    parser.add_argument("--espera", default=espera, help="segundos entre dos páginas de un usuario: min,max")
    parser.add_argument("--bd", default=bd)
    parser.add_argument("--puerto", type=int, default=puerto)
    parser.add_argument("--carpeta", type=Path, default=Path(carpeta))
    return parser


def estadisticas(prefijo):
    """Rows of locust's _stats.csv: step, requests, failures, p50, p95, p99 (ms)."""
    filas = []
    with open(f"{prefijo}_stats.csv", newline="") as archivo:
        for fila in csv.DictReader(archivo):
            filas.append(
                {
                    "paso": fila["Name"] if fila["Name"] != "Aggregated" else "Total",
                    "metodo": fila["Type"],
                    "peticiones": int(fila["Request Count"]),
                    "errores": int(fila["Failure Count"]),
                    "p50": fila["50%"],
                    "p95": fila["95%"],
                    "p99": fila["99%"],
                }
            )
    return filas


def fallas(prefijo):
    ruta = Path(f"{prefijo}_failures.csv")
    if not ruta.exists():
        return []
    with open(ruta, newline="") as archivo:
        return list(csv.DictReader(archivo))


def imprimir_fallas(prefijo, cuantas=10):
    for falla in fallas(prefijo)[:cuantas]:
        print(f"  error: {falla['Method']} {falla['Name']}: {falla['Error']} ×{falla['Occurrences']}")


def imprimir_tabla(filas):
    print(f"{'paso':<22} {'método':<6} {'peticiones':>10} {'errores':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for f in filas:
        print(
            f"{f['paso']:<22} {f['metodo']:<6} {f['peticiones']:>10} {f['errores']:>8} "
            f"{f['p50']:>7} {f['p95']:>7} {f['p99']:>7}"
        )


def verificar(variables, acuses):
    """Run the check inside Django; its JSON report."""
    resultado = subprocess.run(
        [sys.executable, __file__, "verificar", str(acuses)],
        cwd=RAIZ,
        env=variables,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(resultado.stdout.strip().splitlines()[-1])


def imprimir_verificacion(informe):
    print(
        f"Escrituras confirmadas al cliente: {informe['creadas']} evidencias creadas con su archivo, "
        f"{informe['enviadas']} enviadas, {informe['aprobadas']} aprobadas."
    )
    print(
        f"Perdidas: {len(informe['perdidas'])}  (archivos en disco sin fila: {informe['huerfanos']}; "
        f"evidencias en la base: {informe['evidencias_en_bd']})"
    )
    for perdida in informe["perdidas"][:20]:
        print("  PERDIDA:", perdida)


# ---- inside Django -----------------------------------------------------------------------------


def _django():
    sys.path.insert(0, str(RAIZ))
    import django

    django.setup()


def _crear_usuarios(delegados=60, coordinadores=10):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from plan_participacion.models import Membresia, Plan, Secretaria

    plan = Plan.objects.vigente()
    secretarias = list(Secretaria.objects.filter(estrategias__objetivo__linea__plan=plan).distinct().order_by("nombre"))
    clave = make_password(os.environ.get("CARGA_CLAVE", CLAVE))  # hashed once, shared by every account
    delegado, coordinador = Group.objects.get(name="Delegado"), Group.objects.get(name="Coordinador")
    with transaction.atomic():
        for n in range(1, delegados + 1):
            usuario, _ = User.objects.update_or_create(
                username=f"carga.delegado.{n}", defaults={"password": clave, "is_active": True}
            )
            usuario.groups.set([delegado])
            usuario.secretarias.set([secretarias[n % len(secretarias)]])
            Membresia.objects.update_or_create(usuario=usuario, defaults={"entidad": plan.entidad})
        for n in range(1, coordinadores + 1):
            usuario, _ = User.objects.update_or_create(
                username=f"carga.coordinador.{n}", defaults={"password": clave, "is_active": True, "is_staff": True}
            )
            usuario.groups.set([coordinador])
            Membresia.objects.update_or_create(usuario=usuario, defaults={"entidad": plan.entidad})
    print(f"{delegados} delegados en {len(secretarias)} secretarías y {coordinadores} coordinadores de carga.")


def _publicar():
    """Publish the plan in the Menú Participa (for the anonymous visitors of bench/carga.py)."""
    from django.contrib.auth.models import User

    from plan_participacion import acciones
    from plan_participacion.models import Plan

    plan = Plan.objects.vigente()
    coordinador = User.objects.filter(groups__name="Coordinador").order_by("pk").first()
    try:
        acciones.publicar_plan(plan, usuario=coordinador)
    except acciones.SinCambios:
        pass
    print(f"Plan {plan.pk} publicado en /participa/{plan.pk}/.")


def _verificar(acuses):
    from django.conf import settings

    from seguimiento.models import ArchivoEvidencia, Evidencia

    Estado = Evidencia.Estado
    creadas, enviadas, aprobadas = {}, set(), set()
    ruta = Path(acuses)
    lineas = ruta.read_text().splitlines() if ruta.exists() else []
    for linea in lineas:
        acuse = json.loads(linea)
        if acuse["accion"] == "creada":
            creadas[acuse["pk"]] = acuse["sha256"]
        elif acuse["accion"] == "enviada":
            enviadas.add(acuse["pk"])
        elif acuse["accion"] == "aprobada":
            aprobadas.add(acuse["pk"])
    perdidas = []
    evidencias = Evidencia.objects.in_bulk(list(set(creadas) | enviadas | aprobadas))
    archivos = {}
    for archivo in ArchivoEvidencia.objects.filter(evidencia__in=list(creadas)):
        archivos.setdefault(archivo.evidencia_id, []).append(archivo)
    raiz = Path(settings.PRIVATE_MEDIA_ROOT)
    for pk, sha in creadas.items():
        if pk not in evidencias:
            perdidas.append(f"evidencia {pk}: no está en la base")
            continue
        propios = [a for a in archivos.get(pk, []) if a.sha256 == sha]
        if not propios:
            perdidas.append(f"evidencia {pk}: sin la fila de su archivo")
            continue
        en_disco = raiz / propios[0].archivo.name
        if not en_disco.exists() or hashlib.sha256(en_disco.read_bytes()).hexdigest() != sha:
            perdidas.append(f"evidencia {pk}: el archivo {propios[0].archivo.name} falta o no coincide")
    for pk in enviadas:
        if pk in evidencias and evidencias[pk].estado == Estado.BORRADOR:
            perdidas.append(f"evidencia {pk}: se confirmó el envío pero sigue en borrador")
    for pk in aprobadas:
        if pk in evidencias and evidencias[pk].estado != Estado.APROBADA:
            perdidas.append(f"evidencia {pk}: se confirmó la aprobación pero está {evidencias[pk].estado}")
    conocidos = set(ArchivoEvidencia.objects.values_list("archivo", flat=True))
    en_disco = {str(p.relative_to(raiz)) for p in raiz.rglob("*") if p.is_file()} if raiz.exists() else set()
    print(
        json.dumps(
            {
                "creadas": len(creadas),
                "enviadas": len(enviadas),
                "aprobadas": len(aprobadas),
                "perdidas": perdidas,
                "huerfanos": len(en_disco - conocidos),
                "evidencias_en_bd": Evidencia.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    _django()
    if sys.argv[1] == "usuarios":
        usuarios = int(sys.argv[2]) if len(sys.argv) > 2 else 50
        _crear_usuarios(delegados=max(60, usuarios), coordinadores=max(10, usuarios // 5))
    elif sys.argv[1] == "publicar":
        _publicar()
    elif sys.argv[1] == "verificar":
        _verificar(sys.argv[2])
    else:
        raise SystemExit(__doc__)
