"""Delegates' journey (Mis metas, evidence, files) and the review actions on one evidence.

Every view reaches evidence through Evidencia.objects.visible_para(user) or
editables_por(user): evidence of another secretariat does not exist for a
delegate (404). Every change goes through seguimiento.acciones (forms only
validate), which re-checks on the locked row what these views checked before.
"""

import logging
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from seguimiento import acciones, agenda_delegado, cierres, historial, preparados
from seguimiento.archivos import TIPOS_EN_LINEA, respuesta_x_accel
from seguimiento.contexto import marcar_borrador_guardado
from seguimiento.forms import DevolverForm, EvidenciaForm, FiltroEvidenciasForm
from seguimiento.mis_metas import metas_asignadas
from seguimiento.models import ArchivoEvidencia, CambioEstado, EdicionEvidencia, Evidencia
from seguimiento.version_datos import en_cache, plan_con_version
from seguimiento.vigencias import plan_elegido, planes_visibles

log = logging.getLogger(__name__)
Estado = Evidencia.Estado
POR_PAGINA = 20


def exigir_secretaria(usuario):
    if not usuario.secretarias.exists():
        raise PermissionDenied(_("Su usuario no pertenece a ninguna secretaría."))


def datos_subida(form):
    """For static/js/subida.js and borrador.js: which form this is, the pieces it uploads, and the limits
    it warns about before uploading."""
    return {
        "formulario": preparados.formulario_de(form.instance),
        "max_archivo": settings.ARCHIVO_MAX_BYTES,
        "max_evidencia": settings.EVIDENCIA_MAX_BYTES,
        "trozo": settings.SUBIDA_TROZO_BYTES,
        "textos_subida": TEXTOS_SUBIDA,
    }


TEXTOS_SUBIDA = {
    "quitar": gettext_lazy("Quitar"),
    "quitado": gettext_lazy("Se quitó «%(nombre)s»."),
    "no_se_quito": gettext_lazy("No se pudo quitar el archivo: revise su conexión e inténtelo de nuevo."),
    "progreso": gettext_lazy("Subida de «%(nombre)s»"),
    "subiendo": gettext_lazy("Subiendo… %(porcentaje)s %"),
    "revisando": gettext_lazy("Revisando el archivo en el servidor…"),
    "sin_conexion": gettext_lazy(
        "Sin conexión (lleva %(porcentaje)s %). La subida seguirá sola desde ahí cuando vuelva la conexión."
    ),
    "sin_conexion_nombre": gettext_lazy(
        "Se perdió la conexión mientras subía «%(nombre)s»: seguirá sola, sin empezar de nuevo, cuando vuelva."
    ),
    "reanudando": gettext_lazy("Conexión recuperada: sigue desde el %(porcentaje)s %…"),
    "listo": gettext_lazy("«%(nombre)s» quedó adjunto."),
    "error": gettext_lazy("No se pudo subir el archivo."),
    "sesion": gettext_lazy(
        "Su sesión terminó: entre de nuevo en otra pestaña y vuelva a elegir el archivo. Lo escrito se conserva."
    ),
    "grande": gettext_lazy("«%(nombre)s» supera el máximo de %(maximo)s por archivo: no se subió."),
    "esperando": gettext_lazy("Esperando a que terminen de subir los archivos; el reporte se guardará solo."),
    "no_enviado": gettext_lazy("Un archivo no se pudo subir: revise el mensaje y vuelva a guardar."),
}


def _formulario_enviado(request, *, plan=None, instancia=None):
    """The evidence form as POSTed, with the files already prepared for it; (form, ready to save).

    A "Quitar" button of a file already attached (without JavaScript) removes it and shows the
    form again. Uploads that passed the checks are kept for the next try when the form cannot be
    saved (seguimiento.preparados), so the delegate never picks them again.
    """
    formulario = preparados.formulario_de(instancia)
    lote = preparados.lote_de(request.POST)
    quitar = request.POST.get("quitar_preparado", "")
    if quitar:
        preparado = preparados.de_la_sesion(request, quitar)
        if preparado is not None and preparado.lote == lote and preparado.formulario == formulario:
            preparados.quitar(preparado)
            messages.info(request, _("Se quitó «%(nombre)s».") % {"nombre": preparado.nombre})
    opciones = {"instance": instancia} if instancia is not None else {"plan": plan}
    form = EvidenciaForm(
        request.POST,
        request.FILES,
        usuario=request.user,
        lote=lote,
        preparados=preparados.del_formulario(request, lote, formulario),
        **opciones,
    )
    listo = form.is_valid() and not quitar
    if not listo:
        _conservar_aceptados(request, form)
    return form, listo


