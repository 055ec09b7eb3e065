"""Signed documents: the archive of every closing (/reportes/firmados/), their downloads, the report
URLs answered from the archive on a closing date, and the public check by hash (/reportes/verificar/).

The archive is written once by seguimiento.firmados when a period is closed; here it is only read.
A download sends the stored bytes after checking them against their SHA-256: never a new rendering.
"""

import datetime
import hashlib
import logging
import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from plan_participacion.limites import turno_libre
from seguimiento.cuentas import ip_cliente
from seguimiento.firmados import ArchivoAlterado, buscar, del_corte, leer
from seguimiento.models import Cierre, DocumentoFirmado
from seguimiento.vigencias import plan_elegido, planes_visibles

logger = logging.getLogger(__name__)

PERMISO = "seguimiento.descargar_reportes"
POR_PAGINA = 20
HUELLA = re.compile(r"^[0-9a-f]{64}$")


# ---- the archive ----


def _respuesta(request, firmado):
    try:
        contenido = leer(firmado)
    except (ArchivoAlterado, FileNotFoundError) as error:
        # Never serve (nor re-render) something else under the signature: say so, loudly.
        logger.error("Documento firmado %s inservible: %s", firmado.pk, error)
        return render(request, "reportes/firmado_alterado.html", {"firmado": firmado}, status=500)
    respuesta = HttpResponse(contenido, content_type=firmado.tipo_contenido)
    respuesta["Content-Disposition"] = content_disposition_header(True, firmado.nombre)
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["ETag"] = f'"{firmado.sha256}"'
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


@never_cache
@login_required
@permission_required(PERMISO, raise_exception=True)
def lista(request):
    cierres = (
        Cierre.objects.visible_para(request.user)
        .select_related("plan", "cerrado_por", "reabierto_por")
        .prefetch_related("documentos")
    )
    plan = None
    if request.GET.get("plan", "").strip():  # without it, every visible plan's closings
        plan = plan_elegido(request)  # 404 for a plan the user may not see
        cierres = cierres.filter(plan=plan)
    pagina = Paginator(cierres.order_by("-cerrado_en", "-pk"), POR_PAGINA).get_page(request.GET.get("page"))
    contexto = {"pagina": pagina, "plan": plan, "planes": planes_visibles(request)}
    return render(request, "reportes/firmados.html", contexto)


@login_required
@permission_required(PERMISO, raise_exception=True)
def descargar(request, pk):
    return _respuesta(request, get_object_or_404(DocumentoFirmado.objects.visible_para(request.user), pk=pk))


@never_cache
@login_required
@permission_required(PERMISO, raise_exception=True)
def resumen(request, pk):
    """The figures' summary archived with a closing, as JSON."""
    cierre = get_object_or_404(Cierre.objects.visible_para(request.user), pk=pk)
    return JsonResponse(cierre.resumen, json_dumps_params={"ensure_ascii": False, "indent": 2})


def _fecha(texto):
    try:
        return datetime.date.fromisoformat(texto) if texto else None
    except ValueError:
        return None  # the view explains it


def servido_del_archivo(tipo):
    """Decorator of a /reportes/ download: on the date of a closing in force, the archived document.

    Only when the request names the ``corte`` (a bookmark, the reports page): the plan and corte
    are read as /reportes/ reads them. While the archive is still being generated the page says so
    (202, reloading itself); any other corte goes on to the view, which renders it from the data,
    frozen by the closing when the corte is inside a closed period.
    """

    def decorador(vista):
        @wraps(vista)
        def envoltura(request, *args, **kwargs):
            corte = _fecha(request.GET.get("corte"))
            if corte is not None and request.user.is_authenticated:
                # The plan as /reportes/ reads it: 404 for another entidad's, its default plan when none is named.
                plan = plan_elegido(request)
                cierre, firmado = del_corte(plan.pk, corte, tipo) if plan else (None, None)
                if firmado is not None:
                    return _respuesta(request, firmado)
                if cierre is not None:
                    return render(request, "reportes/firmado_generando.html", {"cierre": cierre}, status=202)
            return vista(request, *args, **kwargs)

        return envoltura

    return decorador


# ---- verification by anyone ----


