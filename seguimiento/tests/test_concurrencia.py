"""Races, made deterministic: two connections (two threads), one of them stopped between its check and
its save by a patched hook while the other runs into it.

What must hold: an edit racing a review either fails cleanly with a message or leaves the review
intact; the history always agrees with the row; a closing and an approval never interleave; and no
request ends in a 500 — on PostgreSQL (row locks) and on SQLite (IMMEDIATE transactions, in a file
database like production's: the suite's in-memory SQLite never waits for a lock, it fails at once).
"""

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from seguimiento import acciones, cierres, firmados, historial
from seguimiento.forms import EvidenciaForm
from seguimiento.models import Cierre, EdicionEvidencia, Evidencia
from seguimiento.tests.conftest import CONFIRMAR, MARZO, datos_evidencia, evidencia_en

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Estado = Evidencia.Estado
ESPERA = 20  # seconds: a bound for a broken test, never reached by a passing one


class Hilo(threading.Thread):
    """Runs a function in its own thread, so with its own database connection; keeps its result or error."""

    def __init__(self, funcion):
        super().__init__(daemon=True)
        self.funcion = funcion
        self.resultado = self.error = None

    def run(self):
        try:
            self.resultado = self.funcion()
        except BaseException as error:  # noqa: BLE001 — reported by terminar()
            self.error = error
        finally:
            connections.close_all()

    def terminar(self):
        self.join(ESPERA)
        assert not self.is_alive(), "el hilo no terminó"
        return self


def en_hilo(funcion):
    hilo = Hilo(funcion)
    hilo.start()
    return hilo


def leer(funcion):
    """Read the shared database from a fresh connection (on SQLite the test's own is the in-memory copy)."""
    hilo = en_hilo(funcion).terminar()
    if hilo.error:
        raise hilo.error
    return hilo.resultado


class Pausa:
    """The first call of ``objeto.nombre`` stops right after it returns, with its transaction open, until seguir()."""

    def __init__(self, monkeypatch, objeto, nombre):
        self.llego, self._seguir = threading.Event(), threading.Event()
        original = getattr(objeto, nombre)

        def envoltura(*args, **kwargs):
            resultado = original(*args, **kwargs)
            if not self.llego.is_set():
                self.llego.set()
                assert self._seguir.wait(ESPERA), "nadie soltó la pausa"
            return resultado

        monkeypatch.setattr(objeto, nombre, envoltura)

    def esperar(self):
        assert self.llego.wait(ESPERA), "el hilo no llegó a la pausa"

    def seguir(self):
        self._seguir.set()


class Aviso:
    """Sets an event when ``objeto.nombre`` is called (before it runs)."""

    def __init__(self, monkeypatch, objeto, nombre):
        self.llamado = threading.Event()
        original = getattr(objeto, nombre)

        def envoltura(*args, **kwargs):
            self.llamado.set()
            return original(*args, **kwargs)

        monkeypatch.setattr(objeto, nombre, envoltura)


def esperando_un_bloqueo():
    """Block until another session of this database waits for a lock (PostgreSQL)."""
    limite = time.monotonic() + ESPERA
    while time.monotonic() < limite:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("ninguna sesión quedó esperando el bloqueo")


def cuando_espere(aviso):
    """Once the other thread is inside the action: on PostgreSQL, waiting for the row; on SQLite it waits for
    BEGIN IMMEDIATE, which cannot be observed from outside, so give it a moment (the outcome is the same if
    it has not got there yet: it then starts after the first transaction)."""
    assert aviso.llamado.wait(ESPERA)
    if connection.vendor == "postgresql":
        esperando_un_bloqueo()
    else:
        time.sleep(0.3)


@contextmanager
def base_compartida(tmp_path):
    """On SQLite, a file copy of the test database that every new connection (the threads') opens, with the
    project's OPTIONS (IMMEDIATE, timeout, WAL). PostgreSQL's test database is shared already."""
    if connection.vendor != "sqlite":
        yield
        return
    ruta = tmp_path / "carrera.sqlite3"
    connection.ensure_connection()
    destino = sqlite3.connect(ruta)
    connection.connection.backup(destino)
    destino.close()
    ajustes = connection.settings_dict
    nombre = ajustes["NAME"]
    ajustes["NAME"] = str(ruta)
    try:
        yield
    finally:
        ajustes["NAME"] = nombre


def ultimo_estado(evidencia_pk):
    return Evidencia.objects.get(pk=evidencia_pk).historial.order_by("-pk").values_list("estado_nuevo", flat=True)[0]


def sin_desacuerdos():
    return not Evidencia.objects.con_historial_desacorde().exists()


@pytest.fixture
def meta(plan_pequeno):
    return plan_pequeno.metas().get(codigo="1.2")


