"""Accounts pages that Django does not provide as we need them: the lockout page of django-axes,
the login page (which says when a session ends) and the throttled password reset."""

from django.conf import settings
from django.contrib.auth.views import LoginView, PasswordResetView
from django.shortcuts import render
from django.utils.translation import ngettext

from seguimiento.cuentas import restablecimiento_permitido
from seguimiento.forms_cuentas import RestablecerContrasenaForm


def acceso_bloqueado(request, original_response=None, credentials=None):
    """Shown instead of the login form while a username is locked from this address."""
    minutos = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/bloqueado.html",
        {"minutos": minutos, "intentos": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def duracion(segundos):
    """«8 horas», «90 minutos»: how long, in words."""
    minutos = segundos // 60
    if minutos % 60 == 0:
        horas = minutos // 60
        return ngettext("%(n)s hora", "%(n)s horas", horas) % {"n": horas}
    return ngettext("%(n)s minuto", "%(n)s minutos", minutos) % {"n": minutos}


class EntrarView(LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, duracion_sesion=duracion(settings.SESSION_COOKIE_AGE))


class RestablecerView(PasswordResetView):
    """Django's reset page, limited per e-mail address and per client address; the mail goes as a task."""

    form_class = RestablecerContrasenaForm

    def form_valid(self, form):
        if not restablecimiento_permitido(self.request, form.cleaned_data["email"]):
            return render(
                self.request,
                "registration/restablecer_limitado.html",
                {"espera": duracion(int(settings.RESTABLECER_VENTANA.total_seconds()))},
                status=429,
            )
        return super().form_valid(form)
