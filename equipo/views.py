"""/equipo/: the coordinator invites delegates, changes their secretariats, deactivates and unlocks them.

Every page works on the coordinator's own entidad (plan_participacion.entidad_de) and on its
delegates only (models.delegados_de): anyone else's person is a 404. The invited person sets a
password from the mail's link (equipo_activar, no session needed).
"""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.paginator import Paginator
from django.db.models import Max, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from equipo import acciones
from equipo.forms import ComentarioForm, InvitarForm, SecretariasForm
from equipo.invitaciones import invitaciones
from equipo.models import CambioEquipo, delegados_de
from plan_participacion.models import Secretaria, entidad_de

POR_PAGINA = 50
gestiona_equipo = permission_required("equipo.gestionar_equipo", raise_exception=True)


def _sin_entidad(request):
    return render(request, "equipo/sin_entidad.html", status=200)


def _bloqueados(usuarios):
    """Usernames django-axes keeps locked right now (AXES_FAILURE_LIMIT failures within the cool-off)."""
    desde = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usuarios, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=desde
        ).values_list("username", flat=True)
    )


@login_required
@gestiona_equipo
def equipo(request):
    entidad = entidad_de(request.user)
    if entidad is None:
        return _sin_entidad(request)
    personas = (
        delegados_de(entidad)
        .annotate(ultimo_reporte=Max("evidencias__creada"))
        .prefetch_related(Prefetch("secretarias", queryset=Secretaria.objects.order_by("nombre")))
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    pagina = Paginator(personas, POR_PAGINA).get_page(request.GET.get("page"))
    bloqueados = _bloqueados([p.username for p in pagina])
    for persona in pagina:
        persona.bloqueada = persona.username in bloqueados
        persona.pendiente = not persona.has_usable_password()
    return render(
        request,
        "equipo/lista.html",
        {
            "entidad": entidad,
            "pagina": pagina,
            "cambios": CambioEquipo.objects.filter(entidad=entidad).select_related("persona", "autor")[:10],
        },
    )


@login_required
@gestiona_equipo
def invitar(request):
    entidad = entidad_de(request.user)
    if entidad is None:
        return _sin_entidad(request)
    form = InvitarForm(request.POST or None, entidad=entidad)
    if request.method == "POST" and form.is_valid():
        datos = form.cleaned_data
        try:
            persona = acciones.invitar(
                entidad=entidad,
                autor=request.user,
                nombres=datos["nombres"],
                apellidos=datos["apellidos"],
                correo=datos["correo"],
                secretarias=list(datos["secretarias"]),
                absoluta=request.build_absolute_uri,
            )
        except acciones.ErrorEquipo as error:
            form.add_error(None, error.mensaje)
        else:
            messages.success(
                request,
                _("Se envió la invitación a %(correo)s. Su usuario es su correo; la invitación vence en %(dias)s días.")
                % {"correo": persona.email, "dias": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)},
            )
            return redirect("equipo")
    sin_secretarias = not form.fields["secretarias"].queryset.exists()
    return render(
        request,
        "equipo/invitar.html",
        {"form": form, "entidad": entidad, "sin_secretarias": sin_secretarias},
        status=400 if form.errors else 200,
    )


@login_required
@gestiona_equipo
def persona(request, pk):
    """One delegate: their secretariats (editable), state, and the history of changes to them."""
    entidad = entidad_de(request.user)
    if entidad is None:
        return _sin_entidad(request)
    persona = get_object_or_404(delegados_de(entidad), pk=pk)
    form = SecretariasForm(
        request.POST or None, entidad=entidad, initial={"secretarias": list(persona.secretarias.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            acciones.cambiar_secretarias(
                persona, entidad=entidad, autor=request.user, secretarias=list(form.cleaned_data["secretarias"])
            )
        except acciones.ErrorEquipo as error:
            form.add_error(None, error.mensaje)
        else:
            messages.success(
                request, _("Se actualizaron las secretarías de %(persona)s.") % {"persona": _nombre(persona)}
            )
            return redirect("equipo_persona", pk=persona.pk)
    return render(
        request,
        "equipo/persona.html",
        {
            "entidad": entidad,
            "persona": persona,
            "form": form,
            "comentario": ComentarioForm(),
            "bloqueada": persona.username in _bloqueados([persona.username]),
            "pendiente": not persona.has_usable_password(),
            "ultimo_reporte": persona.evidencias.aggregate(ultimo=Max("creada"))["ultimo"],
            "cambios": persona.cambios_de_equipo.select_related("autor"),
        },
        status=400 if form.errors else 200,
    )


def _nombre(persona):
    return persona.get_full_name() or persona.username


def _comentario(request):
    form = ComentarioForm(request.POST)
    return form.cleaned_data["comentario"] if form.is_valid() else ""


def accion_sobre_persona(hacer, exito):
    """A POST-only view: one action on a delegate of the coordinator's entidad, then back to their page.

    hacer(request, persona, entidad) runs the action; exito is the message, with %(persona)s.
    """

    @login_required
    @gestiona_equipo
    @require_POST
    def vista(request, pk):
        entidad = entidad_de(request.user)
        if entidad is None:
            return _sin_entidad(request)
        persona = get_object_or_404(delegados_de(entidad), pk=pk)
        try:
            hacer(request, persona, entidad)
        except acciones.ErrorEquipo as error:
            messages.error(request, error.mensaje)
        else:
            messages.success(request, exito % {"persona": _nombre(persona)})
        return redirect("equipo_persona", pk=persona.pk)

    return vista


desactivar = accion_sobre_persona(
    lambda request, persona, entidad: acciones.desactivar(
        persona, entidad=entidad, autor=request.user, comentario=_comentario(request)
    ),
    gettext_lazy("Se desactivó la cuenta de %(persona)s: ya no puede entrar. Sus reportes se conservan."),
)
reactivar = accion_sobre_persona(
    lambda request, persona, entidad: acciones.reactivar(
        persona, entidad=entidad, autor=request.user, comentario=_comentario(request)
    ),
    gettext_lazy("Se reactivó la cuenta de %(persona)s."),
)
desbloquear = accion_sobre_persona(
    lambda request, persona, entidad: acciones.desbloquear(persona, entidad=entidad, autor=request.user),
    gettext_lazy("Se desbloqueó el inicio de sesión de %(persona)s: puede intentarlo de nuevo."),
)
reenviar = accion_sobre_persona(
    lambda request, persona, entidad: acciones.reenviar_invitacion(
        persona, entidad=entidad, autor=request.user, absoluta=request.build_absolute_uri
    ),
    gettext_lazy("Se envió de nuevo la invitación a %(persona)s."),
)


class ActivarCuenta(PasswordResetConfirmView):
    """The invitation link: the person chooses a password, then signs in. Works once, for an active account."""

    template_name = "equipo/activar.html"
    token_generator = invitaciones
    reset_url_token = "elegir-clave"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        usuario = super().get_user(uidb64)
        return usuario if usuario is not None and usuario.is_active else None

    def form_valid(self, form):
        persona = acciones.activar_cuenta(form.user, form.cleaned_data["new_password1"])
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            _("Su contraseña quedó guardada. Entre con su usuario %(usuario)s y la contraseña que eligió.")
            % {"usuario": persona.username},
        )
        return HttpResponseRedirect(self.get_success_url())


activar = ActivarCuenta.as_view()
