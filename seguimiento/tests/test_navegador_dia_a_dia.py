"""Daily work in real Chromium, each journey at 1280 px and at 375 px: Mis metas by what is due, files
kept across errors, the review with its confirmation, dates in Spanish in an English browser, and a
form that survives a dropped connection (an upload resumed, what was typed restored).

The plan is plan_pequeno moved to this month (conftest.jornada): the browser's clock cannot be frozen.
"""

import datetime
import hashlib
import io
import random
import re

import pytest
from playwright.sync_api import expect

from plan_participacion.importer.fechas import NOMBRES_MESES
from seguimiento.archivos import revisar_archivo
from seguimiento.models import ArchivoPreparado, Evidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png, subida
from seguimiento.tests.test_navegador import iniciar_sesion as entrar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANCHOS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 812}}
Estado = Evidencia.Estado


@pytest.fixture(params=list(ANCHOS))
def ancho(request):
    return request.param


@pytest.fixture
def abrir(navegador, live_server, ancho):
    """A new browser context (its own cookies and storage) at the test's width; its first page."""
    contextos = []

    def nueva(idioma="es-CO", javascript=True):
        contexto = navegador.new_context(
            viewport=ANCHOS[ancho],
            base_url=live_server.url,
            locale=idioma,
            java_script_enabled=javascript,
            reduced_motion="reduce",
        )
        contextos.append(contexto)
        pagina = contexto.new_page()
        pagina.set_default_timeout(10_000)
        return pagina

    yield nueva
    for contexto in contextos:
        contexto.close()


def sin_desborde(pagina):
    pagina.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")


def menu(pagina, ancho):
    """The navbar's links: on a phone, open the collapsed menu first."""
    if ancho == "375":
        pagina.locator(".navbar-toggler").click()
        expect(pagina.locator("#menu")).to_have_class(re.compile(r"\bshow\b"))
    return pagina.locator("#menu")


def dd_mm_aaaa(fecha):
    return fecha.strftime("%d/%m/%Y")


# ---- 1. Mis metas by what is due ----


def test_mis_metas_empieza_por_lo_que_vence_y_se_busca_con_y_sin_javascript(abrir, ancho, jornada, delegada_salud):
    pagina = abrir()
    entrar(pagina, delegada_salud)
    pagina.wait_for_url("**/mis-metas/")
    secciones = pagina.locator("main section.seccion-metas")
    expect(secciones).to_have_count(4)
    expect(secciones.nth(0)).to_have_attribute("id", "devueltas")
    expect(secciones.nth(1)).to_have_attribute("id", "este-mes")
    expect(secciones.nth(2)).to_have_attribute("id", "atrasadas")
    expect(secciones.nth(3)).to_have_attribute("id", "demas-metas")

    devuelta = pagina.locator(f"#devuelta-{jornada['devuelta'].pk}")
    expect(devuelta).to_contain_text("Falta el acta firmada por los asistentes.")
    expect(pagina.locator("#este-mes")).to_contain_text("2 actividades programadas en")
    expect(pagina.locator("#este-mes")).to_contain_text("1 en borrador (sin enviar)")
    expect(pagina.locator("#atrasadas")).to_contain_text("1.2")
    # The rest folds by strategy; a strategy opens with a click.
    estrategia = pagina.locator("#demas-metas details.estrategia-metas").first
    expect(estrategia).not_to_have_attribute("open", "")
    estrategia.locator("summary").click()
    expect(estrategia).to_have_attribute("open", "")
    sin_desborde(pagina)
    if ancho == "375":
        # Compact rows: a meta with its progress and its two actions fits in a phone's thumb reach.
        fila = pagina.locator(".meta-delegado:visible").first
        assert fila.bounding_box()["height"] < 230

    # The search filters as one types: a code, or words without accents.
    buscar = pagina.get_by_role("searchbox", name="Buscar una meta")
    buscar.fill("1.1")
    expect(pagina.locator("#resultado-busqueda")).to_have_text("1 de 3 metas coinciden con «1.1».")
    expect(pagina.locator(f"#meta-{jornada['metas']['1.2'].pk}")).to_be_hidden()
    expect(pagina.locator(f"#meta-{jornada['metas']['1.1'].pk}")).to_be_visible()
    expect(pagina.locator("#demas-metas")).to_be_hidden()  # only 2.1 there
    expect(devuelta).to_be_visible()  # the returned evidence is toward 1.1
    expect(pagina).to_have_url(re.compile(r"\?q=1\.1$"))
    buscar.fill("convocatorias CADA")
    expect(pagina.locator(f"#meta-{jornada['metas']['2.1'].pk}")).to_be_visible()
    expect(devuelta).to_be_hidden()
    buscar.fill("")
    expect(devuelta).to_be_visible()

    # «Corregir» takes her to the form of the returned evidence.
    devuelta.get_by_role("link", name=re.compile("^Corregir")).click()
    pagina.wait_for_url(f"**/evidencias/{jornada['devuelta'].pk}/editar/")

    # Without JavaScript the same search works through the server.
    sin_js = abrir(javascript=False)
    entrar(sin_js, delegada_salud)
    sin_js.wait_for_url("**/mis-metas/")
    sin_js.get_by_role("searchbox", name="Buscar una meta").fill("diagnostico")
    sin_js.get_by_role("button", name="Buscar").click()
    sin_js.wait_for_url(re.compile(r"\?q=diagnostico$"))
    expect(sin_js.locator("#resultado-busqueda")).to_have_text("2 de 3 metas coinciden con «diagnostico».")
    expect(sin_js.locator(f"#meta-{jornada['metas']['2.1'].pk}")).to_be_hidden()
    expect(sin_js.locator(f"#meta-{jornada['metas']['1.2'].pk}")).to_be_visible()


