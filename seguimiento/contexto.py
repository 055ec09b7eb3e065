"""What every page's frame needs (settings.TEMPLATES context processor): the review queue's count in
the coordinator's menu, the drafts the server has just saved, and the browser checks' Spanish texts."""

from functools import cache

from django.utils.translation import gettext_lazy as _

from seguimiento.models import Evidencia

# Read by static/js/borrador.js: the forms whose typed copy in the browser can go (the server saved them).
BORRADORES_GUARDADOS = "borradores_guardados"

MENSAJES_VALIDACION = {
    "requerido": _("Complete este campo."),
    "marcar": _("Marque esta casilla para continuar."),
    "elegir": _("Elija una opción de la lista."),
    "archivo": _("Elija un archivo."),
    "numero": _("Escriba un número, solo con cifras."),
    "entero": _("Escriba un número entero."),
    "correo": _("Escriba un correo electrónico válido, por ejemplo nombre@candelaria.gov.co."),
    "url": _("Escriba una dirección web completa, que empiece por https://."),
    "patron": _("Revise cómo está escrito este campo."),
    "minimo": _("Escriba %(minimo)s o más."),
    "maximo": _("Escriba %(maximo)s o menos."),
    "largo": _("Escriba como máximo %(maximo)s caracteres (lleva %(n)s)."),
    "corto": _("Escriba al menos %(minimo)s caracteres (lleva %(n)s)."),
    "dia_inexistente": _("«%(texto)s» no es un día del calendario: revise el día y el mes (dd/mm/aaaa)."),
    "fecha_minima": _("La fecha no puede ser anterior al %(fecha)s."),
    "fecha_maxima": _("La fecha no puede ser posterior al %(fecha)s."),
    "revisar": _("Revise este campo."),
}


def marcar_borrador_guardado(request, clave):
    """The server saved the form ``clave``: the next page tells the browser to forget its typed copy."""
    guardados = request.session.get(BORRADORES_GUARDADOS, [])
    if clave not in guardados:
        request.session[BORRADORES_GUARDADOS] = [*guardados, clave]


def _por_revisar(usuario):
    if not usuario.has_perm("seguimiento.revisar_evidencia"):
        return None
    return Evidencia.objects.visible_para(usuario).enviadas().count()


def pagina(request):
    usuario = getattr(request, "user", None)
    contexto = {"mensajes_validacion": MENSAJES_VALIDACION}
    if usuario is not None and usuario.is_authenticated:
        # A callable: counted only if the menu is drawn, once (one COUNT query, for reviewers only).
        contexto["por_revisar"] = cache(lambda: _por_revisar(usuario))
        if BORRADORES_GUARDADOS in request.session:
            contexto[BORRADORES_GUARDADOS] = request.session.pop(BORRADORES_GUARDADOS)
    return contexto
