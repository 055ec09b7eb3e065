"""The coordinator imports the cronograma from the browser: upload → preview → confirm."""

import io
import os
import time
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import crear_usuario
from plan_participacion import importacion
from plan_participacion.importer import importar
from plan_participacion.models import (
    Entidad,
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Plan,
    ProgramacionMensual,
    Secretaria,
)
from plan_participacion.tests.test_importer_leer import SEMILLA, en_bytes, libro_de_el_cerrito
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import EvidenciaFactory

MODELOS = [Plan, LineaAccion, Estrategia, Meta, Indicador, ProgramacionMensual, Secretaria]


def filas():
    """How many rows the plan's tables (and their history) hold: a preview must not change it."""
    return {m.__name__: (m.objects.count(), m.history.count()) for m in MODELOS}


def subir(client, contenido=None, nombre="seed_candelaria.tsv"):
    contenido = SEMILLA.read_bytes() if contenido is None else contenido
    return client.post(reverse("plan_importar"), {"archivo": SimpleUploadedFile(nombre, contenido)})


def token_de(respuesta):
    return respuesta.context["form"].initial["token"]


def confirmar(client, token, **datos):
    return client.post(reverse("plan_importar_confirmar"), {"token": token, **datos})


def pendientes():
    carpeta = settings.PRIVATE_MEDIA_ROOT / importacion.CARPETA
    return sorted(p.name for p in carpeta.iterdir()) if carpeta.is_dir() else []


