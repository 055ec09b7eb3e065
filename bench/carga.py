"""Load test: gunicorn + PostgreSQL under the end-of-month rush. Not a test of the suite: it prints figures.

    make carga          # = .venv/bin/python bench/carga.py
    .venv/bin/python bench/carga.py --usuarios 50 --duracion 60 --bd carga

Creates the PostgreSQL database --bd again from scratch (never use the name of a real one),
migrates it, loads the Candelaria plan and 60 delegates + 10 coordinators, starts gunicorn
(gunicorn.conf.py, DEBUG=False) on 127.0.0.1, and runs locust headless: delegates log in,
open Mis metas and the evidence form, create an evidence with a PDF and send it; coordinators
open the dashboard and the review queue and approve. It prints p50/p95/p99 and errors per
step, then checks that every evidence the users were told was saved is in the database
with its file on disk (and every acknowledged send and approval too).

With --visitantes N, N anonymous visitors (bench/locust_visitantes.py, another locust process)
read the published plan's public page and open data at the same time: their figures are printed
apart, and the delegates' goals must hold all the same.

Goals: p95 < 500 ms on every step, 0 errors, 0 lost. Exit status 1 on any error or loss.
The database and the folder (--carpeta) are kept after the run, to try backups on them.
"""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comun  # noqa: E402


def cpu_hijos(tiempos):
    return tiempos.children_user + tiempos.children_system


def main():
    parser = comun.argumentos(
        __doc__, usuarios=50, tasa=2, duracion=60, espera="5,15", bd="carga", puerto=8765, carpeta="/tmp/plan-carga"
    )
    parser.add_argument(
        "--visitantes", type=int, default=0, help="visitantes anónimos de /participa/ a la vez (0: ninguno)"
    )
    parser.add_argument("--tasa-visitantes", type=float, default=10, help="visitantes que llegan por segundo")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="los visitantes pasan por deploy/nginx.conf (con su caché del Menú Participa), como en producción",
    )
    args = parser.parse_args()

    carpeta = args.carpeta.resolve()
    variables = comun.entorno(args.bd, carpeta, args.puerto, CARGA_ESPERA=args.espera)
    print(f"Preparando la base «{args.bd}» y {carpeta} …", flush=True)
    comun.preparar(args.bd, carpeta, variables, args.usuarios)
    if args.visitantes:
        subprocess.run([sys.executable, comun.__file__, "publicar"], cwd=comun.RAIZ, env=variables, check=True)
    prefijo = carpeta / "locust"
    prefijo_visitantes = carpeta / "visitantes"
    carga_antes = os.getloadavg()[0]
    # CPU of reaped children: locust is reaped inside the block, gunicorn (master and workers) on leaving it.
    inicio = os.times()
    with comun.gunicorn(variables, carpeta) as (_proceso, host):
        print(
            f"gunicorn en {host}; locust: {args.usuarios} usuarios ({args.tasa}/s), {args.duracion} s, "
            f"{args.espera} s entre páginas …",
            flush=True,
        )
        with contextlib.ExitStack() as proxy:
            host_visitantes = host
            if args.visitantes and args.nginx:
                host_visitantes = proxy.enter_context(comun.nginx(carpeta, args.puerto + 10, args.puerto))
            visitantes = None
            if args.visitantes:
                print(
                    f"… y {args.visitantes} visitantes anónimos de /participa/ ({args.tasa_visitantes}/s) en "
                    f"{host_visitantes}{' (nginx con su caché)' if args.nginx else ''}",
                    flush=True,
                )
                visitantes = comun.locust(
                    variables,
                    host_visitantes,
                    prefijo_visitantes,
                    usuarios=args.visitantes,
                    tasa=args.tasa_visitantes,
                    duracion=args.duracion,
                    esperar=False,
                    archivo="locust_visitantes.py",
                )
            codigo = comun.locust(
                variables, host, prefijo, usuarios=args.usuarios, tasa=args.tasa, duracion=args.duracion
            ).returncode
            if visitantes is not None:
                visitantes.wait()
        carga_despues = os.getloadavg()[0]
        tras_locust = os.times()
    final = os.times()
    cpu_locust = cpu_hijos(tras_locust) - cpu_hijos(inicio)
    cpu_gunicorn = cpu_hijos(final) - cpu_hijos(tras_locust)
    filas = comun.estadisticas(prefijo)
    print()
    comun.imprimir_tabla(filas)
    total = next(f for f in filas if f["paso"] == "Total")
    print(
        f"Máquina: {os.cpu_count()} CPU, carga media (1 min) {carga_antes:.1f} al empezar y {carga_despues:.1f} al "
        f"terminar (otros procesos compiten si pasa de {os.cpu_count()})."
    )
    print(
        f"CPU usada por gunicorn: {cpu_gunicorn:.1f} s para {total['peticiones']} peticiones "
        f"({1000 * cpu_gunicorn / max(total['peticiones'], 1):.0f} ms por petición, inicios de sesión incluidos); "
        f"por locust: {cpu_locust:.1f} s."
    )
    comun.imprimir_fallas(prefijo)
    if args.visitantes:
        print(f"\nVisitantes anónimos de /participa/ ({args.visitantes} a la vez, sin sesión):")
        comun.imprimir_tabla(comun.estadisticas(prefijo_visitantes))
        comun.imprimir_fallas(prefijo_visitantes)
    informe = comun.verificar(variables, carpeta / "acuses.jsonl")
    comun.imprimir_verificacion(informe)
    lentos = [f["paso"] for f in filas if f["paso"] != "Total" and f["p95"] != "N/A" and float(f["p95"]) >= 500]
    print()
    print(f"Meta p95 < 500 ms: {'cumplida' if not lentos else 'NO cumplida en ' + ', '.join(lentos)}")
    print(f"Meta 0 errores: {'cumplida' if total['errores'] == 0 else 'NO cumplida'} ({total['errores']})")
    print(f"Meta 0 perdidas: {'cumplida' if not informe['perdidas'] else 'NO cumplida'}")
    print(f"(locust terminó con código {codigo}; registros en {carpeta})")
    return 1 if total["errores"] or informe["perdidas"] else 0


if __name__ == "__main__":
    sys.exit(main())