# ---- PostgreSQL: the actions, with row locks ----


@pytest.mark.solo_postgresql
def test_una_edicion_que_llega_durante_la_aprobacion_espera_y_falla_limpia(
    monkeypatch, meta, salud, delegada_salud, coordinador
):
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    vieja = Evidencia.objects.get(pk=evidencia.pk)
    pausa = Pausa(monkeypatch, acciones, "_exigir_enviada")
    aviso = Aviso(monkeypatch, acciones, "editar")

    aprobacion = en_hilo(lambda: acciones.aprobar(evidencia, revisor=coordinador))
    pausa.esperar()  # the approval checked "enviada" and holds the row
    edicion = en_hilo(lambda: acciones.editar(vieja, usuario=delegada_salud, datos={"cantidad": 7}))
    cuando_espere(aviso)  # the edit waits for the row
    pausa.seguir()
    aprobacion.terminar(), edicion.terminar()

    assert aprobacion.error is None
    assert isinstance(edicion.error, acciones.TransicionInvalida)
    assert "ya está «Aprobada»" in str(edicion.error)
    fila = Evidencia.objects.get(pk=evidencia.pk)
    assert (fila.estado, fila.revisor, fila.cantidad) == (Estado.APROBADA, coordinador, 1)
    assert ultimo_estado(evidencia.pk) == Estado.APROBADA
    assert not EdicionEvidencia.objects.exists()
    assert sin_desacuerdos()


@pytest.mark.solo_postgresql
def test_un_envio_espera_a_la_edicion_en_curso_y_la_aprobacion_queda(
    monkeypatch, meta, salud, delegada_salud, coordinador
):
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.DEVUELTA, revisor=coordinador)
    pausa = Pausa(monkeypatch, historial, "diferencias")  # editar: after its checks, before it saves
    aviso = Aviso(monkeypatch, acciones, "enviar")

    edicion = en_hilo(lambda: acciones.editar(evidencia, usuario=delegada_salud, datos={"cantidad": 4}))
    pausa.esperar()
    envio = en_hilo(lambda: acciones.enviar(evidencia, usuario=delegada_salud))
    cuando_espere(aviso)
    pausa.seguir()
    edicion.terminar(), envio.terminar()
    assert (edicion.error, envio.error) == (None, None)
    acciones.aprobar(evidencia, revisor=coordinador)

    fila = Evidencia.objects.get(pk=evidencia.pk)
    assert (fila.estado, fila.cantidad, fila.revisor) == (Estado.APROBADA, 4, coordinador)
    assert [c.estado_nuevo for c in fila.historial.order_by("pk")][-3:] == ["devuelta", "enviada", "aprobada"]
    assert EdicionEvidencia.objects.get().cambios[0]["despues"] == "4"
    assert sin_desacuerdos()


@pytest.mark.solo_postgresql
def test_un_cierre_espera_a_la_aprobacion_en_curso_y_la_archiva(
    monkeypatch, plan_pequeno, meta, salud, delegada_salud, coordinador
):
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    pausa = Pausa(monkeypatch, acciones, "_exigir_enviada")
    aviso = Aviso(monkeypatch, acciones, "cerrar_periodo")

    aprobacion = en_hilo(lambda: acciones.aprobar(evidencia, revisor=coordinador))
    pausa.esperar()  # approved in the transaction, not committed
    cierre = en_hilo(lambda: acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador))
    cuando_espere(aviso)  # the closing waits for the plan's row
    pausa.seguir()
    aprobacion.terminar(), cierre.terminar()

    assert (aprobacion.error, cierre.error) == (None, None)
    archivo = Cierre.objects.get()
    assert archivo.estado_archivo == Cierre.EstadoArchivo.LISTO  # the job ran when the closing committed
    assert archivo.resumen["evidencias_aprobadas"] == 1  # it saw the approval that got in first


@pytest.mark.solo_postgresql
def test_una_aprobacion_que_llega_durante_el_cierre_espera_y_lo_respeta(
    monkeypatch, plan_pequeno, meta, salud, delegada_salud, coordinador, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    pausa = Pausa(monkeypatch, cierres, "vigente")  # cerrar_periodo: plan locked and checked, not yet closed
    aviso = Aviso(monkeypatch, acciones, "aprobar")

    cierre = en_hilo(lambda: acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador))
    pausa.esperar()
    aprobacion = en_hilo(lambda: acciones.aprobar(evidencia, revisor=coordinador))
    cuando_espere(aviso)  # the approval waits for the plan's row
    pausa.seguir()
    cierre.terminar(), aprobacion.terminar()

    assert cierre.error is None
    assert isinstance(aprobacion.error, acciones.PeriodoCerrado)
    assert Evidencia.objects.get(pk=evidencia.pk).estado == Estado.ENVIADA
    assert sin_desacuerdos()
    firmados.ejecutar(Cierre.objects.get().pk)
    assert Cierre.objects.get().resumen["evidencias_aprobadas"] == 0


