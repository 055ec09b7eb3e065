"""The Menú Participa: published plans, their progress and open data, for anyone, without an account.

Every page is public (``@pagina_publica``: the same bytes for everyone, no session, no CSRF token, no
``Vary: Cookie``, ``Cache-Control: public``), and those of a plan answer conditional requests: the
plan's data version (seguimiento.version_datos, one query) gives the ETag and Last-Modified, and an
unchanged plan costs a 304 without computing anything. A page or file is computed once per data
version and kept in Django's cache (shared by every process), so a flood of visitors without a
cached copy costs two queries each, not a progress computation. An unpublished plan, or one that does not
exist, is a 404 for everyone, logged in or not.
"""

import csv
import io
import json
import logging
import threading
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from participa.datos import COLUMNAS, CONJUNTOS, licencia, plan_publico
from plan_participacion.cache_http import pagina_publica
from plan_participacion.models import Plan
from reportes.grafico import grafico_meses
from seguimiento.firmados import ArchivoAlterado, leer
from seguimiento.models import DocumentoFirmado
from seguimiento.version_datos import plan_publicado_con_version

logger = logging.getLogger(__name__)

FORMATOS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
CACHE_SEGUNDOS = 2 * 24 * 3600  # a version includes the day: older copies are never read again


def _max_age():
    return settings.PARTICIPA_MAX_AGE


def con_version(vista):
    """Answer If-None-Match / If-Modified-Since from the plan's data version; 404 if not published."""

    @wraps(vista)
    def envoltura(request, pk, *args, **kwargs):
        version = plan_publicado_con_version(pk)
        if version is None:
            raise Http404(_("No hay un plan publicado con ese número."))
        etag = f'"{version.etag}"'
        ultima = version.modificado.timestamp()
        respuesta = get_conditional_response(request, etag=etag, last_modified=int(ultima))
        if respuesta is None:
            respuesta = _de_la_cache(request, version, lambda: vista(request, version.plan, *args, **kwargs))
        if respuesta.status_code in (200, 304):
            respuesta["ETag"] = etag
            respuesta["Last-Modified"] = http_date(ultima)
        return respuesta

    return envoltura


# Headers kept with a rendered public response in the cache (Cache-Control, ETag … are set on the way out).
CABECERAS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin", "X-Content-Type-Options")


def _de_la_cache(request, version, calcular):
    """The response rendered once per data version and address, shared by every process (Django's cache).

    A version changes with any change of what the page shows, so a cached copy is never stale; the
    query string is ignored by these views, so it is not part of the key (no cache busting).
    """
    clave = f"participa:{version.etag}:{request.path}"
    guardada = cache.get(clave)
    if guardada is not None:
        contenido, cabeceras = guardada
        respuesta = HttpResponse(contenido)
        for nombre, valor in cabeceras.items():
            respuesta[nombre] = valor
        return respuesta
    respuesta = calcular()
    if respuesta.status_code == 200 and not respuesta.streaming:
        cabeceras = {nombre: respuesta[nombre] for nombre in CABECERAS if respuesta.has_header(nombre)}
        cache.set(clave, (respuesta.content, cabeceras), CACHE_SEGUNDOS)
    return respuesta


_turnos = {}
_bloqueo = threading.Lock()


def _turnos_del_proceso():
    """PARTICIPA_HILOS turns per process for anonymous pages: the other threads stay for the delegates."""
    with _bloqueo:
        if _turnos.get("n") != settings.PARTICIPA_HILOS:
            _turnos["n"] = settings.PARTICIPA_HILOS
            _turnos["semaforo"] = threading.BoundedSemaphore(settings.PARTICIPA_HILOS)
        return _turnos["semaforo"]


def _ocupado(request):
    respuesta = render(request, "participa/ocupado.html", status=503)
    respuesta["Retry-After"] = "10"
    respuesta["Cache-Control"] = "no-store"
    return respuesta


def publica(vista):
    """Public and cacheable for PARTICIPA_MAX_AGE seconds, and never more than PARTICIPA_HILOS threads of a
    process at a time: a crowd of visitors waits (PARTICIPA_ESPERA seconds at most, then a 503 with
    Retry-After) instead of taking the workers the delegates and coordinators need."""

    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        turnos = _turnos_del_proceso()
        if not turnos.acquire(timeout=settings.PARTICIPA_ESPERA):
            logger.warning("Menú Participa ocupado: %s", request.path)
            return _ocupado(request)
        try:
            return pagina_publica(max_age=_max_age())(vista)(request, *args, **kwargs)
        finally:
            turnos.release()

    envoltura.pagina_publica = True
    return envoltura


