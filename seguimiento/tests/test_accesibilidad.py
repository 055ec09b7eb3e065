"""axe-core on every page of every role, at 1280 px and at 375 px with the menu open: no serious or critical
violation (and, on the same visit, no Content-Security-Policy violation).

axe-core is vendored in seguimiento/tests/axe/ (npm pack, see VERSION there), never served by the app,
and injected as an init script (Playwright's, outside the page's CSP). One browser context per role,
logged in once, visits its pages at both widths: the sweep costs about half a minute. A page added to
the app goes in PAGINAS, or its role's sweep does not see it.
"""

import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from plan_participacion.models import Plan
from reportes.models import Informe
from seguimiento.tests.conftest import bytes_pdf
from seguimiento.tests.test_csp import VIGILAR

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
SEMILLA = Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv"
ANCHOS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 812}}

# Run in the page once it is loaded: the serious and critical violations, with where they are.
REVISAR = """async () => {
  const resultado = await window.axe.run(document, {resultTypes: ["violations"]});
  return resultado.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({regla: v.id, impacto: v.impact, ayuda: v.help,
                  nodos: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " → " + n.failureSummary)}));
}"""


def contexto_de(navegador, live_server, usuario=None):
    """A browser context with axe-core loaded in every page, logged in once as ``usuario`` (None: anonymous)."""
    contexto = navegador.new_context(base_url=live_server.url, locale="es-CO", reduced_motion="reduce")
    contexto.add_init_script(path=str(AXE))
    contexto.add_init_script(VIGILAR)  # and the strict CSP, on the same visit (seguimiento/tests/test_csp.py)
    if usuario is not None:
        cliente = Client()
        cliente.force_login(usuario)
        sesion = cliente.cookies[settings.SESSION_COOKIE_NAME].value
        contexto.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sesion, "url": live_server.url}])
    return contexto


def abrir_menu(pagina):
    """On a phone the menu is collapsed: open it, so that its links are checked too."""
    boton = pagina.locator(".navbar-toggler")
    if boton.count() and boton.is_visible():
        boton.click()
        expect(pagina.locator("#menu")).to_have_class(re.compile(r"\bshow\b"))
        expect(boton).to_have_attribute("aria-expanded", "true")


def revisar(pagina, ancho):
    pagina.wait_for_load_state("load")
    if ancho == "375":
        abrir_menu(pagina)
    # The page's own CSP violations, before axe probes it (its probing of Django's admin trips the
    # policy itself); violation events arrive after a turn of the event loop.
    pagina.evaluate("() => new Promise((listo) => requestAnimationFrame(() => setTimeout(listo, 50)))")
    csp = pagina.evaluate("window.__violaciones || []")
    graves = pagina.evaluate(REVISAR)
    return graves + ([{"regla": "Content-Security-Policy", "nodos": csp}] if csp else [])


# ---- pages reached by doing something in them ----


def formulario_con_errores_del_navegador(pagina):
    pagina.goto("/evidencias/nueva/")
    pagina.locator("#guardar-evidencia").click()
    expect(pagina.locator("#id_descripcion")).to_have_class(re.compile("is-invalid"))


def formulario_con_errores_del_servidor(pagina):
    pagina.goto("/evidencias/nueva/")
    # form.submit() skips the submit listeners: what the server answers without the browser's checks.
    with pagina.expect_navigation():
        pagina.evaluate("document.getElementById('form-evidencia').submit()")
    expect(pagina.locator("#resumen-errores")).to_be_visible()


def vista_previa_de_importacion(pagina):
    pagina.goto("/plan/importar/")
    # The seed, as a sheet of the coordinator's own municipio (another municipio's is refused for her).
    hoja = SEMILLA.read_bytes().replace(b"MUNICIPIO DE CANDELARIA", b"MUNICIPIO DE PRUEBA")
    pagina.locator("input[type=file]").set_input_files(
        {"name": "cronograma.tsv", "mimeType": "text/tab-separated-values", "buffer": hoja}
    )
    pagina.locator("#form-importar button[type=submit]").click()
    expect(pagina.locator("#form-confirmar")).to_be_visible()


def verificar_un_documento(pagina):
    pagina.goto("/reportes/verificar/")
    pagina.locator("#form-verificar-archivo input[type=file]").set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf()}
    )
    pagina.locator("#form-verificar-archivo button[type=submit]").click()
    expect(pagina.locator("main")).to_contain_text("no")


