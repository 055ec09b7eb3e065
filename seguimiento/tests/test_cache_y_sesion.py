"""Private responses are never cached, public pages can be; sessions end after a working day idle."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_max_age

from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.tests.conftest import bytes_pdf, bytes_png, subida

RAIZ = Path(__file__).resolve().parents[2]


def directivas(respuesta):
    return {d.strip() for d in respuesta.get("Cache-Control", "").split(",") if d.strip()}


@pytest.fixture
def archivos(evidencia_salud, delegada_salud):
    guardar_archivos(
        evidencia_salud,
        [revisar_archivo(subida("foto.png", bytes_png())), revisar_archivo(subida("acta.pdf", bytes_pdf()))],
        usuario=delegada_salud,
    )
    return {a.nombre_original: a for a in evidencia_salud.archivos.all()}


# --- Cache-Control ----------------------------------------------------------------------------


def test_todo_lo_que_recibe_una_delegada_con_sesion_es_privado_y_no_se_guarda(
    client, delegada_salud, evidencia_salud, archivos
):
    client.force_login(delegada_salud)
    respuestas = {
        "Mis metas": client.get(reverse("mis_metas")),
        "lista": client.get(reverse("evidencia_lista")),
        "detalle": client.get(reverse("evidencia_detalle", args=[evidencia_salud.pk])),
        "formulario": client.get(reverse("evidencia_crear")),
        "descarga": client.get(reverse("archivo_descargar", args=[archivos["acta.pdf"].pk])),
        "vista previa": client.get(reverse("archivo_ver", args=[archivos["foto.png"].pk])),
        "redirección": client.post(reverse("evidencia_enviar", args=[evidencia_salud.pk])),
        "no encontrada": client.get("/no-existe/"),
        "prohibida": client.get(reverse("tablero")),
        "contraseña": client.get(reverse("password_change")),
    }
    assert {nombre: r.status_code for nombre, r in respuestas.items()} == {
        "Mis metas": 200,
        "lista": 200,
        "detalle": 200,
        "formulario": 200,
        "descarga": 200,
        "vista previa": 200,
        "redirección": 302,
        "no encontrada": 404,
        "prohibida": 403,
        "contraseña": 200,
    }
    for nombre, respuesta in respuestas.items():
        assert {"private", "no-store"} <= directivas(respuesta), nombre
        assert "public" not in directivas(respuesta), nombre
    assert respuestas["Mis metas"]["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("nombre", ["tablero", "revision_cola", "auditoria", "reportes", "admin:index"])
def test_las_paginas_de_la_coordinacion_tambien(client, coordinador, plan_pequeno, nombre):
    client.force_login(coordinador)
    respuesta = client.get(reverse(nombre))
    assert respuesta.status_code == 200
    assert {"private", "no-store"} <= directivas(respuesta)


def test_sin_sesion_no_se_marca_como_privado_lo_que_no_lo_es(client, db):
    respuesta = client.get(reverse("mis_metas"))
    assert respuesta.status_code == 302
    assert "private" not in directivas(respuesta)


# --- Public pages (a later issue adds them) -------------------------------------------------------


@pytest.fixture
def con_paginas_publicas(settings):
    settings.ROOT_URLCONF = "seguimiento.tests.urls_publicas"


def test_una_pagina_publica_no_varia_por_sesion_y_se_puede_guardar_en_cache(
    client, con_paginas_publicas, delegada_salud
):
    client.force_login(delegada_salud)
    client.get(reverse("mis_metas"))  # a logged-in user with a live session…
    anonima = client.__class__().get("/publica/")
    respuesta = client.get("/publica/")  # …gets the same public page as anyone
    assert respuesta.status_code == 200
    assert directivas(respuesta) == {"public", "max-age=600"}
    assert get_max_age(respuesta) == 600
    assert "Cookie" not in respuesta.get("Vary", "")
    assert not respuesta.cookies
    assert respuesta.content == anonima.content
    assert "daniela" not in respuesta.content.decode().lower()


def test_los_avisos_pendientes_esperan_a_la_siguiente_pagina_privada(client, rf, con_paginas_publicas, delegada_salud):
    client.force_login(delegada_salud)
    # A message left by the last action, waiting in its cookie as Django's message framework keeps it.
    client.cookies["messages"] = CookieStorage(rf.get("/"))._encode([Message(constants.SUCCESS, "Evidencia enviada")])
    respuesta = client.get("/publica/")
    assert "Evidencia enviada" not in respuesta.content.decode()
    assert not respuesta.cookies
    assert "Evidencia enviada" in client.get(reverse("mis_metas")).content.decode()


def test_una_pagina_publica_que_lee_la_sesion_se_trata_como_privada(client, con_paginas_publicas, delegada_salud):
    client.force_login(delegada_salud)
    respuesta = client.get("/publica/descuidada/")
    assert {"private", "no-store"} <= directivas(respuesta)
    assert "public" not in directivas(respuesta)
    assert "Cookie" in respuesta["Vary"]


# --- Sessions ---------------------------------------------------------------------------------


def test_la_sesion_dura_una_jornada_no_catorce_dias(client, delegada_salud):
    from conftest import CLAVE

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    respuesta = client.post(reverse("login"), {"username": delegada_salud.username, "password": CLAVE})
    assert respuesta.status_code == 302
    assert respuesta.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60


def test_la_sesion_se_cierra_tras_ocho_horas_sin_actividad_no_ocho_horas_despues_de_entrar(client, delegada_salud):
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        client.force_login(delegada_salud)
    # Working all day: a page every few hours keeps the session.
    for horas in (3, 7, 11, 15):
        with time_machine.travel(inicio + datetime.timedelta(hours=horas), tick=False):
            assert client.get(reverse("mis_metas")).status_code == 200, horas
    # Eight hours without a request: it has ended.
    with time_machine.travel(inicio + datetime.timedelta(hours=23, minutes=1), tick=False):
        respuesta = client.get(reverse("mis_metas"))
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))


def escrituras_de_sesion(client, url):
    with CaptureQueriesContext(connection) as consultas:
        client.get(url)
    return [q["sql"] for q in consultas.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_la_sesion_se_renueva_a_lo_sumo_una_vez_por_minuto(client, delegada_salud):
    inicio = timezone.now()
    with time_machine.travel(inicio, tick=False):
        client.force_login(delegada_salud)
        assert escrituras_de_sesion(client, reverse("mis_metas")) == []  # logging in was the renewal
    with time_machine.travel(inicio + datetime.timedelta(seconds=30), tick=False):
        assert escrituras_de_sesion(client, reverse("mis_metas")) == []
    with time_machine.travel(inicio + datetime.timedelta(seconds=61), tick=False):
        assert len(escrituras_de_sesion(client, reverse("mis_metas"))) == 1
        assert len(escrituras_de_sesion(client, reverse("mis_metas"))) == 0


def test_el_inicio_de_sesion_dice_cuando_se_cierra(client, db, settings):
    html = client.get(reverse("login")).content.decode()
    assert "la sesión se cierra después de 8 horas sin actividad" in html
    settings.SESSION_COOKIE_AGE = 90 * 60
    assert "se cierra después de 90 minutos sin actividad" in client.get(reverse("login")).content.decode()


def test_la_duracion_se_configura_con_una_variable_de_entorno():
    codigo = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    entorno = {"DJANGO_SETTINGS_MODULE": "plan_participacion.settings", "SESION_INACTIVIDAD_MINUTOS": "45"}
    resultado = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, env={**os.environ, **entorno}, capture_output=True, text=True
    )
    assert json.loads(resultado.stdout.strip().splitlines()[-1]) == 45 * 60, resultado.stderr
