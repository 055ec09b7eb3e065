"""Isolation: a delegate never sees, changes or downloads another secretariat's evidence or files."""

import pytest
from django.urls import reverse

from conftest import crear_usuario
from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png, datos_evidencia, subida


@pytest.fixture
def de_salud(evidencia_salud, delegada_salud):
    """Salud's draft with a photo and a PDF."""
    guardar_archivos(
        evidencia_salud,
        [revisar_archivo(subida("foto.png", bytes_png())), revisar_archivo(subida("acta.pdf", bytes_pdf()))],
        usuario=delegada_salud,
    )
    return evidencia_salud


def urls_de(evidencia):
    foto, acta = evidencia.archivos.order_by("pk")
    return {
        ("get", "evidencia_detalle"): reverse("evidencia_detalle", args=[evidencia.pk]),
        ("get", "evidencia_editar"): reverse("evidencia_editar", args=[evidencia.pk]),
        ("post", "evidencia_editar"): reverse("evidencia_editar", args=[evidencia.pk]),
        ("get", "evidencia_eliminar"): reverse("evidencia_eliminar", args=[evidencia.pk]),
        ("post", "evidencia_eliminar"): reverse("evidencia_eliminar", args=[evidencia.pk]),
        ("post", "evidencia_enviar"): reverse("evidencia_enviar", args=[evidencia.pk]),
        ("get", "archivo_descargar"): reverse("archivo_descargar", args=[acta.pk]),
        ("get", "archivo_ver"): reverse("archivo_ver", args=[foto.pk]),
    }


def test_otra_secretaria_recibe_404_en_cada_vista(client, de_salud, delegado_hacienda, hacienda):
    client.force_login(delegado_hacienda)
    datos = datos_evidencia(de_salud.meta, hacienda, descripcion="Cambiada por Hacienda")
    for (metodo, nombre), url in urls_de(de_salud).items():
        respuesta = client.post(url, datos) if metodo == "post" else client.get(url)
        assert respuesta.status_code == 404, f"{metodo} {nombre}"
    evidencia = Evidencia.objects.get(pk=de_salud.pk)
    assert evidencia.descripcion != "Cambiada por Hacienda"
    assert evidencia.estado == Evidencia.Estado.BORRADOR
    assert evidencia.archivos.count() == 2


def test_otra_secretaria_no_la_ve_en_su_lista_ni_en_filtros(client, de_salud, evidencia_hacienda, delegado_hacienda):
    client.force_login(delegado_hacienda)
    respuesta = client.get(reverse("evidencia_lista"))
    assert list(respuesta.context["pagina"].object_list) == [evidencia_hacienda]
    assert [m.codigo for m in respuesta.context["filtro"].fields["meta"].queryset] == ["2.1"]
    filtrada = client.get(reverse("evidencia_lista"), {"meta": de_salud.meta.pk}).context["pagina"].object_list
    assert de_salud not in filtrada


def test_otra_persona_de_la_misma_secretaria_si_puede(client, de_salud, salud):
    companera = crear_usuario("sofia.salud", "Delegado")
    salud.delegados.add(companera)
    client.force_login(companera)
    for (metodo, nombre), url in urls_de(de_salud).items():
        if metodo == "get":
            assert client.get(url).status_code == 200, nombre


def test_comite_ve_todo_pero_no_modifica(client, de_salud, comite):
    client.force_login(comite)
    urls = urls_de(de_salud)
    for clave in [("get", "evidencia_detalle"), ("get", "archivo_descargar"), ("get", "archivo_ver")]:
        assert client.get(urls[clave]).status_code == 200
    respuesta = client.get(urls["get", "evidencia_editar"])
    assert respuesta["Location"] == de_salud.get_absolute_url()
    client.post(urls["post", "evidencia_eliminar"])
    assert Evidencia.objects.filter(pk=de_salud.pk).exists()


def test_sin_sesion_todo_pide_iniciar_sesion(client, de_salud):
    urls = [
        *urls_de(de_salud).values(),
        reverse("mis_metas"),
        reverse("evidencia_lista"),
        reverse("evidencia_crear"),
        reverse("evidencia_aprobar", args=[de_salud.pk]),
        reverse("evidencia_devolver", args=[de_salud.pk]),
    ]
    for url in urls:
        respuesta = client.post(url) if "enviar" in url or "aprobar" in url or "devolver" in url else client.get(url)
        assert respuesta.status_code == 302, url
        assert respuesta["Location"].startswith(reverse("login")), url


def test_el_alcance_es_un_solo_metodo_de_queryset(
    de_salud, evidencia_hacienda, delegado_hacienda, delegada_salud, coordinador
):
    assert list(Evidencia.objects.visible_para(delegado_hacienda)) == [evidencia_hacienda]
    assert list(Evidencia.objects.visible_para(delegada_salud)) == [de_salud]
    assert set(Evidencia.objects.visible_para(coordinador)) == {de_salud, evidencia_hacienda}
    assert list(Evidencia.objects.editables_por(coordinador)) == []


def test_paginas_de_error_en_espanol(client, de_salud, delegado_hacienda, comite, settings):
    settings.DEBUG = False
    client.force_login(delegado_hacienda)
    no_encontrada = client.get(de_salud.get_absolute_url())
    assert "no está a cargo de su secretaría" in no_encontrada.content.decode()
    client.force_login(comite)
    prohibida = client.get(reverse("evidencia_crear"))
    assert prohibida.status_code == 403
    assert "Su usuario no pertenece a ninguna secretaría." in prohibida.content.decode()
