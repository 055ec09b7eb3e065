"""The committee's journey in real Chromium: a large verification report queued, its page, then the download."""

import hashlib

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reportes.models import Informe
from seguimiento.tests.conftest import navegador  # noqa: F401 (fixture)
from seguimiento.tests.test_navegador import iniciar_sesion, nueva_pagina  # noqa: F401

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_pedir_un_informe_grande_ver_su_avance_y_descargarlo(
    nueva_pagina,  # noqa: F811
    historia_candelaria,
    comite,
    cola_en_la_base,
    settings,
):
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 0
    pagina = nueva_pagina()
    iniciar_sesion(pagina, comite)
    pagina.wait_for_url("**/reportes/")  # the committee lands on its reports
    pagina.goto("/reportes/?corte=2023-03-31")
    pagina.get_by_role("button", name="Informe de verificación (PDF)").click()
    expect(pagina.locator("#preparando")).to_contain_text("El informe se está preparando: está en la cola")
    # It reloads itself every 5 s, and the person may pause that (WCAG 2.2.1) and resume it.
    pagina.get_by_role("button", name="Pausar la actualización").click()
    reanudar = pagina.get_by_role("button", name="Reanudar la actualización")
    expect(reanudar).to_have_attribute("aria-pressed", "true")
    reanudar.click()
    expect(pagina.get_by_role("button", name="Pausar la actualización")).to_have_attribute("aria-pressed", "false")

    # A worker of the "informes" queue takes it; the open page refreshes itself into the job's page.
    call_command("db_worker", batch=True, queue_name="informes", startup_delay=False, reload=False, verbosity=0)
    informe = Informe.objects.get()
    expect(pagina.locator("#listo")).to_contain_text("El informe está listo", timeout=20_000)
    assert pagina.url.endswith(informe.get_absolute_url())
    expect(pagina.locator("#huella-informe")).to_contain_text(informe.sha256)
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="Descargar").click()
    contenido = open(descarga.value.path(), "rb").read()
    assert hashlib.sha256(contenido).hexdigest() == informe.sha256
    assert descarga.value.suggested_filename == "informe-verificacion-municipio-de-candelaria-2023-03-31.pdf"
    # The reports page lists it among the person's own.
    pagina.goto("/reportes/")
    expect(pagina.locator("#recientes")).to_contain_text("Listo")
