"""Passwords are stored with Argon2id; PBKDF2 hashes (and older Argon2 parameters) are upgraded at the next login."""

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.urls import reverse

from conftest import CLAVE

ARGON2_ELEGIDO = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def entrar(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.9.9.9")


def test_una_clave_nueva_se_guarda_con_argon2id(db):
    usuario = User.objects.create_user("nueva.persona", password=CLAVE)
    assert usuario.password.startswith(ARGON2_ELEGIDO)
    assert usuario.check_password(CLAVE)


@pytest.mark.parametrize(
    ("antes", "prefijo"),
    [("pbkdf2_sha256", "pbkdf2_sha256$1000000$"), ("argon2_django", "argon2$argon2id$v=19$m=102400,t=2,p=8$")],
)
def test_al_entrar_la_clave_se_vuelve_a_guardar_con_argon2(client, db, antes, prefijo, settings):
    if antes == "argon2_django":
        # A hash made with Django's own Argon2 parameters: same algorithm, other cost.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
        vieja = make_password(CLAVE)
        settings.PASSWORD_HASHERS = [
            "plan_participacion.claves.Argon2Municipal",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
    else:
        vieja = make_password(CLAVE, hasher=antes)
    usuaria = User.objects.create(username="delegada.antigua")
    User.objects.filter(pk=usuaria.pk).update(password=vieja)
    assert vieja.startswith(prefijo)

    assert entrar(client, "delegada.antigua", "no-es-la-clave").status_code == 200
    usuaria.refresh_from_db()
    assert usuaria.password == vieja  # a failed login changes nothing

    assert entrar(client, "delegada.antigua", CLAVE).status_code == 302
    usuaria.refresh_from_db()
    assert usuaria.password.startswith(ARGON2_ELEGIDO)
    client.logout()
    assert entrar(client, "delegada.antigua", CLAVE).status_code == 302