@pytest.fixture(autouse=True)
def almacen_privado(settings, tmp_path):
    """Pending sheets of each test go to its own temporary private folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "media_privada"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def como_coordinador(client, coordinadora_candelaria):
    """Candelaria's coordinator: the seed is her entity's sheet."""
    client.force_login(coordinadora_candelaria)
    return client


@pytest.mark.django_db
def test_la_vista_previa_muestra_el_arbol_los_conteos_y_las_advertencias_sin_guardar_nada(
    como_coordinador, almacen_privado
):
    antes = filas()
    respuesta = subir(como_coordinador)

    assert respuesta.status_code == 200
    assert filas() == antes
    html = respuesta.content.decode()
    resumen = respuesta.context["resumen"]
    assert (resumen.lineas, resumen.estrategias, resumen.metas, resumen.total_programado) == (2, 6, 28, 74)
    assert '<dd class="col-5 col-sm-8 col-lg-9" data-conteo="metas">28</dd>' in html
    assert '<dd class="col-5 col-sm-8 col-lg-9" data-conteo="programado">74</dd>' in html
    assert len(respuesta.context["advertencias"]) == 4
    assert "<td>13</td><td>U</td>" in html  # the warning names its row and column
    assert "<td>10</td><td>D</td><td>la numeración «1. 3.» de la meta tiene espacios; se leyó como 1.3.</td>" in html
    assert resumen.entidad == "Municipio de Candelaria" and not resumen.entidad_nueva
    assert 'id="diferencias"' not in html  # a new plan: nothing to compare with
    assert "Secretaría de Educación, Cultura y Turismo" in html  # responsables in the tree
    assert html.count('id="previa-estrategia-') == 6
    assert "--reemplazar" not in html and "plan-existente" not in html
    # The sheet waits in the private folder, under a random name known to this session only.
    assert pendientes() == [token_de(respuesta)]
    assert (almacen_privado / "importaciones" / token_de(respuesta)).is_file()


@pytest.mark.django_db
def test_confirmar_importa_atribuye_el_historial_y_lleva_a_la_pagina_del_plan(
    como_coordinador, coordinadora_candelaria, entidad_candelaria
):
    token = token_de(subir(como_coordinador))

    respuesta = confirmar(como_coordinador, token)

    plan = Plan.objects.get()
    assert respuesta.status_code == 302
    assert respuesta["Location"] == plan.get_absolute_url()
    assert plan.entidad == entidad_candelaria
    assert Meta.objects.count() == 28
    assert plan.history.get().history_user == coordinadora_candelaria
    assert Meta.history.filter(history_user=coordinadora_candelaria).count() == 28
    assert pendientes() == []  # deleted once imported
    pagina = como_coordinador.get(respuesta["Location"])
    mensaje = [str(m) for m in pagina.context["messages"]]
    assert mensaje == [
        f"Plan importado: {plan}. 2 líneas de acción, 6 estrategias, 28 metas, 28 indicadores y 74 actividades "
        "programadas."
    ]


@pytest.mark.django_db
def test_confirmar_dos_veces_no_importa_dos_veces(como_coordinador):
    token = token_de(subir(como_coordinador))
    confirmar(como_coordinador, token)
    respuesta = confirmar(como_coordinador, token)
    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("plan_importar")
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_un_libro_de_excel_tambien_se_importa(client):
    el_cerrito = Entidad.objects.create(nombre="Municipio de El Cerrito")
    client.force_login(crear_usuario("elsa.cerrito", "Coordinador", entidad=el_cerrito))
    respuesta = subir(client, en_bytes(libro_de_el_cerrito()), "plan 2024.xlsx")
    assert respuesta.status_code == 200, respuesta.context.get("error")
    assert respuesta.context["resumen"].hoja == "Plan 2024"
    confirmar(client, token_de(respuesta))
    assert Plan.objects.get().archivo_origen == "plan 2024.xlsx"
    assert Plan.objects.get().entidad == el_cerrito


def bomba():
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("[Content_Types].xml", "<Types/>")
        archivo.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    return salida.getvalue()


ARCHIVOS_MALOS = {
    "imagen": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "foto.xlsx", "no es una hoja de cálculo"),
    "texto renombrado": (b"Lista de compras:\n- papel\n", "cronograma.xlsx", "no es un libro de Excel"),
    "xlsx cortado": (None, "cronograma.xlsx", "está dañado o incompleto"),
    "sin encabezado": (b"Nombre\tFirma\nAna\tx\n", "asistencia.tsv", "No se encontró el encabezado del cronograma"),
    "bomba": (None, "plan.xlsx", "al descomprimirlo; se rechazó por seguridad"),
    "demasiado grande": (None, "grande.tsv", "pesa más de 4 KB (el máximo permitido)"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("caso", sorted(ARCHIVOS_MALOS))
def test_un_archivo_malo_muestra_su_mensaje_y_no_guarda_nada(como_coordinador, settings, caso):
    contenido, nombre, mensaje = ARCHIVOS_MALOS[caso]
    if caso == "xlsx cortado":
        completo = en_bytes(libro_de_el_cerrito())
        contenido = completo[: len(completo) // 2]
    elif caso == "bomba":
        settings.IMPORTADOR_MAX_DESCOMPRIMIDO = 1024 * 1024
        contenido = bomba()
    elif caso == "demasiado grande":
        settings.IMPORTADOR_MAX_BYTES = 4 * 1024
        contenido = SEMILLA.read_bytes()
    antes = filas()

    respuesta = subir(como_coordinador, contenido, nombre)

    assert respuesta.status_code == 200
    assert mensaje in respuesta.content.decode()
    assert "resumen" not in respuesta.context
    assert filas() == antes
    assert pendientes() == []


@pytest.mark.django_db
def test_sin_archivo_se_pide_el_archivo(como_coordinador):
    respuesta = como_coordinador.post(reverse("plan_importar"), {})
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors["archivo"]


@pytest.mark.django_db
def test_el_token_de_otra_persona_no_sirve(como_coordinador):
    token = token_de(subir(como_coordinador))
    otra = crear_usuario("olga.coordinadora", "Coordinador")
    otro_cliente = Client()  # another browser, another session
    otro_cliente.force_login(otra)
    respuesta = confirmar(otro_cliente, token)

    assert respuesta.status_code == 302 and respuesta["Location"] == reverse("plan_importar")
    assert not Plan.objects.exists()
    assert pendientes() == [token]  # still there for its owner
    assert confirmar(como_coordinador, token).status_code == 302
    assert Plan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["../../settings", "x" * 43, ""])
def test_un_token_inventado_no_sirve(como_coordinador, token):
    subir(como_coordinador)
    respuesta = confirmar(como_coordinador, token)
    assert respuesta["Location"] == reverse("plan_importar")
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_una_vista_previa_vencida_no_se_confirma_y_su_archivo_se_borra(como_coordinador):
    token = token_de(subir(como_coordinador))
    sesion = como_coordinador.session
    sesion[importacion.CLAVE_SESION]["creado"] -= importacion.VIGENCIA_SEGUNDOS + 1
    sesion.save()

    assert confirmar(como_coordinador, token)["Location"] == reverse("plan_importar")
    assert not Plan.objects.exists()
    assert pendientes() == []


@pytest.mark.django_db
def test_los_archivos_abandonados_se_borran_en_la_siguiente_subida(como_coordinador, coordinadora_candelaria):
    viejo = token_de(subir(como_coordinador))  # a preview left open in a browser never used again
    hace_dos_horas = time.time() - 2 * importacion.VIGENCIA_SEGUNDOS
    os.utime(settings.PRIVATE_MEDIA_ROOT / importacion.CARPETA / viejo, (hace_dos_horas, hace_dos_horas))
    otro_navegador = Client()
    otro_navegador.force_login(coordinadora_candelaria)
    nuevo = token_de(subir(otro_navegador))
    assert pendientes() == [nuevo]


def hoja_cambiada(*reemplazos):
    texto = SEMILLA.read_text(encoding="utf-8")
    for antes, despues in reemplazos:
        assert antes in texto, antes
        texto = texto.replace(antes, despues)
    return texto.encode("utf-8")


@pytest.mark.django_db
def test_reimportar_muestra_los_cambios_y_al_confirmar_actualiza_el_mismo_plan(
    como_coordinador, coordinadora_candelaria
):
    confirmar(como_coordinador, token_de(subir(como_coordinador)))
    primero = Plan.objects.get()
    hoja = hoja_cambiada(("1.2. Un (1) plan de mejora anual", "1.2. Dos (2) planes de mejora anuales"))

    respuesta = subir(como_coordinador, hoja, "cronograma v2.tsv")

    html = respuesta.content.decode()
    assert respuesta.context["existente"] == primero
    assert 'id="diferencias"' in html and "Cambios frente al plan guardado" in html
    assert '<tr data-cambio="meta-cambiada"><td class="text-nowrap">Meta 1.2</td>' in html
    assert "cantidad objetivo: 1 → 2" in html
    assert "Confirmar y actualizar el plan" in html
    assert 'name="usar_hoja"' not in html  # nothing edited in the app: nothing to choose
    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 1  # the preview saved nothing

    confirmado = confirmar(como_coordinador, token_de(respuesta), actualizar="True")

    assert confirmado["Location"] == primero.get_absolute_url()
    assert list(Plan.objects.all()) == [primero]
    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 2
    cambio = Meta.history.filter(codigo="1.2").latest()
    assert (cambio.history_user, cambio.history_change_reason) == (
        coordinadora_candelaria,
        "importación: cronograma v2.tsv",
    )
    mensajes = [str(m) for m in como_coordinador.get(confirmado["Location"]).context["messages"]]
    assert mensajes == [f"Plan actualizado: {primero}. 1 cambio(s) aplicado(s)."]


@pytest.mark.django_db
def test_si_otro_importo_el_plan_mientras_tanto_se_vuelve_a_la_vista_previa(como_coordinador):
    token = token_de(subir(como_coordinador))  # a new plan when previewed
    importar(SEMILLA)  # someone else imports it meanwhile

    respuesta = confirmar(como_coordinador, token)

    assert respuesta.status_code == 200
    assert "Mientras revisaba la vista previa se importó el plan" in respuesta.content.decode()
    assert respuesta.context["diferencias"].vacia
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_un_plan_con_evidencias_muestra_la_vista_previa_y_se_actualiza_sin_perderlas(
    como_coordinador, coordinadora_candelaria, entidad_candelaria
):
    confirmar(como_coordinador, token_de(subir(como_coordinador)))
    salud = entidad_candelaria.secretarias.get(nombre__startswith="Secretaría de Salud")
    delegada = crear_usuario("sara.salud", "Delegado", entidad=entidad_candelaria)
    salud.delegados.add(delegada)
    evidencia = EvidenciaFactory(meta=Meta.objects.get(codigo="1.6"), secretaria=salud, autor=delegada)
    meta_1_2 = Meta.objects.get(codigo="1.2")
    meta_1_2.cantidad_objetivo, meta_1_2._history_user = 3, coordinadora_candelaria
    meta_1_2.save()  # edited in the app, as in the admin
    hoja = hoja_cambiada(
        (" 1.6. Una (1) estrategia de socialización", " Una (1) estrategia de socialización"),
        ("1.6.1. Numero de reuniones", "Numero de reuniones"),
    )

    respuesta = subir(como_coordinador, hoja, "sin la 1.6.tsv")

    html = respuesta.content.decode()
    assert respuesta.status_code == 200 and 'id="diferencias"' in html
    assert "Meta 1.6 ya no está en la hoja, pero tiene 1 evidencia(s)" in html
    assert "Meta 1.2: se conserva cantidad objetivo 3, editado en la aplicación por Catalina Vélez" in html
    assert 'name="usar_hoja"' in html

    confirmar(como_coordinador, token_de(respuesta), actualizar="True")

    evidencia.refresh_from_db()
    assert evidencia.meta.codigo == "1.6" and evidencia.meta.fuera_de_la_hoja
    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 3
    assert Evidencia.objects.count() == 1 and Plan.objects.count() == 1
    pagina = como_coordinador.get(Plan.objects.get().get_absolute_url()).content.decode()
    assert "ya no está en la hoja" in pagina


@pytest.mark.django_db
def test_usar_los_valores_de_la_hoja_toma_la_cantidad_de_la_hoja(como_coordinador, coordinadora_candelaria):
    confirmar(como_coordinador, token_de(subir(como_coordinador)))
    meta = Meta.objects.get(codigo="1.2")
    meta.cantidad_objetivo, meta._history_user = 3, coordinadora_candelaria
    meta.save()

    token = token_de(subir(como_coordinador))
    confirmar(como_coordinador, token, actualizar="True", usar_hoja="on")

    assert Meta.objects.get(codigo="1.2").cantidad_objetivo == 1


@pytest.mark.django_db
def test_la_hoja_de_otro_municipio_se_rechaza_para_un_coordinador(client, coordinador):
    client.force_login(coordinador)  # coordinates "Municipio de Prueba"
    antes = filas()

    respuesta = subir(client)

    html = respuesta.content.decode()
    assert respuesta.status_code == 200 and "resumen" not in respuesta.context
    assert (
        "La hoja es del Municipio de Candelaria, pero usted pertenece a Municipio de Prueba: solo puede importar "
        "planes de su entidad."
    ) in html
    assert filas() == antes and pendientes() == []


@pytest.mark.django_db
def test_un_coordinador_sin_entidad_no_importa(client):
    client.force_login(crear_usuario("olga.sin.entidad", "Coordinador"))
    html = subir(client).content.decode()
    assert "Su usuario no pertenece a ninguna entidad" in html
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_el_administrador_importa_otro_municipio_y_crea_su_entidad_con_sus_secretarias(
    client, entidad_candelaria, coordinadora_candelaria
):
    importar(SEMILLA)  # Candelaria's plan and its 13 secretarías
    administradora = crear_usuario("ana.administradora", "Administrador", is_staff=True)
    client.force_login(administradora)
    pradera = hoja_cambiada(("MUNICIPIO DE CANDELARIA", "MUNICIPIO DE PRADERA"))

    respuesta = subir(client, pradera, "pradera.tsv")

    assert respuesta.context["resumen"].entidad == "Municipio de Pradera"
    assert "nueva: se creará con sus propias secretarías" in respuesta.content.decode()
    assert len(respuesta.context["resumen"].secretarias_nuevas) == 13
    confirmar(client, token_de(respuesta))

    plan = Plan.objects.get(municipio="Municipio de Pradera")
    assert plan.entidad.nombre == "Municipio de Pradera"
    assert plan.entidad.secretarias.count() == 13 and entidad_candelaria.secretarias.count() == 13
    responsables = Secretaria.objects.filter(estrategias__objetivo__linea__plan=plan).distinct()
    assert set(responsables.values_list("entidad", flat=True)) == {plan.entidad_id}
    # Candelaria's coordinator does not see Pradera's plan.
    client.force_login(coordinadora_candelaria)
    assert client.get(plan.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["delegada_salud", "comite"])
def test_solo_el_coordinador_puede_subir_o_confirmar(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("plan_importar")).status_code == 403
    assert subir(client).status_code == 403
    assert confirmar(client, "x" * 43).status_code == 403
    assert not Plan.objects.exists() and pendientes() == []


@pytest.mark.django_db
def test_sin_sesion_se_pide_entrar(client):
    respuesta = subir(client)
    assert respuesta.status_code == 302 and respuesta["Location"].startswith(reverse("login"))
    assert pendientes() == []


@pytest.mark.django_db
def test_el_menu_y_la_pagina_sin_plan_enlazan_la_importacion(como_coordinador, client, comite):
    pagina = como_coordinador.get(reverse("plan_vigente")).content.decode()
    assert pagina.count(f'href="{reverse("plan_importar")}"') == 2  # menu and empty state
    client.force_login(comite)
    assert reverse("plan_importar") not in client.get(reverse("plan_vigente")).content.decode()