class HuellaDeArchivo(UploadedFile):
    """An upload reduced to its name, size, first bytes and SHA-256: its content is never kept."""

    def __init__(self, nombre, tamano, sha256, cabecera):
        super().__init__(file=None, name=nombre, size=tamano)
        self.sha256 = sha256
        self.cabecera = cabecera


class HuellaAlSubir(FileUploadHandler):
    """Hashes each uploaded file as its chunks arrive and drops them: nothing uploaded is stored,
    not even in a temporary file. A file larger than VERIFICAR_MAX_BYTES stops the upload."""

    demasiado_grande = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.resumen = hashlib.sha256()
        self.leidos = 0
        self.cabecera = b""

    def receive_data_chunk(self, raw_data, start):
        self.leidos += len(raw_data)
        if self.leidos > settings.VERIFICAR_MAX_BYTES:
            self.demasiado_grande = True
            raise StopUpload(connection_reset=False)  # read the rest, so the browser gets the explanation
        self.resumen.update(raw_data)
        if len(self.cabecera) < 8:
            self.cabecera += raw_data[: 8 - len(self.cabecera)]
        return None

    def file_complete(self, file_size):
        return HuellaDeArchivo(self.file_name, file_size, self.resumen.hexdigest(), self.cabecera)


def _limite():
    return settings.VERIFICAR_LIMITE, settings.VERIFICAR_VENTANA_SEGUNDOS


def _leer_huella(texto):
    """A pasted SHA-256 (spaces, colons and case do not matter), or None if it is not one."""
    limpio = re.sub(r"[\s:]+", "", (texto or "")).lower()
    limpio = limpio.removeprefix("sha256").removeprefix("sha-256")
    return limpio if HUELLA.match(limpio) else None


@never_cache
@csrf_exempt  # the upload handlers must be set before the CSRF check reads the body; checked below
def verificar(request):
    consulta = request.method == "POST" or bool(request.GET.get("sha256"))
    if consulta:
        limite, ventana = _limite()
        if not turno_libre("verificar", ip_cliente(request) or "desconocido", limite, ventana):
            respuesta = render(
                request, "reportes/verificar.html", {"limitado": True, "minutos": ventana // 60}, status=429
            )
            respuesta["Retry-After"] = str(ventana)
            return respuesta
    if request.method == "POST":
        largo = request.META.get("CONTENT_LENGTH") or "0"
        if largo.isdigit() and int(largo) > settings.VERIFICAR_MAX_BYTES + 64 * 1024:
            return _pagina(request, error=_demasiado_grande(), status=413)
        request.upload_handlers = [HuellaAlSubir(request)]
    return _verificar(request)


def _demasiado_grande():
    return _("El archivo supera %(maximo)s, más que cualquier documento archivado.") % {
        "maximo": filesizeformat(settings.VERIFICAR_MAX_BYTES)
    }


def _pagina(request, status=200, **contexto):
    return render(request, "reportes/verificar.html", contexto, status=status)


@csrf_protect
def _verificar(request):
    if request.method == "POST":
        subido = request.FILES.get("archivo")
        if subido is None and any(getattr(h, "demasiado_grande", False) for h in request.upload_handlers):
            return _pagina(request, error=_demasiado_grande(), status=413)
        texto = request.POST.get("sha256", "")
    else:
        subido, texto = None, request.GET.get("sha256", "")
    if subido is None and not texto.strip():
        if request.method == "POST":
            return _pagina(request, error=_("Elija un archivo o pegue una huella SHA-256."), status=400)
        return _pagina(request)
    if subido is not None:
        huella, nombre = subido.sha256, subido.name
        tipo = "pdf" if subido.cabecera.startswith(b"%PDF-") else "xlsx" if subido.cabecera.startswith(b"PK") else ""
    else:
        huella, nombre, tipo = _leer_huella(texto), "", ""
        if huella is None:
            return _pagina(
                request,
                texto=texto[:200],
                error=_("Eso no es una huella SHA-256: son 64 caracteres del 0 al 9 y de la «a» a la «f»."),
                status=400,
            )
    return _pagina(
        request, consultado=True, huella=huella, nombre=nombre, tipo=tipo, firmado=buscar(huella), texto=texto[:200]
    )
