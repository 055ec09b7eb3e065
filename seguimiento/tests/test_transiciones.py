"""The state machine (seguimiento.acciones) and the approve / return actions on the evidence page."""

import pytest
from django.core import mail
from django.urls import reverse

from seguimiento import acciones
from seguimiento.acciones import TransicionInvalida
from seguimiento.models import CambioEstado, Evidencia
from seguimiento.tests.conftest import CONFIRMAR

Estado = Evidencia.Estado


def historial(evidencia):
    return [(c.estado_anterior, c.estado_nuevo, c.usuario.username, c.comentario) for c in evidencia.historial.all()]


# --- acciones ------------------------------------------------------------------------------------


def test_enviar_borrador(evidencia_salud, delegada_salud):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    evidencia_salud.refresh_from_db()
    assert evidencia_salud.estado == Estado.ENVIADA
    assert evidencia_salud.enviada_en is not None
    assert historial(evidencia_salud)[-1] == ("borrador", "enviada", "daniela.salud", "")


def test_enviar_exige_archivo_o_enlace(evidencia_salud, delegada_salud):
    Evidencia.objects.filter(pk=evidencia_salud.pk).update(enlaces="")
    with pytest.raises(TransicionInvalida, match="Adjunte al menos un archivo o un enlace"):
        acciones.enviar(evidencia_salud, usuario=delegada_salud)
    assert Evidencia.objects.get().estado == Estado.BORRADOR


@pytest.mark.parametrize("estado", [Estado.ENVIADA, Estado.APROBADA])
def test_no_se_envia_lo_que_no_es_borrador_ni_devuelta(evidencia_salud, delegada_salud, estado):
    Evidencia.objects.filter(pk=evidencia_salud.pk).update(estado=estado)
    with pytest.raises(TransicionInvalida, match="Solo se puede enviar una evidencia en borrador o devuelta"):
        acciones.enviar(evidencia_salud, usuario=delegada_salud)
    assert len(historial(evidencia_salud)) == 1


def test_aprobar_enviada(evidencia_salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.aprobar(evidencia_salud, revisor=coordinador, comentario="Completa.")
    evidencia_salud.refresh_from_db()
    assert (evidencia_salud.estado, evidencia_salud.revisor) == (Estado.APROBADA, coordinador)
    assert evidencia_salud.revisada_en is not None
    assert historial(evidencia_salud)[-1] == ("enviada", "aprobada", "carolina.coordinadora", "Completa.")


def test_no_se_aprueba_ni_devuelve_un_borrador(evidencia_salud, coordinador):
    with pytest.raises(TransicionInvalida, match="todavía no ha sido enviada"):
        acciones.aprobar(evidencia_salud, revisor=coordinador)
    with pytest.raises(TransicionInvalida, match="todavía no ha sido enviada"):
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="x")