# ---- 2. Files kept across errors ----


def llenar(pagina, jornada, *, total="20"):
    pagina.get_by_role("combobox", name="Meta").select_option(value=str(jornada["metas"]["1.2"].pk))
    pagina.get_by_label("Fecha de la actividad").fill(dd_mm_aaaa(jornada["meses"][2]))
    pagina.get_by_label("Descripción de la actividad").fill("Reunión con líderes comunales.")
    pagina.get_by_label("Total de participantes").fill(total)
    pagina.get_by_label("Mujeres*", exact=True).fill("12")
    pagina.get_by_label("Hombres").fill("8")
    pagina.get_by_label("Acta", exact=True).check()


def test_sin_javascript_los_archivos_buenos_quedan_adjuntos_tras_un_error(abrir, jornada, delegada_salud):
    pagina = abrir(javascript=False)
    entrar(pagina, delegada_salud)
    pagina.goto("/evidencias/nueva/")
    llenar(pagina, jornada, total="5")  # 12 women and 8 men are more than 5
    pagina.get_by_label("Archivos").set_input_files(
        [
            {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf()},
            {"name": "foto.png", "mimeType": "image/png", "buffer": bytes_png(tamano=(40, 30))},
            {"name": "virus.png", "mimeType": "image/png", "buffer": b"<html><script>x</script></html>"},
        ]
    )
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#resumen-errores")).to_contain_text("quedaron adjuntos")
    expect(pagina.get_by_text("El archivo «virus.png» no es PDF, JPEG, PNG, DOCX ni XLSX.")).to_be_visible()
    adjuntos = pagina.locator("#lista-ya-adjuntos li")
    expect(adjuntos).to_have_count(2)
    expect(pagina.get_by_text("Ya adjuntos", exact=True)).to_be_visible()

    # «Quitar» works without JavaScript too: the form comes back, nothing saved.
    adjuntos.filter(has_text="foto.png").get_by_role("button", name=re.compile("^Quitar")).click()
    expect(pagina.get_by_text("Se quitó «foto.png».")).to_be_visible()
    expect(adjuntos).to_have_count(1)
    assert not Evidencia.objects.filter(descripcion="Reunión con líderes comunales.").exists()

    # Fixed and saved: the file she picked once is there.
    pagina.get_by_label("Total de participantes").fill("20")
    pagina.get_by_role("button", name="Guardar borrador").click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    expect(pagina.locator("#lista-archivos li")).to_have_count(1)
    expect(pagina.locator("#lista-archivos")).to_contain_text("acta.pdf")
    assert not ArchivoPreparado.objects.exists()


