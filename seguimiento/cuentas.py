"""Accounts helpers: which address a request comes from (django-axes, the reset throttle), and
how many password-reset requests an e-mail address or a client address may make."""

from django.conf import settings

from plan_participacion.limites import turno_libre


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


def restablecimiento_permitido(request, correo):
    """Count one password-reset request from this client for this address; False past either limit.

    The address is counted whether or not it belongs to a user, so the answer says nothing about it.
    """
    cliente = ip_cliente(request) or "desconocido"
    ventana = int(settings.RESTABLECER_VENTANA.total_seconds())
    return turno_libre("restablecer:ip", cliente, settings.RESTABLECER_POR_IP, ventana) and turno_libre(
        "restablecer:correo", correo.strip().casefold(), settings.RESTABLECER_POR_CORREO, ventana
    )