def _conservar_aceptados(request, form):
    if form.archivos_aceptados:
        formulario = preparados.formulario_de(form.instance)
        form.preparados += preparados.preparar_revisados(request, form.lote, formulario, form.archivos_aceptados)
        form.archivos_aceptados = []


def _guardar(request, form, accion, **argumentos):
    """Run acciones.crear or editar with the form's new uploads and its prepared files; their result."""
    with preparados.adjuntar(form.preparados) as ya_adjuntos:
        kwargs = form.acciones_kwargs()
        kwargs["archivos"] = [*kwargs["archivos"], *ya_adjuntos]
        resultado = accion(usuario=request.user, **argumentos, **kwargs)
    marcar_borrador_guardado(request, preparados.formulario_de(form.instance))
    return resultado


@login_required
def mis_metas(request):
    """The delegate's home, ordered by what is due (seguimiento.agenda_delegado); ?q= searches it."""
    plan = plan_elegido(request)
    hoy = timezone.localdate()
    secretarias = list(request.user.secretarias.all())
    agenda = None
    consulta = request.GET.get("q", "")
    if plan and secretarias and consulta.strip():  # a search: computed for it (one entry per search would pile up)
        agenda = agenda_en_html(request.user, plan, hoy, consulta)
    elif plan and secretarias:  # the day is in the data version
        agenda = en_cache(
            "mis_metas",
            plan_con_version(plan, hoy),
            (request.user.pk, [s.pk for s in secretarias], plan.pk),
            lambda: agenda_en_html(request.user, plan, hoy, ""),
        )
    return render(
        request,
        "seguimiento/mis_metas/inicio.html",
        {
            "plan": plan,
            "planes": planes_visibles(request),
            "secretarias": secretarias,
            "agenda": agenda,
            "cierre": cierres.vigente(plan) if plan else None,
        },
    )


def agenda_en_html(usuario, plan, hoy, consulta):
    """Mis metas' sections for ``usuario`` (seguimiento.agenda_delegado), rendered: computed once per
    data version (seguimiento.version_datos.en_cache), with what the search form above them needs."""
    agenda, _lineas = agenda_delegado.agenda(usuario, plan, hoy, consulta)
    return SimpleNamespace(
        html=render_to_string("seguimiento/mis_metas/_agenda.html", {"agenda": agenda, "plan": plan}),
        total_metas=agenda.total_metas,
        encontradas=agenda.encontradas,
        busqueda=agenda.busqueda,
    )


@login_required
def evidencia_lista(request):
    """«Mis reportes»: the evidence the user sees, of the chosen plan (seguimiento.vigencias)."""
    plan = plan_elegido(request)
    evidencias = Evidencia.objects.visible_para(request.user)
    evidencias = evidencias.del_plan(plan) if plan else evidencias.none()
    filtro = FiltroEvidenciasForm(request.GET or None)
    filtro.fields["meta"].queryset = (
        filtro.fields["meta"].queryset.filter(pk__in=evidencias.values("meta")).select_related("estrategia")
    )
    if filtro.is_valid():
        if filtro.cleaned_data["estado"]:
            evidencias = evidencias.filter(estado=filtro.cleaned_data["estado"])
        if filtro.cleaned_data["meta"]:
            evidencias = evidencias.filter(meta=filtro.cleaned_data["meta"])
    evidencias = (
        evidencias.select_related("meta", "secretaria", "autor")
        .annotate(num_archivos=Count("archivos"))
        .order_by("-fecha_actividad", "-pk")
    )
    pagina = Paginator(evidencias, POR_PAGINA).get_page(request.GET.get("pagina"))
    consulta = request.GET.copy()
    consulta.pop("pagina", None)
    filtros = consulta.copy()
    filtros.pop("plan", None)
    return render(
        request,
        "seguimiento/evidencia_lista.html",
        {
            "pagina": pagina,
            "filtro": filtro,
            "consulta": consulta.urlencode(),
            "filtrado": bool(filtros),
            "plan": plan,
            "planes": planes_visibles(request),
        },
    )


