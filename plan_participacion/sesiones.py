"""Sessions end after SESSION_COOKIE_AGE without activity (a working day by default).

Django fixes a session's end when it is saved: without this, a session would end that long
after logging in, busy or not. Each request of a logged-in user that uses the session moves
the end forward, saving the session at most once every RENOVAR_CADA seconds (one write a
minute, not one per request; logging in counts as the first). Requests that leave the session
alone (public pages) do not touch it.
"""

import time

from django.contrib.auth import SESSION_KEY

RENOVAR_CADA = 60
CLAVE = "_renovada"


def marcar_renovada(sesion):
    sesion[CLAVE] = int(time.time())


def al_entrar(sender, request, user, **kwargs):
    """Receiver of user_logged_in: the login saves the session anyway, so it is the first renewal."""
    if request is not None and hasattr(request, "session"):
        marcar_renovada(request.session)


class SesionPorInactividad:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        respuesta = self.get_response(request)
        sesion = request.session
        if sesion.accessed and sesion.get(SESSION_KEY) is not None:
            if time.time() - sesion.get(CLAVE, 0) >= RENOVAR_CADA:
                marcar_renovada(sesion)
        return respuesta