# ---- Both databases: the same races through the web pages, and never a 500 ----


def _pedir(usuario, metodo, url, datos=None):
    cliente = Client()
    cliente.force_login(usuario)
    respuesta = getattr(cliente, metodo)(url, datos or {})
    siguiente = cliente.get(respuesta["Location"]) if respuesta.status_code == 302 else None
    return respuesta, siguiente


def test_editar_mientras_se_reenvia_y_se_aprueba_no_da_500_ni_pierde_la_aprobacion(
    monkeypatch, tmp_path, meta, salud, delegada_salud, coordinador
):
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.DEVUELTA, revisor=coordinador)
    validando = Pausa(monkeypatch, EvidenciaForm, "is_valid")  # the delegate's slow upload, being checked
    aprobando = Pausa(monkeypatch, acciones, "_exigir_enviada")  # the approval, between check and save
    aviso = Aviso(monkeypatch, acciones, "editar")
    datos = datos_evidencia(meta, salud, cantidad=7, fecha_actividad=MARZO.isoformat())

    with base_compartida(tmp_path):
        edicion = en_hilo(
            lambda: _pedir(delegada_salud, "post", reverse("evidencia_editar", args=[evidencia.pk]), datos)
        )
        validando.esperar()  # the edit page saw "devuelta" and is checking the form
        envio = en_hilo(lambda: _pedir(delegada_salud, "post", reverse("evidencia_enviar", args=[evidencia.pk])))
        envio.terminar()
        aprobacion = en_hilo(
            lambda: _pedir(coordinador, "post", reverse("evidencia_aprobar", args=[evidencia.pk]), CONFIRMAR)
        )
        aprobando.esperar()  # approved in its transaction, not committed
        validando.seguir()
        cuando_espere(aviso)  # the edit waits for the row (PostgreSQL) or the database (SQLite)
        aprobando.seguir()
        for hilo in (edicion, aprobacion):
            hilo.terminar()
            assert hilo.error is None, hilo.error

        respuestas = [h.resultado[0] for h in (edicion, envio, aprobacion)]
        assert [r.status_code for r in respuestas] == [302, 302, 302]
        assert "Sus cambios no se guardaron: la evidencia ya está «Aprobada»" in edicion.resultado[1].content.decode()
        assert "Evidencia aprobada" in aprobacion.resultado[1].content.decode()
        fila = leer(lambda: Evidencia.objects.values("estado", "revisor", "cantidad").get(pk=evidencia.pk))
        assert fila == {"estado": Estado.APROBADA, "revisor": coordinador.pk, "cantidad": 1}
        assert leer(lambda: ultimo_estado(evidencia.pk)) == Estado.APROBADA
        assert leer(sin_desacuerdos)


def test_dos_aprobaciones_a_la_vez_no_dan_500(monkeypatch, tmp_path, meta, salud, delegada_salud, coordinador):
    """The issue's 'database is locked' on SQLite: the second writer now waits for the first."""
    primera = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    segunda = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    pausa = Pausa(monkeypatch, acciones, "_exigir_enviada")

    with base_compartida(tmp_path):
        uno = en_hilo(lambda: _pedir(coordinador, "post", reverse("evidencia_aprobar", args=[primera.pk]), CONFIRMAR))
        pausa.esperar()  # the first approval holds its transaction open
        dos = en_hilo(lambda: _pedir(coordinador, "post", reverse("evidencia_aprobar", args=[segunda.pk]), CONFIRMAR))
        if connection.vendor == "sqlite":
            time.sleep(0.3)  # the second waits in BEGIN IMMEDIATE (busy timeout), instead of failing
        pausa.seguir()
        uno.terminar(), dos.terminar()
        assert (uno.error, dos.error) == (None, None)
        assert [h.resultado[0].status_code for h in (uno, dos)] == [302, 302]
        estados = leer(lambda: sorted(Evidencia.objects.values_list("estado", flat=True)))
        assert estados == [Estado.APROBADA, Estado.APROBADA]
        assert leer(sin_desacuerdos)


@pytest.mark.django_db
def test_si_la_espera_se_agota_la_pagina_lo_explica_sin_500(client, monkeypatch, evidencia_salud, coordinador):
    def ocupada(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(acciones, "aprobar", ocupada)
    client.force_login(coordinador)
    respuesta = client.post(reverse("evidencia_aprobar", args=[evidencia_salud.pk]), CONFIRMAR)
    assert respuesta.status_code == 503
    assert respuesta["Retry-After"] == "5"
    assert "No se guardó nada de esta petición" in respuesta.content.decode()
