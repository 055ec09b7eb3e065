"""The coordinator manages the entity's delegates at /equipo/, without a superuser, and every change is audited."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import CLAVE, crear_usuario
from equipo import acciones
from equipo.models import CambioEquipo
from plan_participacion.models import Secretaria
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory

Accion = CambioEquipo.Accion
CLAVE_NUEVA = "girasoles-de-la-florida-2024"


@pytest.fixture
def como_coordinador(client, coordinador):
    client.force_login(coordinador)
    return client


def invitar(client, salud, correo="lucia.vivienda@candelaria.gov.co", **cambios):
    datos = {"nombres": "Lucía", "apellidos": "Martínez", "correo": correo, "secretarias": [salud.pk], **cambios}
    return client.post(reverse("equipo_invitar"), datos)


def enlace_del_correo(correo):
    return re.search(r"https?://\S+/equipo/activar/\S+/", correo.body).group(0)


def test_invitar_crea_la_cuenta_sin_clave_y_manda_el_enlace_al_confirmar(
    como_coordinador, coordinador, salud, entidad, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        respuesta = invitar(como_coordinador, salud, correo="Lucia.Vivienda@Candelaria.gov.co")

    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("equipo")
    lucia = User.objects.get(username="lucia.vivienda@candelaria.gov.co")
    assert (lucia.email, lucia.get_full_name(), lucia.is_active) == (lucia.username, "Lucía Martínez", True)
    assert not lucia.has_usable_password()
    assert list(lucia.groups.values_list("name", flat=True)) == ["Delegado"]
    assert lucia.membresia.entidad == entidad and list(lucia.secretarias.all()) == [salud]
    cambio = CambioEquipo.objects.get()
    assert (cambio.accion, cambio.persona, cambio.autor, cambio.entidad) == (
        Accion.INVITACION,
        lucia,
        coordinador,
        entidad,
    )
    assert cambio.secretarias_despues == ["Secretaría de Salud Pública y Seguridad Social"]
    assert len(callbacks) == 1 and len(mailoutbox) == 1
    correo = mailoutbox[0]
    assert correo.to == [lucia.email]
    assert correo.subject == "Invitación al seguimiento del Plan de Participación Ciudadana — Municipio de Prueba"
    assert "Carolina Ríos le invitó a reportar los avances" in correo.body
    assert "Después entre con su usuario: lucia.vivienda@candelaria.gov.co" in correo.body
    assert enlace_del_correo(correo).startswith("http://testserver/equipo/activar/")
    pagina = como_coordinador.get(reverse("equipo"))
    assert [str(m) for m in pagina.context["messages"]] == [
        "Se envió la invitación a lucia.vivienda@candelaria.gov.co. Su usuario es su correo; la invitación vence en 3 "
        "días."
    ]
    assert "Invitación pendiente" in pagina.content.decode()


def test_el_enlace_deja_elegir_la_clave_una_sola_vez_y_luego_se_entra(
    como_coordinador, salud, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitar(como_coordinador, salud)
    enlace = enlace_del_correo(mailoutbox[0]).removeprefix("http://testserver")
    persona = Client()  # Lucía's browser: no session

    formulario = persona.get(enlace, follow=True)
    assert formulario.context["validlink"] and "Su usuario es <strong>lucia.vivienda@candelaria.gov.co</strong>" in (
        formulario.content.decode()
    )
    respuesta = persona.post(
        formulario.redirect_chain[-1][0], {"new_password1": CLAVE_NUEVA, "new_password2": CLAVE_NUEVA}, follow=True
    )

    assert respuesta.redirect_chain[-1][0] == reverse("login")
    assert "Su contraseña quedó guardada" in respuesta.content.decode()
    lucia = User.objects.get(username="lucia.vivienda@candelaria.gov.co")
    assert lucia.check_password(CLAVE_NUEVA)
    assert CambioEquipo.objects.filter(persona=lucia, accion=Accion.ACTIVACION, autor=lucia).exists()
    entrada = persona.post(
        reverse("login"), {"username": lucia.username, "password": CLAVE_NUEVA}, REMOTE_ADDR="10.0.0.7", follow=True
    )
    assert entrada.redirect_chain[-1][0] == reverse("mis_metas")
    # The link worked once: the password is part of the token.
    assert not Client().get(enlace, follow=True).context["validlink"]


def test_una_clave_debil_se_rechaza_con_el_mensaje_de_django(
    como_coordinador, salud, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitar(como_coordinador, salud)
    persona = Client()
    formulario = persona.get(enlace_del_correo(mailoutbox[0]).removeprefix("http://testserver"), follow=True)
    respuesta = persona.post(formulario.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert respuesta.status_code == 200
    assert "La contraseña es demasiado corta." in " ".join(respuesta.context["form"].errors["new_password2"])
    assert not User.objects.get(username="lucia.vivienda@candelaria.gov.co").has_usable_password()


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"correo": "daniela.salud@example.com"}, "correo", "Ya existe una cuenta con ese correo."),
        ({"correo": "no-es-un-correo"}, "correo", "Introduzca una dirección de correo electrónico válida."),
        ({"secretarias": []}, "secretarias", "Marque al menos una secretaría."),
        ({"nombres": ""}, "nombres", "Este campo es obligatorio."),
    ],
)
def test_una_invitacion_invalida_se_explica_y_no_crea_nada(
    como_coordinador, salud, delegada_salud, mailoutbox, django_capture_on_commit_callbacks, cambios, campo, mensaje
):
    delegada_salud.email = "daniela.salud@example.com"
    delegada_salud.save()
    usuarios = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = invitar(como_coordinador, salud, **cambios)
    assert respuesta.status_code == 400
    assert any(e.startswith(mensaje) for e in respuesta.context["form"].errors[campo])
    assert User.objects.count() == usuarios and not CambioEquipo.objects.exists() and mailoutbox == []


def test_no_se_puede_asignar_una_secretaria_de_otra_entidad(como_coordinador, salud, gobierno_pradera):
    respuesta = invitar(como_coordinador, salud, secretarias=[salud.pk, gobierno_pradera.pk])
    assert respuesta.status_code == 400
    assert "secretarias" in respuesta.context["form"].errors
    assert not User.objects.filter(username__startswith="lucia").exists()
    formulario = como_coordinador.get(reverse("equipo_invitar")).content.decode()
    assert "Secretaría de Gobierno" not in formulario


def test_la_lista_muestra_solo_los_delegados_de_su_entidad_con_ultimo_ingreso_y_reporte(
    como_coordinador, coordinador, comite, delegada_salud, delegado_hacienda, delegado_pradera, plan_pequeno, salud
):
    EvidenciaFactory(meta=plan_pequeno.metas().get(codigo="1.2"), secretaria=salud, autor=delegada_salud)
    respuesta = como_coordinador.get(reverse("equipo"))
    personas = list(respuesta.context["pagina"])
    assert [p.username for p in personas] == [
        "daniela.salud",
        "hernan.hacienda",
    ]  # no coordinator, committee or Pradera
    html = respuesta.content.decode()
    assert "Pablo" not in html and "Secretaría de Gobierno" not in html
    fila = re.search(rf'<tr id="persona-{delegada_salud.pk}">.*?</tr>', html, re.S).group(0)
    assert "Secretaría de Salud Pública y Seguridad Social" in fila and "Activa" in fila
    assert "nunca" in fila  # never logged in
    assert Evidencia.objects.get().creada.strftime("%Y") in fila  # last report


def test_la_lista_cuesta_lo_mismo_con_tres_o_treinta_delegados(
    como_coordinador, entidad, salud, django_assert_max_num_queries
):
    def contar():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as consultas:
            assert como_coordinador.get(reverse("equipo")).status_code == 200
        return len(consultas)

    for n in range(3):
        salud.delegados.add(crear_usuario(f"delegado.{n}", "Delegado", entidad=entidad))
    pocos = contar()
    for n in range(3, 30):
        salud.delegados.add(crear_usuario(f"delegado.{n}", "Delegado", entidad=entidad))
    assert contar() == pocos
    with django_assert_max_num_queries(13):
        como_coordinador.get(reverse("equipo"))


def test_cambiar_las_secretarias_queda_registrado(como_coordinador, coordinador, delegada_salud, salud, hacienda):
    url = reverse("equipo_persona", args=[delegada_salud.pk])
    respuesta = como_coordinador.post(url, {"secretarias": [hacienda.pk]})

    assert respuesta.status_code == 302
    assert list(delegada_salud.secretarias.all()) == [hacienda]
    cambio = CambioEquipo.objects.get()
    assert (cambio.accion, cambio.autor) == (Accion.SECRETARIAS, coordinador)
    assert (cambio.secretarias_antes, cambio.secretarias_despues) == (
        ["Secretaría de Salud Pública y Seguridad Social"],
        ["Secretaría de Hacienda"],
    )
    html = como_coordinador.get(url).content.decode()
    assert "+ Secretaría de Hacienda" in html and "− Secretaría de Salud Pública y Seguridad Social" in html
    igual = como_coordinador.post(url, {"secretarias": [hacienda.pk]})
    assert igual.status_code == 400 and "No cambió ninguna secretaría." in igual.content.decode()
    assert CambioEquipo.objects.count() == 1


def test_desactivar_cierra_el_paso_y_reactivar_lo_abre(client, coordinador, delegada_salud):
    sesion_de_daniela = Client()
    sesion_de_daniela.force_login(delegada_salud)
    client.force_login(coordinador)

    client.post(reverse("equipo_desactivar", args=[delegada_salud.pk]), {"comentario": "Terminó su contrato."})

    delegada_salud.refresh_from_db()
    assert not delegada_salud.is_active
    cambio = CambioEquipo.objects.get()
    assert (cambio.accion, cambio.comentario) == (Accion.DESACTIVACION, "Terminó su contrato.")
    assert sesion_de_daniela.get(reverse("mis_metas"))["Location"].startswith(reverse("login"))  # session ended
    entrada = Client().post(reverse("login"), {"username": "daniela.salud", "password": CLAVE}, REMOTE_ADDR="10.0.0.8")
    assert entrada.status_code == 200  # the login form again, with its error
    otra_vez = client.post(reverse("equipo_desactivar", args=[delegada_salud.pk]), follow=True)
    assert "La cuenta ya estaba desactivada." in otra_vez.content.decode()

    client.post(reverse("equipo_reactivar", args=[delegada_salud.pk]))
    delegada_salud.refresh_from_db()
    assert delegada_salud.is_active
    assert list(CambioEquipo.objects.values_list("accion", flat=True)) == [Accion.REACTIVACION, Accion.DESACTIVACION]


def test_desbloquear_tras_el_bloqueo_de_axes(client, como_coordinador, coordinador, delegada_salud):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "daniela.salud", "password": "equivocada"}, REMOTE_ADDR="10.0.0.9")
    assert AccessAttempt.objects.filter(username="daniela.salud").exists()
    lista = como_coordinador.get(reverse("equipo")).content.decode()
    assert "Bloqueada" in lista
    pagina = como_coordinador.get(reverse("equipo_persona", args=[delegada_salud.pk])).content.decode()
    assert "Desbloquear el inicio de sesión" in pagina

    como_coordinador.post(reverse("equipo_desbloquear", args=[delegada_salud.pk]))

    assert not AccessAttempt.objects.filter(username="daniela.salud").exists()
    assert CambioEquipo.objects.get().accion == Accion.DESBLOQUEO
    entrada = Client().post(reverse("login"), {"username": "daniela.salud", "password": CLAVE}, REMOTE_ADDR="10.0.0.9")
    assert entrada.status_code == 302  # she is in
    de_nuevo = como_coordinador.post(reverse("equipo_desbloquear", args=[delegada_salud.pk]), follow=True)
    assert "no estaba bloqueada" in de_nuevo.content.decode()


def test_reenviar_la_invitacion_solo_a_quien_no_ha_elegido_clave(
    como_coordinador, salud, delegada_salud, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitar(como_coordinador, salud)
        lucia = User.objects.get(username="lucia.vivienda@candelaria.gov.co")
        como_coordinador.post(reverse("equipo_reenviar", args=[lucia.pk]))
        ya_activa = como_coordinador.post(reverse("equipo_reenviar", args=[delegada_salud.pk]), follow=True)
    assert len(mailoutbox) == 2 and mailoutbox[1].to == [lucia.email]
    assert "ya activó su cuenta" in ya_activa.content.decode()
    assert list(CambioEquipo.objects.values_list("accion", flat=True)) == [Accion.REENVIO, Accion.INVITACION]


def test_una_cuenta_desactivada_no_puede_activarse_con_el_enlace(
    como_coordinador, salud, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitar(como_coordinador, salud)
    lucia = User.objects.get(username="lucia.vivienda@candelaria.gov.co")
    como_coordinador.post(reverse("equipo_desactivar", args=[lucia.pk]))
    pagina = Client().get(enlace_del_correo(mailoutbox[0]).removeprefix("http://testserver"))
    assert not pagina.context["validlink"]
    assert "Este enlace de invitación no es válido" in pagina.content.decode()


NOMBRES_POST = ["equipo_desactivar", "equipo_reactivar", "equipo_desbloquear", "equipo_reenviar"]


def test_las_personas_de_otra_entidad_son_404(como_coordinador, delegado_pradera, coordinador):
    for nombre in ["equipo_persona", *NOMBRES_POST]:
        assert como_coordinador.post(reverse(nombre, args=[delegado_pradera.pk])).status_code == 404, nombre
    assert como_coordinador.get(reverse("equipo_persona", args=[coordinador.pk])).status_code == 404  # not a delegate
    delegado_pradera.refresh_from_db()
    assert delegado_pradera.is_active and not CambioEquipo.objects.exists()


@pytest.mark.parametrize("persona", ["delegada_salud", "comite"])
def test_sin_el_permiso_de_la_coordinacion_es_403(client, request, persona, delegado_hacienda):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("equipo")).status_code == 403
    assert client.post(reverse("equipo_desactivar", args=[delegado_hacienda.pk])).status_code == 403
    delegado_hacienda.refresh_from_db()
    assert delegado_hacienda.is_active


def test_una_coordinadora_sin_entidad_recibe_una_explicacion(client, db):
    client.force_login(crear_usuario("olga.sin.entidad", "Coordinador"))
    respuesta = client.get(reverse("equipo"))
    assert "Su usuario no pertenece a ninguna entidad" in respuesta.content.decode()
    assert client.get(reverse("equipo_invitar")).status_code == 200


def test_el_menu_lleva_al_equipo_solo_a_la_coordinacion(client, coordinador, delegada_salud, plan_pequeno):
    client.force_login(coordinador)
    assert f'href="{reverse("equipo")}"' in client.get(reverse("plan_vigente")).content.decode()
    client.force_login(delegada_salud)
    assert f'href="{reverse("equipo")}"' not in client.get(reverse("plan_vigente")).content.decode()


def test_sin_secretarias_la_invitacion_lo_explica(client, entidad_candelaria):
    client.force_login(crear_usuario("cata.candelaria", "Coordinador", entidad=entidad_candelaria))
    html = client.get(reverse("equipo_invitar")).content.decode()
    assert "Su entidad todavía no tiene secretarías" in html
    assert Secretaria.objects.de_entidad(entidad_candelaria).count() == 0


def test_dos_invitaciones_al_mismo_correo_a_la_vez_crean_una_sola_cuenta(
    coordinador, entidad, salud, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """The second invitation passed its check before the first one committed: the unique username stops it."""
    argumentos = {
        "entidad": entidad,
        "autor": coordinador,
        "nombres": "Lucía",
        "apellidos": "Martínez",
        "correo": "lucia@candelaria.gov.co",
        "secretarias": [salud],
        "absoluta": lambda ruta: f"http://testserver{ruta}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        acciones.invitar(**argumentos)
        monkeypatch.setattr(acciones, "correo_en_uso", lambda correo: False)  # the check saw nothing yet
        with pytest.raises(acciones.ErrorEquipo, match="Ya existe una cuenta con el correo lucia@candelaria.gov.co"):
            acciones.invitar(**argumentos)
    assert User.objects.filter(username="lucia@candelaria.gov.co").count() == 1
    assert CambioEquipo.objects.count() == 1 and len(mailoutbox) == 1
