"""The delegate's evidence pages: create, list, detail, edit, delete, send, and the files."""

import hashlib
from pathlib import Path

import pytest
from django.urls import reverse

from seguimiento import acciones
from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.models import ArchivoEvidencia, CambioEstado, Evidencia, GrupoValor
from seguimiento.tests.conftest import (
    EvidenciaFactory,
    bytes_docx,
    bytes_jpeg,
    bytes_pdf,
    bytes_png,
    datos_evidencia,
    subida,
)


@pytest.fixture
def daniela(client, delegada_salud):
    client.force_login(delegada_salud)
    return client


def adjuntar(evidencia, *archivos):
    guardar_archivos(evidencia, [revisar_archivo(a) for a in archivos], usuario=evidencia.autor)
    return list(evidencia.archivos.all())


# --- Create -------------------------------------------------------------------------------------


def test_crear_evidencia_con_archivos_y_participacion(daniela, plan_pequeno, salud, delegada_salud, almacen_temporal):
    meta = plan_pequeno.metas().get(codigo="1.2")
    jovenes, mujeres = GrupoValor.objects.get(nombre="Jóvenes"), GrupoValor.objects.get(nombre="Mujeres")
    datos = datos_evidencia(
        meta,
        salud,
        enlaces="https://candelaria.gov.co/noticias/reunion\n\n",
        archivos=[subida("Acta 12 de marzo.pdf", bytes_pdf()), subida("foto.jpg", bytes_jpeg())],
        **{f"grupo_{jovenes.pk}": 5, f"grupo_{mujeres.pk}": 12},
    )
    respuesta = daniela.post(reverse("evidencia_crear"), datos)
    evidencia = Evidencia.objects.get()
    assert respuesta.status_code == 302
    assert respuesta["Location"] == evidencia.get_absolute_url()
    assert evidencia.estado == Evidencia.Estado.BORRADOR
    assert evidencia.autor == delegada_salud
    assert evidencia.medios == ["acta", "registro_fotografico"]
    assert evidencia.enlaces == "https://candelaria.gov.co/noticias/reunion"
    assert {(p.grupo.nombre, p.cantidad) for p in evidencia.participacion_grupos.all()} == {
        ("Jóvenes", 5),
        ("Mujeres", 12),
    }
    archivos = {a.nombre_original: a for a in evidencia.archivos.all()}
    assert set(archivos) == {"Acta 12 de marzo.pdf", "foto.jpg"}
    assert archivos["foto.jpg"].tipo_contenido == "image/jpeg"
    assert archivos["Acta 12 de marzo.pdf"].sha256 == hashlib.sha256(bytes_pdf()).hexdigest()
    foto = (Path(almacen_temporal) / archivos["foto.jpg"].archivo.name).read_bytes()
    assert foto.startswith(b"\xff\xd8") and hashlib.sha256(foto).hexdigest() == archivos["foto.jpg"].sha256
    assert archivos["foto.jpg"].sha256_original == hashlib.sha256(bytes_jpeg()).hexdigest()
    (creacion,) = evidencia.historial.all()
    assert (creacion.estado_anterior, creacion.estado_nuevo, creacion.usuario) == ("", "borrador", delegada_salud)
    detalle = daniela.get(respuesta["Location"]).content.decode()
    assert "Borrador guardado." in detalle


def test_crear_preselecciona_meta_y_secretaria(daniela, plan_pequeno, salud):
    meta = plan_pequeno.metas().get(codigo="2.1")
    formulario = daniela.get(reverse("evidencia_crear"), {"meta": meta.pk}).context["form"]
    assert formulario["meta"].value() == meta.pk
    assert formulario["secretaria"].value() == salud.pk


def test_crear_ignora_meta_ajena_en_la_url(client, plan_pequeno, delegado_hacienda):
    client.force_login(delegado_hacienda)
    meta_salud = plan_pequeno.metas().get(codigo="1.1")
    formulario = client.get(reverse("evidencia_crear"), {"meta": meta_salud.pk}).context["form"]
    assert formulario["meta"].value() is None
    assert [m.codigo for m in formulario.fields["meta"].queryset] == ["2.1"]


def test_crear_sin_secretaria_es_prohibido(client, comite, plan_pequeno):
    client.force_login(comite)
    assert client.get(reverse("evidencia_crear")).status_code == 403
    assert client.post(reverse("evidencia_crear"), {}).status_code == 403


def test_crear_sin_plan_lo_explica(daniela):
    assert (
        "No hay metas del plan vigente a cargo de su secretaría"
        in daniela.get(reverse("evidencia_crear")).content.decode()
    )


# --- List ----------------------------------------------------------------------------------------


def test_lista_filtra_por_estado_y_meta(daniela, plan_pequeno, salud, delegada_salud):
    m11, m12 = plan_pequeno.metas().get(codigo="1.1"), plan_pequeno.metas().get(codigo="1.2")
    borrador = EvidenciaFactory(meta=m11, secretaria=salud, autor=delegada_salud, descripcion="Borrador de 1.1")
    enviada = EvidenciaFactory(
        meta=m12, secretaria=salud, autor=delegada_salud, descripcion="Enviada de 1.2", enlaces="https://a.co"
    )
    acciones.enviar(enviada, usuario=delegada_salud)

    def descripciones(**filtros):
        return [e.descripcion for e in daniela.get(reverse("evidencia_lista"), filtros).context["pagina"].object_list]

    assert set(descripciones()) == {borrador.descripcion, enviada.descripcion}
    assert descripciones(estado="enviada") == ["Enviada de 1.2"]
    assert descripciones(meta=m11.pk) == ["Borrador de 1.1"]
    assert descripciones(estado="aprobada") == []
    assert (
        "Ningún reporte cumple estos filtros."
        in daniela.get(reverse("evidencia_lista"), {"estado": "aprobada"}).content.decode()
    )


def test_lista_vacia_lo_explica(daniela, plan_pequeno):
    assert (
        "Todavía no hay reportes de avance de su secretaría" in daniela.get(reverse("evidencia_lista")).content.decode()
    )


def test_lista_paginada(daniela, plan_pequeno, salud, delegada_salud):
    meta = plan_pequeno.metas().get(codigo="1.2")
    for _n in range(25):
        EvidenciaFactory(meta=meta, secretaria=salud, autor=delegada_salud)
    primera = daniela.get(reverse("evidencia_lista"), {"estado": "borrador"})
    assert len(primera.context["pagina"].object_list) == 20
    assert "Página 1 de 2" in primera.content.decode()
    assert "estado=borrador&amp;pagina=2" in primera.content.decode()
    assert len(daniela.get(reverse("evidencia_lista"), {"pagina": 2}).context["pagina"].object_list) == 5


@pytest.mark.parametrize("cantidad", [2, 20])
def test_consultas_de_la_lista_no_crecen(
    daniela, plan_pequeno, salud, delegada_salud, django_assert_max_num_queries, cantidad
):
    meta = plan_pequeno.metas().get(codigo="1.2")
    for _n in range(cantidad):
        adjuntar(EvidenciaFactory(meta=meta, secretaria=salud, autor=delegada_salud), subida("a.pdf", bytes_pdf()))
    # 11 at most: the user's entidad and the plans it may see (seguimiento.vigencias) come before the list.
    with django_assert_max_num_queries(11):
        respuesta = daniela.get(reverse("evidencia_lista"))
    assert len(respuesta.context["pagina"].object_list) == cantidad


# --- Detail --------------------------------------------------------------------------------------


def test_detalle_muestra_datos_archivos_e_historial(daniela, evidencia_salud, delegada_salud, coordinador):
    adjuntar(evidencia_salud, subida("foto.png", bytes_png()), subida("acta.pdf", bytes_pdf()))
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Falta la lista de asistencia.")
    respuesta = daniela.get(evidencia_salud.get_absolute_url())
    html = respuesta.content.decode()
    png, pdf = evidencia_salud.archivos.order_by("nombre_original").reverse()
    assert "Devuelta por la coordinación" in html
    assert html.count("Falta la lista de asistencia.") == 2  # the notice and the history row
    assert "Enviar de nuevo a revisión" in html
    assert f'src="{reverse("archivo_ver", args=[png.pk])}"' in html  # preview of the image
    assert f'src="{reverse("archivo_ver", args=[pdf.pk])}"' not in html
    assert pdf.sha256 in html
    assert "Borrador → Enviada" in html and "Enviada → Devuelta" in html
    assert "Acta, Lista de asistencia" in html
    assert 'href="https://candelaria.gov.co/acta-12" rel="noopener noreferrer nofollow"' in html


# --- Edit and delete ------------------------------------------------------------------------------


def test_editar_borrador_cambia_datos_y_archivos(
    daniela, evidencia_salud, salud, almacen_temporal, django_capture_on_commit_callbacks
):
    (viejo,) = adjuntar(evidencia_salud, subida("viejo.pdf", bytes_pdf()))
    ruta_vieja = Path(almacen_temporal) / viejo.archivo.name
    datos = datos_evidencia(
        evidencia_salud.meta,
        salud,
        descripcion="Descripción corregida",
        quitar_archivos=[viejo.pk],
        archivos=[subida("nuevo.docx", bytes_docx())],
    )
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = daniela.post(reverse("evidencia_editar", args=[evidencia_salud.pk]), datos)
    assert respuesta.status_code == 302
    evidencia_salud.refresh_from_db()
    assert evidencia_salud.descripcion == "Descripción corregida"
    assert [a.nombre_original for a in evidencia_salud.archivos.all()] == ["nuevo.docx"]
    assert not ruta_vieja.exists()
    assert "Cambios guardados, con 1 archivo nuevo." in daniela.get(respuesta["Location"]).content.decode()


def test_no_se_edita_ni_elimina_una_evidencia_enviada(daniela, evidencia_salud, salud, delegada_salud):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    for nombre in ["evidencia_editar", "evidencia_eliminar"]:
        respuesta = daniela.post(
            reverse(nombre, args=[evidencia_salud.pk]), datos_evidencia(evidencia_salud.meta, salud, descripcion="x")
        )
        assert respuesta["Location"] == evidencia_salud.get_absolute_url()
        assert "solo mientras está en borrador o devuelta" in daniela.get(respuesta["Location"]).content.decode()
    evidencia_salud.refresh_from_db()
    assert evidencia_salud.descripcion != "x"


def test_devuelta_se_corrige_y_se_envia_de_nuevo(daniela, evidencia_salud, salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Corrija la fecha.")
    datos = datos_evidencia(evidencia_salud.meta, salud, fecha_actividad="2024-03-13", enlaces="https://a.co/acta")
    assert daniela.post(reverse("evidencia_editar", args=[evidencia_salud.pk]), datos).status_code == 302
    daniela.post(reverse("evidencia_enviar", args=[evidencia_salud.pk]))
    evidencia_salud.refresh_from_db()
    assert evidencia_salud.estado == Evidencia.Estado.ENVIADA
    assert [(c.estado_anterior, c.estado_nuevo) for c in evidencia_salud.historial.all()] == [
        ("", "borrador"),
        ("borrador", "enviada"),
        ("enviada", "devuelta"),
        ("devuelta", "enviada"),
    ]


def test_eliminar_borrador_borra_filas_y_archivos(
    daniela, evidencia_salud, almacen_temporal, django_capture_on_commit_callbacks
):
    archivos = adjuntar(evidencia_salud, subida("a.pdf", bytes_pdf()), subida("b.png", bytes_png()))
    rutas = [Path(almacen_temporal) / a.archivo.name for a in archivos]
    confirmacion = daniela.get(reverse("evidencia_eliminar", args=[evidencia_salud.pk])).content.decode()
    assert "Se borrará con sus 2 archivos." in confirmacion
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = daniela.post(reverse("evidencia_eliminar", args=[evidencia_salud.pk]))
    assert respuesta["Location"] == reverse("evidencia_lista")
    assert not Evidencia.objects.exists()
    assert not ArchivoEvidencia.objects.exists()
    assert not any(r.exists() for r in rutas)
    # The history stays for the audit trail, unlinked, with what the evidence was.
    historial = list(CambioEstado.objects.values_list("estado_anterior", "estado_nuevo", "evidencia", "usuario"))
    assert historial == [
        ("", "borrador", None, evidencia_salud.autor_id),
        ("borrador", "eliminada", None, evidencia_salud.autor_id),
    ]
    assert {c.resumen for c in CambioEstado.objects.all()} == {
        "Meta 1.2 · Secretaría de Salud Pública y Seguridad Social · actividad del 12 de marzo de 2024 · "
        f"«{evidencia_salud.descripcion}»"
    }


def test_una_evidencia_enviada_no_se_elimina(evidencia_salud):
    acciones.enviar(evidencia_salud, usuario=evidencia_salud.autor)
    with pytest.raises(acciones.TransicionInvalida, match="Solo se puede eliminar"):
        acciones.eliminar(evidencia_salud, usuario=evidencia_salud.autor)
    assert Evidencia.objects.filter(pk=evidencia_salud.pk).exists()


# --- Send ----------------------------------------------------------------------------------------


def test_enviar_sin_archivos_ni_enlaces_lo_explica(daniela, plan_pequeno, salud, delegada_salud):
    evidencia = EvidenciaFactory(meta=plan_pequeno.metas().first(), secretaria=salud, autor=delegada_salud, enlaces="")
    respuesta = daniela.post(reverse("evidencia_enviar", args=[evidencia.pk]), follow=True)
    assert "Adjunte al menos un archivo o un enlace" in respuesta.content.decode()
    evidencia.refresh_from_db()
    assert evidencia.estado == Evidencia.Estado.BORRADOR


def test_enviar_dos_veces_lo_explica(daniela, evidencia_salud):
    daniela.post(reverse("evidencia_enviar", args=[evidencia_salud.pk]))
    respuesta = daniela.post(reverse("evidencia_enviar", args=[evidencia_salud.pk]), follow=True)
    html = respuesta.content.decode()
    assert "solo mientras está en borrador o devuelta" in html
    assert evidencia_salud.historial.count() == 2


def test_enviar_solo_por_post(daniela, evidencia_salud):
    assert daniela.get(reverse("evidencia_enviar", args=[evidencia_salud.pk])).status_code == 405


# --- Files ---------------------------------------------------------------------------------------


def test_descarga_como_adjunto_con_tipo_y_nosniff(daniela, evidencia_salud):
    (acta,) = adjuntar(evidencia_salud, subida("Acta reunión.pdf", bytes_pdf()))
    respuesta = daniela.get(reverse("archivo_descargar", args=[acta.pk]))
    assert respuesta.status_code == 200
    assert b"".join(respuesta.streaming_content) == bytes_pdf()
    assert respuesta["Content-Type"] == "application/pdf"
    assert respuesta["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Acta%20reuni%C3%B3n.pdf" in respuesta["Content-Disposition"]
    assert respuesta["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in respuesta["Content-Security-Policy"]


def test_ver_imagen_en_linea_pero_otros_tipos_como_adjunto(daniela, evidencia_salud):
    foto, acta = adjuntar(evidencia_salud, subida("foto.png", bytes_png()), subida("acta.pdf", bytes_pdf()))
    imagen = daniela.get(reverse("archivo_ver", args=[foto.pk]))
    assert imagen["Content-Type"] == "image/png"
    assert imagen["Content-Disposition"].startswith("inline;")
    assert imagen["X-Content-Type-Options"] == "nosniff"
    documento = daniela.get(reverse("archivo_ver", args=[acta.pk]))
    assert documento["Content-Disposition"].startswith("attachment;")


def test_archivo_perdido_del_almacen_es_404(daniela, evidencia_salud, almacen_temporal):
    (acta,) = adjuntar(evidencia_salud, subida("acta.pdf", bytes_pdf()))
    (Path(almacen_temporal) / acta.archivo.name).unlink()
    assert daniela.get(reverse("archivo_descargar", args=[acta.pk])).status_code == 404
