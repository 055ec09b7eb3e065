"""The demo accounts the README tells a newcomer to log in with."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from plan_participacion.models import Secretaria
from seguimiento.management.commands.usuarios_demo import CLAVE_DEMO, ENTIDAD_DEMO


@pytest.mark.django_db
def test_crea_delegados_y_coordinadora_que_pueden_entrar(client, settings, entidad_candelaria, hacienda):
    settings.DEBUG = True
    salud = Secretaria.objects.create(
        entidad=entidad_candelaria, nombre="Secretaria de Salud publica y Seguridad Social"
    )
    call_command("usuarios_demo", stdout=io.StringIO())
    call_command("usuarios_demo", stdout=io.StringIO())  # idempotent
    daniela = User.objects.get(username="delegada.salud")
    assert list(daniela.secretarias.all()) == [salud]  # the existing secretariat, matched by its name
    assert list(User.objects.get(username="delegado.hacienda").secretarias.values_list("nombre", flat=True)) == [
        "Secretaría de Hacienda"
    ]
    # Candelaria's Hacienda and Desarrollo Social are created; the other entity's Hacienda is not used.
    assert Secretaria.objects.filter(entidad=entidad_candelaria).count() == 3
    assert not hacienda.delegados.exists()
    assert {u.membresia.entidad.nombre for u in User.objects.all()} == {ENTIDAD_DEMO}
    assert User.objects.get(username="coordinadora").has_perm("seguimiento.revisar_evidencia")
    respuesta = client.post(
        reverse("login"), {"username": "delegada.salud", "password": CLAVE_DEMO}, REMOTE_ADDR="10.0.0.9", follow=True
    )
    assert respuesta.redirect_chain[-1][0] == reverse("mis_metas")


@pytest.mark.django_db
def test_no_crea_usuarios_de_demostracion_en_produccion(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Con DEBUG=False no se crean usuarios de demostración"):
        call_command("usuarios_demo")
    assert not User.objects.exists()
