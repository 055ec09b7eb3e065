"""Uploads in pieces for the evidence form (static/js/subida.js), resumable after a dropped connection.

A small protocol of our own (the one tus server package for Django is unmaintained):

* ``POST /evidencias/subidas/`` (lote, formulario, nombre, tamano) starts an upload → 201 with its
  ``url``, ``recibido`` (0) and the size of the pieces to send (``trozo``);
* ``PUT <url>`` with ``Content-Range: bytes inicio-fin/total`` appends one piece of at most
  SUBIDA_TROZO_BYTES. A piece that does not start where the server's copy ends gets 409 with the
  server's ``recibido``; after a dropped connection the browser asks ``GET <url>`` and goes on from
  there. The last piece runs the same checks as any upload: 200 with ``estado`` "listo" (and the
  stored SHA-256) or 422 with the reason;
* ``DELETE <url>`` removes it ("Quitar"); ``GET /evidencias/subidas/?lote=…&formulario=…`` lists
  the form's files (a restored draft shows them again).

Only the session, user and form that started an upload can see or continue it (404 otherwise).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from seguimiento import preparados
from seguimiento.models import ArchivoPreparado, Evidencia
from seguimiento.views.evidencias import exigir_secretaria

Estado = ArchivoPreparado.Estado


def _datos(preparado):
    datos = {
        "token": preparado.token,
        "url": reverse("subida_trozo", args=[preparado.token]),
        "nombre": preparado.nombre,
        "estado": preparado.estado,
        "tamano": preparado.tamano,
        "tamano_legible": filesizeformat(preparado.tamano),
        "recibido": preparado.recibido,
    }
    if preparado.estado == Estado.LISTO:
        datos["sha256"] = preparado.sha256
    if preparado.error:
        datos["error"] = preparado.error
    return datos


def _json(preparado, status=200):
    return JsonResponse(_datos(preparado), status=status)


def _error(error):
    return JsonResponse({"error": str(error), **error.datos}, status=error.status)


def _bytes_de_la_evidencia(request, formulario):
    """Bytes of the files the evidence already has; ErrorSubida unless the form is this delegate's to fill."""
    if formulario == preparados.NUEVA:
        return 0
    pk = formulario.removeprefix("evidencia-")
    if pk == formulario or not pk.isdigit():
        raise preparados.ErrorSubida(_("No se sabe a qué formulario pertenece el archivo: vuelva a abrirlo."))
    evidencia = Evidencia.objects.editables_por(request.user).filter(pk=int(pk)).first()
    if evidencia is None:
        raise preparados.ErrorSubida(_("Esa evidencia no se puede modificar: abra de nuevo su página."), status=404)
    return evidencia.archivos.aggregate(total=Sum("tamano"))["total"] or 0


@login_required
@require_http_methods(["GET", "POST"])
def subida_iniciar(request):
    exigir_secretaria(request.user)
    datos = request.POST if request.method == "POST" else request.GET
    formulario, lote = datos.get("formulario", ""), datos.get("lote", "")
    try:
        en_la_evidencia = _bytes_de_la_evidencia(request, formulario)
        if request.method == "GET":
            archivos = preparados.del_formulario(request, lote, formulario, estados=[Estado.LISTO])
            return JsonResponse({"archivos": [_datos(p) for p in archivos]})
        preparado = preparados.iniciar(
            request,
            lote=lote,
            formulario=formulario,
            nombre=datos.get("nombre", ""),
            tamano=datos.get("tamano"),
            ya_en_la_evidencia=en_la_evidencia,
        )
    except preparados.ErrorSubida as error:
        return _error(error)
    return _json(preparado, status=201)


@login_required
@require_http_methods(["GET", "PUT", "DELETE"])
def subida_trozo(request, token):
    exigir_secretaria(request.user)
    preparado = preparados.de_la_sesion(request, token)
    if preparado is None:
        return JsonResponse({"error": _("Esa subida ya no existe: vuelva a elegir el archivo.")}, status=404)
    if request.method == "DELETE":
        preparados.quitar(preparado)
        return JsonResponse({"quitado": preparado.token})
    if request.method == "GET":
        return _json(preparado)
    try:
        largo = int(request.headers.get("Content-Length") or -1)
    except ValueError:
        largo = -1
    if largo < 0:
        return JsonResponse({"error": _("Cada parte debe llegar con su tamaño (Content-Length).")}, status=411)
    try:
        if largo > settings.SUBIDA_TROZO_BYTES:
            raise preparados.ErrorSubida(
                _("Cada parte puede tener a lo sumo %(maximo)s.")
                % {"maximo": filesizeformat(settings.SUBIDA_TROZO_BYTES)},
                status=413,
            )
        preparado = preparados.recibir(preparado, request.headers.get("Content-Range"), request.read(largo))
    except preparados.ErrorSubida as error:
        return _error(error)
    return _json(preparado, status=422 if preparado.estado == Estado.RECHAZADO else 200)
