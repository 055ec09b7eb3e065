"""Fault run of the report queue: kill the worker in the middle of a render; a new worker must finish the job.

    .venv/bin/python bench/falla_trabajador.py [--evidencias 3000]      (make falla-trabajador)

Not part of `make test` (it takes a minute or two and kills processes). On a throw-away SQLite
database in a temporary folder, with a short heartbeat (TRABAJADORES_LATIDO=1 s, taken for dead
after TRABAJADORES_AUSENCIA=5 s, reaper rounds every 2 s):

1. the committee asks for the verification report of the Candelaria plan with --evidencias
   approved evidences (REPORTES_EVIDENCIAS_EN_LINEA=0, so it is a job): 202 and its page;
2. worker A (`manage.py db_worker --queue-name informes`) starts rendering it; once its progress
   shows, A is killed with SIGKILL (no cleanup, as the OOM killer or a power cut would);
3. worker B starts; its reaper round finds A's task RUNNING without heartbeat, marks it failed,
   and enqueues the job again; B renders it;
4. meanwhile the job page is read every second, as the refreshing browser would.

It prints the timeline and checks: the job ends "listo", the same URL then answers 200 with the
PDF whose SHA-256 is the job's, A's task is FAILED (TrabajadorPerdido), the job took two
attempts, and the page stopped saying "se está preparando". Exit code 1 if any check fails.
"""

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datos import CORTE, crear_evidencias, crear_plan  # bench/datos.py

RAIZ = Path(__file__).resolve().parents[1]
ENTORNO = {
    "TRABAJADORES_LATIDO": "1",
    "TRABAJADORES_AUSENCIA": "5",
    "TRABAJADORES_VIGILANCIA": "2",
    "REPORTES_EVIDENCIAS_EN_LINEA": "0",
    "LOG_LEVEL": "WARNING",
}


def preparar(carpeta):
    os.environ.update(
        ENTORNO,
        DATABASE_URL=f"sqlite:///{carpeta / 'falla.sqlite3'}",
        PRIVATE_MEDIA_ROOT=str(carpeta / "media_privada"),
        DJANGO_SETTINGS_MODULE="plan_participacion.settings",
    )
    sys.path.insert(0, str(RAIZ))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "candelaria", verbosity=0)


def trabajador(carpeta, nombre):
    registro = open(carpeta / f"{nombre}.log", "wb")  # noqa: SIM115 - closed when the process ends
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "informes", "--no-reload", "--interval", "0.5"],
        cwd=RAIZ,
        env=os.environ.copy(),
        stdout=registro,
        stderr=subprocess.STDOUT,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evidencias", type=int, default=3000)
    parser.add_argument("--limite", type=int, default=600, help="segundos antes de darse por vencido")
    argumentos = parser.parse_args()
    carpeta = Path(tempfile.mkdtemp(prefix="falla-trabajador-"))
    procesos = []
    fallas = []
    try:
        preparar(carpeta)
        from django.test import Client
        from django.urls import reverse
        from django_tasks_db.models import DBTaskResult

        from reportes.models import Informe

        comite = crear_evidencias(crear_plan(28), argumentos.evidencias, 2)
        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(comite)
        url = reverse("reporte_verificacion")
        inicio = time.monotonic()

        def reloj():
            return f"{time.monotonic() - inicio:6.1f} s"

        respuesta = cliente.get(url, {"corte": CORTE.isoformat()})
        informe = Informe.objects.get()
        print(f"{reloj()}  pedido: {respuesta.status_code}, trabajo {informe.pk} «{informe.get_estado_display()}»")
        if respuesta.status_code != 202:
            fallas.append(f"el pedido respondió {respuesta.status_code}, no 202")

        a = trabajador(carpeta, "trabajador-a")
        procesos.append(a)
        while True:
            informe.refresh_from_db()
            if informe.estado == Informe.Estado.GENERANDO and informe.progreso > 0:
                break
            if informe.estado == Informe.Estado.LISTO or time.monotonic() - inicio > argumentos.limite:
                fallas.append("el trabajador A terminó (o no empezó) antes de poder matarlo: use más --evidencias")
                raise SystemExit(1)
            time.sleep(0.2)
        tarea_a = informe.tarea
        a.send_signal(signal.SIGKILL)
        a.wait()
        print(f"{reloj()}  trabajador A (pid {a.pid}) muerto con SIGKILL con el informe al {informe.progreso} %")

        b = trabajador(carpeta, "trabajador-b")
        procesos.append(b)
        print(f"{reloj()}  trabajador B (pid {b.pid}) arranca")
        estados, ultimo = [], None
        while time.monotonic() - inicio < argumentos.limite:
            pagina = cliente.get(informe.get_absolute_url()).content.decode()
            informe.refresh_from_db()
            dice = "se está preparando" if "se está preparando" in pagina else "otra cosa"
            estado = (informe.get_estado_display(), informe.intentos, dice)
            if estado != ultimo:
                print(f"{reloj()}  página: «{estado[0]}», intento {estado[1]}, dice «{dice}», {informe.progreso} %")
                ultimo = estado
            estados.append(estado)
            if not informe.pendiente:
                break
            time.sleep(1)

        tarea = DBTaskResult.objects.filter(pk=tarea_a).first()
        print(
            f"{reloj()}  tarea de A: {tarea.status if tarea else '—'} ({tarea.exception_class_path if tarea else ''})"
        )
        if informe.estado != Informe.Estado.LISTO:
            fallas.append(f"el trabajo terminó «{informe.get_estado_display()}»: {informe.error}")
        else:
            respuesta = cliente.get(url, {"corte": CORTE.isoformat()})
            contenido = b"".join(respuesta.streaming_content) if respuesta.status_code == 200 else b""
            huella = hashlib.sha256(contenido).hexdigest()
            print(f"{reloj()}  la misma dirección: {respuesta.status_code}, {len(contenido)} bytes, SHA-256 {huella}")
            if respuesta.status_code != 200 or huella != informe.sha256:
                fallas.append("la descarga no es el archivo del trabajo")
            if "se está preparando" in cliente.get(informe.get_absolute_url()).content.decode():
                fallas.append("la página sigue diciendo «se está preparando»")
        if not tarea or tarea.status != "FAILED" or not tarea.exception_class_path.endswith("TrabajadorPerdido"):
            fallas.append("la tarea del trabajador muerto no quedó marcada como perdida")
        if informe.intentos != 2:
            fallas.append(f"se esperaban 2 intentos, hubo {informe.intentos}")
        print(f"{informe.paginas} páginas; {len(estados)} lecturas de la página del trabajo")
    finally:
        for proceso in procesos:
            if proceso.poll() is None:
                proceso.send_signal(signal.SIGTERM)
                proceso.wait(timeout=60)
        shutil.rmtree(carpeta, ignore_errors=True)
    if fallas:
        print("FALLÓ: " + "; ".join(fallas))
        raise SystemExit(1)
    print("Bien: otro trabajador terminó el informe y la página dejó de decir «se está preparando».")


if __name__ == "__main__":
    main()
