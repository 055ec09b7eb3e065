"""The monthly reminder: delegates of secretariats that have not reported get an email."""

import datetime
import io
import re
import smtplib
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import TestCase

from plan_participacion.models import Secretaria
from seguimiento.management.commands.recordatorios import Command
from seguimiento.models import EnvioRecordatorios
from seguimiento.tests.datos_avance import cargar_historia

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")


class CorreoCaido(BaseEmailBackend):
    """An SMTP server that refuses everything."""

    def send_messages(self, mensajes):
        raise smtplib.SMTPServerDisconnected("conexión cerrada")


@pytest.fixture
def historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda):
    delegada_salud.email = "daniela@salud.gov.co"
    delegada_salud.save()
    delegado_hacienda.email = "hernan@hacienda.gov.co"
    delegado_hacienda.save()
    return cargar_historia(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda)


def recordatorios(*argumentos):
    """Run the command; its mail tasks run when its transaction commits (the immediate backend sends them)."""
    salida, errores = io.StringIO(), io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("recordatorios", *argumentos, stdout=salida, stderr=errores)
    return salida.getvalue(), errores.getvalue()


def test_marzo_recuerda_a_salud_la_estrategia_2(historia):
    salida, errores = recordatorios("--mes", "2024-03")
    assert len(mail.outbox) == 1
    correo = mail.outbox[0]
    assert correo.to == ["daniela@salud.gov.co"]
    assert correo.subject == "Recordatorio: reporte de avance de marzo de 2024"
    assert correo.body.startswith("Hola, Daniela Gómez:")
    assert "en marzo de 2024 hay actividades programadas" in correo.body
    assert "Secretaría de Salud Pública y Seguridad Social\n  - Estrategia 2. Convocar a la ciudadanía." in correo.body
    assert "Estrategia 1." not in correo.body  # Salud did send evidence for strategy 1 in March
    assert (
        "Recordatorio en cola para Daniela Gómez <daniela@salud.gov.co>: "
        "Secretaría de Salud Pública y Seguridad Social (estrategias 2)." in salida
    )
    assert "Correos en cola: 1 (los envía el trabajador de la cola «correo»)." in salida
    assert errores == ""
    envio = EnvioRecordatorios.objects.get()  # recorded for the audit trail, sent by "the schedule"
    assert envio.usuario is None and envio.cantidad == 1 and envio.mes == datetime.date(2024, 3, 1)
    assert envio.destinatarios.startswith("Daniela Gómez <daniela@salud.gov.co>: Secretaría de Salud")


def test_simulacion_muestra_a_quien_escribiria_sin_enviar(historia):
    salida, _errores = recordatorios("--mes", "2024-02", "--dry-run")
    assert mail.outbox == []
    assert "Escribiría a Hernán Pérez <hernan@hacienda.gov.co>: Secretaría de Hacienda (estrategias 2)." in salida
    assert "Simulación: no se envió ningún correo." in salida


@time_machine.travel(datetime.datetime(2024, 6, 25, 8, 0, tzinfo=BOGOTA), tick=False)
def test_sin_mes_revisa_el_mes_actual(historia):
    recordatorios()
    assert sorted(m.to[0] for m in mail.outbox) == ["daniela@salud.gov.co", "hernan@hacienda.gov.co"]
    assert {m.subject for m in mail.outbox} == {"Recordatorio: reporte de avance de junio de 2024"}


def test_un_solo_correo_para_quien_delega_en_dos_secretarias(historia, hacienda, delegada_salud):
    hacienda.delegados.add(delegada_salud)
    recordatorios("--mes", "2024-06")
    para_daniela = [m for m in mail.outbox if m.to == ["daniela@salud.gov.co"]]
    assert len(para_daniela) == 1
    assert "Secretaría de Hacienda\n" in para_daniela[0].body
    assert "Secretaría de Salud Pública y Seguridad Social\n" in para_daniela[0].body
    assert len(mail.outbox) == 2


def test_nadie_pendiente_no_envia_nada(historia):
    salida, _errores = recordatorios("--mes", "2024-01")
    assert mail.outbox == []
    assert "Nadie tiene reportes pendientes de enero de 2024" in salida


