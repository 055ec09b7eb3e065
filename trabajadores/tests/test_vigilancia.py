"""Heartbeat, reaper and /salud/: a killed worker's task does not stay RUNNING forever."""

import datetime
import time
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import crear_usuario
from plan_participacion.models import Plan
from reportes.models import Informe
from trabajadores import latido, vigilancia
from trabajadores.models import Trabajador

AHORA = timezone.now


def trabajador(worker_id, colas="informes", hace=0):
    visto = timezone.now() - datetime.timedelta(seconds=hace)
    return Trabajador.objects.create(
        worker_id=worker_id, colas=colas, servidor="app1", pid=4242, iniciado=visto, visto=visto
    )


def en_curso(task_path, worker_id, hace=0, args=(), kwargs=None, cola="informes"):
    return DBTaskResult.objects.create(
        status="RUNNING",
        task_path=task_path,
        args_kwargs={"args": list(args), "kwargs": kwargs or {}},
        queue_name=cola,
        backend_name="default",
        run_after=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        started_at=timezone.now() - datetime.timedelta(seconds=hace),
        worker_ids=[worker_id],
    )


def test_el_latido_registra_renueva_y_despide_al_trabajador(db):
    latido.registrar("w-1", "correo")
    antes = Trabajador.objects.get(worker_id="w-1")
    assert antes.lista_colas() == ["correo"] and antes.pid > 0
    Trabajador.objects.filter(pk=antes.pk).update(visto=antes.visto - datetime.timedelta(minutes=5))
    latido.latir("w-1", "correo")
    assert Trabajador.objects.get(worker_id="w-1").visto > antes.visto - datetime.timedelta(seconds=1)
    Trabajador.objects.all().delete()
    latido.latir("w-1", "correo")  # its row was removed meanwhile: it registers again
    assert Trabajador.objects.filter(worker_id="w-1").exists()
    latido.despedir("w-1")
    assert not Trabajador.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_el_hilo_de_latido_late_mientras_el_trabajador_vive(settings):
    settings.TRABAJADORES_LATIDO = 1
    latido.registrar("w-hilo", "informes")
    Trabajador.objects.filter(worker_id="w-hilo").update(visto=timezone.now() - datetime.timedelta(minutes=10))
    hilo = latido.Latido("w-hilo", "informes").iniciar()
    try:
        limite = time.monotonic() + 10
        while time.monotonic() < limite:
            if Trabajador.objects.get(worker_id="w-hilo").visto > timezone.now() - datetime.timedelta(seconds=30):
                break
            time.sleep(0.2)
        else:
            pytest.fail("el hilo de latido no actualizó el trabajador en 10 s")
    finally:
        hilo.detener()
    assert not hilo._hilo.is_alive()


def test_el_recolector_marca_fallidas_solo_las_tareas_de_trabajadores_muertos(db, settings):
    settings.TRABAJADORES_AUSENCIA = 60
    trabajador("vivo", hace=5)
    trabajador("muerto", hace=120)
    del_vivo = en_curso("reportes.tasks.generar_informe", "vivo", hace=600)
    del_muerto = en_curso("reportes.tasks.generar_informe", "muerto", hace=600)
    sin_latido_reciente = en_curso("reportes.tasks.generar_informe", "desconocido", hace=10)
    sin_latido_viejo = en_curso("reportes.tasks.generar_informe", "desconocido", hace=600)

    recogidas = vigilancia.recoger_tareas_perdidas()

    assert {r.pk for r in recogidas} == {del_muerto.pk, sin_latido_viejo.pk}
    for tarea, estado in ((del_vivo, "RUNNING"), (del_muerto, "FAILED"), (sin_latido_reciente, "RUNNING")):
        tarea.refresh_from_db()
        assert tarea.status == estado
    assert del_muerto.exception_class_path == "trabajadores.vigilancia.TrabajadorPerdido"
    assert "dejó de dar señales de vida" in del_muerto.traceback
    assert vigilancia.recoger_tareas_perdidas() == []  # a second reaper finds nothing left to claim


