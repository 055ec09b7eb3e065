"""Accounts helpers: which IP address a login attempt comes from (for django-axes)."""

from django.conf import settings


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