def test_avisa_de_delegados_sin_correo_y_secretarias_sin_delegados(historia, delegada_salud, hacienda):
    delegada_salud.email = ""
    delegada_salud.save()
    hacienda.delegados.clear()
    salida, errores = recordatorios("--mes", "2024-06")
    assert mail.outbox == []
    assert "Secretaría de Hacienda no tiene delegados: nadie recibirá su recordatorio." in errores
    assert "Daniela Gómez no tiene correo registrado" in errores
    assert "Correos en cola: 0" in salida


def test_secretaria_inactiva_no_recibe_recordatorios(historia, hacienda):
    Secretaria.objects.filter(pk=hacienda.pk).update(activa=False)
    recordatorios("--mes", "2024-02")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["--mes", "2024-13"], "Escriba el mes como AAAA-MM, por ejemplo 2024-03; recibí «2024-13»."),
        (["--mes", "marzo"], "Escriba el mes como AAAA-MM"),
        (["--mes", "2025-01"], "Enero de 2025 está fuera del periodo del plan"),
        (["--plan", "999"], "No existe un plan con ID 999."),
        (["--plan", "uno"], "--plan espera el número (ID) de un plan; recibí «uno»."),
    ],
)
def test_argumentos_invalidos_se_explican_en_espanol(historia, argumentos, mensaje):
    with pytest.raises(CommandError, match=re.escape(mensaje)):
        recordatorios(*argumentos)
    assert mail.outbox == []


@pytest.mark.django_db
def test_sin_plan_cargado():
    with pytest.raises(CommandError, match="Todavía no hay un plan cargado."):
        recordatorios("--mes", "2024-03")


def test_plan_elegido_por_id(historia, plan_pequeno):
    recordatorios("--plan", str(plan_pequeno.pk), "--mes", "2024-02")
    assert [m.to for m in mail.outbox] == [["hernan@hacienda.gov.co"]]


def test_si_el_correo_falla_se_reintenta_y_el_comando_no_falla(historia, settings, caplog):
    """The command only enqueues: a failing SMTP server is the mail task's business (retried, logged)."""
    settings.EMAIL_BACKEND = "seguimiento.tests.test_recordatorios.CorreoCaido"
    settings.CORREO_INTENTOS = 3
    with caplog.at_level("WARNING", logger="seguimiento.tasks"):
        salida, _errores = recordatorios("--mes", "2024-02")
    assert "Correos en cola: 1" in salida
    avisos = [r.getMessage() for r in caplog.records]
    assert sum("falló (conexión cerrada); se reintenta" in a for a in avisos) == 2
    assert any("sin enviar tras 3 intentos" in a for a in avisos)


def test_la_ayuda_explica_las_opciones():
    ayuda = Command().create_parser("manage.py", "recordatorios").format_help()
    assert "Escribe a los delegados de las secretarías que no han enviado evidencias" in ayuda
    assert "Mes a revisar, AAAA-MM" in ayuda and "--dry-run" in ayuda and "--plan" in ayuda


def test_sin_plan_elegido_recuerda_en_el_plan_vigente_de_cada_entidad(historia, plan_pradera, delegado_pradera):
    delegado_pradera.email = "pedro@pradera.gov.co"
    delegado_pradera.save()
    _salida, errores = recordatorios("--mes", "2024-03")
    assert sorted(tuple(c.to) for c in mail.outbox) == [("daniela@salud.gov.co",), ("pedro@pradera.gov.co",)]
    assert sorted(EnvioRecordatorios.objects.values_list("plan__municipio", flat=True)) == [
        "Municipio de Pradera",
        "Municipio de Prueba",
    ]
    assert errores == ""


def test_un_plan_que_no_cubre_el_mes_no_detiene_a_las_demas_entidades(historia, plan_pradera, delegado_pradera):
    """September 2024: Pradera's plan runs all 2024 (nothing planned that month); the other one ended in June."""
    salida, errores = recordatorios("--mes", "2024-09")
    assert "Nadie tiene reportes pendientes de septiembre de 2024 en «Municipio de Pradera" in salida
    assert errores.startswith("Municipio de Prueba, Ene 2024 – Jun 2024: ")
    assert mail.outbox == []
