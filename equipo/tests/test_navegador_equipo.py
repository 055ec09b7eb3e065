"""The invitation in real Chromium: the coordinator invites a delegate, who sets a password from the mail and signs in.

Transactional database (live_server runs in another thread); serialized_rollback restores the
roles seeded by migrations for the tests after.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from seguimiento.tests.conftest import navegador  # noqa: F401 (the shared Chromium fixture)
from seguimiento.tests.test_navegador import iniciar_sesion, nueva_pagina, sin_desborde_horizontal  # noqa: F401

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAVE_NUEVA = "girasoles-de-la-florida-2024"


def test_la_coordinadora_invita_y_la_delegada_elige_su_clave_y_entra(
    nueva_pagina,  # noqa: F811
    coordinador,
    salud,
    hacienda,
    plan_pequeno,
    tmp_path,
):
    coordinacion = nueva_pagina()
    iniciar_sesion(coordinacion, coordinador)
    coordinacion.wait_for_url("**/revision/")  # the coordinator lands on the review queue
    coordinacion.get_by_role("button", name="Mostrar menú").click()
    coordinacion.get_by_role("link", name="Equipo", exact=True).click()
    expect(coordinacion.get_by_role("heading", name="Equipo de delegados")).to_be_visible()
    expect(coordinacion.locator("#equipo-vacio")).to_be_visible()
    coordinacion.get_by_role("link", name="Invitar a un delegado").click()

    coordinacion.get_by_label("Nombres").fill("Lucía")
    coordinacion.get_by_label("Apellidos").fill("Martínez")
    coordinacion.get_by_label("Correo electrónico").fill("lucia.salud@candelaria.gov.co")
    coordinacion.get_by_label("Secretaría de Salud Pública y Seguridad Social").check()
    assert sin_desborde_horizontal(coordinacion)
    coordinacion.get_by_role("button", name="Enviar la invitación").click()

    expect(coordinacion.get_by_role("alert")).to_contain_text("Se envió la invitación a lucia.salud@candelaria.gov.co")
    fila = coordinacion.locator("#tabla-equipo tbody tr", has_text="Lucía Martínez")
    expect(fila).to_contain_text("Invitación pendiente")
    expect(fila).to_contain_text("Secretaría de Salud Pública y Seguridad Social")
    expect(fila).to_contain_text("nunca")
    coordinacion.screenshot(path=tmp_path / "equipo.png", full_page=True)

    # The mail was sent when the invitation was committed, before the page above was answered.
    (correo,) = mail.outbox
    assert correo.to == ["lucia.salud@candelaria.gov.co"]
    enlace = re.search(r"https?://\S+/equipo/activar/\S+/", correo.body).group(0)

    delegada = nueva_pagina()
    delegada.goto(enlace)
    expect(delegada.get_by_role("heading", name="Le damos la bienvenida al seguimiento del plan")).to_be_visible()
    expect(delegada.get_by_text("Su usuario es")).to_contain_text("lucia.salud@candelaria.gov.co")
    delegada.get_by_label("Contraseña nueva*", exact=True).fill(CLAVE_NUEVA)
    delegada.get_by_label("Contraseña nueva (confirmación)").fill(CLAVE_NUEVA)
    delegada.get_by_role("button", name="Guardar la contraseña").click()

    delegada.wait_for_url("**/cuentas/login/")
    expect(delegada.get_by_role("alert")).to_contain_text("Su contraseña quedó guardada")
    delegada.get_by_label("Nombre de usuario").fill("lucia.salud@candelaria.gov.co")
    delegada.get_by_label("Contraseña").fill(CLAVE_NUEVA)
    delegada.get_by_role("button", name="Entrar").click()
    delegada.wait_for_url("**/mis-metas/")
    expect(delegada.get_by_role("heading", level=1)).to_contain_text("Mis metas")
    expect(delegada.get_by_text("Doce (12) reuniones.")).to_be_visible()

    # The coordinator sees her active, with her first login, and the trail of both steps.
    coordinacion.reload()
    expect(fila).to_contain_text("Activa")
    expect(fila).not_to_contain_text("nunca")
    expect(coordinacion.locator("#cambios-equipo li")).to_have_count(2)
    expect(coordinacion.locator("#cambios-equipo li").first).to_contain_text("Activó su cuenta")
    # The link worked once.
    delegada.goto(enlace)
    expect(delegada.locator("#enlace-invalido")).to_be_visible()
