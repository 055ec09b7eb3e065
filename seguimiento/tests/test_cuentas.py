"""Login, throttling, password change and reset, and delegates' secretariats in the admin."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import CLAVE
from seguimiento.cuentas import ip_cliente


def entrar(client, username, password, ip="10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_en_espanol_con_enlace_para_restablecer(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Iniciar sesión" in html
    assert "Nombre de usuario" in html
    assert reverse("password_reset") in html


def test_login_correcto_lleva_al_inicio(client, coordinador):
    respuesta = entrar(client, coordinador.username, CLAVE)
    assert respuesta.status_code == 302
    assert respuesta["Location"] == reverse("inicio")


def test_login_fallido_explica_en_espanol(client, coordinador):
    respuesta = entrar(client, coordinador.username, "otra")
    assert respuesta.status_code == 200
    assert "Por favor, introduzca un nombre de usuario y clave correctos" in respuesta.content.decode()


def test_cinco_fallos_bloquean_usuario_e_ip_con_mensaje_claro(client, delegada_salud, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _intento in range(4):
        assert entrar(client, delegada_salud.username, "mala").status_code == 200
    bloqueo = entrar(client, delegada_salud.username, "mala")
    assert bloqueo.status_code == 429
    html = bloqueo.content.decode()
    assert "Acceso bloqueado temporalmente" in html
    assert "5 intentos fallidos" in html
    assert "15 minutos" in html
    # Even the right password is refused while locked.
    assert entrar(client, delegada_salud.username, CLAVE).status_code == 429
    # The lock is for this username from this address: the same person elsewhere can log in …
    assert entrar(Client(), delegada_salud.username, CLAVE, ip="10.2.2.2").status_code == 302
    # … and another user from the same address too.
    otro = User.objects.create_user("otra.persona", password=CLAVE)
    assert entrar(Client(), otro.username, CLAVE).status_code == 302


def test_el_bloqueo_termina_despues_del_tiempo_de_espera(client, delegada_salud):
    ahora = timezone.now()
    with time_machine.travel(ahora, tick=False):
        for _intento in range(5):
            entrar(client, delegada_salud.username, "mala")
        assert entrar(client, delegada_salud.username, CLAVE).status_code == 429
    with time_machine.travel(ahora + datetime.timedelta(minutes=16), tick=False):
        assert entrar(client, delegada_salud.username, CLAVE).status_code == 302


def test_ip_cliente_sin_proxies_ignora_x_forwarded_for(rf, settings):
    settings.PROXIES_DE_CONFIANZA = 0
    peticion = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert ip_cliente(peticion) == "10.0.0.1"


def test_ip_cliente_detras_de_un_proxy_toma_lo_que_vio_el_proxy(rf, settings):
    settings.PROXIES_DE_CONFIANZA = 1
    falsificada = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 8.8.8.8")
    assert ip_cliente(falsificada) == "8.8.8.8"
    sin_cabecera = rf.get("/", REMOTE_ADDR="10.0.0.1")
    assert ip_cliente(sin_cabecera) == "10.0.0.1"
    settings.PROXIES_DE_CONFIANZA = 2
    dos_saltos = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 8.8.8.8, 10.0.0.1")
    assert ip_cliente(dos_saltos) == "8.8.8.8"


def test_cambiar_contrasena(client, delegada_salud):
    client.force_login(delegada_salud)
    formulario = client.get(reverse("password_change")).content.decode()
    assert "Contraseña antigua" in formulario
    respuesta = client.post(
        reverse("password_change"),
        {"old_password": CLAVE, "new_password1": "Nueva-clave-larga-2024", "new_password2": "Nueva-clave-larga-2024"},
    )
    assert respuesta.status_code == 302
    assert "Contraseña cambiada" in client.get(respuesta["Location"]).content.decode()
    delegada_salud.refresh_from_db()
    assert delegada_salud.check_password("Nueva-clave-larga-2024")


def test_restablecer_contrasena_por_correo_en_espanol(client, delegada_salud, django_capture_on_commit_callbacks):
    delegada_salud.email = "daniela@candelaria.gov.co"
    delegada_salud.save()
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("password_reset"), {"email": "daniela@candelaria.gov.co"})
    assert respuesta.status_code == 302
    assert "Revise su correo" in client.get(respuesta["Location"]).content.decode()
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert correo.subject == "Restablecer su contraseña del Plan de Participación Ciudadana"
    assert "Hola, Daniela Gómez" in correo.body
    assert "daniela.salud" in correo.body
    enlace = re.search(r"http://testserver(/cuentas/reset/\S+)", correo.body).group(1)
    formulario = client.get(enlace, follow=True)
    assert "Nueva contraseña" in formulario.content.decode()
    respuesta = client.post(
        formulario.redirect_chain[-1][0],
        {"new_password1": "Otra-clave-larga-2024", "new_password2": "Otra-clave-larga-2024"},
        follow=True,
    )
    assert "Contraseña restablecida" in respuesta.content.decode()
    delegada_salud.refresh_from_db()
    assert delegada_salud.check_password("Otra-clave-larga-2024")


@pytest.mark.django_db
def test_enlace_de_restablecimiento_invalido_lo_explica(client):
    respuesta = client.get(reverse("password_reset_confirm", args=["MQ", "token-falso"]))
    assert "El enlace para restablecer la contraseña no es válido" in respuesta.content.decode()


def test_admin_asigna_secretarias_desde_el_usuario(client, db, salud, hacienda):
    admin = User.objects.create_superuser("admin", "admin@example.com", CLAVE)
    nuevo = User.objects.create_user("nuevo.delegado", password=CLAVE)
    client.force_login(admin)
    url = reverse("admin:auth_user_change", args=[nuevo.pk])
    html = client.get(url).content.decode()
    assert "Secretarías" in html
    prefijo = "Secretaria_delegados-"
    datos = {
        "username": nuevo.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "08:00:00",
        f"{prefijo}TOTAL_FORMS": "2",
        f"{prefijo}INITIAL_FORMS": "0",
        f"{prefijo}0-secretaria": str(salud.pk),
        f"{prefijo}1-secretaria": str(hacienda.pk),
    }
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 302, respuesta.content.decode()[:3000]
    assert set(nuevo.secretarias.all()) == {salud, hacienda}
