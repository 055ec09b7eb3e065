"""Files kept on the server for an evidence form not saved yet: across errors, and uploaded in pieces.

Whatever way a file arrives (in the form, kept after an error, or in pieces after a dropped
connection), what is stored is what the ordinary path stores: the same checks, the same bytes, the
same SHA-256.
"""

import datetime
import hashlib

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from seguimiento import preparados
from seguimiento.archivos import revisar_archivo
from seguimiento.models import ArchivoPreparado, EdicionEvidencia, Evidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png, datos_evidencia, subida

Estado = ArchivoPreparado.Estado
URL_NUEVA = "/evidencias/nueva/"


@pytest.fixture
def daniela(client, delegada_salud):
    client.force_login(delegada_salud)
    return client


@pytest.fixture
def meta(plan_pequeno):
    return plan_pequeno.metas().get(codigo="1.2")


def sha_del_camino_normal(nombre, contenido):
    """The SHA-256 the ordinary upload path stores for these bytes (images are re-encoded)."""
    return revisar_archivo(subida(nombre, contenido)).sha256


def foto_grande():
    """A PNG of ~100 KB whose pixels do not compress: several pieces."""
    import io
    import random

    from PIL import Image

    azar = random.Random(16)
    imagen = Image.frombytes("RGB", (200, 200), bytes(azar.getrandbits(8) for _ in range(200 * 200 * 3)))
    salida = io.BytesIO()
    imagen.save(salida, "PNG")
    return salida.getvalue()


def archivos_en(almacen, carpeta):
    return sorted(p for p in (almacen / carpeta).rglob("*") if p.is_file()) if (almacen / carpeta).exists() else []


# ---- kept across errors (no JavaScript) ----


def test_un_error_en_otro_campo_conserva_los_archivos_y_guardar_los_adjunta(
    daniela, meta, salud, almacen_temporal, delegada_salud
):
    pdf, png = bytes_pdf(), bytes_png(tamano=(30, 20))
    malo = datos_evidencia(meta, salud, mujeres=30, archivos=[subida("acta.pdf", pdf), subida("foto.png", png)])
    respuesta = daniela.post(URL_NUEVA, malo)
    html = respuesta.content.decode()
    assert respuesta.status_code == 200 and not Evidencia.objects.exists()
    assert "La suma de participantes por sexo (38) supera el total de participantes (20)." in html
    assert "Los archivos que pasaron la revisión quedaron adjuntos" in html
    lote = respuesta.context["form"].lote
    assert [p.nombre for p in respuesta.context["form"].preparados] == ["acta.pdf", "foto.png"]
    assert html.count('name="quitar_preparado"') == 2
    assert f'name="lote" value="{lote}"' in html
    assert len(archivos_en(almacen_temporal, "preparados")) == 2
    assert not archivos_en(almacen_temporal, "evidencias")

    # Fixed, and saved without picking the files again.
    respuesta = daniela.post(URL_NUEVA, datos_evidencia(meta, salud, lote=lote))
    evidencia = Evidencia.objects.get()
    assert respuesta["Location"] == evidencia.get_absolute_url()
    guardados = {a.nombre_original: a for a in evidencia.archivos.all()}
    assert guardados["acta.pdf"].sha256 == hashlib.sha256(pdf).hexdigest() == sha_del_camino_normal("a.pdf", pdf)
    assert guardados["foto.png"].sha256 == sha_del_camino_normal("foto.png", png)
    assert guardados["foto.png"].sha256_original == hashlib.sha256(png).hexdigest()
    assert all(a.subido_por == delegada_salud for a in guardados.values())
    # Nothing left waiting; the browser is told its typed copy can go.
    assert not ArchivoPreparado.objects.exists() and not archivos_en(almacen_temporal, "preparados")
    assert daniela.session["borradores_guardados"] == ["nueva"]
    detalle = daniela.get(evidencia.get_absolute_url()).content.decode()
    assert 'data-borradores-guardados="nueva"' in detalle
    assert "borradores_guardados" not in daniela.session


def test_quitar_un_archivo_ya_adjunto_sin_javascript_no_guarda_el_formulario(daniela, meta, salud):
    respuesta = daniela.post(
        URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("a.pdf", bytes_pdf())])
    )
    form = respuesta.context["form"]
    (preparado,) = form.preparados
    respuesta = daniela.post(URL_NUEVA, datos_evidencia(meta, salud, lote=form.lote, quitar_preparado=preparado.token))
    assert respuesta.status_code == 200, "quitar muestra el formulario otra vez; no lo guarda aunque sea válido"
    assert not Evidencia.objects.exists()
    assert "Se quitó «a.pdf»." in respuesta.content.decode()
    assert respuesta.context["form"].preparados == []
    assert not ArchivoPreparado.objects.exists()


