"""Every URL of the project × every role, with the status each must get.

The list of URLs comes from the URLconf: a new view without a rule here makes
this test fail, so nobody adds a page without deciding who may open it.
"""

import datetime
import hashlib

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from equipo.invitaciones import invitaciones
from reportes.models import Informe
from seguimiento import acciones
from seguimiento.models import ArchivoEvidencia, Cierre, DocumentoFirmado, Evidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png

ROLES = ["anonimo", "delegada_salud", "delegado_hacienda", "coordinador", "comite"]
LOGIN = "login"  # redirected to the login page

# GET status per role: anonymous, delegate of the evidence's secretaría (Salud), delegate of another
# secretaría (Hacienda), coordinator, committee. 302 means a redirect somewhere other than the login.
REGLAS_GET = {
    "inicio": [LOGIN, 302, 302, 302, 302],
    "plan_vigente": [LOGIN, 200, 200, 200, 200],
    "plan_detalle": [LOGIN, 200, 200, 200, 200],
    # Phases of the cycle of each strategy: the coordinator tags them (POST saves).
    "plan_fases": [LOGIN, 403, 403, 200, 403],
    # Importing the plan from the browser: the coordinator only; the confirmation is a POST.
    "plan_importar": [LOGIN, 403, 403, 200, 403],
    "plan_importar_confirmar": [LOGIN, 403, 403, 405, 403],
    # Without a secretaría, Mis metas explains how to get one; the evidence list shows what the role may see.
    "mis_metas": [LOGIN, 200, 200, 200, 200],
    "evidencia_lista": [LOGIN, 200, 200, 200, 200],
    "evidencia_crear": [LOGIN, 200, 200, 403, 403],
    # Uploads in pieces: delegates only; without a form named (400) or for an upload not theirs (404).
    "subida_iniciar": [LOGIN, 400, 400, 403, 403],
    "subida_trozo": [LOGIN, 404, 404, 403, 403],
    "evidencia_detalle": [LOGIN, 200, 404, 200, 200],
    "evidencia_editar": [LOGIN, 200, 404, 302, 302],
    "evidencia_eliminar": [LOGIN, 200, 404, 302, 302],
    "evidencia_enviar": [LOGIN, 405, 405, 405, 405],
    # Approving asks for confirmation on its own page (a draft has nothing to approve: back to its page).
    "evidencia_aprobar": [LOGIN, 403, 403, 302, 403],
    "evidencia_devolver": [LOGIN, 403, 403, 405, 403],
    "archivo_descargar": [LOGIN, 200, 404, 200, 200],
    "archivo_ver": [LOGIN, 200, 404, 200, 200],
    "revision_cola": [LOGIN, 403, 403, 200, 403],
    "tablero": [LOGIN, 403, 403, 200, 200],
    "semaforo_editar": [LOGIN, 403, 403, 200, 403],
    # Control bodies read the audit trail: the coordinator and the committee.
    "auditoria": [LOGIN, 403, 403, 200, 200],
    "reportes": [LOGIN, 403, 403, 200, 200],
    "reporte_avance": [LOGIN, 403, 403, 200, 200],
    "reporte_verificacion": [LOGIN, 403, 403, 200, 200],
    "reporte_cronograma": [LOGIN, 403, 403, 200, 200],
    # The text that opens the progress report: the coordinator writes it (POST saves it).
    "reporte_narrativa": [LOGIN, 403, 403, 200, 403],
    # The yearly participation summary (FURAG): the coordinator and the committee.
    "reporte_furag": [LOGIN, 403, 403, 200, 200],
    "reporte_furag_pdf": [LOGIN, 403, 403, 200, 200],
    "reporte_furag_xlsx": [LOGIN, 403, 403, 200, 200],
    # Closed periods: the coordinator closes and reopens (POST only); both roles read the signed archive.
    "cierres": [LOGIN, 403, 403, 200, 403],
    "cierre_cerrar": [LOGIN, 403, 403, 405, 403],
    "cierre_reabrir": [LOGIN, 403, 403, 405, 403],
    "cierre_reintentar": [LOGIN, 403, 403, 405, 403],
    "cierre_estado": [LOGIN, 403, 403, 200, 403],
    "firmados": [LOGIN, 403, 403, 200, 200],
    "firmado_descargar": [LOGIN, 403, 403, 200, 200],
    "firmado_resumen": [LOGIN, 403, 403, 200, 200],
    # Anyone, without an account, checks a document against the archive.
    "verificar": [200, 200, 200, 200, 200],
    # Report jobs (a queued one here: its download sends back to its page; retrying is a POST).
    "informe_detalle": [LOGIN, 403, 403, 200, 200],
    "informe_descargar": [LOGIN, 403, 403, 302, 302],
    "informe_reintentar": [LOGIN, 403, 403, 405, 405],
    "recordatorios_mes": [LOGIN, 403, 403, 200, 403],
    # No login: for the load balancer and monitoring. No worker runs in the tests, hence 503.
    "salud": [503, 503, 503, 503, 503],
    "login": [200, 200, 200, 200, 200],
    "logout": [405, 405, 405, 405, 405],
    "password_change": [LOGIN, 200, 200, 200, 200],
    "password_change_done": [LOGIN, 200, 200, 200, 200],
    "password_reset": [200, 200, 200, 200, 200],
    "password_reset_done": [200, 200, 200, 200, 200],
    "password_reset_confirm": [302, 302, 302, 302, 302],
    "password_reset_complete": [200, 200, 200, 200, 200],
    # A meta's expected total and the team: the coordinator (of the evidence's entidad); changes are POSTs.
    "meta_objetivo": [LOGIN, 403, 403, 200, 403],
    "equipo": [LOGIN, 403, 403, 200, 403],
    "equipo_invitar": [LOGIN, 403, 403, 200, 403],
    "equipo_persona": [LOGIN, 403, 403, 200, 403],
    "equipo_desactivar": [LOGIN, 403, 403, 405, 403],
    "equipo_reactivar": [LOGIN, 403, 403, 405, 403],
    "equipo_desbloquear": [LOGIN, 403, 403, 405, 403],
    "equipo_reenviar": [LOGIN, 403, 403, 405, 403],
    # The invitation link works without a session, like the password reset link.
    "equipo_activar": [302, 302, 302, 302, 302],
}