@login_required
def evidencia_crear(request):
    exigir_secretaria(request.user)
    plan = plan_elegido(request)
    if request.method == "POST":
        form, listo = _formulario_enviado(request, plan=plan)
        if listo:
            try:
                evidencia = _guardar(request, form, acciones.crear)
            except (acciones.TransicionInvalida, preparados.PreparadoPerdido) as error:
                # e.g. the period was closed after the form was checked: nothing saved, the files stay attached
                form.add_error(None, str(error))
                _conservar_aceptados(request, form)
            else:
                messages.success(
                    request,
                    _("Borrador guardado. Revíselo y envíelo a revisión cuando esté completo."),
                )
                return redirect(evidencia)
    else:
        inicial = {}
        metas = metas_asignadas(request.user, plan) if plan else None
        meta_pedida = request.GET.get("meta", "")
        if metas is not None and meta_pedida.isdigit():
            meta = metas.filter(pk=int(meta_pedida)).first()
            if meta:
                inicial["meta"] = meta
                propias = list(request.user.secretarias.filter(estrategias=meta.estrategia_id))
                if len(propias) == 1:
                    inicial["secretaria"] = propias[0]
        form = EvidenciaForm(initial=inicial, usuario=request.user, plan=plan)
    return render(
        request,
        "seguimiento/evidencia_form.html",
        {
            "form": form,
            "plan": plan,
            "planes": planes_visibles(request),
            "sin_metas": not form.fields["meta"].queryset.exists(),
            **datos_subida(form),
        },
    )


def _evidencia_visible(request, pk):
    return get_object_or_404(Evidencia.objects.visible_para(request.user), pk=pk)


def _evidencia_editable(request, pk):
    """The evidence if this user may change it; otherwise a message on its page (or 404 if he cannot see it)."""
    evidencia = _evidencia_visible(request, pk)
    editable = (
        Evidencia.objects.editables_por(request.user)
        .select_related("meta__estrategia__objetivo__linea")
        .filter(pk=evidencia.pk)
        .first()
    )
    if editable is None:
        messages.error(
            request,
            _("Solo la secretaría de la evidencia puede modificarla, y solo mientras está en borrador o devuelta."),
        )
    elif (cierre := _cierre_de(editable)) is not None:
        messages.error(request, cierres.mensaje_bloqueo(cierre))
        editable = None
    return evidencia, editable


def _cierre_de(evidencia):
    """The closing in force that freezes this evidence, or None."""
    return cierres.que_cubre(evidencia.meta.estrategia.objetivo.linea.plan_id, evidencia.fecha_actividad)


@login_required
def evidencia_detalle(request, pk):
    evidencia = get_object_or_404(
        Evidencia.objects.visible_para(request.user)
        .select_related("meta__estrategia__objetivo__linea__plan", "secretaria", "autor", "revisor")
        .prefetch_related(
            "archivos",
            "participacion_grupos__grupo",
            Prefetch("historial", queryset=CambioEstado.objects.select_related("usuario")),
            Prefetch("ediciones", queryset=EdicionEvidencia.objects.select_related("usuario")),
        ),
        pk=pk,
    )
    cierre = _cierre_de(evidencia)
    puede_editar = cierre is None and Evidencia.objects.editables_por(request.user).filter(pk=evidencia.pk).exists()
    puede_revisar = (
        cierre is None and request.user.has_perm("seguimiento.revisar_evidencia") and evidencia.estado == Estado.ENVIADA
    )
    return render(
        request,
        "seguimiento/evidencia_detalle.html",
        {
            "evidencia": evidencia,
            "cierre": cierre,
            "sucesos": historial.linea_de_tiempo(evidencia),
            "desde_devolucion": historial.desde_la_devolucion(evidencia),
            "puede_editar": puede_editar,
            "puede_revisar": puede_revisar,
            "devuelta": evidencia.estado == Estado.DEVUELTA,
            "form_devolver": DevolverForm(),
            "tipos_en_linea": TIPOS_EN_LINEA,
        },
    )


@login_required
def evidencia_editar(request, pk):
    evidencia, editable = _evidencia_editable(request, pk)
    if editable is None:
        return redirect(evidencia)
    if request.method == "POST":
        form, listo = _formulario_enviado(request, instancia=editable)
        if listo:
            try:
                _evidencia, edicion = _guardar(request, form, acciones.editar, evidencia=editable)
            except acciones.TransicionInvalida as error:
                # Sent, reviewed, closed or changed by someone else since the form was opened: nothing is saved.
                messages.error(request, str(error))
            except preparados.PreparadoPerdido as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, form.mensaje_guardado(edicion))
                return redirect(evidencia)
            if not form.errors:
                return redirect(evidencia)
    else:
        form = EvidenciaForm(instance=editable, usuario=request.user)
    return render(
        request,
        "seguimiento/evidencia_form.html",
        {
            "form": form,
            "evidencia": editable,
            "plan": editable.meta.estrategia.objetivo.linea.plan,
            **datos_subida(form),
        },
    )


@login_required
def evidencia_eliminar(request, pk):
    evidencia, editable = _evidencia_editable(request, pk)
    if editable is None:
        return redirect(evidencia)
    if request.method == "POST":
        try:
            acciones.eliminar(editable, usuario=request.user)
        except acciones.TransicionInvalida as error:
            messages.error(request, str(error))
            return redirect(evidencia)
        messages.success(request, _("Evidencia eliminada, con sus archivos."))
        return redirect("evidencia_lista")
    return render(request, "seguimiento/evidencia_confirmar_eliminar.html", {"evidencia": editable})


