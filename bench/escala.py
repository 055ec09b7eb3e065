"""Scale bench: do the pages of a large municipality cost the same at 5,000 and at 50,000 evidences?

Not a test: it prints figures.

    make escala        # = .venv/bin/python bench/escala.py
    .venv/bin/python bench/escala.py --bd escala --tamanos 5000,50000 --rondas 25

For each size it creates the PostgreSQL database «<bd>_<size>» again from scratch (never use the
name of a real one), migrates it and generates a large municipality: 40 secretarías, 300 metas
(60 strategies, a Secretaría de Planeación responsible for all of them), 80 delegates, a
12-month plan ending this month, and <size> evidences in the proportions of a municipality
with 20,000 approved and 2,000 sent evidences and 160,000 history rows (state changes of the
evidence and edits of the plan). The summary of approved evidence is then filled with
`recalcular_resumen` (the generated rows skipped the actions), and the tables analysed.

Then, in ONE interleaved run (each round visits every page of every size, in a shuffled order,
so whatever else the machine does weighs on all alike), it requests each page through Django's
test client with the production settings (DEBUG=False), wall-clock time, and prints per size
each page's median time and spread (25th–75th percentile) as a RATIO to a trivial authenticated
page of the same round (the password change form), with its query count; then how much each
ratio grew from the smallest to the largest size. Absolute times mean little on a shared
machine; the ratios hold.

Goals (issue #17): at both sizes /tablero/, Mis metas (300 metas), the review queue and
/auditoria/ ≤ 3× the trivial page, and no page's ratio grows more than 1.3× between sizes.
The dashboard and Mis metas keep their figures per data version (seguimiento.version_datos):
their rows «sin caché» drop them before each visit, to show what the first visit after an
approval or an edit costs (not a goal of the issue, printed so that nobody mistakes one for the other).
The databases are kept for inspection (drop them with `dropdb`).
"""

import argparse
import datetime
import gc
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import comun  # noqa: E402

RAIZ = comun.RAIZ
SECRETARIAS = 40
ESTRATEGIAS = 60
METAS_POR_ESTRATEGIA = 5
DELEGADOS_POR_SECRETARIA = 2
# A municipality of 20,000 approved and 2,000 sent evidences has 160,000 history rows.
APROBADAS, ENVIADAS, HISTORIA = 20_000, 2_000, 160_000
META_TRIVIAL = "trivial"
# Measured again with the cached figures dropped first (seguimiento.version_datos): the first visit
# after a change, when the page computes and renders its figures.
RECIEN_CALCULADAS = {"/tablero/ sin caché (tras un cambio)", "Mis metas sin caché (tras un cambio)"}


def argumentos():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bd", default="escala", help="prefijo de las bases (se crean de nuevo)")
    parser.add_argument("--tamanos", default="5000,50000", help="evidencias por base, separadas por comas")
    parser.add_argument("--rondas", type=int, default=25)
    parser.add_argument("--sin-generar", action="store_true", help="usar las bases de una corrida anterior")
    parser.add_argument("--explicar", action="store_true", help="mostrar el plan de PostgreSQL de las consultas clave")
    return parser.parse_args()


def preparar_django(primera_bd, carpeta):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "plan_participacion.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": comun.url_bd(primera_bd),
            "SECURE_SSL_REDIRECT": "false",
            "COOKIES_SEGURAS": "false",
            "STATIC_ROOT": str(carpeta / "estaticos"),
            "PRIVATE_MEDIA_ROOT": str(carpeta / "media_privada"),
            "LOG_LEVEL": "ERROR",
            "AXES_ENABLED": "false",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=RAIZ, env=os.environ, check=True
    )
    sys.path.insert(0, str(RAIZ))
    import django

    django.setup()