def test_un_informe_de_un_trabajador_muerto_vuelve_a_la_cola(
    db, cola_en_la_base, comite, settings, django_capture_on_commit_callbacks
):
    settings.REPORTES_INTENTOS = 2
    plan = Plan.objects.create(
        entidad=comite.membresia.entidad,
        municipio="Municipio de Prueba",
        titulo="Plan",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2024, 12, 1),
    )
    viejo = timezone.now() - datetime.timedelta(minutes=10)
    trabajador("muerto", hace=120)
    tarea = en_curso("reportes.tasks.generar_informe", "muerto", hace=300)
    informe = Informe.objects.create(
        plan=plan,
        tipo="verificacion",
        corte=datetime.date(2024, 3, 31),
        huella="h" * 64,
        estado="generando",
        progreso=40,
        intentos=1,
        tarea=str(tarea.id),
        pedido_por=comite,
        pedido_en=viejo,
        ultima_solicitud=viejo,
    )

    with django_capture_on_commit_callbacks(execute=True):  # in a worker, each step commits on its own
        vigilancia.vigilar()

    informe.refresh_from_db()
    assert informe.estado == Informe.Estado.EN_COLA and informe.progreso == 0
    nueva = DBTaskResult.objects.get(status="READY", task_path="reportes.tasks.generar_informe")
    assert informe.tarea == str(nueva.id) and nueva.args_kwargs["args"] == [informe.pk]

    # Its second worker dies too: with REPORTES_INTENTOS = 2 it fails, and says why (never "preparing" forever).
    DBTaskResult.objects.filter(pk=nueva.pk).update(status="RUNNING", worker_ids=["muerto"], started_at=viejo)
    Informe.objects.filter(pk=informe.pk).update(estado="generando", intentos=2)
    with django_capture_on_commit_callbacks(execute=True):
        vigilancia.vigilar()
    informe.refresh_from_db()
    assert informe.estado == Informe.Estado.FALLO
    assert informe.error == "El trabajador que preparaba el informe se detuvo 2 veces antes de terminarlo."


def test_un_correo_perdido_con_su_trabajador_se_vuelve_a_enviar(db, cola_en_la_base):
    trabajador("muerto", colas="correo", hace=120)
    en_curso(
        "seguimiento.tasks.enviar_correo",
        "muerto",
        hace=300,
        cola="correo",
        args=["Asunto", "Cuerpo", ["ana@example.org"]],
        kwargs={"intento": 2},
    )
    vigilancia.vigilar()
    nuevo = DBTaskResult.objects.get(status="READY", task_path="seguimiento.tasks.enviar_correo")
    assert nuevo.args_kwargs == {"args": ["Asunto", "Cuerpo", ["ana@example.org"]], "kwargs": {"intento": 3}}
    assert nuevo.run_after > timezone.now()  # after its wait, like any retry


def test_salud_dice_si_hay_base_y_un_trabajador_vivo_de_cada_cola(client, db, settings):
    settings.TRABAJADORES_AUSENCIA = 60
    respuesta = client.get(reverse("salud"))
    assert respuesta.status_code == 503
    datos = respuesta.json()
    assert datos["base_de_datos"] == "ok"
    assert {c: d["estado"] for c, d in datos["colas"].items()} == {
        "default": "sin trabajador",
        "informes": "sin trabajador",
        "correo": "sin trabajador",
    }
    trabajador(uuid.uuid4().hex, "default", hace=3)
    trabajador(uuid.uuid4().hex, "informes", hace=3)
    trabajador(uuid.uuid4().hex, "correo", hace=300)  # stopped beating five minutes ago
    datos = client.get(reverse("salud")).json()
    assert datos["colas"]["correo"] == {"estado": "sin trabajador", "ultimo_latido_hace_s": 300}
    trabajador(uuid.uuid4().hex, "*", hace=1)  # `db_worker --queue-name '*'` takes every queue
    respuesta = client.get(reverse("salud"))
    assert respuesta.status_code == 200 and respuesta.json()["estado"] == "ok"
    assert "no-store" in respuesta["Cache-Control"]


def test_salud_no_pide_sesion_y_no_cuenta_nada_privado(client, db):
    crear_usuario("ana.coordinadora", "Coordinador")
    respuesta = client.get(reverse("salud"))
    assert respuesta.status_code in (200, 503)
    assert set(respuesta.json()) == {"estado", "base_de_datos", "colas"}
    assert client.post(reverse("salud")).status_code == 405
