"""Benchmark of the committee reports. Not a test: nothing here is asserted by the suite.

    .venv/bin/python bench/reportes.py [--evidencias 5000] [--archivos 2] [--metas 28]
    .venv/bin/python bench/reportes.py --metas 300 --evidencias 20000     # the verification report's goal

Django is set up against a throw-away SQLite database in a temporary folder (migrated here
and deleted at the end), whatever DATABASE_URL says.

With --metas 28 (default) it loads the Candelaria plan; with another number it builds a plan of
that many metas (10 per strategy, 10 strategies per line, 13 secretariats). It creates
--evidencias approved evidences spread over the metas and 13 months (each with --archivos files
and two grupos de valor). For the progress report it prints our part (queries and Python, with
the number of queries), the template, WeasyPrint's own rendering and WeasyPrint's share; then the
Excel export. The verification report (Typst, in parts: reportes/verificacion.py) is rendered
in a fresh child process, as a task worker would, which prints its pages, time (wall clock and
CPU), pages per second, peak resident memory (ru_maxrss) and size. Last, each download through
the view (Django's test client, logged in as the committee): above REPORTES_EVIDENCIAS_EN_LINEA
approved evidences the verification view answers 202 at once with the job's page.
Goals: the verification report of 20,000 evidences on a 300-meta plan under 600 MB of peak RSS
and at least 10 pages/s; WeasyPrint ≥ 90 % of the progress report's time.
"""

import argparse
import io
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from datos import CORTE, crear_evidencias, crear_plan  # bench/datos.py

RAIZ = Path(__file__).resolve().parents[1]
CPU = False  # --cpu: measure this process' CPU time instead of wall-clock time


def preparar_django(carpeta, migrar=True):
    sys.path.insert(0, str(RAIZ))
    os.environ["DATABASE_URL"] = f"sqlite:///{carpeta / 'bench.sqlite3'}"
    os.environ["PRIVATE_MEDIA_ROOT"] = str(carpeta / "media_privada")  # report files go here, not to the repo
    os.environ["DJANGO_SETTINGS_MODULE"] = "plan_participacion.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if migrar:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("loaddata", "candelaria", verbosity=0)


def medir(funcion, *args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as consultas:
        inicio = time.process_time() if CPU else time.perf_counter()
        resultado = funcion(*args)
        segundos = (time.process_time() if CPU else time.perf_counter()) - inicio
    return resultado, segundos, len(consultas.captured_queries)


def medir_pdf(nombre, datos, html, plan):
    from pypdf import PdfReader

    from reportes import informes

    contexto, t_datos, q_datos = medir(datos, plan, CORTE)
    texto, t_html, q_html = medir(html, contexto)
    pdf, t_pdf, q_pdf = medir(informes.a_pdf, texto)
    total = t_datos + t_html + t_pdf
    paginas = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{nombre:<24} datos {t_datos:6.2f} s ({q_datos} consultas) · plantilla {t_html:6.2f} s ({q_html} consultas) · "
        f"WeasyPrint {t_pdf:7.2f} s ({q_pdf} consultas) = {total:7.2f} s · WeasyPrint {100 * t_pdf / total:5.1f} % · "
        f"{paginas} páginas, {len(pdf) / 1024:,.0f} KB, HTML {len(texto) / 1024:,.0f} KB"
    )


def verificacion_en_hijo(carpeta, plan_pk):
    """Render the verification report in a fresh process (as a worker would) and return its figures."""
    salida = subprocess.run(
        [sys.executable, __file__, "--hijo", str(carpeta), "--plan", str(plan_pk)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(salida.stdout.strip().splitlines()[-1])


def hijo(carpeta, plan_pk):
    preparar_django(carpeta, migrar=False)
    from django.utils import translation

    from plan_participacion.models import Plan
    from reportes.verificacion import escribir_verificacion

    plan = Plan.objects.get(pk=plan_pk)
    inicio, cpu = time.perf_counter(), time.process_time()
    with translation.override("es-co"), tempfile.TemporaryFile() as destino:
        paginas = escribir_verificacion(plan, CORTE, destino)
        tamano = destino.tell()
    print(
        json.dumps(
            {
                "paginas": paginas,
                "segundos": time.perf_counter() - inicio,
                "cpu": time.process_time() - cpu,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "bytes": tamano,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evidencias", type=int, default=5000)
    parser.add_argument("--archivos", type=int, default=2, help="archivos por evidencia")
    parser.add_argument(
        "--metas", type=int, default=28, help="28: el plan de Candelaria; otro número: un plan generado"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="medir tiempo de CPU del proceso (estable en una máquina compartida)"
    )
    parser.add_argument("--hijo", help=argparse.SUPPRESS)
    parser.add_argument("--plan", type=int, help=argparse.SUPPRESS)
    argumentos = parser.parse_args()
    if argumentos.hijo:
        return hijo(Path(argumentos.hijo), argumentos.plan)
    global CPU
    CPU = argumentos.cpu
    carpeta = Path(tempfile.mkdtemp(prefix="bench-reportes-"))
    try:
        preparar_django(carpeta)
        from django.test import Client
        from django.urls import reverse
        from django.utils import translation

        from reportes import informes
        from reportes.excel import libro_cronograma

        inicio = time.perf_counter()
        plan = crear_plan(argumentos.metas)
        comite = crear_evidencias(plan, argumentos.evidencias, argumentos.archivos)
        metas = plan.metas().count()
        print(
            f"{plan.municipio} ({metas} metas) con {argumentos.evidencias} evidencias aprobadas y "
            f"{argumentos.evidencias * argumentos.archivos} archivos, corte {CORTE}: datos creados en "
            f"{time.perf_counter() - inicio:.1f} s; tiempos {'de CPU' if CPU else 'de reloj'}"
        )
        with translation.override("es-co"):
            informes.a_pdf("<p>calentar fuentes</p>")  # first use loads Pango and the fonts
            medir_pdf("Informe de avance", informes.datos_avance, informes.html_avance, plan)
            libro, t_xlsx, q_xlsx = medir(libro_cronograma, plan, CORTE)
            print(
                f"{'Cronograma (Excel)':<24} total {t_xlsx:6.2f} s ({q_xlsx} consultas) · {len(libro) / 1024:,.0f} KB"
            )
        v = verificacion_en_hijo(carpeta, plan.pk)
        print(
            f"{'Informe de verificación':<24} Typst por partes, en un proceso nuevo: {v['paginas']} páginas en "
            f"{v['segundos']:.1f} s de reloj ({v['cpu']:.1f} s de CPU) = {v['paginas'] / v['segundos']:.1f} páginas/s "
            f"({v['paginas'] / v['cpu']:.1f} por s de CPU) · pico de RSS {v['rss_mb']:,.0f} MB · "
            f"{v['bytes'] / 1024 / 1024:,.1f} MB"
        )

        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(comite)
        for nombre in ("reporte_avance", "reporte_verificacion", "reporte_cronograma"):
            parametros = {"corte": CORTE.isoformat(), "plan": plan.pk}
            respuesta, segundos, consultas = medir(cliente.get, reverse(nombre), parametros)
            assert respuesta.status_code in (200, 202), respuesta.status_code
            tamano = f"{len(respuesta.content) / 1024:,.0f} KB" if respuesta.status_code == 200 else "en cola"
            print(
                f"GET {reverse(nombre):<28} {respuesta.status_code} {segundos:6.2f} s, {consultas} consultas, {tamano}"
            )
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


if __name__ == "__main__":
    main()
