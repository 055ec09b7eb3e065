"""The public page on a phone: 375 px wide without sideways scrolling of the page itself."""

import pytest
from playwright.sync_api import expect

from plan_participacion.models import Plan
from seguimiento.tests.conftest import navegador  # noqa: F401 (fixture)

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_la_pagina_publica_cabe_en_un_telefono(navegador, live_server, plan_pequeno):  # noqa: F811
    Plan.objects.filter(pk=plan_pequeno.pk).update(publicado=True)
    contexto = navegador.new_context(base_url=live_server.url, locale="es-CO", viewport={"width": 375, "height": 812})
    try:
        pagina = contexto.new_page()
        for ruta in (f"/participa/{plan_pequeno.pk}/", f"/participa/{plan_pequeno.pk}/diccionario/", "/participa/"):
            pagina.goto(ruta)
            expect(pagina.locator("h1")).to_be_visible()
            # Wide tables scroll inside their own region; the page itself never does.
            ancho = pagina.evaluate("document.documentElement.scrollWidth")
            assert ancho <= 375, f"{ruta}: {ancho} px"
        pagina.goto(f"/participa/{plan_pequeno.pk}/")
        grafico = pagina.locator("svg.grafico")
        expect(grafico).to_be_visible()
        assert grafico.bounding_box()["width"] <= 375
        # Shareable: the links to the open data are plain addresses.
        expect(pagina.get_by_role("link", name="metas.csv")).to_have_attribute(
            "href", f"/participa/{plan_pequeno.pk}/metas.csv"
        )
    finally:
        contexto.close()