# State-changing POSTs: only the right person moves the evidence (the state after the request is checked too).
# Roles that can see the evidence but not act on it are sent back to its page (302) with a message.
Estado = Evidencia.Estado
REGLAS_POST = {
    # name: ([status per role], state before, state reached (None: deleted), the one role allowed)
    "evidencia_enviar": ([LOGIN, 302, 404, 302, 302], Estado.BORRADOR, Estado.ENVIADA, "delegada_salud"),
    "evidencia_aprobar": ([LOGIN, 403, 403, 302, 403], Estado.ENVIADA, Estado.APROBADA, "coordinador"),
    "evidencia_devolver": ([LOGIN, 403, 403, 302, 403], Estado.ENVIADA, Estado.DEVUELTA, "coordinador"),
    "evidencia_eliminar": ([LOGIN, 302, 404, 302, 302], Estado.BORRADOR, None, "delegada_salud"),
}


def nombres_de_urls(patrones=None, prefijo=""):
    """(name, route) of every view of the project, except the Django admin (it has its own permissions)."""
    for patron in patrones if patrones is not None else get_resolver().url_patterns:
        if isinstance(patron, URLResolver):
            if getattr(patron, "app_name", None) == "admin":
                continue
            yield from nombres_de_urls(patron.url_patterns, prefijo + str(patron.pattern))
        elif isinstance(patron, URLPattern):
            yield patron.name, prefijo + str(patron.pattern)


def test_cada_url_tiene_regla():
    sin_regla = sorted({nombre for nombre, _ in nombres_de_urls()} - set(REGLAS_GET))
    assert not sin_regla, f"Vistas sin regla en la matriz de permisos: {sin_regla}"
    assert all(nombre for nombre, _ in nombres_de_urls()), "Toda URL necesita un nombre para estar en la matriz."


