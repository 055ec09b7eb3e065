"""URLconf for test_cache_y_sesion: the app's URLs plus two public pages (none exists yet)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path

from plan_participacion.cache_http import pagina_publica


@pagina_publica(max_age=600)
def portada(request):
    return render(request, "base.html")


@pagina_publica()
def descuidada(request):
    """Reads the session although it says it is public: it must not be cached for everyone."""
    return HttpResponse(f"Hola {request.session.get('_auth_user_id', '')}")


urlpatterns = [
    path("publica/", portada),
    path("publica/descuidada/", descuidada),
    path("", include("plan_participacion.urls")),
]