def test_otra_sesion_u_otra_persona_no_adjunta_los_archivos_de_un_formulario(
    daniela, meta, salud, delegada_salud, delegado_hacienda
):
    respuesta = daniela.post(
        URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("a.pdf", bytes_pdf())])
    )
    lote = respuesta.context["form"].lote
    otra_sesion = Client()
    otra_sesion.force_login(delegada_salud)  # a session of its own
    assert otra_sesion.get(reverse("subida_iniciar"), {"lote": lote, "formulario": "nueva"}).json() == {"archivos": []}
    otra_sesion.post(URL_NUEVA, datos_evidencia(meta, salud, lote=lote))
    assert Evidencia.objects.get().archivos.count() == 0
    assert ArchivoPreparado.objects.filter(estado=Estado.LISTO).count() == 1  # still Daniela's, in her session
    token = ArchivoPreparado.objects.get().token
    assert otra_sesion.delete(reverse("subida_trozo", args=[token])).status_code == 404
    hernan = Client()
    hernan.force_login(delegado_hacienda)
    assert hernan.get(reverse("subida_trozo", args=[token])).status_code == 404


def test_lo_abandonado_se_borra_pasado_un_dia(daniela, meta, salud, almacen_temporal, settings):
    with time_machine.travel(datetime.datetime(2024, 3, 10, 9, tzinfo=datetime.UTC), tick=False):
        daniela.post(URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("a.pdf", bytes_pdf())]))
    assert ArchivoPreparado.objects.count() == 1
    with time_machine.travel(datetime.datetime(2024, 3, 11, 8, tzinfo=datetime.UTC), tick=False):
        assert preparados.purgar_vencidos() == 0  # 23 hours: still waiting
    with time_machine.travel(datetime.datetime(2024, 3, 11, 10, tzinfo=datetime.UTC), tick=False):
        # Any new file prepared sweeps what nobody saved within PREPARADOS_HORAS.
        daniela.post(URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("b.pdf", bytes_pdf())]))
    assert [p.nombre for p in ArchivoPreparado.objects.all()] == ["b.pdf"]
    assert len(archivos_en(almacen_temporal, "preparados")) == 1


def test_un_formulario_enviado_dos_veces_adjunta_los_archivos_una_vez(daniela, meta, salud):
    respuesta = daniela.post(
        URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("a.pdf", bytes_pdf())])
    )
    (preparado,) = respuesta.context["form"].preparados
    with preparados.adjuntar([preparado]) as revisados:
        assert [r.nombre for r in revisados] == ["a.pdf"]
        with pytest.raises(preparados.PreparadoPerdido), preparados.adjuntar([preparado]):
            pass
    assert not ArchivoPreparado.objects.exists()


def test_si_guardar_falla_los_archivos_siguen_adjuntos(daniela, meta, salud):
    respuesta = daniela.post(
        URL_NUEVA, datos_evidencia(meta, salud, cantidad=0, archivos=[subida("a.pdf", bytes_pdf())])
    )
    (preparado,) = respuesta.context["form"].preparados
    with pytest.raises(RuntimeError), preparados.adjuntar([preparado]):
        raise RuntimeError("la base se cayó")
    assert ArchivoPreparado.objects.get().estado == Estado.LISTO


# ---- uploads in pieces ----


def iniciar(client, nombre, contenido, lote="L" * 32, formulario="nueva"):
    respuesta = client.post(
        reverse("subida_iniciar"), {"lote": lote, "formulario": formulario, "nombre": nombre, "tamano": len(contenido)}
    )
    assert respuesta.status_code == 201, respuesta.content
    return respuesta.json()


def pieza(client, url, contenido, inicio, fin):
    return client.put(
        url,
        contenido[inicio:fin],
        content_type="application/octet-stream",
        headers={"Content-Range": f"bytes {inicio}-{fin - 1}/{len(contenido)}"},
    )


@pytest.mark.parametrize(("nombre", "contenido"), [("foto.png", foto_grande()), ("acta.pdf", bytes_pdf() * 1)])
def test_en_piezas_guarda_lo_mismo_que_el_camino_normal(daniela, settings, nombre, contenido, almacen_temporal):
    settings.SUBIDA_TROZO_BYTES = 16 * 1024
    subida_ = iniciar(daniela, nombre, contenido)
    assert subida_["recibido"] == 0 and subida_["estado"] == "subiendo"
    for inicio in range(0, len(contenido), settings.SUBIDA_TROZO_BYTES):
        fin = min(inicio + settings.SUBIDA_TROZO_BYTES, len(contenido))
        respuesta = pieza(daniela, subida_["url"], contenido, inicio, fin)
        assert respuesta.status_code == 200, respuesta.content
    final = respuesta.json()
    assert final["estado"] == "listo"
    assert final["sha256"] == sha_del_camino_normal(nombre, contenido)
    preparado = ArchivoPreparado.objects.get()
    guardado = preparados.ruta(preparado).read_bytes()
    assert hashlib.sha256(guardado).hexdigest() == final["sha256"]
    assert not preparados.ruta(preparado, parte=True).exists()


