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
from plan_participacion.models import Plan
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
    # Publishing in the Menú Participa: the coordinator, by POST.
    "plan_publicar": [LOGIN, 403, 403, 405, 403],
    "plan_despublicar": [LOGIN, 403, 403, 405, 403],
    # The Menú Participa: anyone, without an account, reads a published plan (an unpublished one is a
    # 404 for everyone: test_participa_sin_publicar_es_404_para_todos).
    "participa": [200, 200, 200, 200, 200],
    "participa_plan": [200, 200, 200, 200, 200],
    "participa_diccionario": [200, 200, 200, 200, 200],
    "participa_datos": [200, 200, 200, 200, 200],
    "participa_informe": [200, 200, 200, 200, 200],
}
PARTICIPA = ("participa_plan", "participa_diccionario", "participa_datos", "participa_informe")

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
    publico = DocumentoFirmado(
        cierre=cierre,
        tipo=DocumentoFirmado.Tipo.AVANCE_PUBLICO,
        nombre="informe-avance-publico.pdf",
        tipo_contenido="application/pdf",
        tamano=len(bytes_pdf()),
        sha256=hashlib.sha256(bytes_pdf()).hexdigest(),
        creado_en=timezone.now(),
    )
    publico.archivo.save("informe-avance-publico.pdf", ContentFile(bytes_pdf()), save=True)
    Plan.objects.filter(pk=plan_pequeno.pk).update(publicado=True)
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
        "publico": publico,
        "usuarios": usuarios,
        "informe": informe,
    }


