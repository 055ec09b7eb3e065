"""Accounts helpers: which address a request comes from (django-axes, the reset throttle), and
how many password-reset requests an e-mail address or a client address may make."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def ip_cliente(request):
    """The client's address, trusting X-Forwarded-For only as far as PROXIES_DE_CONFIANZA says.

    Each trusted proxy appends the address it received the request from, so the
    N-th entry from the right is what the outermost trusted proxy saw; anything
    to its left was written by the client and may be forged.
    """
    proxies = settings.PROXIES_DE_CONFIANZA
    remota = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remota
    saltos = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
    if len(saltos) < proxies:
        return remota
    return saltos[-proxies]


def _ocupar_turno(tipo, valor, maximo):
    """Take one of ``maximo`` turns that each last RESTABLECER_VENTANA; False when all are taken.

    Each turn is a key of the shared cache (the database), created with add(), which only one
    process can win: two workers cannot both take the last turn, as a read-then-write counter
    would let them. A turn frees itself when its time runs out (a sliding window).
    """
    base = f"restablecer:{tipo}:{hashlib.sha256(valor.encode()).hexdigest()}"
    duracion = int(settings.RESTABLECER_VENTANA.total_seconds())
    return any(cache.add(f"{base}:{turno}", 1, timeout=duracion) for turno in range(maximo))


def restablecimiento_permitido(request, correo):
    """Count one password-reset request from this client for this address; False past either limit.

    The address is counted whether or not it belongs to a user, so the answer says nothing about it.
    """
    cliente = ip_cliente(request) or "desconocido"
    return _ocupar_turno("ip", cliente, settings.RESTABLECER_POR_IP) and _ocupar_turno(
        "correo", correo.strip().casefold(), settings.RESTABLECER_POR_CORREO
    )
