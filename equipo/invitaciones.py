"""The link an invited person opens to choose a password: Django's token machinery, with its own salt.

A token is valid for PASSWORD_RESET_TIMEOUT (3 days by default) and only until the person sets a
password (the token hashes the password), so a link works once. It is not interchangeable
with a password-reset token, and the other way round.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class GeneradorInvitacion(PasswordResetTokenGenerator):
    key_salt = "equipo.invitaciones.GeneradorInvitacion"


invitaciones = GeneradorInvitacion()


def ruta_de_activacion(usuario):
    """The path (no host) of the person's invitation link."""
    return reverse(
        "equipo_activar",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(usuario.pk)), "token": invitaciones.make_token(usuario)},
    )
