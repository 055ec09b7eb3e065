"""Vigencias and entidades in real Chromium: Candelaria imports its 2022–2023 plan and next one, a delegate
reports on the old one by choosing it, its semestral meta shows its semesters, and Pradera, another
municipio with its own coordinator and delegate, sees nothing of Candelaria.

Transactional database (live_server runs in another thread); serialized_rollback restores what the
migrations seeded for the tests after.
"""

import re

import pytest
from playwright.sync_api import expect

from conftest import crear_usuario
from plan_participacion.models import Plan
from seguimiento import acciones
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import PRADERA_EVIDENCIA
from seguimiento.tests.test_navegador import iniciar_sesion, nueva_pagina  # noqa: F401
from seguimiento.tests.test_navegador_coordinacion import SEMILLA

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The same sheet a year later: October 2023 – October 2024.
HOJA_2024 = SEMILLA.read_text(encoding="utf-8").replace(
    "CRONOGRAMA 2022\t\t\tCRONOGRAMA 2023", "CRONOGRAMA 2023\t\t\tCRONOGRAMA 2024"
)
DESCRIPCION = "Publicación en la cartelera municipal de los resultados del primer semestre."


def importar(pagina, nombre, contenido):
    pagina.goto("/plan/importar/")
    pagina.get_by_label("Hoja de cálculo del cronograma").set_input_files(
        {"name": nombre, "mimeType": "text/tab-separated-values", "buffer": contenido}
    )
    pagina.get_by_role("button", name="Ver vista previa").click()
    expect(pagina.get_by_role("heading", name="Vista previa de la importación")).to_be_visible()
    expect(pagina.locator("[data-conteo=metas]")).to_have_text("28")
    pagina.get_by_role("button", name="Confirmar e importar").click()
    pagina.wait_for_url(re.compile(r"/plan/\d+/$"))
    expect(pagina.get_by_text("28 metas, 28 indicadores y 74 actividades programadas")).to_be_visible()


