"""Carolina (coordinator) and Camilo (committee) read the dashboard; Carolina tunes the semáforo."""

import datetime
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from plan_participacion.models import Plan
from seguimiento import version_datos
from seguimiento.avance import Color
from seguimiento.models import Semaforo
from seguimiento.tests.datos_avance import avance_de, cargar_historia, multiplicar, participantes_de

URL = "/tablero/"
URL_SEMAFORO = "/tablero/semaforo/"
BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
QUINCE_DE_MARZO = datetime.datetime(2024, 3, 15, 10, 0, tzinfo=BOGOTA)


@pytest.fixture
def historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda):
    delegada_salud.email = "daniela@salud.gov.co"
    delegada_salud.save()
    return cargar_historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda)


def html(respuesta):
    return respuesta.content.decode()


def datos_grafico(respuesta):
    coincide = re.search(r'<script id="datos-grafico" type="application/json">(.*?)</script>', html(respuesta))
    return json.loads(coincide.group(1))


def test_sin_sesion_lleva_al_ingreso(client, db):
    for url in (URL, URL_SEMAFORO):
        respuesta = client.get(url)
        assert respuesta.status_code == 302
        assert respuesta["Location"].startswith(reverse("login"))


def test_delegados_no_ven_el_tablero_ni_el_semaforo(client, delegada_salud, plan_pequeno):
    client.force_login(delegada_salud)
    assert client.get(URL).status_code == 403
    assert client.get(URL_SEMAFORO).status_code == 403
    assert client.post(URL_SEMAFORO, {"rojo_menor_que": 10, "verde_desde": 20}).status_code == 403
    assert not Semaforo.objects.exists()


def test_el_comite_ve_el_tablero_pero_no_ajusta_el_semaforo(client, comite, plan_pequeno):
    client.force_login(comite)
    respuesta = client.get(URL)
    assert respuesta.status_code == 200
    assert "Ajustar umbrales" not in html(respuesta)
    assert client.get(URL_SEMAFORO).status_code == 403


def test_sin_plan_explica_como_cargarlo(client, comite):
    client.force_login(comite)
    assert "Todavía no hay un plan cargado" in html(client.get(URL))


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_tablero_al_corte_de_hoy(client, coordinador, historia, plan_pequeno):
    client.force_login(coordinador)
    respuesta = client.get(reverse("tablero"))
    assert respuesta.status_code == 200
    avance = avance_de(respuesta)
    assert (avance.plan, avance.corte) == (plan_pequeno, datetime.date(2024, 3, 15))
    assert (avance.porcentaje, avance.color) == (Decimal("68.8"), Color.AMARILLO)
    texto = html(respuesta)
    assert "Corte: 15 de marzo de 2024." in texto
    assert f'<a href="{URL_SEMAFORO}">Ajustar umbrales</a>' in texto
    assert "Semáforo: rojo por debajo de 60 %, amarillo desde 60 % y por debajo de 80 %, verde desde 80 %." in texto
    assert "4 de 5 actividades programadas (80,0 %)" in texto  # plan card
    assert "2 de 3 actividades programadas (66,7 %)" in texto  # strategy 1
    assert "Condiciones institucionales" in texto  # line card
    assert "200,0 %" in texto  # meta 1.1 shown as it is
    assert "3 de 4" in texto and "4 aprobadas en total; de cada secretaría cuentan como máximo 2." in texto


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_barras_de_progreso_accesibles_y_sin_estilos_en_linea(client, coordinador, historia):
    client.force_login(coordinador)
    texto = html(client.get(URL))
    assert (
        '<div class="progress flex-grow-1" role="progressbar" aria-label="Avance de la meta 1.1" '
        'aria-valuenow="100.0" aria-valuemin="0" aria-valuemax="100" aria-valuetext="200,0 %">'
    ) in texto
    assert '<div class="progress-bar semaforo-verde avance-100"></div>' in texto
    assert 'aria-label="Avance de la meta 1.2" aria-valuenow="25.0"' in texto
    assert '<div class="progress-bar semaforo-rojo avance-25"></div>' in texto
    # The Content-Security-Policy will forbid inline code and styles.
    assert " style=" not in texto
    for etiqueta in re.findall(r"<script[^>]*>", texto):
        assert " src=" in etiqueta or 'type="application/json"' in etiqueta, etiqueta
    assert "vendor/chartjs/chart.umd.min.js" in texto and "js/tablero.js" in texto


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_grafico_y_tabla_de_programado_vs_ejecutado(client, coordinador, historia):
    client.force_login(coordinador)
    respuesta = client.get(URL)
    assert datos_grafico(respuesta) == {
        "meses": ["Ene 2024", "Feb 2024", "Mar 2024", "Abr 2024", "May 2024", "Jun 2024"],
        "programado": [1, 2, 5, 5, 5, 6],
        "ejecutado": [2, 3, 4, None, None, None],
        "etiquetas": {"programado": "Programado acumulado", "ejecutado": "Ejecutado acumulado", "eje": "Actividades"},
    }
    tabla = re.search(
        r'<table class="table table-sm tablero-tabla" id="tabla-ejecucion">(.*?)</table>', html(respuesta), re.S
    )
    filas = [re.sub(r"<[^>]+>|\s+", " ", fila).split() for fila in re.findall(r"<tr.*?</tr>", tabla.group(1), re.S)]
    assert filas[1:] == [
        ["Enero", "2024", "1", "2", "1", "2", "200,0", "%", "Verde"],
        ["Febrero", "2024", "1", "1", "2", "3", "100,0", "%", "Verde"],
        ["Marzo", "2024", "3", "1", "5", "4", "33,3", "%", "Rojo"],
        ["Abril", "2024", "0", "—", "5", "—", "posterior", "al", "corte"],
        ["Mayo", "2024", "0", "—", "5", "—", "posterior", "al", "corte"],
        ["Junio", "2024", "1", "—", "6", "—", "posterior", "al", "corte"],
    ]