def usar(bd):
    """Point Django's default connection at another database of the run."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = bd
    ContentType.objects.clear_cache()


# ---- the municipality ----------------------------------------------------------------------------


def generar(total, azar):
    """The plan, people and ``total`` evidences with their history, in bulk."""
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from plan_participacion.models import (
        Entidad,
        Estrategia,
        Indicador,
        LineaAccion,
        Membresia,
        Meta,
        Objetivo,
        Plan,
        ProgramacionMensual,
        Secretaria,
        clave_nombre,
        sumar_meses,
    )
    from seguimiento.models import CambioEstado, Evidencia, GrupoValor, ParticipacionGrupo

    Estado = Evidencia.Estado
    hoy = timezone.localdate()
    ahora = timezone.now()
    mes_fin = hoy.replace(day=1)
    entidad = Entidad.objects.create(nombre="Municipio de Escala")
    plan = Plan.objects.create(
        entidad=entidad,
        municipio="Municipio de Escala",
        titulo="Cronograma de plan de acción de participación ciudadana",
        codigo_formato="54-PSC-FT-743",
        version="1",
        mes_inicio=sumar_meses(mes_fin, -11),
        mes_fin=mes_fin,
    )
    nombres = ["Secretaría de Planeación"] + [f"Secretaría número {n}" for n in range(2, SECRETARIAS + 1)]
    secretarias = Secretaria.objects.bulk_create(
        [Secretaria(entidad=entidad, nombre=n, clave=clave_nombre(n)) for n in nombres]
    )
    planeacion = secretarias[0]

    coordinador = User.objects.create(
        username="escala.coordinadora", first_name="Carolina", last_name="Ríos", is_staff=True
    )
    coordinador.groups.add(Group.objects.get(name="Coordinador"))
    delegados = User.objects.bulk_create(
        [
            User(username=f"escala.delegado.{s}.{k}", first_name=f"Delegado {k}", last_name=f"de {s}")
            for s in range(SECRETARIAS)
            for k in range(DELEGADOS_POR_SECRETARIA)
        ]
    )
    Group.objects.get(name="Delegado").user_set.add(*delegados)
    Membresia.objects.bulk_create(Membresia(usuario=u, entidad=entidad) for u in [coordinador, *delegados])
    Secretaria.delegados.through.objects.bulk_create(
        [
            Secretaria.delegados.through(secretaria_id=secretarias[n // DELEGADOS_POR_SECRETARIA].pk, user_id=d.pk)
            for n, d in enumerate(delegados)
        ]
    )
    delegados_de = {
        s.pk: delegados[i * DELEGADOS_POR_SECRETARIA : (i + 1) * DELEGADOS_POR_SECRETARIA]
        for i, s in enumerate(secretarias)
    }

    lineas = LineaAccion.objects.bulk_create(
        [
            LineaAccion(plan=plan, numero=n, nombre=f"Línea de acción {n}: participación en la gestión")
            for n in range(1, 5)
        ]
    )
    objetivos = Objetivo.objects.bulk_create(
        [Objetivo(linea=linea, texto=f"Objetivo de la línea {linea.numero}.") for linea in lineas]
    )
    estrategias = Estrategia.objects.bulk_create(
        [
            Estrategia(
                objetivo=objetivos[n % len(objetivos)],
                numero=n + 1,
                texto=f"Realizar la actividad número {n + 1} con los grupos de valor del municipio.",
                medios_verificacion="Actas, listas de asistencia y registro fotográfico.",
            )
            for n in range(ESTRATEGIAS)
        ]
    )
    responsables_de = {}
    filas_responsables = []
    for estrategia in estrategias:
        otras = azar.sample(secretarias[1:], azar.randint(1, 3))
        responsables_de[estrategia.pk] = [planeacion, *otras]
        filas_responsables += [
            Estrategia.responsables.through(estrategia_id=estrategia.pk, secretaria_id=s.pk)
            for s in responsables_de[estrategia.pk]
        ]
    Estrategia.responsables.through.objects.bulk_create(filas_responsables)
    metas = Meta.objects.bulk_create(
        [
            Meta(
                estrategia=estrategia,
                codigo=f"{estrategia.numero}.{k}",
                orden=k,
                texto=f"Doce (12) actividades de la estrategia {estrategia.numero}, meta {k}.",
                cantidad_objetivo=azar.choice([1, 2, 4, 12, 24]),
                por_secretaria=k == 1,
            )
            for estrategia in estrategias
            for k in range(1, METAS_POR_ESTRATEGIA + 1)
        ]
    )
    indicadores = Indicador.objects.bulk_create(
        [
            Indicador(meta=meta, codigo=f"{meta.codigo}.1", texto=f"Número de actividades de la meta {meta.codigo}")
            for meta in metas
        ]
    )
    meses = plan.meses()
    programacion = ProgramacionMensual.objects.bulk_create(
        [
            ProgramacionMensual(estrategia=e, mes=mes, cantidad=azar.randint(1, 4))
            for e in estrategias
            for mes in meses
            if azar.random() < 0.5
        ]
    )
    # The plan's creation, as the importer records it.
    for modelo, objetos in (
        (Plan, [plan]),
        (Secretaria, secretarias),
        (LineaAccion, lineas),
        (Objetivo, objetivos),
        (Estrategia, estrategias),
        (Meta, metas),
        (Indicador, indicadores),
        (ProgramacionMensual, programacion),
    ):
        modelo.history.bulk_history_create(
            objetos, default_user=coordinador, default_date=ahora - datetime.timedelta(days=400)
        )

    grupos = list(GrupoValor.objects.all())
    aprobadas = round(total * APROBADAS / (APROBADAS + ENVIADAS))
    evidencias, pasos = [], []
    inicio_plan = plan.mes_inicio
    dias_plan = (hoy - inicio_plan).days
    for n in range(total):
        meta = azar.choice(metas)
        secretaria = azar.choice(responsables_de[meta.estrategia_id])
        autor = azar.choice(delegados_de[secretaria.pk])
        enviada = n >= aprobadas
        # Sent evidence waits for review: recent. Approved evidence spreads over the whole plan.
        fecha = (
            hoy - datetime.timedelta(days=azar.randrange(45))
            if enviada
            else inicio_plan + datetime.timedelta(days=azar.randrange(dias_plan + 1))
        )
        creada = min(
            timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(8)))
            + datetime.timedelta(hours=azar.randrange(72)),
            ahora,
        )
        enviada_en = min(creada + datetime.timedelta(hours=azar.randrange(48)), ahora)
        revisada_en = None if enviada else min(enviada_en + datetime.timedelta(hours=azar.randrange(1, 240)), ahora)
        total_part = azar.randint(5, 60)
        mujeres = azar.randint(0, total_part)
        evidencias.append(
            Evidencia(
                meta=meta,
                secretaria=secretaria,
                autor=autor,
                fecha_actividad=fecha,
                cantidad=azar.randint(1, 3),
                descripcion=f"Mesa de trabajo número {n} con la comunidad del corregimiento para socializar el plan.",
                lugar="Salón comunal",
                medios=["acta", "lista_asistencia"],
                enlaces="https://municipio.gov.co/actas",
                participantes_total=total_part,
                mujeres=mujeres,
                hombres=total_part - mujeres,
                edad_18_28=total_part // 3,
                edad_29_59=total_part - total_part // 3,
                estado=Estado.ENVIADA if enviada else Estado.APROBADA,
                enviada_en=enviada_en,
                revisada_en=revisada_en,
                revisor=None if enviada else coordinador,
            )
        )
        devuelta = not enviada and azar.random() < 0.2
        pasos.append((creada, enviada_en, revisada_en, devuelta))
    evidencias = Evidencia.objects.bulk_create(evidencias, batch_size=5000)

    participaciones, cambios = [], []
    for evidencia, (creada, enviada_en, revisada_en, devuelta) in zip(evidencias, pasos, strict=True):
        for grupo in azar.sample(grupos, 2):
            participaciones.append(ParticipacionGrupo(evidencia=evidencia, grupo=grupo, cantidad=azar.randint(1, 15)))
        autor_id = evidencia.autor_id

        def paso(fecha, antes, despues, usuario_id, comentario="", evidencia=evidencia):
            cambios.append(
                CambioEstado(
                    evidencia=evidencia,
                    usuario_id=usuario_id,
                    fecha=fecha,
                    estado_anterior=antes,
                    estado_nuevo=despues,
                    comentario=comentario,
                )
            )

        paso(creada, "", Estado.BORRADOR, autor_id, "Borrador creado.")
        if devuelta:
            mitad = enviada_en + (revisada_en - enviada_en) / 3
            paso(enviada_en - datetime.timedelta(hours=1), Estado.BORRADOR, Estado.ENVIADA, autor_id)
            paso(
                mitad - datetime.timedelta(minutes=30),
                Estado.ENVIADA,
                Estado.DEVUELTA,
                coordinador.pk,
                "Falta el acta firmada.",
            )
            paso(mitad, Estado.DEVUELTA, Estado.ENVIADA, autor_id)
        else:
            paso(enviada_en, Estado.BORRADOR, Estado.ENVIADA, autor_id)
        if revisada_en:
            paso(revisada_en, Estado.ENVIADA, Estado.APROBADA, coordinador.pk)
    ParticipacionGrupo.objects.bulk_create(participaciones, batch_size=10000)
    CambioEstado.objects.bulk_create(cambios, batch_size=10000)

    # The rest of the history: edits of metas and of the schedule over the plan's year.
    historia = round(total * HISTORIA / (APROBADAS + ENVIADAS))
    restantes = max(0, historia - len(cambios) - sum(len(o) for o in (metas, indicadores, programacion, estrategias)))
    HistoricaMeta, HistoricaProgramacion = Meta.history.model, ProgramacionMensual.history.model
    ediciones = []
    for k in range(restantes):
        fecha = ahora - datetime.timedelta(seconds=azar.randrange(365 * 86400))
        if k % 3:
            meta = azar.choice(metas)
            ediciones.append(
                HistoricaMeta(
                    id=meta.pk,
                    estrategia_id=meta.estrategia_id,
                    codigo=meta.codigo,
                    orden=meta.orden,
                    texto=f"{meta.texto} (revisión {k})",
                    cantidad_objetivo=meta.cantidad_objetivo,
                    periodicidad=meta.periodicidad,
                    por_secretaria=meta.por_secretaria,
                    history_date=fecha,
                    history_type="~",
                    history_user_id=coordinador.pk,
                )
            )
        else:
            programada = azar.choice(programacion)
            ediciones.append(
                HistoricaProgramacion(
                    id=programada.pk,
                    estrategia_id=programada.estrategia_id,
                    mes=programada.mes,
                    cantidad=azar.randint(1, 4),
                    history_date=fecha,
                    history_type="~",
                    history_user_id=coordinador.pk,
                )
            )
    for modelo in (HistoricaMeta, HistoricaProgramacion):
        modelo.objects.bulk_create([e for e in ediciones if isinstance(e, modelo)], batch_size=10000)
    return {
        "aprobadas": aprobadas,
        "enviadas": total - aprobadas,
        "cambios de estado": len(cambios),
        "historia del plan": len(ediciones) + sum(len(o) for o in (metas, indicadores, programacion, estrategias)),
    }


def crear_municipio(bd, total, semilla):
    from django.core.management import call_command
    from django.db import connection

    from seguimiento import resumen
    from seguimiento.models import ResumenAprobado

    comun.crear_bd(bd)
    usar(bd)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # as `make run` and the deploy do: figures are cached there
    inicio = time.perf_counter()
    cifras = generar(total, random.Random(semilla))
    generado = time.perf_counter() - inicio
    inicio = time.perf_counter()
    resumen.recalcular()
    recalculo = time.perf_counter() - inicio
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    detalle = ", ".join(f"{v:,} {k}" for k, v in cifras.items())
    print(
        f"  «{bd}»: {detalle}; generada en {generado:.0f} s; recalcular_resumen llenó "
        f"{ResumenAprobado.objects.count():,} filas del resumen en {recalculo:.1f} s",
        flush=True,
    )


# ---- the pages ------------------------------------------------------------------------------------


def paginas(bd):
    """(name, who, url) of every page measured on this database."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from plan_participacion.models import Plan, sumar_meses
    from seguimiento.auditoria import EVIDENCIA, Cursor
    from seguimiento.models import CambioEstado

    usar(bd)
    plan = Plan.objects.vigente()
    mes_pasado = sumar_meses(timezone.localdate().replace(day=1), -1)
    cambios = CambioEstado.objects.order_by("fecha", "pk")
    mitad = cambios[cambios.count() // 2]
    delegado = User.objects.get(username="escala.delegado.0.0")  # Planeación: responsible for all 300 metas
    profunda = Cursor(mitad.fecha, EVIDENCIA, mitad.pk)
    return plan, [
        (META_TRIVIAL, "coordinador", "/cuentas/password_change/"),
        ("/tablero/", "coordinador", "/tablero/"),
        ("/tablero/ corte a mitad de mes", "coordinador", f"/tablero/?corte={mes_pasado.replace(day=15).isoformat()}"),
        ("Mis metas (300 metas)", "delegado", "/mis-metas/"),
        ("/tablero/ sin caché (tras un cambio)", "coordinador", "/tablero/"),
        ("Mis metas sin caché (tras un cambio)", "delegado", "/mis-metas/"),
        ("cola de revisión", "coordinador", "/revision/"),
        ("/auditoria/", "coordinador", "/auditoria/"),
        ("/auditoria/ página profunda", "coordinador", f"/auditoria/?antes={profunda}"),
        ("/auditoria/ de un delegado", "coordinador", f"/auditoria/?usuario={delegado.pk}"),
    ]


def clientes(bd):
    from django.contrib.auth.models import User
    from django.test import Client

    usar(bd)
    resultado = {}
    for rol, usuario in (("coordinador", "escala.coordinadora"), ("delegado", "escala.delegado.0.0")):
        cliente = Client()
        cliente.force_login(User.objects.get(username=usuario))
        resultado[rol] = cliente
    return resultado


def pedir(cliente, url, sin_cache=False):
    if sin_cache:
        from seguimiento.version_datos import olvidar_cifras

        olvidar_cifras()
    inicio = time.perf_counter()
    respuesta = cliente.get(url)
    segundos = time.perf_counter() - inicio
    if respuesta.status_code != 200:
        raise SystemExit(f"{url} respondió {respuesta.status_code}")
    return segundos


def consultas(cliente, url, sin_cache=False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if sin_cache:
        from seguimiento.version_datos import olvidar_cifras

        olvidar_cifras()
    with CaptureQueriesContext(connection) as capturadas:
        pedir(cliente, url)
    return len(capturadas.captured_queries)


def explicar(bd):
    """PostgreSQL's plan of the summary read and of an audit page: index scans, bounded rows."""
    from django.contrib.auth.models import User
    from django.db import connection

    from plan_participacion.models import Plan
    from seguimiento import auditoria
    from seguimiento.models import ResumenAprobado

    usar(bd)
    plan = Plan.objects.vigente()

    consulta = ResumenAprobado.objects.filter(meta__estrategia__objetivo__linea__plan=plan, mes__lte=plan.mes_fin)
    print(f"\n  EXPLAIN ANALYZE en «{bd}» — resumen del plan:")
    print("    " + consulta.values("meta_id", "secretaria_id").order_by().explain(analyze=True).replace("\n", "\n    "))
    ramas = auditoria.ramas(User.objects.get(username="escala.coordinadora"))
    union = auditoria._desde_el_cursor(ramas[-1], None, antiguos=True)
    print(f"\n  EXPLAIN ANALYZE en «{bd}» — una fuente de la auditoría (estados de evidencias):")
    print("    " + union.explain(analyze=True).replace("\n", "\n    "))
    connection.close()


def main():
    args = argumentos()
    tamanos = [int(t) for t in args.tamanos.split(",")]
    bases = {t: f"{args.bd}_{t}" for t in tamanos}
    carpeta = Path(tempfile.mkdtemp(prefix="bench-escala-"))
    try:
        preparar_django(bases[tamanos[0]], carpeta)
        if not args.sin_generar:
            print("Generando los municipios …", flush=True)
            for t in tamanos:
                crear_municipio(bases[t], t, semilla=t)
        medir(tamanos, bases, args)
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


def medir(tamanos, bases, args):
    azar = random.Random(17)
    lista, cliente_de, numero_de_consultas = {}, {}, {}
    for t in tamanos:
        _plan, lista[t] = paginas(bases[t])
        cliente_de[t] = clientes(bases[t])
        usar(bases[t])
        # Warm-up (templates, caches, connection): the pages «sin caché» first, since they drop the figures.
        for nombre, rol, url in sorted(lista[t], key=lambda pagina: pagina[0] not in RECIEN_CALCULADAS):
            sin_cache = nombre in RECIEN_CALCULADAS
            for _ in range(3):
                pedir(cliente_de[t][rol], url, sin_cache=sin_cache)
            numero_de_consultas[t, nombre] = consultas(cliente_de[t][rol], url, sin_cache=sin_cache)
    gc.freeze()  # what gunicorn.conf.py does once the app is loaded, before forking the workers
    # Two runs, each interleaved with the trivial page: the pages as visited, then the pages «sin caché»
    # (which drop the cached figures before each visit, and would otherwise empty them for the first run).
    fases = [
        [nombre for nombre, _r, _u in lista[tamanos[0]] if nombre not in RECIEN_CALCULADAS],
        [nombre for nombre, _r, _u in lista[tamanos[0]] if nombre in (META_TRIVIAL, *RECIEN_CALCULADAS)],
    ]
    tiempos = {(f, t, nombre): [] for f, nombres in enumerate(fases) for t in tamanos for nombre in nombres}
    carga_inicio = os.getloadavg()
    print(f"\nMidiendo: {args.rondas} rondas intercaladas … (carga media {carga_inicio[0]:.1f})", flush=True)
    for f, nombres in enumerate(fases):
        for _ronda in range(args.rondas):
            visitas = [(t, pagina) for t in tamanos for pagina in lista[t] if pagina[0] in nombres]
            azar.shuffle(visitas)
            # Group by database (switching costs a connection), each database's pages shuffled.
            for t in azar.sample(tamanos, len(tamanos)):
                usar(bases[t])
                for _t, (nombre, rol, url) in (v for v in visitas if v[0] == t):
                    tiempo = pedir(cliente_de[t][rol], url, sin_cache=nombre in RECIEN_CALCULADAS)
                    tiempos[f, t, nombre].append(tiempo)
    carga_fin = os.getloadavg()

    cocientes = {}
    for f, nombres in enumerate(fases):
        for t in tamanos:
            trivial = tiempos[f, t, META_TRIVIAL]
            for nombre in nombres:
                if f and nombre == META_TRIVIAL:
                    continue
                por_ronda = [a / b for a, b in zip(tiempos[f, t, nombre], trivial, strict=True)]
                cuartiles = statistics.quantiles(por_ronda, n=4)
                cocientes[t, nombre] = (statistics.median(por_ronda), cuartiles[0], cuartiles[2])
    tiempos = {(t, nombre): v for (f, t, nombre), v in tiempos.items() if not (f and nombre == META_TRIVIAL)}

    print(
        f"\nMáquina: {os.cpu_count()} CPU; carga media (1, 5, 15 min) al empezar "
        f"{', '.join(f'{c:.1f}' for c in carga_inicio)} y al terminar {', '.join(f'{c:.1f}' for c in carga_fin)}."
    )
    for t in tamanos:
        trivial_ms = 1000 * statistics.median(tiempos[t, META_TRIVIAL])
        print(
            f"\n{t:,} evidencias (página trivial: mediana {trivial_ms:.1f} ms, "
            f"{numero_de_consultas[t, META_TRIVIAL]} consultas)"
        )
        print(f"  {'página':<32} {'× trivial':>9} {'p25–p75':>13} {'consultas':>9}")
        for nombre, _rol, _url in lista[t]:
            mediana, p25, p75 = cocientes[t, nombre]
            print(f"  {nombre:<32} {mediana:>9.2f} {p25:>6.2f}–{p75:<6.2f} {numero_de_consultas[t, nombre]:>9}")
    if len(tamanos) > 1:
        menor, mayor = min(tamanos), max(tamanos)
        print(f"\nCrecimiento del cociente de {menor:,} a {mayor:,} evidencias (meta ≤ 1,3×):")
        for nombre, _rol, _url in lista[menor]:
            if nombre == META_TRIVIAL:
                continue
            crecimiento = cocientes[mayor, nombre][0] / cocientes[menor, nombre][0]
            print(f"  {nombre:<32} {crecimiento:>5.2f}×")
        objetivo = ["/tablero/", "Mis metas (300 metas)", "cola de revisión", "/auditoria/"]
        fuera = [f"{n} ({t:,}: {cocientes[t, n][0]:.2f}×)" for t in tamanos for n in objetivo if cocientes[t, n][0] > 3]
        crecen = [
            n
            for n, _r, _u in lista[menor]
            if n not in (META_TRIVIAL, *RECIEN_CALCULADAS) and cocientes[mayor, n][0] / cocientes[menor, n][0] > 1.3
        ]
        print(f"\nMeta ≤ 3× la página trivial: {'cumplida' if not fuera else 'NO cumplida en ' + '; '.join(fuera)}")
        print(
            f"Meta crecimiento ≤ 1,3× (sin las filas «sin caché»): "
            f"{'cumplida' if not crecen else 'NO cumplida en ' + ', '.join(crecen)}"
        )
    if args.explicar:
        for t in tamanos:
            explicar(bases[t])


if __name__ == "__main__":
    main()
