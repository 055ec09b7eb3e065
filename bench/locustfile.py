"""The end-of-month rush for locust: delegates report evidence, coordinators review it.

Run by bench/carga.py and bench/falla.py (which create the accounts and start gunicorn);
by hand:  locust -f bench/locustfile.py --host http://127.0.0.1:8765

Accounts: carga.delegado.N and carga.coordinador.N (N from 1), password CARGA_CLAVE.
Every write the server acknowledged (an evidence saved with its file, sent, approved) is
appended as one JSON line to CARGA_ACUSES: the bench then checks that each one is in the
database with its file on disk. With CARGA_PETICIONES, every request is also logged
(start time, step, ok) so the fault test can place errors against the restart.
"""

import hashlib
import io
import itertools
import json
import os
import re
import threading
import time

from locust import HttpUser, between, events, task
from pypdf import PdfWriter

CLAVE = os.environ.get("CARGA_CLAVE", "carga-clave-larga-2026")
# Think time between two pages of one person, in seconds (CARGA_ESPERA="min,max"). The default,
# a page every 10 s on average, is already a rush: a person filling the evidence form takes
# minutes. bench/carga.py --espera 2,6 is the stress profile.
ESPERA = [float(s) for s in os.environ.get("CARGA_ESPERA", "5,15").split(",")]

_bloqueo = threading.Lock()
_delegados = itertools.count(1)
_coordinadores = itertools.count(1)


def _abrir(variable):
    ruta = os.environ.get(variable)
    return open(ruta, "a", encoding="utf-8") if ruta else None


_acuses = _abrir("CARGA_ACUSES")
_peticiones = _abrir("CARGA_PETICIONES")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VALOR = re.compile(r'<option value="(\d+)"')
EVIDENCIA = re.compile(r'href="/evidencias/(\d+)/"')


def opciones(html, campo):
    """The ids offered by the <select name=campo> of a form."""
    lista = re.search(rf'<select name="{campo}".*?</select>', html or "", re.S)
    return VALOR.findall(lista.group(0)) if lista else []


def estado(r):
    """The status code, or the connection error when there was no response."""
    return str(r.status_code) if r.status_code else repr(r.error)[:160]


def acusar(**datos):
    if _acuses is None:
        return
    with _bloqueo:
        _acuses.write(json.dumps({"t": time.time(), **datos}) + "\n")
        _acuses.flush()


@events.request.add_listener
def registrar_peticion(request_type, name, response_time, exception, start_time=None, **kwargs):
    if _peticiones is None:
        return
    inicio = start_time if start_time is not None else time.time() - response_time / 1000
    with _bloqueo:
        _peticiones.write(f"{inicio:.3f},{response_time:.1f},{name},{0 if exception else 1}\n")
        _peticiones.flush()


def pdf_unico(usuario):
    """A small valid PDF (one page, ~20 KB, parsed on upload) whose bytes and sha256 are unique to this evidence."""
    escritor = PdfWriter()
    escritor.add_blank_page(width=612, height=792)
    escritor.add_metadata({"/Title": f"Acta de reunion {usuario} {time.time_ns()}", "/Keywords": "relleno " * 2500})
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


class Usuario(HttpUser):
    abstract = True
    wait_time = between(*ESPERA)
    prefijo = ""
    contador = None

    def on_start(self):
        with _bloqueo:
            self.username = f"{self.prefijo}{next(self.contador)}"
        self.dentro = False
        self.entrar()

    def entrar(self):
        with self.client.get("/cuentas/login/", name="1 login", catch_response=True) as r:
            token = CSRF.search(r.text or "")
            if r.status_code != 200 or not token:
                r.failure(f"login sin formulario ({estado(r)})")
                return
        datos = {"username": self.username, "password": CLAVE, "csrfmiddlewaretoken": token.group(1)}
        with self.client.post(
            "/cuentas/login/", data=datos, name="1 login", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"login rechazado ({estado(r)})")
                return
        self.dentro = True

    def token(self):
        return self.client.cookies.get("csrftoken", "")