def test_una_pieza_fuera_de_lugar_recibe_lo_que_tiene_el_servidor_y_se_sigue_desde_ahi(daniela, settings):
    settings.SUBIDA_TROZO_BYTES = 100
    contenido = bytes_pdf()
    subida_ = iniciar(daniela, "acta.pdf", contenido)
    assert pieza(daniela, subida_["url"], contenido, 0, 100).status_code == 200
    # The answer got lost and the browser sends the same piece again: nothing is written twice.
    repetida = pieza(daniela, subida_["url"], contenido, 0, 100)
    assert repetida.status_code == 409 and repetida.json()["recibido"] == 100
    adelantada = pieza(daniela, subida_["url"], contenido, 200, 300)
    assert adelantada.status_code == 409 and adelantada.json()["recibido"] == 100
    assert daniela.get(subida_["url"]).json()["recibido"] == 100
    for inicio in range(100, len(contenido), 100):
        respuesta = pieza(daniela, subida_["url"], contenido, inicio, min(inicio + 100, len(contenido)))
    assert respuesta.json()["estado"] == "listo"
    assert respuesta.json()["sha256"] == hashlib.sha256(contenido).hexdigest()


def test_bytes_sobrantes_de_un_intento_fallido_se_cortan(daniela, settings):
    settings.SUBIDA_TROZO_BYTES = 100
    contenido = bytes_pdf()
    subida_ = iniciar(daniela, "acta.pdf", contenido)
    preparado = ArchivoPreparado.objects.get()
    # A try wrote its piece and then failed before recording it: the file has bytes the row does not count.
    preparados.ruta(preparado, parte=True).write_bytes(contenido[:100] + b"basura")
    for inicio in range(0, len(contenido), 100):
        respuesta = pieza(daniela, subida_["url"], contenido, inicio, min(inicio + 100, len(contenido)))
    assert respuesta.json()["sha256"] == hashlib.sha256(contenido).hexdigest()


@pytest.mark.parametrize(
    ("cabeceras", "status", "mensaje"),
    [
        ({"Content-Range": "bytes 0-99/5"}, 400, "no describe una parte"),
        ({"Content-Range": "0-99"}, 400, "Content-Range: bytes inicio-fin/total"),
        ({}, 400, "Content-Range"),
        ({"Content-Range": "bytes 0-9/999999"}, 400, "El tamaño del archivo cambió"),
    ],
)
def test_piezas_mal_descritas_se_rechazan(daniela, settings, cabeceras, status, mensaje):
    subida_ = iniciar(daniela, "acta.pdf", bytes_pdf())
    respuesta = daniela.put(
        subida_["url"],
        bytes_pdf()[:10] if "0-9" in str(cabeceras) else bytes_pdf()[:100],
        content_type="application/octet-stream",
        headers=cabeceras,
    )
    assert respuesta.status_code == status
    assert mensaje in respuesta.json()["error"]


def test_cada_pieza_tiene_un_limite(daniela, settings):
    settings.SUBIDA_TROZO_BYTES = 50
    contenido = bytes_pdf()
    subida_ = iniciar(daniela, "acta.pdf", contenido)
    respuesta = pieza(daniela, subida_["url"], contenido, 0, 51)
    assert respuesta.status_code == 413
    assert "Cada parte puede tener a lo sumo 50" in respuesta.json()["error"]
    assert ArchivoPreparado.objects.get().recibido == 0


def test_el_archivo_armado_pasa_por_la_misma_revision(daniela, settings, almacen_temporal):
    contenido = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    subida_ = iniciar(daniela, "foto.png", contenido)
    respuesta = pieza(daniela, subida_["url"], contenido, 0, len(contenido))
    assert respuesta.status_code == 422
    assert respuesta.json()["estado"] == "rechazado"
    assert "foto.png" in respuesta.json()["error"]
    assert not archivos_en(almacen_temporal, "preparados")
    assert daniela.delete(subida_["url"]).status_code == 200
    assert not ArchivoPreparado.objects.exists()


