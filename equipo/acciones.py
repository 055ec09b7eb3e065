"""Changes to the team, each an explicit action, as seguimiento.acciones does for evidence.

Each one runs in a transaction, locks the person's row, re-checks inside it, saves only the
fields it owns, writes its CambioEquipo row, and sends its mail with transaction.on_commit
(seguimiento.tasks.enviar_correo): a rolled-back change sends nothing.
"""

from axes.utils import reset as reiniciar_intentos
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from equipo.invitaciones import ruta_de_activacion
from equipo.models import CambioEquipo, delegados_de
from plan_participacion.models import Membresia, entidad_de
from seguimiento.tasks import enviar_correo

Accion = CambioEquipo.Accion


class ErrorEquipo(Exception):
    """The change cannot be made; the message says why, for the coordinator."""

    def __init__(self, mensaje):
        super().__init__(mensaje)
        self.mensaje = mensaje


def _nombres(secretarias):
    return sorted(s.nombre for s in secretarias)


def _registrar(entidad, persona, autor, accion, antes=(), despues=(), comentario=""):
    return CambioEquipo.objects.create(
        entidad=entidad,
        persona=persona,
        autor=autor,
        accion=accion,
        secretarias_antes=list(antes),
        secretarias_despues=list(despues),
        comentario=comentario,
    )


def _bloquear(persona, entidad):
    """The person's row, locked, if they are a delegate of this entidad (ErrorEquipo otherwise)."""
    bloqueada = get_user_model().objects.select_for_update().filter(pk=persona.pk).first()
    if bloqueada is None or not delegados_de(entidad).filter(pk=persona.pk).exists():
        raise ErrorEquipo("Esa persona no es parte del equipo de su entidad.")
    return bloqueada


def correo_en_uso(correo):
    return get_user_model().objects.filter(Q(email__iexact=correo) | Q(username__iexact=correo)).exists()


def _validar_secretarias(entidad, secretarias):
    if not secretarias:
        raise ErrorEquipo("Elija al menos una secretaría.")
    if any(s.entidad_id != entidad.pk for s in secretarias):
        raise ErrorEquipo("Solo puede asignar secretarías de su entidad.")


def _enviar_invitacion(persona, entidad, autor, absoluta):
    """Mail with the link to choose a password, sent once the transaction commits."""
    contexto = {
        "persona": persona,
        "entidad": entidad,
        "autor": autor,
        "enlace": absoluta(ruta_de_activacion(persona)),
        "dias": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
    }
    asunto = " ".join(render_to_string("equipo/correo_invitacion_asunto.txt", contexto).split())
    cuerpo = render_to_string("equipo/correo_invitacion.txt", contexto)
    destinatario = persona.email
    transaction.on_commit(lambda: enviar_correo.enqueue(asunto, cuerpo, [destinatario]))


@transaction.atomic
def invitar(*, entidad, autor, nombres, apellidos, correo, secretarias, absoluta):
    """Create the delegate (no password yet, usuario = correo) in the entidad and mail them the link.

    absoluta turns a path into the full address the mail needs (request.build_absolute_uri).
    """
    User = get_user_model()
    correo = correo.strip().lower()
    _validar_secretarias(entidad, secretarias)
    existente = f"Ya existe una cuenta con el correo {correo}. Si es de su entidad, búsquela en la lista del equipo."
    if correo_en_uso(correo):
        raise ErrorEquipo(existente)
    try:
        with transaction.atomic():
            persona = User.objects.create_user(  # no password: set_unusable_password until they choose one
                username=correo, email=correo, first_name=nombres.strip(), last_name=apellidos.strip()
            )
    except IntegrityError as error:  # invited at the same moment by someone else
        raise ErrorEquipo(existente) from error
    persona.groups.add(Group.objects.get(name="Delegado"))
    Membresia.objects.create(usuario=persona, entidad=entidad)
    persona.secretarias.set(secretarias)
    _registrar(entidad, persona, autor, Accion.INVITACION, despues=_nombres(secretarias))
    _enviar_invitacion(persona, entidad, autor, absoluta)
    return persona


@transaction.atomic
def reenviar_invitacion(persona, *, entidad, autor, absoluta):
    """A new link for someone who has not chosen a password yet (the first one expired or got lost)."""
    persona = _bloquear(persona, entidad)
    if persona.has_usable_password():
        raise ErrorEquipo(
            f"{persona.get_full_name() or persona} ya activó su cuenta. Si olvidó la contraseña, puede "
            "restablecerla desde «¿Olvidó su contraseña?» en la página de inicio de sesión."
        )
    if not persona.is_active:
        raise ErrorEquipo("La cuenta está desactivada: reactívela antes de reenviar la invitación.")
    _registrar(entidad, persona, autor, Accion.REENVIO)
    _enviar_invitacion(persona, entidad, autor, absoluta)


@transaction.atomic
def cambiar_secretarias(persona, *, entidad, autor, secretarias):
    persona = _bloquear(persona, entidad)
    _validar_secretarias(entidad, secretarias)
    actuales = list(persona.secretarias.all())
    if {s.pk for s in actuales} == {s.pk for s in secretarias}:
        raise ErrorEquipo("No cambió ninguna secretaría.")
    persona.secretarias.set(secretarias)
    _registrar(entidad, persona, autor, Accion.SECRETARIAS, _nombres(actuales), _nombres(secretarias))


@transaction.atomic
def desactivar(persona, *, entidad, autor, comentario=""):
    """The person can no longer sign in (their open sessions end at their next request); nothing is deleted."""
    persona = _bloquear(persona, entidad)
    if not persona.is_active:
        raise ErrorEquipo("La cuenta ya estaba desactivada.")
    if persona.pk == autor.pk:
        raise ErrorEquipo("No puede desactivar su propia cuenta.")
    persona.is_active = False
    persona.save(update_fields=["is_active"])
    _registrar(entidad, persona, autor, Accion.DESACTIVACION, comentario=comentario)


@transaction.atomic
def reactivar(persona, *, entidad, autor, comentario=""):
    persona = _bloquear(persona, entidad)
    if persona.is_active:
        raise ErrorEquipo("La cuenta ya estaba activa.")
    persona.is_active = True
    persona.save(update_fields=["is_active"])
    _registrar(entidad, persona, autor, Accion.REACTIVACION, comentario=comentario)


@transaction.atomic
def desbloquear(persona, *, entidad, autor):
    """Forget the failed logins django-axes counted for the person's username: they may try again at once."""
    persona = _bloquear(persona, entidad)
    if not reiniciar_intentos(username=persona.username):
        raise ErrorEquipo("Esa cuenta no tiene intentos fallidos registrados: no estaba bloqueada.")
    _registrar(entidad, persona, autor, Accion.DESBLOQUEO)


@transaction.atomic
def activar_cuenta(persona, clave):
    """The invited person chose their password (the invitation form validated it)."""
    persona = get_user_model().objects.select_for_update().get(pk=persona.pk)
    persona.set_password(clave)
    persona.save(update_fields=["password"])
    entidad = entidad_de(persona)
    if entidad is not None:
        _registrar(entidad, persona, persona, Accion.ACTIVACION)
    return persona