def test_otro_corte_y_mes_sin_programacion(client, coordinador, historia):
    client.force_login(coordinador)
    respuesta = client.get(URL, {"corte": "2024-01-31", "mes": "2024-04"})
    avance = avance_de(respuesta)
    assert avance.corte == datetime.date(2024, 1, 31)
    assert (avance.ejecucion.programado_a_la_fecha, avance.ejecucion.ejecutado_a_la_fecha) == (1, 2)
    assert "No hay actividades programadas en abril de 2024." in html(respuesta)
    assert respuesta.context["form"]["corte"].value() == datetime.date(2024, 1, 31)


def test_quien_no_ha_reportado_con_sus_delegados(client, coordinador, historia):
    client.force_login(coordinador)
    texto = html(client.get(URL, {"corte": "2024-03-15"}))
    seccion = texto[texto.index('id="sin-reportar"') :]
    assert "Quién no ha reportado: marzo de 2024" in seccion
    assert "Secretaría de Salud Pública y Seguridad Social" in seccion
    assert "Daniela Gómez" in seccion and 'href="mailto:daniela@salud.gov.co"' in seccion
    assert "Secretaría de Hacienda" not in seccion  # its returned evidence of 8 March was sent

    febrero = html(client.get(URL, {"corte": "2024-03-15", "mes": "2024-02"}))
    seccion = febrero[febrero.index('id="sin-reportar"') :]
    assert "Secretaría de Hacienda" in seccion and "Hernán Pérez" in seccion and "sin correo" in seccion
    assert "Secretaría de Salud" not in seccion


def test_todos_reportaron(client, coordinador, historia):
    client.force_login(coordinador)
    texto = html(client.get(URL, {"mes": "2024-01"}))
    assert "Todas las secretarías responsables reportaron enero de 2024." in texto


@time_machine.travel(datetime.datetime(2025, 2, 10, 9, 0, tzinfo=BOGOTA), tick=False)
def test_corte_por_defecto_no_pasa_del_fin_del_plan(client, comite, historia):
    client.force_login(comite)
    respuesta = client.get(URL)
    assert respuesta.context["corte"] == datetime.date(2024, 6, 30)
    assert respuesta.context["mes"] == datetime.date(2024, 6, 1)


@time_machine.travel(datetime.datetime(2023, 11, 10, 9, 0, tzinfo=BOGOTA), tick=False)
def test_corte_por_defecto_no_es_anterior_al_plan(client, comite, historia):
    client.force_login(comite)
    assert client.get(URL).context["corte"] == datetime.date(2024, 1, 1)