@login_required
@require_POST
def evidencia_enviar(request, pk):
    evidencia, editable = _evidencia_editable(request, pk)
    if editable is None:
        return redirect(evidencia)
    try:
        acciones.enviar(editable, usuario=request.user)
    except acciones.TransicionInvalida as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidencia enviada a revisión. La coordinación la aprobará o la devolverá."))
    return redirect(evidencia)


def _sitio(request):
    """Scheme and host of this request, for the link in the author's mail."""
    return request.build_absolute_uri("/").rstrip("/")


@login_required
@permission_required("seguimiento.revisar_evidencia", raise_exception=True)
@require_http_methods(["GET", "POST"])
def evidencia_aprobar(request, pk):
    """Approving is a second step: this page says what it means; only its confirmation (confirmar=1) approves.

    No script and no dialog: it works without JavaScript and under the strict CSP.
    """
    evidencia = get_object_or_404(
        Evidencia.objects.visible_para(request.user)
        .select_related("meta__estrategia__objetivo__linea__plan", "secretaria", "autor")
        .prefetch_related(
            "archivos",
            Prefetch("historial", queryset=CambioEstado.objects.select_related("usuario")),
            "ediciones",
        ),
        pk=pk,
    )
    if request.method == "POST" and request.POST.get("confirmar") == "1":
        try:
            evidencia = acciones.aprobar(evidencia, revisor=request.user, sitio=_sitio(request))
        except acciones.TransicionInvalida as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Evidencia aprobada: ya cuenta en el avance de la meta."))
        return redirect(evidencia)
    cierre = _cierre_de(evidencia)
    if cierre is not None or evidencia.estado != Estado.ENVIADA:
        messages.error(
            request,
            cierres.mensaje_bloqueo(cierre)
            if cierre is not None
            else _("Solo se aprueba una evidencia enviada a revisión; esta está «%(estado)s».")
            % {"estado": evidencia.get_estado_display()},
        )
        return redirect(evidencia)
    aprobadas = Evidencia.objects.aprobadas().filter(meta=evidencia.meta_id)
    if evidencia.meta.por_secretaria:
        aprobadas = aprobadas.filter(secretaria=evidencia.secretaria_id)
    aprobado = aprobadas.aggregate(total=Sum("cantidad"))["total"] or 0
    return render(
        request,
        "seguimiento/evidencia_confirmar_aprobar.html",
        {
            "evidencia": evidencia,
            "aprobado": aprobado,
            "con_esta": aprobado + evidencia.cantidad,
            "desde_devolucion": historial.desde_la_devolucion(evidencia),
        },
    )


@login_required
@permission_required("seguimiento.revisar_evidencia", raise_exception=True)
@require_POST
def evidencia_devolver(request, pk):
    evidencia = _evidencia_visible(request, pk)
    form = DevolverForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("motivo", []):
            messages.error(request, error)
        return redirect(evidencia)
    try:
        evidencia = acciones.devolver(
            evidencia, revisor=request.user, motivo=form.cleaned_data["motivo"], sitio=_sitio(request)
        )
    except acciones.TransicionInvalida as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidencia devuelta a la secretaría con el motivo."))
    return redirect(evidencia)


def _respuesta_archivo(request, pk, *, en_linea):
    archivo = get_object_or_404(
        ArchivoEvidencia.objects.filter(evidencia__in=Evidencia.objects.visible_para(request.user)), pk=pk
    )
    como_adjunto = not (en_linea and archivo.tipo_contenido in TIPOS_EN_LINEA)
    if settings.ARCHIVOS_X_ACCEL_PREFIX:
        # Permission checked above; nginx streams the bytes.
        respuesta = respuesta_x_accel(archivo, como_adjunto=como_adjunto)
    else:
        try:
            contenido = archivo.archivo.open("rb")
        except FileNotFoundError as error:
            log.error("Falta en el almacén el archivo %s (%s)", archivo.pk, archivo.archivo.name)
            raise Http404(_("El archivo no está en el almacén.")) from error
        respuesta = FileResponse(
            contenido, as_attachment=como_adjunto, filename=archivo.nombre_original, content_type=archivo.tipo_contenido
        )
    respuesta["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering it, the file can run nothing.
    respuesta["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    respuesta["Cache-Control"] = "private, no-store"
    return respuesta


@login_required
def archivo_descargar(request, pk):
    return _respuesta_archivo(request, pk, en_linea=False)


@login_required
def archivo_ver(request, pk):
    """Inline for JPEG and PNG (previews); any other type is still sent as an attachment."""
    return _respuesta_archivo(request, pk, en_linea=True)
