"""The coordinator's day: evidence sent again is marked with what changed, the menu counts the queue, and a
daily mail says what waits."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from seguimiento import acciones, cola_revision
from seguimiento.models import Evidencia
from seguimiento.tasks import enviar_resumen_revision
from seguimiento.tests.conftest import datos_accion

Estado = Evidencia.Estado
AHORA = datetime.datetime(2024, 3, 20, 7, 0, tzinfo=zoneinfo.ZoneInfo("America/Bogota"))


@pytest.fixture
def reenviada(evidencia_salud, delegada_salud, coordinador, salud):
    """Returned for its quantity, corrected (quantity 2 and a new place), and sent again."""
    with time_machine.travel(datetime.datetime(2024, 3, 13, 9, tzinfo=datetime.UTC), tick=False):
        acciones.enviar(evidencia_salud, usuario=delegada_salud)
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="La cantidad es 2 reuniones, no 1.")
    with time_machine.travel(datetime.datetime(2024, 3, 14, 9, tzinfo=datetime.UTC), tick=False):
        fila = Evidencia.objects.get(pk=evidencia_salud.pk)
        datos = {campo: getattr(fila, campo) for campo in Evidencia.CAMPOS_DELEGADO}
        datos.update(cantidad=2, lugar="Casa de la cultura")
        acciones.editar(fila, usuario=delegada_salud, datos=datos)
        acciones.enviar(fila, usuario=delegada_salud)
    return Evidencia.objects.get(pk=evidencia_salud.pk)


@pytest.fixture
def primera_vez(plan_pequeno, salud, delegada_salud):
    with time_machine.travel(datetime.datetime(2024, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        evidencia = acciones.crear(
            usuario=delegada_salud,
            datos=datos_accion(plan_pequeno.metas().get(codigo="1.1"), salud, fecha=datetime.date(2024, 3, 1)),
        )
        return acciones.enviar(evidencia, usuario=delegada_salud)


@time_machine.travel(AHORA, tick=False)
def test_la_cola_marca_la_reenviada_con_lo_que_cambio_desde_la_devolucion(client, coordinador, reenviada, primera_vez):
    client.force_login(coordinador)
    respuesta = client.get(reverse("revision_cola"))
    html = respuesta.content.decode()
    assert respuesta.context["resumen"] == {"total": 2, "reenviadas": 1, "esperan_mucho": 1}
    inicio = html.index(f'id="evidencia-{reenviada.pk}"')
    fila = html[inicio : html.find('class="list-group-item"', inicio) % (len(html) + 1)]
    assert "Reenviada" in fila
    assert "Devuelta el 13 de marzo («La cantidad es 2 reuniones, no 1.»)" in fila
    assert "Cantidad: <del>1</del> → <ins>2</ins>" in fila
    assert "Lugar: <del>Salón comunal</del> → <ins>Casa de la cultura</ins>" in fila
    otra = html[html.index(f'id="evidencia-{primera_vez.pk}"') : html.index(f'id="evidencia-{reenviada.pk}"')]
    assert "Reenviada" not in otra, "la que llega por primera vez no se marca"
    # The menu counts the queue, on every page of the coordinator.
    assert 'id="menu-por-revisar">2<span class="visually-hidden"> evidencias por revisar' in html
    tablero = client.get(reverse("tablero")).content.decode()
    assert 'id="menu-por-revisar">2<' in tablero


def test_sin_nada_por_revisar_el_menu_no_muestra_numero(client, coordinador, plan_pequeno):
    client.force_login(coordinador)
    html = client.get(reverse("revision_cola")).content.decode()
    assert 'id="menu-revision"' in html and "menu-por-revisar" not in html


def test_la_confirmacion_de_una_reenviada_lo_recuerda(client, coordinador, reenviada):
    client.force_login(coordinador)
    html = client.get(reverse("evidencia_aprobar", args=[reenviada.pk])).content.decode()
    assert "Reenviada después de una devolución." in html
    assert "Cantidad: <del>1</del> → <ins>2</ins>" in html
    assert "2: el avance aprobado pasa de 0 a 2 de 12" in html


def test_en_la_pagina_de_la_evidencia_aprobar_va_despues_del_contenido(client, coordinador, reenviada):
    client.force_login(coordinador)
    html = client.get(reenviada.get_absolute_url()).content.decode()
    assert html.index('id="titulo-actividad"') < html.index('id="titulo-archivos"') < html.index('id="boton-aprobar"')
    assert f'href="{reverse("evidencia_aprobar", args=[reenviada.pk])}" id="boton-aprobar">Aprobar…</a>' in html


# ---- the daily summary ----


@pytest.fixture
def con_correo(coordinador, settings):
    coordinador.email = "carolina@candelaria.gov.co"
    coordinador.save()
    settings.SITIO_URL = "https://participacion.candelaria.gov.co"
    return coordinador


@time_machine.travel(AHORA, tick=False)
def test_el_resumen_diario_dice_cuantas_esperan_cuales_y_donde(con_correo, reenviada, primera_vez, comite):
    comite.email = "comite@candelaria.gov.co"
    comite.save()  # the committee does not review: no summary for it
    resultado = enviar_resumen_revision.enqueue()
    assert resultado.return_value == {"pendientes": 2, "destinatarios": 1, "ya_enviado": False}
    (correo,) = mail.outbox
    assert correo.to == ["carolina@candelaria.gov.co"]
    assert correo.subject == "Revisión pendiente: 2 evidencias (1 reenviada)"
    cuerpo = correo.body
    assert cuerpo.startswith("Hola, Carolina Ríos:")
    assert "Hay 2 evidencias enviadas esperando revisión" in cuerpo
    assert "1 llegó de nuevo después de una devolución" in cuerpo
    assert "1 lleva más de 7 días esperando." in cuerpo
    assert "- Secretaría de Salud Pública y Seguridad Social: 2" in cuerpo
    # The longest waiting first, with its link.
    salud = "Secretaría de Salud Pública y Seguridad Social"
    primera = cuerpo.index(f"Meta 1.1 · {salud} · actividad del 1 de marzo de 2024")
    segunda = cuerpo.index(f"Meta 1.2 · {salud} · actividad del 12 de marzo de 2024")
    assert primera < segunda
    assert f"https://participacion.candelaria.gov.co/evidencias/{primera_vez.pk}/" in cuerpo
    assert "espera hace 6 días · REENVIADA" in cuerpo
    assert "Cola de revisión: https://participacion.candelaria.gov.co/revision/" in cuerpo


@time_machine.travel(AHORA, tick=False)
def test_el_resumen_sale_una_vez_al_dia_y_no_sale_si_no_hay_nada(con_correo, primera_vez):
    assert enviar_resumen_revision.enqueue().return_value["destinatarios"] == 1
    assert enviar_resumen_revision.enqueue().return_value == {"pendientes": 1, "destinatarios": 0, "ya_enviado": True}
    assert len(mail.outbox) == 1
    assert enviar_resumen_revision.enqueue(forzar=True).return_value["destinatarios"] == 1
    assert len(mail.outbox) == 2
    Evidencia.objects.all().delete()
    mail.outbox.clear()
    resultado = enviar_resumen_revision.enqueue(fecha="2024-03-21")
    assert resultado.return_value == {"pendientes": 0, "destinatarios": 0, "ya_enviado": False}
    assert mail.outbox == []


@time_machine.travel(AHORA, tick=False)
def test_el_comando_pone_el_resumen_en_cola_o_lo_simula(con_correo, primera_vez, capsys):
    call_command("resumen_revision", "--dry-run")
    salida = capsys.readouterr().out
    assert "Para carolina@candelaria.gov.co: Revisión pendiente: 1 evidencia" in salida
    assert "Simulación: no se envió ningún correo." in salida
    assert mail.outbox == []
    call_command("resumen_revision")
    assert "Resumen de revisión en cola" in capsys.readouterr().out
    assert len(mail.outbox) == 1  # tests run tasks at once; in production a db_worker does
    call_command("resumen_revision", "--ahora")
    assert "El resumen de hoy ya se envió; use --forzar" in capsys.readouterr().out
    call_command("resumen_revision", "--ahora", "--forzar")
    assert "Resumen en cola para carolina@candelaria.gov.co (1 evidencias por revisar)." in capsys.readouterr().out


def test_sin_sitio_configurado_el_correo_dice_donde_entrar(con_correo, primera_vez, settings):
    settings.SITIO_URL = ""
    datos = cola_revision.preparar_resumen(con_correo)
    _asunto, cuerpo = cola_revision.correo(datos, con_correo)
    assert "http" not in cuerpo
    assert "Entre a la aplicación y abra «Revisión» en el menú." in cuerpo
