"""Benchmark of the committee reports. Not a test: nothing here is asserted by the suite.

    .venv/bin/python bench/reportes.py [--evidencias 5000] [--archivos 2]

Django is set up against a throw-away SQLite database in a temporary folder (migrated here
and deleted at the end), whatever DATABASE_URL says.

It loads the Candelaria plan, creates --evidencias approved evidences spread over its 28 metas
and 13 months (each with --archivos files and two grupos de valor), and for each report prints:
our part (queries and Python that gather the figures, with the number of queries), the template,
WeasyPrint's own rendering (HTML and CSS parsing, layout, PDF), the share of the total that is
WeasyPrint's, the pages and the size; then the Excel export and each download through the view
(Django's test client, logged in as the committee). Above REPORTES_EVIDENCIAS_EN_LINEA (200)
approved evidences the verification view answers 202 at once and renders in a background
thread (reportes/diferidos.py): its rendering time is the "Informe de verificación" line.
Goal: WeasyPrint ≥ 90 % of each PDF's time, and every request well under a 30 s timeout.
"""

import argparse
import datetime
import hashlib
import io
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
CPU = False  # --cpu: measure this process' CPU time instead of wall-clock time
CORTE = datetime.date(2023, 10, 31)


def preparar_django(carpeta):
    sys.path.insert(0, str(RAIZ))
    os.environ["DATABASE_URL"] = f"sqlite:///{carpeta / 'bench.sqlite3'}"
    os.environ["PRIVATE_MEDIA_ROOT"] = str(carpeta / "media_privada")  # background reports go here, not to the repo
    os.environ["DJANGO_SETTINGS_MODULE"] = "plan_participacion.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loaddata", "candelaria", verbosity=0)


def crear_evidencias(total, archivos_por_evidencia):
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from plan_participacion.models import Meta, Plan
    from seguimiento.models import ArchivoEvidencia, Evidencia, GrupoValor, ParticipacionGrupo

    azar = random.Random(2023)
    plan = Plan.objects.get()
    autora = User.objects.create_user("delegada.bench")
    revisora = User.objects.create_user("coordinadora.bench", first_name="Carolina", last_name="Ríos")
    comite = User.objects.create_user("comite.bench")
    comite.groups.add(Group.objects.get(name="Comité"))
    metas = list(
        Meta.objects.filter(estrategia__objetivo__linea__plan=plan).prefetch_related("estrategia__responsables")
    )
    grupos = list(GrupoValor.objects.all())
    dias = (CORTE - plan.mes_inicio).days
    evidencias = []
    for n in range(total):
        meta = metas[n % len(metas)]
        fecha = plan.mes_inicio + datetime.timedelta(days=azar.randrange(dias))
        momento = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(16, 30)))
        evidencias.append(
            Evidencia(
                meta=meta,
                secretaria=azar.choice(list(meta.estrategia.responsables.all())),
                autor=autora,
                fecha_actividad=fecha,
                cantidad=azar.randint(1, 3),
                descripcion=f"Mesa de trabajo número {n} con la comunidad del corregimiento para socializar el plan.",
                lugar="Salón comunal",
                medios=["acta", "lista_asistencia", "registro_fotografico"][: azar.randint(1, 3)],
                participantes_total=30,
                mujeres=17,
                hombres=13,
                edad_18_28=10,
                edad_29_59=15,
                edad_60_mas=5,
                estado=Evidencia.Estado.APROBADA,
                enviada_en=momento,
                revisada_en=momento,
                revisor=revisora,
            )
        )
    evidencias = Evidencia.objects.bulk_create(evidencias, batch_size=1000)
    participaciones, archivos = [], []
    for evidencia in evidencias:
        for grupo in azar.sample(grupos, 2):
            participaciones.append(ParticipacionGrupo(evidencia=evidencia, grupo=grupo, cantidad=azar.randint(1, 15)))
        for k in range(archivos_por_evidencia):
            nombre = f"acta-{evidencia.pk}-{k}.pdf"
            archivos.append(
                ArchivoEvidencia(
                    evidencia=evidencia,
                    archivo=f"evidencias/bench/{evidencia.pk}-{k}.pdf",
                    nombre_original=nombre,
                    tipo_contenido="application/pdf",
                    tamano=azar.randint(20_000, 5_000_000),
                    sha256=hashlib.sha256(nombre.encode()).hexdigest(),
                    subido_por=autora,
                )
            )
    ParticipacionGrupo.objects.bulk_create(participaciones, batch_size=2000)
    ArchivoEvidencia.objects.bulk_create(archivos, batch_size=2000)
    return plan, comite


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evidencias", type=int, default=5000)
    parser.add_argument("--archivos", type=int, default=2, help="archivos por evidencia")
    parser.add_argument(
        "--cpu", action="store_true", help="medir tiempo de CPU del proceso (estable en una máquina compartida)"
    )
    argumentos = parser.parse_args()
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
        plan, comite = crear_evidencias(argumentos.evidencias, argumentos.archivos)
        print(
            f"Plan de Candelaria (28 metas) con {argumentos.evidencias} evidencias aprobadas y "
            f"{argumentos.evidencias * argumentos.archivos} archivos, corte {CORTE}: datos creados en "
            f"{time.perf_counter() - inicio:.1f} s; tiempos {'de CPU' if CPU else 'de reloj'}"
        )
        with translation.override("es-co"):
            informes.a_pdf("<p>calentar fuentes</p>")  # first use loads Pango and the fonts
            medir_pdf("Informe de avance", informes.datos_avance, informes.html_avance, plan)
            medir_pdf("Informe de verificación", informes.datos_verificacion, informes.html_verificacion, plan)
            libro, t_xlsx, q_xlsx = medir(libro_cronograma, plan, CORTE)
            print(
                f"{'Cronograma (Excel)':<24} total {t_xlsx:6.2f} s ({q_xlsx} consultas) · {len(libro) / 1024:,.0f} KB"
            )

        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(comite)
        from reportes import diferidos

        diferidos.lanzar = lambda funcion, *argumentos: None  # the rendering was timed above
        for nombre in ("reporte_avance", "reporte_verificacion", "reporte_cronograma"):
            respuesta, segundos, consultas = medir(cliente.get, reverse(nombre), {"corte": CORTE.isoformat()})
            assert respuesta.status_code in (200, 202), respuesta.status_code
            tamano = f"{len(respuesta.content) / 1024:,.0f} KB" if respuesta.status_code == 200 else "en preparación"
            print(
                f"GET {reverse(nombre):<28} {respuesta.status_code} {segundos:6.2f} s, {consultas} consultas, {tamano}"
            )
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


if __name__ == "__main__":
    main()