@pytest.fixture
def mundo(plan_pequeno, evidencia_salud, delegada_salud, delegado_hacienda, coordinador, comite):
    archivo = ArchivoEvidencia(
        evidencia=evidencia_salud,
        nombre_original="foto.png",
        tipo_contenido="image/png",
        tamano=len(bytes_png()),
        sha256="0" * 64,
        subido_por=delegada_salud,
    )
    archivo.archivo.save("foto.png", ContentFile(bytes_png()), save=True)
    # A closing of January (before the evidence's date, so it freezes nothing here) with its archive.
    cierre = Cierre.objects.create(
        plan=plan_pequeno,
        hasta=datetime.date(2024, 1, 31),
        cerrado_por=coordinador,
        cerrado_en=timezone.now(),
        estado_archivo=Cierre.EstadoArchivo.LISTO,
        resumen={"avance": "0.0"},
    )
    firmado = DocumentoFirmado(
        cierre=cierre,
        tipo=DocumentoFirmado.Tipo.AVANCE,
        nombre="informe-avance.pdf",
        tipo_contenido="application/pdf",
        tamano=len(bytes_pdf()),
        sha256=hashlib.sha256(bytes_pdf()).hexdigest(),
        creado_en=timezone.now(),
    )
    firmado.archivo.save("informe-avance.pdf", ContentFile(bytes_pdf()), save=True)
    usuarios = {
        "anonimo": None,
        "delegada_salud": delegada_salud,
        "delegado_hacienda": delegado_hacienda,
        "coordinador": coordinador,
        "comite": comite,
    }
    ahora = timezone.now()
    informe = Informe.objects.create(
        plan=plan_pequeno,
        tipo="verificacion",
        corte=plan_pequeno.mes_inicio,
        huella="h" * 64,
        pedido_por=comite,
        pedido_en=ahora,
        ultima_solicitud=ahora,
    )
    return {
        "plan": plan_pequeno,
        "evidencia": evidencia_salud,
        "archivo": archivo,
        "cierre": cierre,
        "firmado": firmado,
        "usuarios": usuarios,
        "informe": informe,
    }


def url_de(nombre, mundo):
    argumentos = {
        "plan_detalle": [mundo["plan"].pk],
        "plan_fases": [mundo["plan"].pk],
        "archivo_descargar": [mundo["archivo"].pk],
        "archivo_ver": [mundo["archivo"].pk],
        "cierre_reintentar": [mundo["cierre"].pk],
        "cierre_estado": [mundo["cierre"].pk],
        "firmado_descargar": [mundo["firmado"].pk],
        "firmado_resumen": [mundo["cierre"].pk],
        "informe_detalle": [mundo["informe"].pk],
        "informe_descargar": [mundo["informe"].pk],
        "informe_reintentar": [mundo["informe"].pk],
        "subida_trozo": ["x" * 32],
        "password_reset_confirm": [
            urlsafe_base64_encode(force_bytes(mundo["usuarios"]["delegada_salud"].pk)),
            default_token_generator.make_token(mundo["usuarios"]["delegada_salud"]),
        ],
        "meta_objetivo": [mundo["evidencia"].meta_id],
        "equipo_activar": [
            urlsafe_base64_encode(force_bytes(mundo["usuarios"]["delegada_salud"].pk)),
            invitaciones.make_token(mundo["usuarios"]["delegada_salud"]),
        ],
    }
    if nombre.startswith("equipo_") and nombre not in ("equipo_invitar", "equipo_activar"):
        argumentos[nombre] = [mundo["usuarios"]["delegada_salud"].pk]
    if nombre.startswith("evidencia_") and nombre not in ("evidencia_lista", "evidencia_crear"):
        argumentos[nombre] = [mundo["evidencia"].pk]
    return reverse(nombre, args=argumentos.get(nombre, []))


def estado_http(respuesta):
    if respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login")):
        return LOGIN
    return respuesta.status_code


def entrar(client, usuario):
    if usuario is not None:
        client.force_login(usuario)


@pytest.mark.parametrize("rol", ROLES)
def test_matriz_get(client, mundo, rol):
    entrar(client, mundo["usuarios"][rol])
    obtenido, esperado = {}, {}
    for nombre, _ruta in nombres_de_urls():
        obtenido[nombre] = estado_http(client.get(url_de(nombre, mundo)))
        esperado[nombre] = REGLAS_GET[nombre][ROLES.index(rol)]
    diferencias = {n: (esperado[n], obtenido[n]) for n in esperado if esperado[n] != obtenido[n]}
    assert not diferencias, f"{rol}: (esperado, obtenido) {diferencias}"


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize("nombre", sorted(REGLAS_POST))
def test_matriz_post(client, mundo, rol, nombre):
    estados, antes, despues, permitido = REGLAS_POST[nombre]
    evidencia = mundo["evidencia"]
    if antes == Estado.ENVIADA:
        acciones.enviar(evidencia, usuario=evidencia.autor)
    entrar(client, mundo["usuarios"][rol])
    respuesta = client.post(url_de(nombre, mundo), {"motivo": "Falta la lista de asistencia.", "confirmar": "1"})
    assert estado_http(respuesta) == estados[ROLES.index(rol)]
    actual = Evidencia.objects.filter(pk=evidencia.pk).values_list("estado", flat=True).first()
    assert actual == (despues if rol == permitido else antes), f"{rol} con {nombre}: la evidencia quedó en {actual}"
