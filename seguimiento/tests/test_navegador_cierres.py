"""The coordinator closes March in real Chromium, at a phone's width: preview, confirm, the signed archive
appearing by itself once the job has run, a frozen evidence, the download, and the reopening.

Transactional database (live_server runs in another thread); serialized_rollback restores the roles
and grupos de valor seeded by migrations for the tests after. The archive job is run by the test
(the task backend only records it), as a worker would.
"""

import datetime
import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from seguimiento import firmados
from seguimiento.models import Cierre, DocumentoFirmado, Evidencia
from seguimiento.tests.conftest import evidencia_en
from seguimiento.tests.test_navegador import iniciar_sesion, nueva_pagina, sin_desborde_horizontal  # noqa: F401

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Estado = Evidencia.Estado


def test_cerrar_marzo_archivar_verificar_y_reabrir(
    nueva_pagina,  # noqa: F811
    plan_pequeno,
    salud,
    delegada_salud,
    coordinador,
    settings,
    tmp_path,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    meta = plan_pequeno.metas().get(codigo="1.2")
    evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 10), Estado.APROBADA, revisor=coordinador)
    pendiente = evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 20), Estado.ENVIADA)

    pagina = nueva_pagina()
    iniciar_sesion(pagina, coordinador)
    pagina.wait_for_url("**/revision/")  # the coordinator's home: the review queue
    pagina.goto("/cierres/")
    expect(pagina.get_by_role("heading", name="Cierres de periodo")).to_be_visible()
    expect(pagina.locator("#sin-cierre")).to_contain_text("Ningún periodo de este plan está cerrado")

    # Step 1: the date, and what closing there freezes.
    pagina.get_by_label("Cerrar hasta (incluido)").fill("31/03/2024")
    pagina.get_by_label("Observación (opcional)").fill("Acta 7 del comité")
    pagina.get_by_role("button", name="Revisar el cierre").click()
    previa = pagina.locator("#previa-cierre")
    expect(previa).to_contain_text("Cerrar el plan hasta el 31 de marzo de 2024 (incluido)")
    expect(previa).to_contain_text("1 evidencia aprobada entra en el archivo firmado.")
    expect(previa).to_contain_text("1 evidencia enviada todavía no se ha revisado")
    assert sin_desborde_horizontal(pagina)

    # Step 2: confirm. The closing is in force at once; the archive is being generated.
    pagina.get_by_role("button", name="Confirmar el cierre").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("Periodo cerrado hasta el 31 de marzo de 2024.")
    expect(pagina.locator("#aviso-cierre")).to_contain_text("Meses cerrados: de enero de 2024 a marzo de 2024.")
    expect(pagina.locator("#tabla-cierres")).to_contain_text("Generando el archivo firmado…")
    pagina.screenshot(path=tmp_path / "cierre_generando.png", full_page=True)

    # A worker archives it; the page notices by itself and shows the three documents.
    cierre = Cierre.objects.get()
    assert cierre.motivo == "Acta 7 del comité"
    firmados.ejecutar(cierre.pk)
    tabla = pagina.locator("#tabla-cierres")
    expect(tabla).to_contain_text("Informe de avance (PDF)", timeout=15_000)
    expect(tabla).to_contain_text("Informe de verificación (PDF)")
    expect(tabla).to_contain_text("Cronograma programado y ejecutado (Excel)")
    avance = DocumentoFirmado.objects.get(tipo=DocumentoFirmado.Tipo.AVANCE)
    expect(tabla).to_contain_text(avance.sha256)
    assert sin_desborde_horizontal(pagina)
    pagina.screenshot(path=tmp_path / "cierre_listo.png", full_page=True)

    with pagina.expect_download() as descarga:
        tabla.get_by_role("link", name="Informe de avance (PDF)").click()
    contenido = Path(descarga.value.path()).read_bytes()
    assert hashlib.sha256(contenido).hexdigest() == avance.sha256

    # The evidence waiting for review is frozen: no approve button, and the page says why.
    pagina.goto(pendiente.get_absolute_url())
    expect(pagina.locator("#periodo-cerrado")).to_contain_text("El periodo hasta el 31 de marzo de 2024 se cerró el")
    expect(pagina.get_by_role("link", name="Aprobar…")).to_have_count(0)

    # Anyone checks the downloaded file, without an account.
    anonima = nueva_pagina()
    anonima.goto("/reportes/verificar/")
    anonima.get_by_label("PDF o Excel recibido").set_input_files(
        {"name": "informe.pdf", "mimeType": "application/pdf", "buffer": contenido}
    )
    anonima.get_by_role("button", name="Verificar el archivo").click()
    expect(anonima.locator("#resultado-verificacion")).to_contain_text(
        "Sí: es un documento firmado de esta aplicación, sin ningún cambio."
    )
    expect(anonima.locator("#resultado-verificacion")).to_contain_text("31 de marzo de 2024")

    # Reopening needs a reason; the archive stays, marked "reemplazado"; then the approval goes through.
    pagina.goto("/cierres/")
    pagina.get_by_label("Motivo de la reapertura").fill("El comité pidió aprobar la reunión del 20 de marzo.")
    pagina.get_by_role("button", name="Reabrir el periodo").click()
    expect(pagina.get_by_role("alert").first).to_contain_text("Periodo reabierto")
    expect(pagina.locator("#tabla-cierres")).to_contain_text("reemplazado")
    expect(pagina.locator("#sin-cierre")).to_be_visible()
    pagina.goto(pendiente.get_absolute_url())
    pagina.get_by_role("link", name="Aprobar…").click()
    pagina.get_by_role("button", name="Sí, aprobar").click()
    expect(pagina.locator("#estado-evidencia")).to_contain_text("Aprobada")
    assert DocumentoFirmado.objects.get(pk=avance.pk).sha256 == hashlib.sha256(contenido).hexdigest()