def url_de(nombre, mundo):
    argumentos = {
        "plan_detalle": [mundo["plan"].pk],
        "plan_publicar": [mundo["plan"].pk],
        "plan_despublicar": [mundo["plan"].pk],
        "participa_plan": [mundo["plan"].pk],
        "participa_diccionario": [mundo["plan"].pk],
        "participa_datos": [mundo["plan"].pk, "metas", "csv"],
        "participa_informe": [mundo["plan"].pk, mundo["publico"].pk],
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


# ---- A second entidad: nobody of Pradera sees, downloads, reviews or reports on the first one's data ----

# Each persona of Pradera gets what the persona of the same role in the first entidad gets on pages of
# her own entidad; on a page naming an object of the first entidad (in the path or as ?plan=), a 404
# where that role would get the page, and never a word of the first entidad's data anywhere.
ANALOGO = {"coordinadora_pradera": "coordinador", "delegado_pradera": "delegado_hacienda"}
# Links that work by token, without looking at who is logged in (the person they name is checked by the token).
POR_TOKEN = {"password_reset_confirm", "equipo_activar"}
# The Menú Participa of a published plan is public by design (anyone, logged in or not, of any entidad).
PUBLICAS = {"participa", *PARTICIPA}
# Pages that take the plan in the query string (seguimiento.vigencias).
CON_PLAN = [
    "mis_metas",
    "evidencia_lista",
    "evidencia_crear",
    "tablero",
    "recordatorios_mes",
    "cierres",
    "reportes",
    "reporte_avance",
    "reporte_verificacion",
    "reporte_cronograma",
    "firmados",
]


@pytest.fixture
def otra_entidad(mundo, coordinadora_pradera, delegado_pradera, evidencia_pradera):
    return {"coordinadora_pradera": coordinadora_pradera, "delegado_pradera": delegado_pradera}


def datos_de_la_primera(mundo):
    """Text only the first entidad's pages can show."""
    return [mundo["plan"].municipio, mundo["plan"].titulo, mundo["evidencia"].descripcion, "foto.png"]


@pytest.mark.parametrize("rol", sorted(ANALOGO))
def test_otra_entidad_recibe_404_en_cada_objeto_de_la_primera(client, mundo, otra_entidad, rol):
    client.force_login(otra_entidad[rol])
    diferencias = {}
    for nombre, ruta in nombres_de_urls():
        esperado = REGLAS_GET[nombre][ROLES.index(ANALOGO[rol])]
        nombra_un_objeto = "<" in ruta and nombre not in POR_TOKEN | PUBLICAS and nombre != "subida_trozo"
        if nombra_un_objeto and esperado in (200, 302):
            esperado = 404
        obtenido = estado_http(client.get(url_de(nombre, mundo)))
        if obtenido != esperado:
            diferencias[nombre] = (esperado, obtenido)
    assert not diferencias, f"{rol}: (esperado, obtenido) {diferencias}"


@pytest.mark.parametrize("rol", sorted(ANALOGO))
def test_otra_entidad_no_elige_el_plan_de_la_primera(client, mundo, otra_entidad, rol):
    client.force_login(otra_entidad[rol])
    diferencias = {}
    for nombre in CON_PLAN:
        esperado = REGLAS_GET[nombre][ROLES.index(ANALOGO[rol])]
        esperado = 404 if esperado == 200 else esperado
        obtenido = estado_http(client.get(reverse(nombre), {"plan": mundo["plan"].pk}))
        if obtenido != esperado:
            diferencias[nombre] = (esperado, obtenido)
    assert not diferencias, f"{rol}: (esperado, obtenido) {diferencias}"


@pytest.mark.parametrize("rol", sorted(ANALOGO))
def test_ninguna_pagina_de_la_otra_entidad_muestra_datos_de_la_primera(client, mundo, otra_entidad, rol):
    """Every page without an object in its path (lists, queue, dashboard, audit, reports…) as Pradera sees it."""
    acciones.enviar(mundo["evidencia"], usuario=mundo["evidencia"].autor)  # in the first entidad's queue
    client.force_login(otra_entidad[rol])
    fugas = {}
    for nombre, ruta in nombres_de_urls():
        if "<" in ruta or nombre in PUBLICAS:
            continue
        respuesta = client.get(reverse(nombre))
        texto = respuesta.content.decode(errors="replace")
        vistas = [dato for dato in datos_de_la_primera(mundo) if dato in texto]
        if vistas:
            fugas[nombre] = vistas
    assert not fugas, f"{rol} ve datos de la otra entidad: {fugas}"


def test_la_coordinadora_de_la_otra_entidad_ve_lo_suyo(client, mundo, otra_entidad, evidencia_pradera):
    """The same pages are not empty for her: her own entidad's evidence is in her queue and her list."""
    from seguimiento.tests.conftest import PRADERA_EVIDENCIA

    client.force_login(otra_entidad["coordinadora_pradera"])
    for nombre in ("revision_cola", "evidencia_lista"):
        assert PRADERA_EVIDENCIA in client.get(reverse(nombre)).content.decode(), nombre
    assert client.get(reverse("evidencia_detalle", args=[evidencia_pradera.pk])).status_code == 200
    assert "Municipio de Pradera" in client.get(reverse("tablero")).content.decode()


@pytest.mark.parametrize("rol", sorted(ANALOGO))
@pytest.mark.parametrize("nombre", sorted(REGLAS_POST))
def test_otra_entidad_no_mueve_evidencias_de_la_primera(client, mundo, otra_entidad, rol, nombre):
    _estados, antes, _despues, _permitido = REGLAS_POST[nombre]
    evidencia = mundo["evidencia"]
    if antes == Estado.ENVIADA:
        acciones.enviar(evidencia, usuario=evidencia.autor)
    client.force_login(otra_entidad[rol])
    respuesta = client.post(url_de(nombre, mundo), {"motivo": "Falta la lista de asistencia.", "confirmar": "1"})
    assert estado_http(respuesta) in (403, 404)
    assert Evidencia.objects.filter(pk=evidencia.pk).values_list("estado", flat=True).first() == antes


def test_la_coordinadora_de_la_otra_entidad_no_cierra_ni_reintenta_en_la_primera(client, mundo, otra_entidad):
    client.force_login(otra_entidad["coordinadora_pradera"])
    cierres_antes = Cierre.objects.count()
    client.post(reverse("cierre_cerrar"), {"plan": mundo["plan"].pk, "hasta": "31/03/2024"})
    client.post(reverse("cierre_reabrir"), {"plan": mundo["plan"].pk, "motivo": "Ajeno"})
    assert Cierre.objects.count() == cierres_antes
    assert Cierre.objects.get(pk=mundo["cierre"].pk).reabierto_en is None
    assert client.post(reverse("cierre_reintentar", args=[mundo["cierre"].pk])).status_code == 404
    assert client.post(reverse("informe_reintentar", args=[mundo["informe"].pk])).status_code == 404
    persona = mundo["usuarios"]["delegada_salud"]
    assert client.post(reverse("equipo_desactivar", args=[persona.pk])).status_code == 404
    persona.refresh_from_db()
    assert persona.is_active


@pytest.mark.parametrize("rol", ROLES)
def test_participa_sin_publicar_es_404_para_todos(client, mundo, rol):
    Plan.objects.filter(pk=mundo["plan"].pk).update(publicado=False)
    entrar(client, mundo["usuarios"][rol])
    obtenidos = {nombre: client.get(url_de(nombre, mundo)).status_code for nombre in PARTICIPA}
    assert obtenidos == dict.fromkeys(PARTICIPA, 404)
