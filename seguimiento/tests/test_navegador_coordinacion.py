"""The coordinator's journeys in real Chromium, at a phone's width: review round trip and plan import.

Transactional database (live_server runs in another thread); serialized_rollback
restores the roles and grupos de valor seeded by migrations for the tests after.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plan_participacion.models import Meta, Plan
from seguimiento import acciones
from seguimiento.models import Evidencia
from seguimiento.tests.test_navegador import iniciar_sesion, nueva_pagina, sin_desborde_horizontal  # noqa: F401

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SEMILLA = Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv"


def cifras_del_tablero(pagina):
    """What the coordinator reads: plan execution, meta 1.2's progress, and March's executed activities."""
    pagina.goto("/tablero/")
    expect(pagina.locator("#tarjeta-plan")).to_contain_text("Ejecución a la fecha")
    plan = pagina.locator("#tarjeta-plan").inner_text()
    meta = pagina.locator("#estrategia-1 tr", has_text="Doce (12) reuniones.").inner_text()
    marzo = pagina.locator("#tabla-ejecucion tr", has_text="Marzo 2024").locator("td").all_inner_texts()
    return {
        "ejecucion_plan": re.search(r"Ejecución a la fecha: (\d+ de \d+) actividades", plan).group(1),
        "avance_plan": re.search(r"([\d,]+) %", plan).group(1),
        "meta_1_2": re.search(r"(\d+ de \d+)\s", meta).group(1),
        "marzo": {"programado": marzo[0], "ejecutado": marzo[1]},
    }


def abrir_desde_la_cola(pagina, evidencia):
    pagina.goto("/revision/")
    pagina.locator(f"#evidencia-{evidencia.pk}").get_by_role("link").click()
    pagina.wait_for_url(f"**{evidencia.get_absolute_url()}")


def test_devolver_corregir_reenviar_y_aprobar_mueve_el_tablero(
    nueva_pagina,  # noqa: F811
    plan_pequeno,
    evidencia_salud,
    delegada_salud,
    coordinador,
    tmp_path,
):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    coordinacion = nueva_pagina()
    iniciar_sesion(coordinacion, coordinador)
    coordinacion.wait_for_url("**/revision/")
    antes = cifras_del_tablero(coordinacion)
    assert antes == {
        "ejecucion_plan": "0 de 6",
        "avance_plan": "0,0",
        "meta_1_2": "0 de 12",
        "marzo": {"programado": "3", "ejecutado": "0"},
    }

    # The coordinator returns it with a reason.
    abrir_desde_la_cola(coordinacion, evidencia_salud)
    motivo = "Falta la lista de asistencia firmada; la cantidad es 2 reuniones, no 1."
    coordinacion.get_by_label("Motivo de la devolución").fill(motivo)
    coordinacion.get_by_role("button", name="Devolver").click()
    expect(coordinacion.locator("#estado-evidencia")).to_contain_text("Devuelta")
    assert cifras_del_tablero(coordinacion) == antes  # returned evidence counts for nothing

    # The delegate reads the reason, fixes the quantity and sends it again.
    delegada = nueva_pagina()
    iniciar_sesion(delegada, delegada_salud)
    delegada.wait_for_url("**/mis-metas/")
    delegada.goto(evidencia_salud.get_absolute_url())
    expect(delegada.get_by_role("alert").get_by_text(motivo)).to_be_visible()
    assert sin_desborde_horizontal(delegada)
    delegada.screenshot(path=tmp_path / "devuelta.png", full_page=True)
    delegada.get_by_role("link", name="Editar").click()
    delegada.get_by_label("Cantidad que aporta a la meta").fill("2")
    delegada.get_by_role("button", name="Guardar borrador").click()
    delegada.wait_for_url(f"**{evidencia_salud.get_absolute_url()}")
    delegada.get_by_role("button", name="Enviar de nuevo a revisión").click()
    expect(delegada.locator("#estado-evidencia")).to_contain_text("Enviada")

    # The coordinator approves it, and the dashboard moves.
    abrir_desde_la_cola(coordinacion, evidencia_salud)
    coordinacion.get_by_role("link", name="Aprobar…").click()
    coordinacion.get_by_role("button", name="Sí, aprobar").click()
    expect(coordinacion.locator("#estado-evidencia")).to_contain_text("Aprobada")
    despues = cifras_del_tablero(coordinacion)
    assert despues == {
        "ejecucion_plan": "1 de 6",
        "avance_plan": despues["avance_plan"],
        "meta_1_2": "2 de 12",
        "marzo": {"programado": "3", "ejecutado": "1"},
    }
    assert despues["avance_plan"] != antes["avance_plan"]
    coordinacion.screenshot(path=tmp_path / "tablero.png", full_page=True)

    evidencia = Evidencia.objects.get()
    assert (evidencia.estado, evidencia.cantidad) == (Evidencia.Estado.APROBADA, 2)
    # The whole round trip is in the audit trail, in order, with who did each step.
    coordinacion.goto("/auditoria/?tipo=evidencia")
    expect(coordinacion.locator("#lista-auditoria > li")).to_have_count(5)
    pasos = coordinacion.locator("#lista-auditoria > li").all_inner_texts()
    assert [re.search(r"Estado: .+? → \w+", p).group(0) for p in pasos] == [
        "Estado: Enviada → Aprobada",
        "Estado: Devuelta → Enviada",
        "Estado: Enviada → Devuelta",
        "Estado: Borrador → Enviada",
        "Estado: — → Borrador",
    ]
    assert motivo in pasos[2] and "Carolina Ríos" in pasos[2]
    assert sin_desborde_horizontal(coordinacion)
    coordinacion.screenshot(path=tmp_path / "auditoria.png", full_page=True)


def test_el_coordinador_importa_el_plan_desde_el_navegador(
    nueva_pagina,  # noqa: F811
    coordinadora_candelaria,
    tmp_path,
):
    coordinador = coordinadora_candelaria  # the seed is her entity's sheet
    pagina = nueva_pagina()
    iniciar_sesion(pagina, coordinador)
    pagina.wait_for_url("**/revision/")
    pagina.goto("/plan/")
    pagina.get_by_role("link", name="Importar el plan desde la hoja de cálculo").click()
    pagina.wait_for_url("**/plan/importar/")

    # While the server works, the button says so and cannot be pressed twice.
    pagina.get_by_label("Hoja de cálculo del cronograma").set_input_files(SEMILLA)
    pagina.evaluate("document.getElementById('form-importar').addEventListener('submit', (e) => e.preventDefault())")
    boton = pagina.locator("#form-importar button[type=submit]")
    boton.click()
    expect(boton).to_have_text("Procesando el archivo…")
    expect(boton).to_be_disabled()
    expect(pagina.locator("#form-importar .spinner-border")).to_be_visible()

    pagina.goto("/plan/importar/")
    pagina.get_by_label("Hoja de cálculo del cronograma").set_input_files(SEMILLA)
    pagina.get_by_role("button", name="Ver vista previa").click()
    expect(pagina.get_by_role("heading", name="Vista previa de la importación")).to_be_visible()
    expect(pagina.locator("[data-conteo=metas]")).to_have_text("28")
    expect(pagina.locator("[data-conteo=programado]")).to_have_text("74")
    expect(pagina.locator("[data-conteo=estrategias]")).to_have_text("6")
    expect(pagina.locator("#tabla-advertencias tbody tr")).to_have_count(4)
    primera = pagina.locator("#tabla-advertencias tbody tr").first.locator("td")
    expect(primera.nth(0)).to_have_text("13")
    expect(primera.nth(1)).to_have_text("U")
    expect(pagina.locator("#plan-existente")).to_have_count(0)
    assert sin_desborde_horizontal(pagina)
    pagina.screenshot(path=tmp_path / "vista_previa.png", full_page=True)
    assert not Plan.objects.exists()  # nothing saved by the preview

    pagina.get_by_role("button", name="Confirmar e importar").click()
    pagina.wait_for_url(re.compile(r"/plan/\d+/$"))
    plan = Plan.objects.get()
    expect(pagina).to_have_url(re.compile(re.escape(plan.get_absolute_url()) + "$"))
    expect(pagina.get_by_text("28 metas, 28 indicadores y 74 actividades programadas")).to_be_visible()
    assert Meta.objects.count() == 28
    assert plan.history.get().history_user == coordinador