def test_por_defecto_el_plan_vigente_y_se_puede_elegir_otro(client, comite, plan_pequeno):
    anterior = Plan.objects.create(
        entidad=plan_pequeno.entidad,
        municipio="Municipio de Prueba",
        titulo="Plan 2023",
        mes_inicio=datetime.date(2023, 1, 1),
        mes_fin=datetime.date(2023, 12, 1),
    )
    client.force_login(comite)
    assert client.get(URL).context["plan"] == plan_pequeno
    respuesta = client.get(URL, {"plan": anterior.pk, "corte": "2023-06-30"})
    assert respuesta.context["plan"] == anterior
    assert respuesta.context["corte"] == datetime.date(2023, 6, 30)
    assert "Plan 2023 · Municipio de Prueba, Ene 2023 – Dic 2023" in html(respuesta)
    assert "Este plan no tiene líneas de acción." in html(respuesta)
    assert "Plan 2023" not in html(client.get(URL))  # back to the current plan without the parameter


@pytest.mark.parametrize(
    ("parametros", "mensaje"),
    [
        (
            {"corte": "15/13/2024"},
            "«15/13/2024»: no hay mes 13. Escriba la fecha como dd/mm/aaaa (día, mes y año), por ejemplo 31/03/2024.",
        ),
        (
            {"corte": "2024-07-01"},
            "La fecha de corte debe estar dentro del periodo del plan: del 1 de enero de 2024 al 30 de junio de 2024.",
        ),
        ({"mes": "2024-3x"}, "Escriba el mes como mm/aaaa (mes y año), por ejemplo 03/2024; recibí «2024-3x»."),
        ({"mes": "2024-09"}, "El mes debe estar dentro del periodo del plan: de enero de 2024 a junio de 2024."),
    ],
)
@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_datos_invalidos_se_explican_y_se_usan_los_valores_por_defecto(
    client, coordinador, historia, plan_pequeno, parametros, mensaje
):
    client.force_login(coordinador)
    respuesta = client.get(URL, parametros)
    assert respuesta.status_code == 200
    texto = html(respuesta)
    assert "Algunos datos no son válidos; el tablero usa los valores por defecto para ellos." in texto
    assert mensaje in texto
    assert respuesta.context["plan"] == plan_pequeno
    assert respuesta.context["corte"] == datetime.date(2024, 3, 15)
    assert respuesta.context["mes"] == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("plan", ["999", "abc"])
def test_un_plan_que_no_existe_o_no_es_visible_es_404(client, coordinador, plan_pequeno, plan):
    client.force_login(coordinador)
    assert client.get(URL, {"plan": plan}).status_code == 404


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_consultas_del_tablero_no_crecen_con_las_evidencias(client, coordinador, historia, django_assert_num_queries):
    client.force_login(coordinador)
    # Computing the figures, 37: session, user, 2 for permissions, the user's entidad, the plans it may see
    # (seguimiento.vigencias), the menu, the form's choice of plans 2, the closing in force, the review queue's
    # count in the menu, the semáforo for the header, the delegates of who has not reported; the data version
    # (seguimiento.version_datos, one query), the cache read, then seguimiento.avance's 8 (its 2 aggregates read
    # the summary of approved evidence, and directly only the 16-31 March tail of the corte's month), who has
    # not reported 3, the participants' 6 (seguimiento.participantes) and the cache write (5, as Django's
    # database cache does it).
    with django_assert_num_queries(37):
        pequeno = client.get(URL)
    # Nothing changed: the same version, the figures read from the cache (37 - 8 - 3 - 6 - 5 = 15).
    with django_assert_num_queries(15):
        otra_vez = client.get(URL)
    assert figuras(otra_vez) == figuras(pequeno)
    assert avance_de(pequeno).ejecucion.ejecutado_a_la_fecha == 4
    # Ten times more evidence (recalcular_resumen drops the cached figures): the same count as before.
    assert multiplicar(historia, 10) == 100
    with django_assert_num_queries(37):
        grande = client.get(URL)
    assert avance_de(grande).ejecucion.ejecutado_a_la_fecha == 40
    assert figuras(grande) != figuras(pequeno)


def figuras(respuesta):
    """The dashboard from its summary cards to the participants (what is cached), without the CSRF token."""
    texto = html(respuesta)
    return texto[texto.index('id="titulo-resumen"') : texto.index('id="sin-reportar"')]


def test_menu_muestra_tablero_a_coordinacion_y_comite(client, coordinador, comite, delegada_salud, plan_pequeno):
    for persona, lo_ve in [(coordinador, True), (comite, True), (delegada_salud, False)]:
        client.force_login(persona)
        assert (f'href="{URL}"' in html(client.get(reverse("plan_vigente")))) is lo_ve


