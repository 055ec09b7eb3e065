"""The password-reset form, whose mail leaves the request as a task."""

from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from seguimiento.tasks import encolar_correo


class RestablecerContrasenaForm(PasswordResetForm):
    """Django's form (same page whether or not the address belongs to someone); the mail is queued.

    Sending inside the request would make the answer slower for an address that exists (a
    difference an attacker can time) and would tie the page to the mail server.
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        asunto = "".join(render_to_string(subject_template_name, context).splitlines())
        cuerpo = render_to_string(email_template_name, context)
        encolar_correo(asunto, cuerpo, [to_email])
