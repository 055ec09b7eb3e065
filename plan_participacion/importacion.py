"""Importing the cronograma from the browser: the uploaded sheet waiting for confirmation, and the preview.

Between the preview and the confirmation the sheet is kept server-side, under
PRIVATE_MEDIA_ROOT/importaciones/ (outside static/, with no URL), named by a random
token that is also kept in the uploader's session: another user, or another
session of the same user, cannot confirm it. Confirming re-runs the importer on
the stored bytes, so what is saved never depends on what the browser sends back.
Files older than VIGENCIA are deleted on the next upload or confirmation.
"""

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from plan_participacion.importer import importar

CARPETA = "importaciones"
CLAVE_SESION = "importacion_pendiente"
VIGENCIA_SEGUNDOS = 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class PendienteInvalida(Exception):
    """The token is not this session's, has expired, or its file is gone."""


def carpeta():
    return Path(settings.PRIVATE_MEDIA_ROOT) / CARPETA


def limpiar_vencidas(ahora=None):
    """Delete pending sheets older than VIGENCIA_SEGUNDOS (abandoned previews)."""
    ahora = ahora or time.time()
    if not carpeta().is_dir():
        return
    for archivo in carpeta().iterdir():
        try:
            if archivo.is_file() and ahora - archivo.stat().st_mtime > VIGENCIA_SEGUNDOS:
                archivo.unlink()
        except FileNotFoundError:  # deleted meanwhile by another request
            pass


def guardar_pendiente(session, datos, nombre):
    """Keep the sheet until it is confirmed; returns its token. One pending sheet per session."""
    limpiar_vencidas()
    descartar_pendiente(session)
    token = secrets.token_urlsafe(32)
    carpeta().mkdir(parents=True, exist_ok=True, mode=0o700)
    ruta = carpeta() / token
    with open(ruta, "xb") as archivo:
        archivo.write(datos)
    ruta.chmod(0o600)
    session[CLAVE_SESION] = {"token": token, "nombre": nombre, "creado": time.time()}
    return token


def leer_pendiente(session, token):
    """(bytes, file name) of this session's pending sheet; PendienteInvalida otherwise."""
    pendiente = session.get(CLAVE_SESION) or {}
    guardado = pendiente.get("token", "")
    if not (TOKEN.match(token or "") and guardado and secrets.compare_digest(guardado, token)):
        raise PendienteInvalida
    if time.time() - pendiente.get("creado", 0) > VIGENCIA_SEGUNDOS:
        descartar_pendiente(session)
        raise PendienteInvalida
    try:
        return (carpeta() / token).read_bytes(), pendiente["nombre"]
    except FileNotFoundError as error:
        session.pop(CLAVE_SESION, None)
        raise PendienteInvalida from error


def descartar_pendiente(session):
    pendiente = session.pop(CLAVE_SESION, None) or {}
    token = pendiente.get("token", "")
    if TOKEN.match(token):
        (carpeta() / token).unlink(missing_ok=True)


def previsualizar(datos, nombre, usuario):
    """The importer's dry run: for a plan that exists, the merge it would make (resumen.diferencias)."""
    return importar(datos, nombre, dry_run=True, usuario=usuario)


@dataclass
class NodoEstrategia:
    numero: int
    texto: str
    responsables: list
    programado: int
    metas: list


def arbol(plan_leido):
    """Lines → objectives → strategies (responsables, planned) → metas with their indicators."""
    nombres = {s.clave: s.nombre for s in plan_leido.secretarias}
    return [
        {
            "linea": linea,
            "objetivos": [
                {
                    "objetivo": objetivo,
                    "estrategias": [
                        NodoEstrategia(
                            numero=e.numero,
                            texto=e.texto,
                            responsables=[nombres.get(clave, clave) for clave in e.responsables],
                            programado=e.total_programado(),
                            metas=e.metas,
                        )
                        for e in objetivo.estrategias
                    ],
                }
                for objetivo in linea.objetivos
            ],
        }
        for linea in plan_leido.lineas
    ]