def test_lo_revisado_no_se_revisa_otra_vez(evidencia_salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.aprobar(evidencia_salud, revisor=coordinador)
    with pytest.raises(TransicionInvalida, match="ya fue revisada: está «Aprobada»"):
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Tarde")
    with pytest.raises(TransicionInvalida, match="ya fue revisada"):
        acciones.aprobar(evidencia_salud, revisor=coordinador)
    assert len(historial(evidencia_salud)) == 3


def test_devolver_exige_motivo(evidencia_salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    with pytest.raises(TransicionInvalida, match="Escriba el motivo de la devolución"):
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="   ")
    assert Evidencia.objects.get().estado == Estado.ENVIADA


def test_ciclo_completo_devuelta_corregida_aprobada(evidencia_salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Falta el acta firmada.")
    assert Evidencia.objects.get().motivo_devolucion == "Falta el acta firmada."
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.aprobar(evidencia_salud, revisor=coordinador)
    evidencia = Evidencia.objects.get()
    assert evidencia.motivo_devolucion == ""
    assert historial(evidencia) == [
        ("", "borrador", "daniela.salud", "Borrador creado."),
        ("borrador", "enviada", "daniela.salud", ""),
        ("enviada", "devuelta", "carolina.coordinadora", "Falta el acta firmada."),
        ("devuelta", "enviada", "daniela.salud", ""),
        ("enviada", "aprobada", "carolina.coordinadora", ""),
    ]


def test_si_el_historial_falla_el_estado_no_cambia(evidencia_salud, delegada_salud, monkeypatch):
    def falla(*args, **kwargs):
        raise RuntimeError("disco lleno")

    monkeypatch.setattr(CambioEstado.objects, "create", falla)
    with pytest.raises(RuntimeError):
        acciones.enviar(evidencia_salud, usuario=delegada_salud)
    assert Evidencia.objects.get().estado == Estado.BORRADOR


# --- Approve and return from the evidence page ----------------------------------------------------


@pytest.fixture
def enviada(evidencia_salud, delegada_salud):
    delegada_salud.email = "daniela@candelaria.gov.co"
    delegada_salud.save()
    return acciones.enviar(evidencia_salud, usuario=delegada_salud)


@pytest.fixture
def carolina(client, coordinador):
    client.force_login(coordinador)
    return client


def test_coordinacion_ve_aprobar_y_devolver_solo_si_esta_enviada(carolina, evidencia_salud, delegada_salud):
    html = carolina.get(evidencia_salud.get_absolute_url()).content.decode()
    assert reverse("evidencia_aprobar", args=[evidencia_salud.pk]) not in html
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    html = carolina.get(evidencia_salud.get_absolute_url()).content.decode()
    assert reverse("evidencia_aprobar", args=[evidencia_salud.pk]) in html
    assert reverse("evidencia_devolver", args=[evidencia_salud.pk]) in html
    assert "Motivo de la devolución" in html


def test_la_delegada_no_ve_los_botones_de_revision(client, enviada, delegada_salud):
    client.force_login(delegada_salud)
    html = client.get(enviada.get_absolute_url()).content.decode()
    assert reverse("evidencia_aprobar", args=[enviada.pk]) not in html


def test_aprobar_desde_la_pagina_avisa_a_la_autora(carolina, enviada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = carolina.post(reverse("evidencia_aprobar", args=[enviada.pk]), CONFIRMAR)
    assert respuesta["Location"] == enviada.get_absolute_url()
    assert Evidencia.objects.get().estado == Estado.APROBADA
    (correo,) = mail.outbox
    assert correo.to == ["daniela@candelaria.gov.co"]
    assert correo.subject == "Su reporte de avance de la meta 1.2 fue aprobado"
    assert f"http://testserver{enviada.get_absolute_url()}" in correo.body
    assert "Ya cuenta en el avance de la meta." in correo.body
    assert "Evidencia aprobada" in carolina.get(respuesta["Location"]).content.decode()


def test_devolver_desde_la_pagina_envia_el_motivo(carolina, enviada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        carolina.post(reverse("evidencia_devolver", args=[enviada.pk]), {"motivo": "  La foto no se ve.  "})
    evidencia = Evidencia.objects.get()
    assert (evidencia.estado, evidencia.motivo_devolucion) == (Estado.DEVUELTA, "La foto no se ve.")
    (correo,) = mail.outbox
    assert correo.subject == "Su reporte de avance de la meta 1.2 fue devuelto"
    assert "Motivo:\nLa foto no se ve." in correo.body
    assert f"http://testserver{enviada.get_absolute_url()}" in correo.body


def test_devolver_sin_motivo_no_cambia_nada(carolina, enviada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = carolina.post(reverse("evidencia_devolver", args=[enviada.pk]), {"motivo": " "}, follow=True)
    assert "Escriba el motivo de la devolución" in respuesta.content.decode()
    assert Evidencia.objects.get().estado == Estado.ENVIADA
    assert mail.outbox == []


def test_revisar_lo_ya_revisado_dice_que_ya_fue_revisada(carolina, enviada, django_capture_on_commit_callbacks):
    carolina.post(reverse("evidencia_aprobar", args=[enviada.pk]), CONFIRMAR)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = carolina.post(reverse("evidencia_devolver", args=[enviada.pk]), {"motivo": "Tarde"}, follow=True)
    assert "La evidencia ya fue revisada: está «Aprobada»." in respuesta.content.decode()
    assert Evidencia.objects.get().estado == Estado.APROBADA
    assert mail.outbox == []


def test_sin_correo_de_autor_se_aprueba_igual(
    carolina, evidencia_salud, delegada_salud, django_capture_on_commit_callbacks
):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    with django_capture_on_commit_callbacks(execute=True):
        carolina.post(reverse("evidencia_aprobar", args=[evidencia_salud.pk]), CONFIRMAR)
    assert Evidencia.objects.get().estado == Estado.APROBADA
    assert mail.outbox == []


def test_si_falla_el_correo_la_aprobacion_queda(carolina, enviada, monkeypatch, django_capture_on_commit_callbacks):
    def sin_servidor(*args, **kwargs):
        raise ConnectionRefusedError("sin servidor de correo")

    monkeypatch.setattr("seguimiento.tasks.send_mail", sin_servidor)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = carolina.post(reverse("evidencia_aprobar", args=[enviada.pk]), CONFIRMAR)
    assert respuesta.status_code == 302
    assert Evidencia.objects.get().estado == Estado.APROBADA


@pytest.mark.parametrize("persona", ["delegada_salud", "comite"])
def test_solo_quien_revisa_puede_aprobar_o_devolver(client, enviada, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("evidencia_aprobar", args=[enviada.pk]), CONFIRMAR).status_code == 403
    assert client.post(reverse("evidencia_devolver", args=[enviada.pk]), {"motivo": "x"}).status_code == 403
    assert Evidencia.objects.get().estado == Estado.ENVIADA


def test_aprobar_pide_confirmacion_y_solo_la_confirmacion_aprueba(carolina, enviada):
    url = reverse("evidencia_aprobar", args=[enviada.pk])
    pagina = carolina.get(url)
    html = pagina.content.decode()
    assert pagina.status_code == 200
    assert "¿Aprobar el reporte de la meta 1.2?" in html
    assert "1: el avance aprobado pasa de 0 a 1 de 12" in html
    assert 'name="confirmar" value="1"' in html and "Sí, aprobar" in html
    assert carolina.post(url).status_code == 200, "un POST sin confirmar muestra la confirmación"
    assert Evidencia.objects.get().estado == Estado.ENVIADA
    assert carolina.post(url, CONFIRMAR)["Location"] == enviada.get_absolute_url()
    assert Evidencia.objects.get().estado == Estado.APROBADA
    despues = carolina.get(url, follow=True)
    assert despues.redirect_chain[-1][0] == enviada.get_absolute_url()
    assert "Solo se aprueba una evidencia enviada a revisión; esta está «Aprobada»." in despues.content.decode()
