"""Content-Security-Policy (django-csp): every page carries the strict policy, and the pages,
the Django admin included, really run under it in Chromium with no violation.

POLITICA is what the server must send, compared directive by directive with the real header;
the browser check is proven able to fail by a page that breaks the policy on purpose."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from reportes.models import Informe
from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.tests.conftest import bytes_pdf, subida

POLITICA = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def directivas(cabecera):
    return {parte.split()[0]: parte.split()[1:] for parte in cabecera.split(";") if parte.strip()}


@pytest.mark.parametrize("ruta", ["/cuentas/login/", "/no-existe/", "/admin/login/"])
def test_paginas_publicas_llevan_la_politica(client, ruta):
    assert directivas(client.get(ruta)["Content-Security-Policy"]) == directivas(POLITICA)


def test_paginas_con_sesion_llevan_la_politica(client, coordinador, plan_pequeno):
    client.force_login(coordinador)
    for nombre in ["plan_vigente", "tablero", "revision_cola", "evidencia_lista", "admin:index"]:
        respuesta = client.get(reverse(nombre))
        assert respuesta.status_code == 200, nombre
        cabecera = respuesta["Content-Security-Policy"]
        assert directivas(cabecera) == directivas(POLITICA), nombre
        assert "unsafe-inline" not in cabecera and "unsafe-eval" not in cabecera


def test_los_archivos_de_evidencia_conservan_su_politica_mas_estricta(client, evidencia_salud, delegada_salud):
    guardar_archivos(evidencia_salud, [revisar_archivo(subida("acta.pdf", bytes_pdf()))], usuario=delegada_salud)
    client.force_login(delegada_salud)
    respuesta = client.get(reverse("archivo_descargar", args=[evidencia_salud.archivos.get().pk]))
    assert respuesta.status_code == 200
    assert respuesta["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in respuesta["Content-Security-Policy"]


# --- In Chromium: the server's own header, violations reported by the browser -------------------

VIGILAR = """
window.__violaciones = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violaciones.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


def violaciones_registradas(pagina):
    """The violations Chromium reported, read once the page is idle and the event loop has turned.

    securitypolicyviolation events are dispatched asynchronously: a read right after "load" could miss one.
    """
    pagina.wait_for_load_state("networkidle")
    pagina.evaluate("() => new Promise((listo) => requestAnimationFrame(() => setTimeout(listo, 50)))")
    return pagina.evaluate("window.__violaciones")


def violaciones_en(contexto, live_server, rutas):
    pagina = contexto.new_page()
    pagina.set_default_timeout(10_000)
    pagina.add_init_script(VIGILAR)
    errores = []
    pagina.on("console", lambda m: errores.append(m.text) if "Content Security Policy" in m.text else None)
    encontradas = {}
    for ruta in rutas:
        respuesta = pagina.goto(live_server.url + ruta)
        assert respuesta.status == 200, ruta
        assert "script-src 'self'" in respuesta.headers["content-security-policy"], ruta
        vistas = violaciones_registradas(pagina) + errores
        if vistas:
            encontradas[ruta] = list(vistas)
        errores.clear()
    return encontradas


def contexto_con_sesion(navegador, client, live_server, usuario):
    from django.conf import settings

    client.force_login(usuario)
    contexto = navegador.new_context(viewport={"width": 375, "height": 812})
    sesion = client.cookies[settings.SESSION_COOKIE_NAME].value
    contexto.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": sesion, "url": live_server.url}])
    return contexto


def informes_de_prueba(plan, usuario):
    """Report jobs in each state their page shows: queued, rendering (a progress bar), ready, failed."""
    ahora = timezone.now()
    return [
        Informe.objects.create(
            plan=plan,
            tipo="verificacion",
            corte=plan.mes_inicio,
            huella=(estado * 8)[:64],
            estado=estado,
            progreso=40,
            paginas=12,
            tamano=1024,
            sha256="0" * 64,
            error="MemoryError",
            pedido_por=usuario,
            pedido_en=ahora,
            ultima_solicitud=ahora,
        )
        for estado in ("en_cola", "generando", "listo", "fallo")
    ]


@pytest.mark.navegador
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ninguna_pagina_ni_el_admin_viola_la_politica(navegador, live_server, client, delegada_salud, evidencia_salud):
    guardar_archivos(evidencia_salud, [revisar_archivo(subida("acta.pdf", bytes_pdf()))], usuario=delegada_salud)
    plan = evidencia_salud.meta.estrategia.objetivo.linea.plan
    estrategia = evidencia_salud.meta.estrategia
    admin = User.objects.create_superuser("admin.prueba", "admin@example.com", "x")
    rutas_admin = [
        "/admin/",
        "/admin/plan_participacion/plan/",
        f"/admin/plan_participacion/plan/{plan.pk}/change/",
        f"/admin/plan_participacion/estrategia/{estrategia.pk}/change/",
        "/admin/seguimiento/grupovalor/",  # list_editable: the admin's action bar and its script
        "/admin/seguimiento/evidencia/",
        f"/admin/seguimiento/evidencia/{evidencia_salud.pk}/change/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{delegada_salud.pk}/change/",
        "/tablero/",
        "/revision/",
        "/plan/",
        "/plan/importar/",
        "/auditoria/",
        "/reportes/",
        f"/admin/plan_participacion/plan/{plan.pk}/history/",
        f"/tablero/recordatorios/?plan={plan.pk}&mes={plan.mes_inicio:%Y-%m}",
        *(informe.get_absolute_url() for informe in informes_de_prueba(plan, admin)),
        "/admin/reportes/informe/",
    ]
    rutas_delegada = [
        "/",
        "/mis-metas/",
        "/evidencias/",
        "/evidencias/nueva/",
        evidencia_salud.get_absolute_url(),
        reverse("evidencia_editar", args=[evidencia_salud.pk]),
    ]
    encontradas = violaciones_en(contexto_con_sesion(navegador, client, live_server, admin), live_server, rutas_admin)
    encontradas |= violaciones_en(
        contexto_con_sesion(navegador, client, live_server, delegada_salud), live_server, rutas_delegada
    )
    anonimo = navegador.new_context()
    encontradas |= violaciones_en(anonimo, live_server, ["/cuentas/login/", "/admin/login/"])
    assert encontradas == {}


@pytest.mark.navegador
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_la_comprobacion_detecta_un_script_en_linea(navegador, live_server):
    """The check above can fail: the login page, served with the server's own header but carrying an
    inline script and an inline style, is reported as a violation."""

    def con_codigo_en_linea(route):
        respuesta = route.fetch()
        cuerpo = respuesta.text().replace(
            "</body>", '<script>document.title = "x";</script><div style="color: red">x</div></body>'
        )
        route.fulfill(response=respuesta, body=cuerpo)

    contexto = navegador.new_context()
    try:
        contexto.route(f"{live_server.url}/cuentas/login/", con_codigo_en_linea)
        encontradas = violaciones_en(contexto, live_server, ["/cuentas/login/"])
    finally:
        contexto.close()
    vistas = " ".join(encontradas.get("/cuentas/login/", []))
    assert "script-src" in vistas
    assert "style-src" in vistas
