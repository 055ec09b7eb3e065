"""Importing the cronograma from the browser: the uploaded sheet waiting for confirmation, and the preview.

Between the preview and the confirmation the sheet is kept server-side, in the
private storage under importaciones/ (PRIVATE_MEDIA_ROOT or the S3 bucket: outside
static/, with no URL), named by a random
token that is also kept in the uploader's session: another user, or another
session of the same user, cannot confirm it. Confirming re-runs the importer on
the stored bytes, so what is saved never depends on what the browser sends back.
Files older than VIGENCIA are deleted on the next upload or confirmation.
"""

import re
import secrets
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from plan_participacion.almacen import almacen_privado
from plan_participacion.importer import importar

CARPETA = "importaciones"
CLAVE_SESION = "importacion_pendiente"
VIGENCIA_SEGUNDOS = 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class PendienteInvalida(Exception):
    """The token is not this session's, has expired, or its file is gone."""


def _ruta(token):
    return f"{CARPETA}/{token}"


def limpiar_vencidas(ahora=None):
    """Delete pending sheets older than VIGENCIA_SEGUNDOS (abandoned previews)."""
    ahora = ahora or timezone.now()
    try:
        _carpetas, archivos = almacen_privado.listdir(CARPETA)
    except FileNotFoundError:  # nothing was ever staged
        return
    for nombre in archivos:
        try:
            if (ahora - almacen_privado.get_modified_time(_ruta(nombre))).total_seconds() > VIGENCIA_SEGUNDOS:
                almacen_privado.delete(_ruta(nombre))
        except FileNotFoundError:  # deleted meanwhile by another request
            pass


def guardar_pendiente(session, datos, nombre):
    """Keep the sheet until it is confirmed; returns its token. One pending sheet per session."""
    limpiar_vencidas()
    descartar_pendiente(session)
    token = secrets.token_urlsafe(32)
    almacen_privado.save(_ruta(token), ContentFile(datos))
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
        with almacen_privado.open(_ruta(token), "rb") as archivo:
            return archivo.read(), pendiente["nombre"]
    except FileNotFoundError as error:
        session.pop(CLAVE_SESION, None)
        raise PendienteInvalida from error


def descartar_pendiente(session):
    pendiente = session.pop(CLAVE_SESION, None) or {}
    token = pendiente.get("token", "")
    if TOKEN.match(token):
        almacen_privado.delete(_ruta(token))


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
