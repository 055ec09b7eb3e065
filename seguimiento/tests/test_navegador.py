"""The delegate's journey in real Chromium, at a phone's width (375 px).

Transactional database (live_server runs in another thread); serialized_rollback
restores the roles and grupos de valor seeded by migrations for the tests after.
"""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from conftest import CLAVE
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TELEFONO = {"width": 375, "height": 812}


@pytest.fixture
def nueva_pagina(navegador, live_server):
    contextos = []

    def abrir():
        contexto = navegador.new_context(viewport=TELEFONO, base_url=live_server.url, locale="es-CO")
        contextos.append(contexto)
        pagina = contexto.new_page()
        pagina.set_default_timeout(10_000)
        return pagina

    yield abrir
    for contexto in contextos:
        contexto.close()


def iniciar_sesion(pagina, usuario):
    pagina.goto("/cuentas/login/")
    pagina.get_by_label("Nombre de usuario").fill(usuario.username)
    pagina.get_by_label("Contraseña").fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()


def sin_desborde_horizontal(pagina):
    """Waits (up to the page's timeout) until nothing overflows sideways; False if it never settles."""
    try:
        pagina.wait_for_function("() => document.documentElement.scrollWidth <= window.innerWidth")
    except PlaywrightTimeoutError:
        return False
    return True


def llenar_formulario(pagina, *, mujeres="12"):
    pagina.get_by_label("Fecha de la actividad").fill("12/03/2024")
    pagina.get_by_label("Descripción de la actividad").fill(
        "Reunión con líderes de las JAC para socializar el diagnóstico."
    )
    pagina.get_by_label("Lugar").fill("Salón comunal de La Florida")
    pagina.get_by_label("Total de participantes").fill("20")
    pagina.get_by_label("Mujeres*", exact=True).fill(mujeres)
    pagina.get_by_label("Hombres").fill("8")
    pagina.get_by_label("18 a 28 años").fill("5")
    pagina.get_by_label("29 a 59 años").fill("15")
    pagina.get_by_label("Jóvenes").fill("5")
    pagina.get_by_label("Acta", exact=True).check()
    pagina.get_by_label("Registro fotográfico").check()
    pagina.get_by_label("Archivos").set_input_files(
        [
            {"name": "Acta reunión.pdf", "mimeType": "application/pdf", "buffer": bytes_pdf()},
            {"name": "foto.png", "mimeType": "image/png", "buffer": bytes_png(tamano=(120, 80))},
        ]
    )