class Delegado(Usuario):
    weight = 9
    prefijo = "carga.delegado."
    contador = _delegados

    @task
    def reportar(self):
        if not self.dentro:
            self.entrar()
            return
        with self.client.get("/mis-metas/", name="2 mis metas", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"mis metas {estado(r)}")
                return
        self.wait()
        with self.client.get("/evidencias/nueva/", name="3 formulario", catch_response=True) as r:
            metas, secretarias = opciones(r.text, "meta"), opciones(r.text, "secretaria")
            token = CSRF.search(r.text or "")
            if r.status_code != 200 or not metas or not secretarias or not token:
                r.failure(f"formulario sin metas ({estado(r)})")
                return
        self.wait()
        contenido = pdf_unico(self.username)
        datos = {
            "csrfmiddlewaretoken": token.group(1),
            "meta": metas[int(time.time_ns()) % len(metas)],
            "secretaria": secretarias[0],
            "fecha_actividad": "15/03/2023",  # typed as dd/mm/aaaa (seguimiento/campos_fecha.py)
            "cantidad": "1",
            "descripcion": "Reunión con líderes comunales para socializar el diagnóstico (prueba de carga).",
            "lugar": "Salón comunal",
            "participantes_total": "20",
            "mujeres": "12",
            "hombres": "8",
            "otro_sexo": "0",
            "edad_0_17": "0",
            "edad_18_28": "5",
            "edad_29_59": "15",
            "edad_60_mas": "0",
            "medios": ["acta"],
            "enlaces": "",
        }
        with self.client.post(
            "/evidencias/nueva/",
            data=datos,
            files={"archivos": ("acta de reunión.pdf", contenido, "application/pdf")},
            headers={"Referer": self.host + "/evidencias/nueva/"},
            allow_redirects=False,
            name="4 crear evidencia",
            catch_response=True,
        ) as r:
            # Saved: a redirect to the new evidence's page (a form with errors answers 200 with the form).
            destino = r.headers.get("Location", "") if r.status_code == 302 else ""
            pk = re.fullmatch(r"/evidencias/(\d+)/", destino)
            if not pk:
                r.failure(f"evidencia no guardada ({estado(r)})")
                return
        pk = int(pk.group(1))
        acusar(accion="creada", pk=pk, sha256=hashlib.sha256(contenido).hexdigest(), usuario=self.username)
        self.wait()
        with self.client.post(
            f"/evidencias/{pk}/enviar/",
            data={"csrfmiddlewaretoken": self.token()},
            headers={"Referer": f"{self.host}/evidencias/{pk}/"},
            name="5 enviar",
            catch_response=True,
        ) as r:
            if r.status_code != 200 or "Evidencia enviada a revisión" not in r.text:
                r.failure(f"no enviada ({estado(r)})")
                return
        acusar(accion="enviada", pk=pk, usuario=self.username)


class Coordinador(Usuario):
    weight = 1
    prefijo = "carga.coordinador."
    contador = _coordinadores

    @task
    def revisar(self):
        if not self.dentro:
            self.entrar()
            return
        with self.client.get("/tablero/", name="6 tablero", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"tablero {estado(r)}")
                return
        self.wait()
        with self.client.get("/revision/", name="7 cola de revisión", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"cola {estado(r)}")
                return
            pendientes = EVIDENCIA.findall(r.text)
        if not pendientes:
            return
        self.wait()
        pk = pendientes[int(time.time_ns()) % min(len(pendientes), 5)]
        with self.client.get(f"/evidencias/{pk}/", name="8 ver evidencia", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"evidencia {estado(r)}")
                return
        self.wait()
        with self.client.post(
            f"/evidencias/{pk}/aprobar/",
            # «Aprobar…» leads to a page that says what approving means; its button sends confirmar=1.
            data={"csrfmiddlewaretoken": self.token(), "confirmar": "1"},
            headers={"Referer": f"{self.host}/evidencias/{pk}/aprobar/"},
            name="9 aprobar",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"aprobar {estado(r)}")
                return
            if "Evidencia aprobada" in r.text:
                acusar(accion="aprobada", pk=int(pk), usuario=self.username)
            elif "ya fue revisada" not in r.text:  # another coordinator got there first: not an error
                r.failure("aprobación sin confirmación")
