"""End to end with django-tasks-db's real database queue: request → job row → db_worker → the file, by its SHA-256."""

import base64
import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reportes.models import Informe
from reportes.tests.conftest import CORTE
from trabajadores.models import Trabajador


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keep the roles the migrations create
def test_un_trabajador_de_la_cola_prepara_el_informe_y_la_misma_direccion_lo_entrega(
    client, comite, historia_candelaria, cola_en_la_base, settings
):
    settings.REPORTES_EVIDENCIAS_EN_LINEA = 0
    client.force_login(comite)
    url = reverse("reporte_verificacion")
    respuesta = client.get(url, {"corte": CORTE.isoformat()})
    assert respuesta.status_code == 202
    informe = Informe.objects.get()
    tarea = DBTaskResult.objects.get(task_path="reportes.tasks.generar_informe")
    assert tarea.status == "READY" and tarea.queue_name == "informes" and str(tarea.id) == informe.tarea
    assert informe.estado == Informe.Estado.EN_COLA

    call_command("db_worker", batch=True, queue_name="informes", startup_delay=False, reload=False, verbosity=0)

    tarea.refresh_from_db()
    informe.refresh_from_db()
    assert tarea.status == "SUCCESSFUL" and tarea.return_value == "listo"
    assert informe.estado == Informe.Estado.LISTO and informe.progreso == 100
    assert not Trabajador.objects.exists()  # the worker removed its heartbeat row when it stopped
    respuesta = client.get(url, {"corte": CORTE.isoformat()})
    assert respuesta.status_code == 200
    contenido = b"".join(respuesta.streaming_content)
    assert hashlib.sha256(contenido).hexdigest() == informe.sha256
    assert len(contenido) == informe.tamano == int(respuesta["Content-Length"])
    assert respuesta["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(contenido).digest()).decode()}:"
    assert contenido.startswith(b"%PDF-")