def paginas(jornada):
    """Per role: (name, address and expected status | an action that reaches the page)."""
    e = {nombre: jornada[nombre] for nombre in ("borrador", "devuelta", "reenviada", "primera", "aprobada")}
    plan = jornada["plan"]
    corte = jornada["meses"][1].strftime("%d/%m/%Y")
    delegada = e["borrador"].autor
    informe = Informe.objects.create(  # a report job waiting in the queue: its page shows how it goes
        plan=plan,
        tipo=Informe.Tipo.VERIFICACION,
        corte=jornada["meses"][1],
        huella="accesibilidad",
        pedido_en=timezone.now(),
        ultima_solicitud=timezone.now(),
    )
    comunes = [
        ("plan", ("/plan/", 200)),
        ("contraseña", ("/cuentas/password_change/", 200)),
        ("contraseña cambiada", ("/cuentas/password_change/done/", 200)),
        ("no existe", ("/no-existe/", 404)),
    ]
    # The Menú Participa reads published plans only.
    Plan.objects.filter(pk=plan.pk).update(publicado=True)
    return {
        "anonimo": [
            ("participa", ("/participa/", 200)),
            ("participa: plan", (f"/participa/{plan.pk}/", 200)),
            ("participa: diccionario de datos", (f"/participa/{plan.pk}/diccionario/", 200)),
            ("entrar", ("/cuentas/login/", 200)),
            ("restablecer", ("/cuentas/password_reset/", 200)),
            ("restablecer enviado", ("/cuentas/password_reset/done/", 200)),
            ("enlace vencido", ("/cuentas/reset/MQ/no-vale/", 200)),
            ("restablecida", ("/cuentas/reset/done/", 200)),
            ("verificar", ("/reportes/verificar/", 200)),
            ("verificar un documento", verificar_un_documento),
            ("invitación vencida", ("/equipo/activar/MQ/no-vale/", 200)),
        ],
        "delegada_salud": [
            ("mis metas", ("/mis-metas/", 200)),
            ("mis metas buscando", ("/mis-metas/?q=1.2", 200)),
            ("mis reportes", ("/evidencias/", 200)),
            ("registrar", ("/evidencias/nueva/?meta=" + str(jornada["metas"]["1.2"].pk), 200)),
            ("registrar con errores del navegador", formulario_con_errores_del_navegador),
            ("registrar con errores del servidor", formulario_con_errores_del_servidor),
            ("borrador", (e["borrador"].get_absolute_url(), 200)),
            ("devuelta", (e["devuelta"].get_absolute_url(), 200)),
            ("enviada", (e["reenviada"].get_absolute_url(), 200)),
            ("editar", (f"/evidencias/{e['borrador'].pk}/editar/", 200)),
            ("eliminar", (f"/evidencias/{e['borrador'].pk}/eliminar/", 200)),
            ("sin permiso", ("/tablero/", 403)),
            *comunes,
        ],
        "coordinador": [
            ("cola de revisión", ("/revision/", 200)),
            ("cola filtrada", ("/revision/?mes=" + jornada["meses"][1].strftime("%m/%Y"), 200)),
            ("reenviada", (e["reenviada"].get_absolute_url(), 200)),
            ("confirmar aprobación", (f"/evidencias/{e['reenviada'].pk}/aprobar/", 200)),
            ("aprobada", (e["aprobada"].get_absolute_url(), 200)),
            ("reportes de todos", ("/evidencias/", 200)),
            ("tablero", ("/tablero/", 200)),
            ("tablero con corte", (f"/tablero/?corte={corte}", 200)),
            ("semáforo", ("/tablero/semaforo/", 200)),
            ("auditoría", ("/auditoria/", 200)),
            ("cierres", ("/cierres/", 200)),
            ("revisar un cierre", (f"/cierres/?plan={plan.pk}&hasta={corte}", 200)),
            ("un plan", (f"/plan/{plan.pk}/", 200)),
            ("objetivo de una meta", (f"/plan/metas/{jornada['metas']['1.1'].pk}/objetivo/", 200)),
            ("recordatorios del mes", (f"/tablero/recordatorios/?plan={plan.pk}&mes={jornada['meses'][1]:%Y-%m}", 200)),
            ("equipo", ("/equipo/", 200)),
            ("invitar", ("/equipo/invitar/", 200)),
            ("una persona del equipo", (f"/equipo/{delegada.pk}/", 200)),
            ("importar", ("/plan/importar/", 200)),
            ("vista previa de la importación", vista_previa_de_importacion),
            ("reportes", ("/reportes/", 200)),
            ("firmados", ("/reportes/firmados/", 200)),
            ("texto del informe", (f"/reportes/narrativa/?plan={plan.pk}&corte={corte}", 200)),
            ("fases del ciclo", (f"/plan/{plan.pk}/fases/", 200)),
            ("resumen FURAG", ("/reportes/furag/", 200)),
            ("mis metas sin secretaría", ("/mis-metas/", 200)),
            # The coordinator maintains the plan in Django's admin (staff).
            ("administración", ("/admin/", 200)),
            ("planes", ("/admin/plan_participacion/plan/", 200)),
            ("un plan", (f"/admin/plan_participacion/plan/{plan.pk}/change/", 200)),
            ("historial del plan", (f"/admin/plan_participacion/plan/{plan.pk}/history/", 200)),
            (
                "una estrategia",
                (f"/admin/plan_participacion/estrategia/{jornada['metas']['2.1'].estrategia_id}/change/", 200),
            ),
            ("grupos de valor", ("/admin/seguimiento/grupovalor/", 200)),
            ("evidencias en la administración", ("/admin/seguimiento/evidencia/", 200)),
            ("una evidencia en la administración", (f"/admin/seguimiento/evidencia/{e['reenviada'].pk}/change/", 200)),
            *comunes,
        ],
        "comite": [
            ("reportes", ("/reportes/", 200)),
            ("reportes con corte", (f"/reportes/?corte={corte}", 200)),
            ("firmados", ("/reportes/firmados/", 200)),
            ("un informe en preparación", (informe.get_absolute_url(), 200)),
            ("resumen FURAG", ("/reportes/furag/", 200)),
            ("tablero", ("/tablero/", 200)),
            ("auditoría", ("/auditoria/", 200)),
            ("una evidencia", (e["aprobada"].get_absolute_url(), 200)),
            *comunes,
        ],
    }