def test_ajustar_el_semaforo_cambia_los_colores(client, coordinador, historia):
    client.force_login(coordinador)
    formulario = client.get(URL_SEMAFORO)
    assert formulario.status_code == 200
    assert formulario.context["form"].initial == {"rojo_menor_que": 60, "verde_desde": 80}
    respuesta = client.post(URL_SEMAFORO, {"rojo_menor_que": 25, "verde_desde": 70})
    assert respuesta.status_code == 302 and respuesta["Location"] == URL
    assert [str(m) for m in get_messages(respuesta.wsgi_request)] == [
        "Semáforo actualizado: rojo por debajo de 25 %, verde desde 70 %."
    ]
    assert Semaforo.objects.get().rojo_menor_que == 25
    tablero = client.get(URL, {"corte": "2024-03-15"})
    estrategias = avance_de(tablero).estrategias()
    assert [e.color for e in estrategias] == [Color.AMARILLO, Color.VERDE]  # 62.5 % and 75 %
    assert "rojo por debajo de 25 %" in html(tablero)
    # A second change edits the same row.
    client.post(URL_SEMAFORO, {"rojo_menor_que": 50, "verde_desde": 90})
    assert list(Semaforo.objects.values_list("rojo_menor_que", "verde_desde")) == [(50, 90)]


@pytest.mark.parametrize(
    ("datos", "campo", "mensaje"),
    [
        (
            {"rojo_menor_que": 80, "verde_desde": 60},
            "verde_desde",
            "«Verde desde» (60 %) no puede ser menor que «rojo por debajo de» (80 %): entre los dos queda el amarillo.",
        ),
        ({"rojo_menor_que": 60, "verde_desde": 120}, "verde_desde", "Escriba un porcentaje entre 0 y 100."),
        ({"rojo_menor_que": -5, "verde_desde": 80}, "rojo_menor_que", "mayor o igual a 0"),
        ({"rojo_menor_que": "", "verde_desde": 80}, "rojo_menor_que", "Este campo es obligatorio."),
    ],
)
def test_umbrales_invalidos_se_explican(client, coordinador, datos, campo, mensaje):
    client.force_login(coordinador)
    respuesta = client.post(URL_SEMAFORO, datos)
    assert respuesta.status_code == 200
    errores = respuesta.context["form"].errors
    assert list(errores) == [campo]
    assert mensaje in errores[campo][0]
    assert mensaje in html(respuesta)
    assert not Semaforo.objects.exists()


def test_umbrales_iguales_son_validos(client, coordinador):
    client.force_login(coordinador)
    client.post(URL_SEMAFORO, {"rojo_menor_que": 70, "verde_desde": 70})
    assert list(Semaforo.objects.values_list("rojo_menor_que", "verde_desde")) == [(70, 70)]


CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"


@pytest.mark.navegador
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the roles the migrations create
@pytest.mark.parametrize("ruta", ["/tablero/?corte=2024-03-15", "/revision/", "/tablero/semaforo/"])
def test_en_un_telefono_con_csp_estricta(navegador, live_server, client, coordinador, historia, ruta):
    """At 375 px nothing overflows sideways, and under a CSP without 'unsafe-inline' the chart still draws."""
    client.force_login(coordinador)
    sesion = client.cookies[settings.SESSION_COOKIE_NAME].value
    avisos = []

    def con_csp(route):
        respuesta = route.fetch()
        route.fulfill(response=respuesta, headers={**respuesta.headers, "content-security-policy": CSP})

    contexto = navegador.new_context(viewport={"width": 375, "height": 800})
    try:
        contexto.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sesion, "url": live_server.url}])
        pagina = contexto.new_page()
        pagina.set_default_timeout(10_000)
        pagina.on("console", lambda mensaje: avisos.append(mensaje.text) if mensaje.type == "error" else None)
        pagina.on("pageerror", lambda error: avisos.append(str(error)))
        pagina.route(f"{live_server.url}{ruta}", con_csp)
        pagina.goto(live_server.url + ruta)
        pagina.wait_for_load_state("networkidle")
        if ruta.startswith("/tablero/?"):
            # Chart.js draws after its script runs: wait for the chart, not for one read of it.
            pagina.wait_for_function(
                "() => { const c = document.getElementById('grafico-ejecucion');"
                " return !!(c && window.Chart && window.Chart.getChart(c)); }"
            )
        pagina.wait_for_function("() => document.documentElement.scrollWidth <= 375")
        # Errors reported asynchronously (a late CSP violation, a failing script) arrive after a turn of the loop.
        pagina.evaluate("() => new Promise((listo) => setTimeout(listo, 50))")
    finally:
        contexto.close()
    assert [a for a in avisos if "favicon" not in a and "404" not in a] == []


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_los_textos_del_plan_se_muestran_escapados(client, coordinador, plan_pequeno, salud, historia):
    """The rows of strategies and metas are built in Python (seguimiento/templatetags/avance_html.py)."""
    meta = plan_pequeno.metas().get(codigo="2.1")
    meta.texto = '<script>alert("meta")</script> & más'
    meta.save()
    salud.nombre = "Secretaría <b>de Salud</b>"
    salud.save()
    estrategia = meta.estrategia
    estrategia.texto = "<img src=x onerror=alert(1)>"
    estrategia.save()
    client.force_login(coordinador)
    texto = html(client.get(URL))
    assert "&lt;script&gt;alert(&quot;meta&quot;)&lt;/script&gt; &amp; más" in texto
    assert "Secretaría &lt;b&gt;de Salud&lt;/b&gt;: 3 de 2 (150,0 %)" in texto
    assert "&lt;img src=x onerror=alert(1)&gt;" in texto
    assert "<script>alert" not in texto and "<img src=x" not in texto and "<b>de Salud" not in texto


