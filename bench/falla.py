"""Fault test: PostgreSQL restarts in the middle of a load run. Not a test of the suite: it prints figures.

    make falla          # = .venv/bin/python bench/falla.py
    .venv/bin/python bench/falla.py --usuarios 10 --duracion 40 --reinicio-a 20 --cluster "15 main"

WARNING: it restarts the local PostgreSQL cluster (`pg_ctlcluster 15 main restart`, as root or
postgres): every other connection to that server is cut too. Never on a production server.
--sin-reinicio runs the same load without touching PostgreSQL (to try the script).

Same preparation as bench/carga.py on its own database (--bd, created again), then a bounded
locust run during which the cluster is restarted once. Afterwards, without restarting gunicorn:
the same master and workers must answer a login and Mis metas, and every write the users were
told was saved must be in the database with its file. It prints the errors in the outage
window and how long after the restart began the last error happened (recovery time).

What makes it work (plan_participacion/settings.py): CONN_MAX_AGE with CONN_HEALTH_CHECKS,
so each thread's persistent connection is tested before a request uses it and replaced when
PostgreSQL dropped it; requests caught mid-restart fail (500) and are not acknowledged.
"""

import collections
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comun  # noqa: E402


def hijos(pid):
    resultado = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return sorted(int(p) for p in resultado.stdout.split())


def responde(host):
    """Log in as a bench delegate and open Mis metas: (status of Mis metas, seconds)."""
    import requests

    inicio = time.monotonic()
    sesion = requests.Session()
    formulario = sesion.get(f"{host}/cuentas/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', formulario.text)
    sesion.post(
        f"{host}/cuentas/login/",
        data={"username": "carga.delegado.1", "password": comun.CLAVE, "csrfmiddlewaretoken": token.group(1)},
        timeout=30,
    )
    respuesta = sesion.get(f"{host}/mis-metas/", timeout=30, allow_redirects=False)
    return respuesta.status_code, time.monotonic() - inicio


def peticiones(ruta):
    """(start, seconds, step, ok) of every request, from the locustfile's CARGA_PETICIONES log."""
    filas = []
    for linea in Path(ruta).read_text().splitlines() if Path(ruta).exists() else []:
        cabeza, ok = linea.rsplit(",", 1)
        inicio, ms, paso = cabeza.split(",", 2)
        filas.append((float(inicio), float(ms) / 1000, paso, ok == "1"))
    return filas


def main():
    parser = comun.argumentos(
        __doc__,
        usuarios=10,
        tasa=1,
        duracion=40,
        espera="1,3",
        bd="carga_falla",
        puerto=8766,
        carpeta="/tmp/plan-falla",
    )
    # After the logins of the ramp-up (key stretching is the costliest request), in the steady rush.
    parser.add_argument("--reinicio-a", type=float, default=20, help="segundos después de empezar locust")
    parser.add_argument("--cluster", default="15 main", help="versión y nombre del cluster para pg_ctlcluster")
    parser.add_argument("--sin-reinicio", action="store_true", help="no reiniciar PostgreSQL (ensayo del script)")
    args = parser.parse_args()

    carpeta = args.carpeta.resolve()
    variables = comun.entorno(
        args.bd, carpeta, args.puerto, CARGA_ESPERA=args.espera, CARGA_PETICIONES=str(carpeta / "peticiones.csv")
    )
    print(f"Preparando la base «{args.bd}» y {carpeta} …", flush=True)
    comun.preparar(args.bd, carpeta, variables, args.usuarios)
    prefijo = carpeta / "locust"
    with comun.gunicorn(variables, carpeta) as (proceso, host):
        print(
            f"gunicorn {proceso.pid} en {host}; locust: {args.usuarios} usuarios, "
            f"{args.duracion} s; reinicio de PostgreSQL a los {args.reinicio_a:.0f} s …",
            flush=True,
        )
        carga = comun.locust(
            variables, host, prefijo, usuarios=args.usuarios, tasa=args.tasa, duracion=args.duracion, esperar=False
        )
        time.sleep(args.reinicio_a)
        trabajadores = hijos(proceso.pid)
        t0 = time.time()
        if args.sin_reinicio:
            print("(sin reinicio: --sin-reinicio)")
        else:
            subprocess.run(["pg_ctlcluster", *args.cluster.split(), "restart"], check=True)
        t1 = time.time()
        print(f"PostgreSQL reiniciado en {t1 - t0:.1f} s ({len(trabajadores)} trabajadores)", flush=True)
        carga.wait()
        vivo = proceso.poll() is None
        mismos = hijos(proceso.pid) == trabajadores
        estado, demora = responde(host)

    filas = comun.estadisticas(prefijo)
    print()
    comun.imprimir_tabla(filas)
    comun.imprimir_fallas(prefijo)

    registro = peticiones(carpeta / "peticiones.csv")
    fallidas = [p for p in registro if not p[3]]
    print()
    print(f"Peticiones: {len(registro)}; con error: {len(fallidas)}")
    if fallidas:
        primera = min(p[0] for p in fallidas) - t0
        ultima = max(p[0] + p[1] for p in fallidas) - t0
        print(f"Errores entre {primera:+.1f} s y {ultima:+.1f} s respecto al inicio del reinicio")
        print("Errores por paso:", dict(collections.Counter(p[2] for p in fallidas)))
        print(f"Recuperación: el último error terminó {ultima:.1f} s después de empezar el reinicio")
    despues = [p for p in registro if p[0] >= t1]
    if despues:
        print(f"Después del reinicio: {sum(p[3] for p in despues)} de {len(despues)} peticiones sin error")
    print(
        f"Sin reiniciar gunicorn: maestro vivo={vivo}, mismos trabajadores={mismos}, "
        f"login + Mis metas → {estado} en {demora:.2f} s"
    )
    informe = comun.verificar(variables, carpeta / "acuses.jsonl")
    comun.imprimir_verificacion(informe)
    ok = vivo and estado == 200 and not informe["perdidas"]
    print(f"Resultado: {'la aplicación se recuperó sola y no perdió nada' if ok else 'FALLA'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
