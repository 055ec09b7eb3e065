"""Mail as tasks: never sent inside the request, retried with a wait, logged, never a 500."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from seguimiento.tasks import encolar_correo, enviar_correo


class CorreoCaido(BaseEmailBackend):
    fallas = 0

    def send_messages(self, mensajes):
        CorreoCaido.fallas += 1
        raise smtplib.SMTPServerDisconnected("conexión cerrada")


class CorreoIntermitente(BaseEmailBackend):
    """Fails the first time, works afterwards."""

    llamadas = 0

    def send_messages(self, mensajes):
        CorreoIntermitente.llamadas += 1
        if CorreoIntermitente.llamadas == 1:
            raise TimeoutError("el servidor no respondió")
        mail.outbox.extend(mensajes)
        return len(mensajes)


def test_un_envio_fallido_se_reintenta_mas_tarde(settings, cola_de_mentira, caplog):
    settings.EMAIL_BACKEND = "seguimiento.tests.test_correo.CorreoCaido"
    settings.CORREO_ESPERA = 60
    antes = timezone.now()
    assert enviar_correo.call("Asunto", "Cuerpo", ["ana@example.org"]) == "reintento"
    (reintento,) = cola_de_mentira.results
    assert reintento.task.queue_name == "correo"
    assert reintento.args == ["Asunto", "Cuerpo", ["ana@example.org"]] and reintento.kwargs == {"intento": 2}
    assert antes + datetime.timedelta(seconds=59) < reintento.task.run_after < antes + datetime.timedelta(seconds=70)
    assert "el intento 1 falló (conexión cerrada); se reintenta" in caplog.text
    # The wait grows with the attempt: the fourth failure waits four times as long.
    enviar_correo.call("Asunto", "Cuerpo", ["ana@example.org"], intento=4)
    assert cola_de_mentira.results[-1].task.run_after > antes + datetime.timedelta(seconds=239)


def test_tras_el_ultimo_intento_queda_fallida_y_registrada(settings, cola_de_mentira, caplog):
    settings.EMAIL_BACKEND = "seguimiento.tests.test_correo.CorreoCaido"
    settings.CORREO_INTENTOS = 3
    with pytest.raises(smtplib.SMTPServerDisconnected):
        enviar_correo.call("Asunto", "Cuerpo", ["ana@example.org"], intento=3)
    assert cola_de_mentira.results == []
    assert "Correo «Asunto» a ana@example.org sin enviar tras 3 intentos: conexión cerrada" in caplog.text


def test_con_la_cola_inmediata_los_reintentos_no_llegan_a_la_peticion(settings):
    settings.EMAIL_BACKEND = "seguimiento.tests.test_correo.CorreoCaido"
    settings.CORREO_INTENTOS = 4
    CorreoCaido.fallas = 0
    resultado = enviar_correo.enqueue("Asunto", "Cuerpo", ["ana@example.org"])  # does not raise
    assert CorreoCaido.fallas == 4  # bounded
    assert resultado.status == "SUCCESSFUL"  # the first attempt handed over to its retry


def test_un_fallo_pasajero_se_supera_en_el_reintento(settings, caplog):
    settings.EMAIL_BACKEND = "seguimiento.tests.test_correo.CorreoIntermitente"
    CorreoIntermitente.llamadas = 0
    enviar_correo.enqueue("Asunto", "Cuerpo", ["ana@example.org"])
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]
    assert "enviado en el intento 2" in caplog.text


def test_encolar_correo_espera_a_que_la_transaccion_confirme(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            encolar_correo("Asunto", "Cuerpo", ["ana@example.org"])
            assert mail.outbox == []  # not inside the request's transaction
    assert len(callbacks) == 1 and len(mail.outbox) == 1


def test_una_transaccion_revertida_no_encola_nada(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                encolar_correo("Asunto", "Cuerpo", ["ana@example.org"])
                raise RuntimeError("la petición falló")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