def test_participantes_por_linea_y_estrategia_filtrables_por_mes(client, coordinador, historia):
    from seguimiento import resumen
    from seguimiento.models import Evidencia

    Evidencia.objects.filter(pk__in=[e.pk for e in historia]).update(participantes_total=10, mujeres=6, hombres=4)
    resumen.recalcular()
    client.force_login(coordinador)
    respuesta = client.get(URL)
    filas = participantes_de(respuesta)
    plan = filas[0][2]
    assert filas[0][0] == "plan" and plan.participantes_total == 60  # six approved evidences
    assert plan.mujeres == 36
    assert plan.participantes_total == sum(c.participantes_total for nivel, _f, c in filas if nivel == "linea")
    assert plan.participantes_total == sum(c.participantes_total for nivel, _f, c in filas if nivel == "estrategia")
    assert 'id="tabla-participantes"' in respuesta.content.decode()
    meses = {}
    for mes in avance_de(respuesta).plan.meses():
        por_mes = client.get(URL, {"participantes": mes.strftime("%m/%Y")})
        assert por_mes.status_code == 200 and not por_mes.context["form"].errors
        meses[mes] = participantes_de(por_mes)[0][2].participantes_total
    assert sum(meses.values()) == plan.participantes_total
    fuera = client.get(URL, {"participantes": "01/1999"})
    assert "participantes" in fuera.context["form"].errors


def test_las_cifras_guardadas_cambian_con_cada_cambio_de_los_datos(client, coordinador, historia, delegada_salud):
    """The figures are computed once per data version (seguimiento.version_datos): an approval and an edit of
    the plan show on the next visit; a deleted evidence is a new version."""
    from plan_participacion.models import Meta
    from seguimiento import acciones
    from seguimiento.models import Evidencia

    client.force_login(coordinador)
    antes = figuras(client.get(URL))
    assert figuras(client.get(URL)) == antes  # read from the cache

    enviada = Evidencia.objects.get(estado=Evidencia.Estado.ENVIADA)
    acciones.aprobar(enviada, revisor=coordinador)
    aprobada = figuras(client.get(URL))
    assert aprobada != antes
    assert aprobada == figuras_calculadas(client)

    meta = Meta.objects.get(codigo="2.1")
    meta.texto = "Veinte (20) convocatorias nuevas."
    meta.save()
    editada = figuras(client.get(URL))
    assert copias_del_tablero() == 1  # each version replaced the copy: the cache does not grow with the changes
    assert "Veinte (20) convocatorias nuevas." in editada and editada == figuras_calculadas(client)

    borrador = Evidencia.objects.get(estado=Evidencia.Estado.BORRADOR)
    version = version_datos.plan_con_version(borrador.meta.estrategia.objetivo.linea.plan)
    acciones.eliminar(borrador, usuario=delegada_salud)
    assert version_datos.plan_con_version(version.plan).etag != version.etag


def copias_del_tablero():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cache_compartida WHERE cache_key LIKE %s", ["%cifras:tablero:%"])
        return cursor.fetchone()[0]


def figuras_calculadas(client):
    """The dashboard's figures computed now, without the cache."""
    from django.core.cache import cache

    cache.clear()
    return figuras(client.get(URL))