def test_dos_vigencias_de_candelaria_y_pradera_no_ve_nada_de_ellas(
    nueva_pagina,  # noqa: F811
    coordinadora_candelaria,
    entidad_candelaria,
    plan_pradera,
    coordinadora_pradera,
    delegado_pradera,
    evidencia_pradera,
):
    coordinacion = nueva_pagina()
    iniciar_sesion(coordinacion, coordinadora_candelaria)
    coordinacion.wait_for_url("**/revision/")
    importar(coordinacion, "candelaria-2022-2023.tsv", SEMILLA.read_bytes())
    importar(coordinacion, "candelaria-2024.tsv", HOJA_2024.encode("utf-8"))
    anterior, siguiente = Plan.objects.de_entidad(entidad_candelaria).order_by("mes_inicio")
    assert (str(anterior), str(siguiente)) == (
        "Municipio de Candelaria, Oct 2022 – Oct 2023",
        "Municipio de Candelaria, Oct 2023 – Oct 2024",
    )

    # A delegate of a secretaría responsible for strategy 6 reports on the 2022–2023 plan.
    secretaria = anterior.metas().get(codigo="6.2").estrategia.responsables.order_by("nombre").first()
    lina = crear_usuario("lina.candelaria", "Delegado", entidad=entidad_candelaria, first_name="Lina")
    secretaria.delegados.add(lina)
    delegada = nueva_pagina()
    iniciar_sesion(delegada, lina)
    delegada.wait_for_url("**/mis-metas/")
    expect(delegada.locator("#plan-mostrado")).to_have_text(f"Plan: {siguiente}")  # the most recent one
    expect(delegada.get_by_label("Plan", exact=True).locator("option")).to_have_text([str(siguiente), str(anterior)])
    delegada.get_by_label("Plan", exact=True).select_option(label=str(anterior))
    delegada.get_by_role("button", name="Ver este plan").click()
    delegada.wait_for_url(f"**/mis-metas/?plan={anterior.pk}")
    expect(delegada.locator("#plan-mostrado")).to_have_text(f"Plan: {anterior}")
    delegada.get_by_role("searchbox", name="Buscar una meta").fill("6.2")
    expect(delegada.locator("#resultado-busqueda")).to_contain_text("coinciden con «6.2».")
    delegada.get_by_role("link", name="Registrar avance de la meta 6.2").click()
    delegada.wait_for_url(re.compile(rf"/evidencias/nueva/\?plan={anterior.pk}&meta=\d+$"))
    expect(delegada.locator("#plan-mostrado")).to_have_text(f"Plan: {anterior}")
    expect(delegada.get_by_role("combobox", name="Meta").locator("option:checked")).to_have_text(re.compile(r"^6\.2"))
    delegada.get_by_label("Fecha de la actividad").fill("10/03/2023")
    delegada.get_by_label("Descripción de la actividad").fill(DESCRIPCION)
    delegada.get_by_label("Total de participantes").fill("0")
    delegada.get_by_label("Publicación", exact=True).check()
    delegada.get_by_label("Enlaces (opcional)").fill("https://candelaria.gov.co/publicacion-2023-1")
    delegada.get_by_role("button", name="Guardar borrador", exact=True).last.click()
    delegada.wait_for_url(re.compile(r"/evidencias/\d+/$"))
    expect(delegada.get_by_text("Borrador guardado.")).to_be_visible()
    evidencia = Evidencia.objects.get(descripcion=DESCRIPCION)
    assert evidencia.meta.estrategia.objetivo.linea.plan == anterior
    delegada.get_by_role("button", name="Enviar a revisión").click()
    expect(delegada.get_by_text("Evidencia enviada a revisión.")).to_be_visible()

    # Approved, the semestral meta 6.2 shows its three semesters on the old plan's dashboard.
    acciones.aprobar(Evidencia.objects.get(pk=evidencia.pk), revisor=coordinadora_candelaria)
    coordinacion.goto(f"/tablero/?plan={anterior.pk}")
    fila = coordinacion.locator("tr", has_text="Una (1) publicación y divulgación semestral")
    expect(fila.locator(".periodo")).to_have_text(
        [
            re.compile(r"^segundo semestre de 2022: 0 de 1\s+pendiente$"),
            re.compile(r"^primer semestre de 2023: 1 de 1\s+cumplido$"),
            re.compile(r"^segundo semestre de 2023: 0 de 1\s+pendiente$"),
        ]
    )

    # Pradera: its coordinator and delegate see only Pradera.
    pradera = nueva_pagina()
    iniciar_sesion(pradera, coordinadora_pradera)
    pradera.wait_for_url("**/revision/")
    expect(pradera.locator("main")).to_contain_text(PRADERA_EVIDENCIA)
    pradera.goto("/tablero/")
    expect(pradera.locator("main")).to_contain_text("Municipio de Pradera")
    expect(pradera.locator("main")).not_to_contain_text("Candelaria")
    for url in (f"/tablero/?plan={anterior.pk}", f"/plan/{anterior.pk}/", evidencia.get_absolute_url()):
        pradera.goto(url)
        expect(pradera.get_by_role("heading", name="Página no encontrada")).to_be_visible()
    pradera.goto("/evidencias/")
    expect(pradera.locator("main")).not_to_contain_text(DESCRIPCION)

    delegado = nueva_pagina()
    iniciar_sesion(delegado, delegado_pradera)
    delegado.wait_for_url("**/mis-metas/")
    expect(delegado.locator("#plan-mostrado")).to_have_text(f"Plan: {plan_pradera}")
    expect(delegado.locator("main")).not_to_contain_text("Candelaria")
    delegado.goto(f"/mis-metas/?plan={anterior.pk}")
    expect(delegado.get_by_role("heading", name="Página no encontrada")).to_be_visible()
