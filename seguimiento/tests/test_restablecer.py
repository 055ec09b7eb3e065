"""Password reset: limited per address and per client address in the shared cache, the same answer
whether or not the address exists, the mail sent by a task after the request."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from seguimiento.tasks import enviar_correo

CORREO = "daniela@candelaria.gov.co"


@pytest.fixture
def daniela_con_correo(delegada_salud):
    delegada_salud.email = CORREO
    delegada_salud.save()
    return delegada_salud


def pedir(client, correo, ip="10.1.1.1"):
    return client.post(reverse("password_reset"), {"email": correo}, REMOTE_ADDR=ip)


def test_quince_solicitudes_seguidas_envian_tres_correos(
    client, daniela_con_correo, django_capture_on_commit_callbacks
):
    # The finding: 15 requests in a row sent 15 mails to one address.
    with django_capture_on_commit_callbacks(execute=True):
        respuestas = [pedir(client, CORREO) for _vez in range(15)]
    assert len(mail.outbox) == settings.RESTABLECER_POR_CORREO == 3
    assert [r.status_code for r in respuestas] == [302] * 3 + [429] * 12
    html = respuestas[-1].content.decode()
    assert "Demasiadas solicitudes" in html
    assert "no se envían más durante 1 hora" in html


def test_la_respuesta_es_la_misma_exista_o_no_el_correo(client, daniela_con_correo):
    def respuestas(correo, ip):
        return [pedir(client, correo, ip) for _vez in range(4)]

    existente, inexistente = respuestas(CORREO, "10.0.0.1"), respuestas("nadie@candelaria.gov.co", "10.0.0.2")
    assert [r.status_code for r in existente] == [r.status_code for r in inexistente] == [302, 302, 302, 429]
    assert existente[0]["Location"] == inexistente[0]["Location"] == reverse("password_reset_done")
    assert existente[-1].content == inexistente[-1].content


def test_el_limite_por_correo_no_distingue_mayusculas_ni_espacios(client, daniela_con_correo):
    for correo in (CORREO, CORREO.upper(), f"  {CORREO} "):
        assert pedir(client, correo).status_code == 302
    assert pedir(client, "Daniela@Candelaria.gov.co").status_code == 429


def test_el_limite_por_equipo_frena_a_quien_prueba_muchas_direcciones(client, db):
    for numero in range(settings.RESTABLECER_POR_IP):
        assert pedir(client, f"persona{numero}@candelaria.gov.co", ip="10.9.9.9").status_code == 302
    assert pedir(client, "otra@candelaria.gov.co", ip="10.9.9.9").status_code == 429
    # Someone else, from another address, is not held back.
    assert pedir(Client(), "otra@candelaria.gov.co", ip="10.8.8.8").status_code == 302


def test_el_limite_se_cuenta_tras_el_proxy_por_la_direccion_que_el_proxy_vio(client, db, settings):
    settings.PROXIES_DE_CONFIANZA = 1
    settings.RESTABLECER_POR_IP = 2

    def desde(cliente_real, falsificada):
        return client.post(
            reverse("password_reset"),
            {"email": f"{falsificada}@candelaria.gov.co"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{falsificada}, {cliente_real}",
        )

    assert [desde("190.1.1.1", f"1.1.1.{n}").status_code for n in range(3)] == [302, 302, 429]
    assert desde("190.2.2.2", "1.1.1.9").status_code == 302


def test_el_limite_se_levanta_al_pasar_la_ventana(client, daniela_con_correo, django_capture_on_commit_callbacks):
    ahora = timezone.now()
    with time_machine.travel(ahora, tick=False):
        for _vez in range(3):
            pedir(client, CORREO)
        assert pedir(client, CORREO).status_code == 429
    with time_machine.travel(ahora + datetime.timedelta(minutes=61), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert pedir(client, CORREO).status_code == 302
    assert len(mail.outbox) == 1


def test_el_conteo_vive_en_la_base_de_datos_compartida_por_todos_los_procesos(client, daniela_con_correo):
    assert isinstance(caches["default"], DatabaseCache)
    pedir(client, CORREO)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.CACHES['default']['LOCATION']}")
        claves = [fila[0] for fila in cursor.fetchall()]
    assert len(claves) == 2  # one turn of this client, one of this address
    assert all("restablecer:" in clave and CORREO not in clave for clave in claves)


def test_un_turno_solo_lo_toma_uno(db):
    # What makes the count hold across processes: add() on the database cache is an INSERT on a
    # primary key, so of two workers racing for the last turn only one gets it.
    assert cache.add("restablecer:prueba:0", 1, timeout=60) is True
    assert cache.add("restablecer:prueba:0", 1, timeout=60) is False


def test_el_correo_sale_por_la_tarea_despues_de_la_peticion(
    client, daniela_con_correo, django_capture_on_commit_callbacks, monkeypatch
):
    encolados = []

    class TareaAnotada:
        def enqueue(self, *args):
            encolados.append(args)

    monkeypatch.setattr("seguimiento.tasks.enviar_correo", TareaAnotada())
    with django_capture_on_commit_callbacks(execute=False) as pendientes:
        assert pedir(client, CORREO).status_code == 302
    assert encolados == [] and mail.outbox == []  # nothing sent inside the request
    for pendiente in pendientes:
        pendiente()
    ((asunto, cuerpo, destinatarios),) = encolados
    assert asunto == "Restablecer su contraseña del Plan de Participación Ciudadana"
    assert "/cuentas/reset/" in cuerpo and destinatarios == [CORREO]
    assert enviar_correo.queue_name == "correo"
