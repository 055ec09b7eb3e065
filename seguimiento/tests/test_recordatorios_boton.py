"""The coordinator's "Enviar recordatorios del mes": who will get one, then a task sends them and the audit shows it."""

import pytest
from django.core import mail
from django.urls import reverse

from seguimiento.models import EnvioRecordatorios
from seguimiento.tests.test_recordatorios import historia  # noqa: F401 (fixture)


@pytest.fixture
def historia_sin_correo(historia, delegado_hacienda):  # noqa: F811 (the imported fixture)
    """test_recordatorios' story, with Hernán (Hacienda) left without an email address."""
    delegado_hacienda.email = ""
    delegado_hacienda.save()
    return historia


def test_el_tablero_ofrece_el_boton_solo_a_la_coordinacion(
    client, coordinador, comite, historia_sin_correo, plan_pequeno
):
    url = reverse("tablero")
    client.force_login(coordinador)
    html = client.get(url, {"plan": plan_pequeno.pk, "mes": "2024-06"}).content.decode()
    assert "Enviar recordatorios del mes" in html
    assert f"{reverse('recordatorios_mes')}?plan={plan_pequeno.pk}&amp;mes=2024-06" in html
    client.force_login(comite)
    assert (
        "Enviar recordatorios del mes"
        not in client.get(url, {"plan": plan_pequeno.pk, "mes": "2024-06"}).content.decode()
    )
    assert client.get(reverse("recordatorios_mes")).status_code == 403


def test_muestra_a_quien_le_llegara_antes_de_enviar(client, coordinador, historia_sin_correo, plan_pequeno):
    client.force_login(coordinador)
    respuesta = client.get(reverse("recordatorios_mes"), {"plan": plan_pequeno.pk, "mes": "2024-06"})
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Recibirá el recordatorio 1 persona" in html
    assert "daniela@salud.gov.co" in html and "Secretaría de Salud Pública y Seguridad Social (estrategias 2)" in html
    assert "Hernán Pérez no tiene correo registrado (Secretaría de Hacienda (estrategias 2))." in html
    assert "Enviar 1 recordatorio" in html
    assert mail.outbox == [] and not EnvioRecordatorios.objects.exists()  # nothing sent by looking


def test_enviar_encola_la_tarea_que_escribe_y_queda_en_la_auditoria(
    client, coordinador, historia_sin_correo, plan_pequeno, django_capture_on_commit_callbacks
):
    client.force_login(coordinador)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("recordatorios_mes"), {"plan": plan_pequeno.pk, "mes": "2024-06"})
    assert respuesta.status_code == 302
    assert respuesta["Location"] == f"{reverse('tablero')}?plan={plan_pequeno.pk}&mes=2024-06#sin-reportar"
    (correo,) = mail.outbox
    assert correo.to == ["daniela@salud.gov.co"]
    assert correo.subject == "Recordatorio: reporte de avance de junio de 2024"
    envio = EnvioRecordatorios.objects.get()
    assert envio.usuario == coordinador and envio.cantidad == 1
    mensajes = [str(m) for m in respuesta.wsgi_request._messages]
    assert "Recordatorios de junio de 2024 en cola para 1 personas" in mensajes[0]

    auditoria = client.get(reverse("auditoria"), {"tipo": "recordatorios"}).content.decode()
    assert "Recordatorios de junio de 2024: 1 correos en cola" in auditoria
    assert "Daniela Gómez &lt;daniela@salud.gov.co&gt;: Secretaría de Salud" in auditoria
    assert "Carolina Ríos" in auditoria  # who sent them


def test_un_mes_fuera_del_plan_se_explica(client, coordinador, historia_sin_correo, plan_pequeno):
    client.force_login(coordinador)
    respuesta = client.get(reverse("recordatorios_mes"), {"plan": plan_pequeno.pk, "mes": "2025-01"})
    assert respuesta.status_code == 400
    assert "El mes debe estar dentro del periodo del plan" in respuesta.content.decode()
    respuesta = client.post(reverse("recordatorios_mes"), {"plan": plan_pequeno.pk, "mes": "enero"})
    assert respuesta.status_code == 400 and "Escriba el mes como mm/aaaa" in respuesta.content.decode()
    assert mail.outbox == []