def test_limites_antes_de_subir(daniela, settings, evidencia_salud, monkeypatch):
    settings.ARCHIVO_MAX_BYTES = 1000
    grande = daniela.post(
        reverse("subida_iniciar"), {"lote": "L" * 32, "formulario": "nueva", "nombre": "g.pdf", "tamano": 1001}
    )
    assert grande.status_code == 413 and "el máximo por archivo es 1000" in grande.json()["error"]
    settings.EVIDENCIA_MAX_BYTES = 1500
    iniciar(daniela, "uno.pdf", b"x" * 900)
    segundo = daniela.post(
        reverse("subida_iniciar"), {"lote": "L" * 32, "formulario": "nueva", "nombre": "dos.pdf", "tamano": 900}
    )
    assert segundo.status_code == 413 and "Los archivos de esta evidencia sumarían" in segundo.json()["error"]
    vacio = daniela.post(
        reverse("subida_iniciar"), {"lote": "L" * 32, "formulario": "nueva", "nombre": "v", "tamano": 0}
    )
    assert vacio.status_code == 400 and "está vacío" in vacio.json()["error"]
    settings.PREPARADOS_MAX_BYTES = 1000
    otro_formulario = daniela.post(
        reverse("subida_iniciar"), {"lote": "M" * 32, "formulario": "nueva", "nombre": "tres.pdf", "tamano": 200}
    )
    assert otro_formulario.status_code == 413 and "sin guardar en ningún reporte" in otro_formulario.json()["error"]
    settings.PREPARADOS_MAX_BYTES = 10**9
    monkeypatch.setattr(preparados, "MAX_ARCHIVOS_EN_ESPERA", 1)
    muchos = daniela.post(
        reverse("subida_iniciar"), {"lote": "M" * 32, "formulario": "nueva", "nombre": "cuatro.pdf", "tamano": 1}
    )
    assert muchos.status_code == 413 and "Ya tiene 1 archivos subidos sin guardar" in muchos.json()["error"]


def test_solo_se_sube_a_una_evidencia_que_uno_puede_modificar(client, delegado_hacienda, evidencia_salud):
    client.force_login(delegado_hacienda)
    respuesta = client.post(
        reverse("subida_iniciar"),
        {"lote": "L" * 32, "formulario": f"evidencia-{evidencia_salud.pk}", "nombre": "a.pdf", "tamano": 10},
    )
    assert respuesta.status_code == 404


def test_editar_con_un_archivo_subido_en_piezas_lo_registra_en_el_historial(daniela, evidencia_salud, salud, settings):
    settings.SUBIDA_TROZO_BYTES = 128
    contenido = bytes_pdf("Lista de asistencia")
    lote = "E" * 32
    subida_ = iniciar(daniela, "lista.pdf", contenido, lote=lote, formulario=f"evidencia-{evidencia_salud.pk}")
    for inicio in range(0, len(contenido), 128):
        pieza(daniela, subida_["url"], contenido, inicio, min(inicio + 128, len(contenido)))
    listado = daniela.get(reverse("subida_iniciar"), {"lote": lote, "formulario": f"evidencia-{evidencia_salud.pk}"})
    assert [a["nombre"] for a in listado.json()["archivos"]] == ["lista.pdf"]
    # The same lote in a new form for the evidence (e.g. not the creation form) does not see it.
    assert daniela.get(reverse("subida_iniciar"), {"lote": lote, "formulario": "nueva"}).json() == {"archivos": []}

    url = reverse("evidencia_editar", args=[evidencia_salud.pk])
    formulario = daniela.get(url).context["form"]
    datos = datos_evidencia(evidencia_salud.meta, salud, fecha_actividad="12/03/2024", lote=lote)
    datos["version"] = formulario["version"].value()
    respuesta = daniela.post(url, datos)
    assert respuesta["Location"] == evidencia_salud.get_absolute_url()
    (archivo,) = evidencia_salud.archivos.all()
    assert (archivo.nombre_original, archivo.sha256) == ("lista.pdf", hashlib.sha256(contenido).hexdigest())
    edicion = EdicionEvidencia.objects.get(evidencia=evidencia_salud)
    assert edicion.archivos_agregados == [
        {"nombre": "lista.pdf", "tamano": len(contenido), "sha256": hashlib.sha256(contenido).hexdigest()}
    ]
    assert daniela.session["borradores_guardados"] == [f"evidencia-{evidencia_salud.pk}"]


def test_solo_delegados_y_con_sesion(client, coordinador, db):
    assert client.post(reverse("subida_iniciar"), {}).status_code == 302
    client.force_login(coordinador)
    assert client.post(reverse("subida_iniciar"), {}).status_code == 403