def test_delegada_registra_y_envia_una_evidencia_y_otra_secretaria_no_la_alcanza(
    nueva_pagina, plan_pequeno, delegada_salud, delegado_hacienda, tmp_path
):
    pagina = nueva_pagina()
    piezas = []
    pagina.on("request", lambda r: piezas.append(r.headers["content-range"]) if r.method == "PUT" else None)

    iniciar_sesion(pagina, delegada_salud)
    pagina.wait_for_url("**/mis-metas/")
    expect(pagina.get_by_role("heading", name="Mis metas")).to_be_visible()
    assert sin_desborde_horizontal(pagina)
    pagina.screenshot(path=tmp_path / "mis_metas.png", full_page=True)

    pagina.get_by_role("link", name="Registrar avance de la meta 1.2").click()
    pagina.wait_for_url(re.compile(r"/evidencias/nueva/\?plan=\d+&meta=\d+$"))
    expect(pagina.get_by_role("combobox", name="Meta").locator("option:checked")).to_have_text(re.compile(r"^1\.2"))
    llenar_formulario(pagina)
    assert sin_desborde_horizontal(pagina)
    pagina.screenshot(path=tmp_path / "formulario.png", full_page=True)
    # Saved at once: the form waits for the files (uploaded in pieces as they were chosen) and sends itself.
    pagina.get_by_role("button", name="Guardar borrador", exact=True).last.click()

    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    assert len(piezas) >= 2 and all(p.startswith("bytes 0-") for p in piezas), "cada archivo viaja en piezas"
    expect(pagina.get_by_text("Borrador guardado.")).to_be_visible()
    expect(pagina.locator("#estado-evidencia")).to_have_text(re.compile(r"Borrador$"))
    expect(pagina.locator("#lista-archivos li")).to_have_count(2)
    vista_previa = pagina.get_by_role("img", name="Vista previa de foto.png")
    vista_previa.scroll_into_view_if_needed()  # loading="lazy": it loads once near the viewport
    pagina.wait_for_function("(img) => img.complete && img.naturalWidth === 120", arg=vista_previa.element_handle())
    expect(pagina.locator("#tabla-grupos tr", has_text="Jóvenes").locator("th, td")).to_have_text(["Jóvenes", "5"])

    pagina.get_by_role("button", name="Enviar a revisión").click()
    expect(pagina.get_by_text("Evidencia enviada a revisión.")).to_be_visible()
    expect(pagina.locator("#estado-evidencia")).to_have_text(re.compile(r"Enviada$"))
    expect(pagina.get_by_text("Borrador → Enviada")).to_be_visible()
    assert sin_desborde_horizontal(pagina)
    pagina.screenshot(path=tmp_path / "detalle.png", full_page=True)

    evidencia = Evidencia.objects.get()
    assert evidencia.estado == Evidencia.Estado.ENVIADA
    assert (evidencia.participantes_total, evidencia.mujeres, evidencia.hombres) == (20, 12, 8)
    assert sorted(a.nombre_original for a in evidencia.archivos.all()) == ["Acta reunión.pdf", "foto.png"]

    # Hernán, from Hacienda, cannot reach the evidence nor its files, even knowing the addresses.
    otra = nueva_pagina()
    iniciar_sesion(otra, delegado_hacienda)
    otra.wait_for_url("**/mis-metas/")
    urls = [
        evidencia.get_absolute_url(),
        f"/evidencias/{evidencia.pk}/editar/",
        *[f"/archivos/{a.pk}/descargar/" for a in evidencia.archivos.all()],
        *[f"/archivos/{a.pk}/ver/" for a in evidencia.archivos.all()],
    ]
    for url in urls:
        assert otra.goto(url).status == 404, url
    otra.goto("/evidencias/")
    expect(otra.get_by_text("Todavía no hay reportes de avance de su secretaría")).to_be_visible()


def test_un_error_no_pierde_los_archivos_ya_adjuntos(nueva_pagina, plan_pequeno, delegada_salud):
    pagina = nueva_pagina()
    iniciar_sesion(pagina, delegada_salud)
    pagina.wait_for_url("**/mis-metas/")
    pagina.goto("/evidencias/nueva/")
    pagina.get_by_role("combobox", name="Meta").select_option(value=str(plan_pequeno.metas().get(codigo="1.1").pk))
    llenar_formulario(pagina, mujeres="19")
    expect(pagina.locator("#lista-ya-adjuntos li")).to_have_count(2)
    pagina.get_by_role("button", name="Guardar borrador", exact=True).last.click()

    expect(
        pagina.get_by_text("La suma de participantes por sexo (27) supera el total de participantes (20).")
    ).to_be_visible()
    expect(pagina.locator("#resumen-errores")).to_contain_text("quedaron adjuntos")
    expect(pagina).to_have_url(re.compile(r"/evidencias/nueva/$"))
    assert not Evidencia.objects.exists()

    # Fix the number and save: the files are still attached, nobody picks them again.
    expect(pagina.locator("#lista-ya-adjuntos li")).to_have_count(2)
    pagina.get_by_label("Mujeres*", exact=True).fill("12")
    pagina.get_by_role("button", name="Guardar borrador", exact=True).last.click()
    pagina.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    assert Evidencia.objects.get().archivos.count() == 2
