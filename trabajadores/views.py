"""/salud/: is the database reachable, and has a worker of each queue beaten recently?

For a load balancer, a monitoring service or a person after a deploy. No login
(the answer says nothing private: queue names and ages), never cached. 200 when
all is well, 503 otherwise, with the reason in the JSON body.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from trabajadores.models import Trabajador


def estado_de_las_colas(ahora=None):
    """{cola: seconds since its most recent worker beat, or None when no worker of it is known}."""
    ahora = ahora or timezone.now()
    trabajadores = list(Trabajador.objects.all())
    colas = {}
    for cola in settings.COLAS_DE_TAREAS:
        vistos = [t.visto for t in trabajadores if cola in t.lista_colas() or "*" in t.lista_colas()]
        colas[cola] = round((ahora - max(vistos)).total_seconds()) if vistos else None
    return colas


@never_cache
@require_safe
def salud(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        colas = estado_de_las_colas()
    except DatabaseError:
        return JsonResponse({"estado": "error", "base_de_datos": "sin conexión", "colas": {}}, status=503)
    limite = settings.TRABAJADORES_AUSENCIA
    detalle = {
        cola: {
            "estado": "ok" if hace is not None and hace <= limite else "sin trabajador",
            "ultimo_latido_hace_s": hace,
        }
        for cola, hace in colas.items()
    }
    bien = all(d["estado"] == "ok" for d in detalle.values())
    return JsonResponse(
        {"estado": "ok" if bien else "error", "base_de_datos": "ok", "colas": detalle}, status=200 if bien else 503
    )