def test_con_javascript_se_quitan_y_se_conservan_sin_recargar(abrir, jornada, delegada_salud):
    pagina = abrir()
    entrar(pagina, delegada_salud)
    pagina.goto("/evidencias/nueva/")
    llenar(pagina, jornada, total="5")
    pagina.get_by_label("Archivos").set_input_files(
        [
            {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf()},
            {"name": "lista.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf("Lista")},
        ]
    )
    adjuntos = pagina.locator("#lista-ya-adjuntos li")
    expect(adjuntos).to_have_count(2)
    adjuntos.filter(has_text="lista.pdf").get_by_role("button", name=re.compile("^Quitar")).click()
    expect(adjuntos).to_have_count(1)
    expect(pagina.locator("#estado-subida")).to_have_text("Se quitó «lista.pdf».")
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#resumen-errores")).to_be_visible()
    expect(adjuntos).to_have_count(1)
    pagina.get_by_label("Total de participantes").fill("20")
    pagina.get_by_role("button", name="Guardar borrador").click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    expect(pagina.locator("#lista-archivos")).to_contain_text("acta.pdf")
    expect(pagina.locator("#lista-archivos li")).to_have_count(1)


# ---- 3. The review ----


def test_la_coordinadora_llega_a_su_cola_ve_lo_reenviado_y_confirma_al_aprobar(
    abrir, ancho, jornada, coordinador, comite
):
    pagina = abrir()
    entrar(pagina, coordinador)
    pagina.wait_for_url("**/revision/")
    expect(pagina.locator("#resumen-cola")).to_contain_text("2 esperando revisión")
    expect(pagina.locator("#resumen-cola")).to_contain_text("1 reenviada tras una devolución")
    reenviada = pagina.locator(f"#evidencia-{jornada['reenviada'].pk}")
    expect(reenviada.locator(".reenviada")).to_have_text("Reenviada")
    expect(reenviada).to_contain_text("Fueron dos convocatorias, no una.")
    expect(reenviada.locator(".cambios-desde-devolucion")).to_contain_text("Cantidad: 1 → 2")
    expect(pagina.locator(f"#evidencia-{jornada['primera'].pk} .reenviada")).to_have_count(0)
    expect(menu(pagina, ancho).locator("#menu-por-revisar")).to_contain_text("2")
    sin_desborde(pagina)

    reenviada.get_by_role("link").first.click()
    # «Aprobar…» comes after the evidence's content, and asks first.
    aprobar = pagina.get_by_role("link", name="Aprobar…")
    assert pagina.locator("#titulo-archivos").bounding_box()["y"] < aprobar.bounding_box()["y"]
    aprobar.click()
    pagina.wait_for_url(f"**/evidencias/{jornada['reenviada'].pk}/aprobar/")
    expect(pagina.get_by_role("heading", name="¿Aprobar el reporte de la meta 2.1?")).to_be_visible()
    expect(pagina.locator("#resumen-aprobacion")).to_contain_text("el avance aprobado pasa de 0 a 2 de 2")
    expect(pagina.locator("#aprobar-reenviada")).to_contain_text("Cantidad: 1 → 2")
    sin_desborde(pagina)
    # Going back approves nothing.
    pagina.get_by_role("link", name="No, volver al reporte").click()
    expect(pagina.locator("#estado-evidencia")).to_contain_text("Enviada")
    pagina.get_by_role("link", name="Aprobar…").click()
    pagina.get_by_role("button", name="Sí, aprobar").click()
    expect(pagina.locator("#estado-evidencia")).to_contain_text("Aprobada")
    expect(pagina.get_by_role("alert").first).to_contain_text("Evidencia aprobada")
    expect(menu(pagina, ancho).locator("#menu-por-revisar")).to_contain_text("1")
    assert Evidencia.objects.get(pk=jornada["reenviada"].pk).estado == Estado.APROBADA

    # The committee lands on its reports.
    comite_pagina = abrir()
    entrar(comite_pagina, comite)
    comite_pagina.wait_for_url("**/reportes/")
    expect(comite_pagina.get_by_role("heading", level=1)).to_be_visible()


# ---- 4. Dates in Spanish, whatever the browser's language ----


def test_fechas_dd_mm_aaaa_y_mensajes_en_espanol_en_un_navegador_en_ingles(abrir, jornada, delegada_salud, coordinador):
    pagina = abrir(idioma="en-US")
    entrar(pagina, delegada_salud)
    pagina.goto("/evidencias/nueva/")
    fecha = pagina.get_by_label("Fecha de la actividad")
    expect(fecha).to_have_attribute("type", "text")
    expect(fecha).to_have_attribute("placeholder", "dd/mm/aaaa")

    # Nothing filled in: the app's messages under each field, in Spanish; no English bubble, no request.
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#id_descripcion-error-cliente")).to_have_text("Complete este campo.")
    expect(pagina.locator("#id_fecha_actividad-error-cliente")).to_have_text("Complete este campo.")
    expect(pagina.get_by_role("combobox", name="Meta")).to_be_focused()  # the first field to fix
    expect(pagina).to_have_url(re.compile(r"/evidencias/nueva/$"))

    # An American date is read as día/mes: no month 15, said in Spanish.
    llenar(pagina, jornada)
    fecha.fill("3/15/2024")
    pagina.get_by_role("button", name="Guardar borrador").click()
    expect(pagina.locator("#id_fecha_actividad-error-cliente")).to_contain_text("no es un día del calendario")
    # A phone's keyboard has no "/": eight digits become dd/mm/aaaa.
    dia = jornada["meses"][2]
    fecha.fill(dia.strftime("%d%m%Y"))
    fecha.blur()
    expect(fecha).to_have_value(dd_mm_aaaa(dia))
    expect(pagina.locator("#id_fecha_actividad-error-cliente")).to_have_count(0)
    pagina.get_by_role("button", name="Guardar borrador").click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    en_palabras = f"{dia.day} de {NOMBRES_MESES[dia.month - 1]} de {dia.year}"
    expect(pagina.get_by_role("heading", level=1)).to_contain_text(en_palabras)

    # The dashboard's corte, the reports' and the closing page's dates: dd/mm/aaaa too.
    coordinacion = abrir(idioma="en-US")
    entrar(coordinacion, coordinador)
    coordinacion.wait_for_url("**/revision/")
    corte = jornada["meses"][1] + datetime.timedelta(days=14)
    coordinacion.goto("/tablero/")
    coordinacion.get_by_label("Fecha de corte").fill(dd_mm_aaaa(corte))
    coordinacion.get_by_role("button", name="Ver").click()
    expect(coordinacion.locator("#corte")).to_contain_text(f"Corte: {corte.day} de {NOMBRES_MESES[corte.month - 1]}")
    expect(coordinacion.get_by_label("Fecha de corte")).to_have_value(dd_mm_aaaa(corte))
    coordinacion.goto("/reportes/")
    coordinacion.get_by_role("textbox", name="Fecha de corte").fill("31/02/2024")
    coordinacion.locator("#form-reportes button[type=submit]").first.click()
    expect(coordinacion.locator("#form-reportes")).to_contain_text("no es un día del calendario")
    coordinacion.goto("/cierres/")
    expect(coordinacion.get_by_label("Cerrar hasta (incluido)")).to_have_attribute("placeholder", "dd/mm/aaaa")


# ---- 6. A bad connection ----


def foto_de_telefono():
    """A photo of ~770 KB that does not compress (random pixels): many pieces of 64 KB."""
    azar = random.Random(2024)
    from PIL import Image

    imagen = Image.frombytes("RGB", (512, 500), azar.randbytes(512 * 500 * 3))
    salida = io.BytesIO()
    imagen.save(salida, "PNG")
    return salida.getvalue()


def test_la_subida_sigue_donde_iba_cuando_vuelve_la_conexion(abrir, jornada, delegada_salud, settings):
    settings.SUBIDA_TROZO_BYTES = 64 * 1024
    foto = foto_de_telefono()
    pagina = abrir()
    contexto = pagina.context
    entrar(pagina, delegada_salud)
    pagina.goto("/evidencias/nueva/")
    llenar(pagina, jornada)

    rangos = []
    pagina.on("request", lambda r: rangos.append(r.headers["content-range"]) if r.method == "PUT" else None)
    cortes = []

    def cortar_en_la_tercera(route):
        if route.request.method == "PUT" and not cortes and len(rangos) >= 3:
            cortes.append(route.request.headers["content-range"])
            contexto.set_offline(True)  # the connection drops while the third piece travels
            route.abort("internetdisconnected")
        else:
            route.continue_()

    pagina.route("**/evidencias/subidas/*/", cortar_en_la_tercera)
    pagina.get_by_label("Archivos").set_input_files({"name": "reunion.png", "mimeType": "image/png", "buffer": foto})
    aviso = pagina.locator("#subidas-en-curso .estado-subida-archivo")
    expect(aviso).to_contain_text("Sin conexión")
    expect(pagina.locator("#estado-subida")).to_contain_text("seguirá sola, sin empezar de nuevo")
    recibido = ArchivoPreparado.objects.get().recibido
    assert 0 < recibido < len(foto), "cortada a mitad de camino"

    contexto.set_offline(False)
    expect(pagina.locator("#lista-ya-adjuntos li")).to_have_count(1, timeout=20_000)
    expect(pagina.locator("#lista-ya-adjuntos")).to_contain_text("reunion.png")
    inicios = [int(re.match(r"bytes (\d+)-", r).group(1)) for r in rangos]
    assert inicios.count(0) == 1, "no volvió a empezar"
    assert inicios[inicios.index(int(cortes[0].split()[1].split("-")[0])) + 1 :][0] <= recibido

    pagina.get_by_role("button", name="Guardar borrador").click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    guardado = Evidencia.objects.get(descripcion="Reunión con líderes comunales.").archivos.get()
    assert guardado.sha256 == revisar_archivo(subida("reunion.png", foto)).sha256
    assert guardado.sha256_original == hashlib.sha256(foto).hexdigest()


def test_lo_escrito_sobrevive_a_una_recarga_y_se_borra_al_guardar_y_al_salir(abrir, jornada, delegada_salud):
    pagina = abrir()
    entrar(pagina, delegada_salud)
    pagina.goto("/evidencias/nueva/")
    llenar(pagina, jornada)
    pagina.get_by_label("Lugar").fill("Vereda El Lauro")
    pagina.get_by_label("Archivos").set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf()}
    )
    expect(pagina.locator("#lista-ya-adjuntos li")).to_have_count(1)
    clave = f"participacion:borrador:{delegada_salud.pk}:nueva"
    pagina.wait_for_function(f"() => (localStorage.getItem('{clave}') || '').includes('Vereda El Lauro')")
    guardado = pagina.evaluate(f"localStorage.getItem('{clave}')")
    assert "acta.pdf" not in guardado and "csrfmiddlewaretoken" not in guardado, "solo texto, nunca archivos"

    # The tab crashes (or the page is reloaded): the form offers what was typed, and its files.
    pagina.reload()
    oferta = pagina.locator("#oferta-borrador")
    expect(oferta).to_be_visible()
    expect(pagina.get_by_label("Lugar")).to_have_value("")
    oferta.get_by_role("button", name="Recuperar lo que escribí").click()
    expect(oferta).to_be_hidden()
    expect(pagina.get_by_label("Lugar")).to_have_value("Vereda El Lauro")
    expect(pagina.get_by_label("Descripción de la actividad")).to_have_value("Reunión con líderes comunales.")
    expect(pagina.get_by_label("Acta", exact=True)).to_be_checked()
    expect(pagina.locator("#lista-ya-adjuntos li")).to_have_count(1)

    # Saved: the server confirms it and the browser forgets its copy.
    pagina.get_by_role("button", name="Guardar borrador").click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    pagina.wait_for_function(f"() => localStorage.getItem('{clave}') === null")
    assert Evidencia.objects.get(lugar="Vereda El Lauro").archivos.count() == 1

    # Typed again and left without saving: «Cerrar sesión» clears it (a shared computer).
    pagina.goto("/evidencias/nueva/")
    pagina.get_by_label("Lugar").fill("Otra vereda")
    pagina.wait_for_function(f"() => localStorage.getItem('{clave}') !== null")
    if pagina.locator(".navbar-toggler").is_visible():
        pagina.locator(".navbar-toggler").click()
    pagina.get_by_role("button", name="Cerrar sesión").click()
    pagina.wait_for_url("**/cuentas/login/")
    pagina.wait_for_function("() => Object.keys(localStorage).every((k) => !k.startsWith('participacion:borrador:'))")