def test_ninguna_pagina_tiene_violaciones_graves_de_accesibilidad(navegador, live_server, jornada, request):
    usuarios = {rol: request.getfixturevalue(rol) for rol in ("delegada_salud", "coordinador", "comite")}
    encontradas, revisadas = {}, 0
    inicio = time.monotonic()
    for rol, lista in paginas(jornada).items():
        contexto = contexto_de(navegador, live_server, usuarios.get(rol))
        pagina = contexto.new_page()
        pagina.set_default_timeout(10_000)
        try:
            for ancho, tamano in ANCHOS.items():
                pagina.set_viewport_size(tamano)
                for nombre, destino in lista:
                    if callable(destino):
                        destino(pagina)
                    else:
                        ruta, estado = destino
                        respuesta = pagina.goto(ruta)
                        assert respuesta.status == estado, f"{rol} {nombre} ({ruta}): {respuesta.status}"
                    graves = revisar(pagina, ancho)
                    revisadas += 1
                    if graves:
                        encontradas[f"{rol} · {nombre} · {ancho} px"] = graves
        finally:
            contexto.close()
    print(f"\naxe-core: {revisadas} páginas revisadas en {time.monotonic() - inicio:.1f} s")
    assert encontradas == {}, json.dumps(encontradas, ensure_ascii=False, indent=1)
    assert Plan.objects.count() == 1, "la vista previa de la importación no importa nada"


def test_la_revision_detecta_una_violacion_grave(navegador, live_server, db):
    """The check can fail: the login page with text of too little contrast and an image without its text."""

    def con_problemas(route):
        respuesta = route.fetch()
        cuerpo = respuesta.text().replace(
            "</main>",
            '<p class="text-warning">Texto amarillo sobre blanco</p><img src="/static/x.png"></main>',
        )
        route.fulfill(response=respuesta, body=cuerpo)

    contexto = contexto_de(navegador, live_server)
    try:
        pagina = contexto.new_page()
        pagina.route("**/cuentas/login/", con_problemas)
        pagina.goto("/cuentas/login/")
        reglas = {v["regla"] for v in revisar(pagina, "1280")}
    finally:
        contexto.close()
    assert {"color-contrast", "image-alt"} <= reglas, reglas
