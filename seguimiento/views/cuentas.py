"""Accounts pages that Django does not provide: the lockout page of django-axes."""

from django.conf import settings
from django.shortcuts import render


def acceso_bloqueado(request, original_response=None, credentials=None):
    """Shown instead of the login form while a username is locked from this address."""
    minutos = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/bloqueado.html",
        {"minutos": minutos, "intentos": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
