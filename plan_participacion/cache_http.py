"""HTTP caching: what a logged-in user sees is never stored; public pages may opt out.

Every response to a logged-in user (pages, files, redirects, errors) carries
``Cache-Control: private, no-store``: no shared proxy keeps it and the browser does not
write it to disk, where the next person at a municipal computer could read it with the back
button or from the cache.

A page meant for everyone opts out with ``@pagina_publica(...)``: it is rendered as for a
visitor without a session (no name in the menu, no flash messages), says so with
``Cache-Control: public, max-age=…`` and, as long as the view and its template leave the
session alone, carries no ``Vary: Cookie`` and no ``Set-Cookie``, so a proxy can serve the
same copy to everyone. A form with ``{% csrf_token %}`` sets a cookie: keep forms off public
pages. If a public view reads the session after all, its response is treated as private.
"""

from functools import wraps

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.base import BaseStorage
from django.utils.cache import patch_cache_control


def marcar_privada(respuesta):
    patch_cache_control(respuesta, private=True, no_store=True)


def es_pagina_publica(request):
    coincidencia = getattr(request, "resolver_match", None)
    return bool(coincidencia and getattr(coincidencia.func, "pagina_publica", False))


class CacheControlPrivado:
    """``Cache-Control: private, no-store`` on every response to a logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        if es_pagina_publica(request) and not request.session.accessed:
            return respuesta
        # request.user may have been replaced (public pages, logout): the session says who is in.
        if request.session.get(SESSION_KEY) is not None or request.user.is_authenticated:
            marcar_privada(respuesta)
        return respuesta


class _SinMensajes(BaseStorage):
    """Flash messages wait for the next private page: a public page shows none and sets no cookie."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def pagina_publica(max_age=300):
    """Mark a view whose page is the same for everyone and may be cached publicly for ``max_age`` seconds."""

    def decorador(vista):
        @wraps(vista)
        def publica(request, *args, **kwargs):
            request.user = AnonymousUser()
            request._messages = _SinMensajes(request)
            respuesta = vista(request, *args, **kwargs)
            patch_cache_control(respuesta, public=True, max_age=max_age)
            return respuesta

        publica.pagina_publica = True
        return publica

    return decorador