def publica_inmutable(vista):
    """Like @publica, for archived files that never change: kept a day by browsers and proxies."""

    @wraps(vista)
    def envoltura(request, *args, **kwargs):
        turnos = _turnos_del_proceso()
        if not turnos.acquire(timeout=settings.PARTICIPA_ESPERA):
            return _ocupado(request)
        try:
            return pagina_publica(max_age=86400)(vista)(request, *args, **kwargs)
        finally:
            turnos.release()

    envoltura.pagina_publica = True
    return envoltura


@publica
def inicio(request):
    """/participa/: the published plans of each entidad."""
    planes = Plan.objects.publicados().select_related("entidad").order_by("entidad__nombre", "-mes_inicio", "-pk")
    entidades = {}
    for plan in planes:
        nombre = plan.entidad.nombre if plan.entidad else plan.municipio
        entidades.setdefault(nombre, []).append(plan)
    return render(request, "participa/inicio.html", {"entidades": sorted(entidades.items())})


@publica
@con_version
def plan_detalle(request, plan):
    datos = plan_publico(plan)
    participantes = datos.participantes
    total = participantes.total()
    return render(
        request,
        "participa/plan.html",
        {
            "plan": plan,
            "datos": datos,
            "avance": datos.avance,
            "grafico": grafico_meses(datos.avance.ejecucion.meses),
            "participantes_total": total,
            "por_grupo": participantes.por_grupo(total),
            "por_mes": participantes.por_mes(),
            "grupos": participantes.grupos,
            "conjuntos": _conjuntos(plan),
            "licencia": licencia(),
        },
    )


def _conjuntos(plan):
    return [(clave, titulo, [(f, f"{clave}.{f}") for f in FORMATOS]) for clave, titulo in CONJUNTOS.items()]


@publica
@con_version
def diccionario(request, plan):
    conjuntos = [(clave, CONJUNTOS[clave], columnas) for clave, columnas in COLUMNAS.items()]
    return render(
        request,
        "participa/diccionario.html",
        {"plan": plan, "conjuntos": conjuntos, "licencia": licencia(), "formatos": list(FORMATOS)},
    )


def _texto(valor):
    if valor is None:
        return ""
    if hasattr(valor, "isoformat"):
        return valor.isoformat()
    return str(valor)


def _json(valor):
    if isinstance(valor, Decimal):
        return float(valor)
    if hasattr(valor, "isoformat"):
        return valor.isoformat()
    return valor


@publica
@con_version
def datos_abiertos(request, plan, conjunto, formato):
    if conjunto not in COLUMNAS or formato not in FORMATOS:
        raise Http404(_("No existe ese conjunto de datos."))
    datos = plan_publico(plan)
    filas = datos.filas(conjunto)
    columnas = [c.nombre for c in COLUMNAS[conjunto]]
    if formato == "csv":
        salida = io.StringIO()
        escritor = csv.writer(salida, lineterminator="\r\n")
        escritor.writerow(columnas)
        for fila in filas:
            escritor.writerow([_texto(fila[c]) for c in columnas])
        contenido = salida.getvalue()
    else:
        contenido = json.dumps(
            {
                "plan_id": plan.pk,
                "plan": plan.titulo,
                "entidad": plan.entidad.nombre if plan.entidad else plan.municipio,
                "corte": datos.corte.isoformat(),
                "licencia": licencia(),
                "columnas": columnas,
                "filas": [{c: _json(fila[c]) for c in columnas} for fila in filas],
            },
            ensure_ascii=False,
            indent=1,
        )
    respuesta = HttpResponse(contenido.encode("utf-8"), content_type=FORMATOS[formato])
    nombre = f"{conjunto}-{slugify(plan.municipio)}-{plan.pk}.{formato}"
    respuesta["Content-Disposition"] = content_disposition_header(False, nombre)
    respuesta["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


@publica_inmutable
def informe(request, pk, documento):
    """The public edition of a closed period's progress report: the archived bytes, checked by SHA-256."""
    firmado = get_object_or_404(
        DocumentoFirmado.objects.select_related("cierre__plan"),
        pk=documento,
        cierre__plan_id=pk,
        cierre__plan__publicado=True,
        tipo=DocumentoFirmado.Tipo.AVANCE_PUBLICO,
    )
    etag = f'"{firmado.sha256}"'
    no_cambio = get_conditional_response(request, etag=etag)
    if no_cambio is not None:
        return no_cambio
    try:
        contenido = leer(firmado)
    except (ArchivoAlterado, FileNotFoundError) as error:
        logger.error("Informe público %s inservible: %s", firmado.pk, error)
        raise Http404(_("Este informe no está disponible.")) from error
    respuesta = HttpResponse(contenido, content_type=firmado.tipo_contenido)
    respuesta["Content-Disposition"] = content_disposition_header(False, firmado.nombre)
    respuesta["ETag"] = etag
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta
