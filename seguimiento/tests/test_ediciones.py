"""Editing is an action (acciones.editar): it re-checks the locked row, writes only the delegate's fields
that change, and records each edit (field, before, after; files added and removed with their SHA-256),
which the evidence page, "qué cambió desde la devolución" and /auditoria/ show. And the invariant: an
evidence's state is always the one its last history row reached.
"""

import datetime
import hashlib

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seguimiento import acciones, auditoria
from seguimiento.archivos import revisar_archivo
from seguimiento.forms import EvidenciaForm
from seguimiento.models import EdicionEvidencia, Evidencia, GrupoValor
from seguimiento.tests.conftest import CONFIRMAR, EvidenciaFactory, bytes_pdf, bytes_png, datos_evidencia, subida

Estado = Evidencia.Estado
DEVOLUCION = datetime.datetime(2024, 4, 2, 15, 0, tzinfo=datetime.UTC)
CORRECCION = datetime.datetime(2024, 4, 3, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def daniela(client, delegada_salud):
    client.force_login(delegada_salud)
    return client


def editar_por_la_pagina(client, evidencia, **cambios):
    datos = datos_evidencia(evidencia.meta, evidencia.secretaria, **cambios)
    return client.post(reverse("evidencia_editar", args=[evidencia.pk]), datos)


# ---- what an edit records ----


def test_cada_edicion_guarda_campos_grupos_y_archivos_con_su_huella(
    daniela, evidencia_salud, delegada_salud, django_capture_on_commit_callbacks
):
    jovenes = GrupoValor.objects.get(nombre="Jóvenes")
    cambios = {"cantidad": 2, "fecha_actividad": "2024-03-14", "medios": ["lista_asistencia"], f"grupo_{jovenes.pk}": 4}
    with django_capture_on_commit_callbacks(execute=True):
        editar_por_la_pagina(
            daniela, evidencia_salud, archivos=[subida("Acta.pdf", bytes_pdf("Acta firmada"))], **cambios
        )
    (primera,) = EdicionEvidencia.objects.all()
    assert (primera.evidencia, primera.usuario) == (evidencia_salud, delegada_salud)
    assert {c["campo"]: (c["antes"], c["despues"]) for c in primera.cambios} == {
        "fecha_actividad": ("12 de marzo de 2024", "14 de marzo de 2024"),
        "cantidad": ("1", "2"),
        # The form's other values differ from the factory's draft as well.
        "descripcion": (evidencia_salud.descripcion, "Reunión con líderes comunales para socializar el diagnóstico."),
        "lugar": ("Salón comunal", "Salón comunal de La Florida"),
        "medios": ("Acta, Lista de asistencia", "Lista de asistencia"),
        "enlaces": ("https://candelaria.gov.co/acta-12", ""),
        f"grupo:{jovenes.pk}": ("0", "4"),
    }
    (agregado,) = primera.archivos_agregados
    assert agregado == {
        "nombre": "Acta.pdf",
        "tamano": len(bytes_pdf("Acta firmada")),
        "sha256": hashlib.sha256(bytes_pdf("Acta firmada")).hexdigest(),
    }

    archivo = evidencia_salud.archivos.get()
    with django_capture_on_commit_callbacks(execute=True):
        editar_por_la_pagina(daniela, evidencia_salud, quitar_archivos=[archivo.pk], **cambios)
    segunda = EdicionEvidencia.objects.last()
    assert segunda.cambios == []
    assert segunda.archivos_quitados == [agregado]

    pagina = daniela.get(evidencia_salud.get_absolute_url()).content.decode()
    assert pagina.count("Editada") == 2
    assert "Archivo agregado: Acta.pdf" in pagina and "Archivo quitado: <del>Acta.pdf</del>" in pagina
    assert agregado["sha256"] in pagina


def test_guardar_sin_cambios_no_deja_historia(daniela, evidencia_salud):
    datos = {
        campo: getattr(evidencia_salud, campo) for campo in ("descripcion", "lugar", "enlaces", "cantidad", "medios")
    }
    respuesta = editar_por_la_pagina(daniela, evidencia_salud, **datos)
    assert respuesta.status_code == 302
    assert "No había cambios que guardar." in daniela.get(respuesta["Location"]).content.decode()
    assert not EdicionEvidencia.objects.exists()


def test_editar_escribe_solo_los_campos_que_cambian(evidencia_salud, delegada_salud):
    with CaptureQueriesContext(connection) as consultas:
        acciones.editar(evidencia_salud, usuario=delegada_salud, datos={"cantidad": 5, "lugar": "Biblioteca"})
    (update,) = [q["sql"] for q in consultas if q["sql"].startswith('UPDATE "seguimiento_evidencia"')]
    for campo in ("cantidad", "lugar", "actualizada"):
        assert f'"{campo}"' in update
    for campo in ("estado", "revisor_id", "revisada_en", "enviada_en", "motivo_devolucion", "descripcion"):
        assert f'"{campo}"' not in update


def test_el_formulario_solo_valida(evidencia_salud, delegada_salud, salud):
    form = EvidenciaForm(datos_evidencia(evidencia_salud.meta, salud), instance=evidencia_salud, usuario=delegada_salud)
    assert form.is_valid(), form.errors
    with pytest.raises(NotImplementedError, match="solo valida"):
        form.save()


# ---- no lost update ----


def test_una_copia_vieja_no_deshace_una_aprobacion(evidencia_salud, delegada_salud, coordinador):
    """The incident of the issue: an edit that read the evidence before it was sent and approved."""
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Falta el acta.")
    vieja = Evidencia.objects.get()  # the edit form loaded it here (devuelta)
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.aprobar(evidencia_salud, revisor=coordinador)

    with pytest.raises(
        acciones.TransicionInvalida, match="Sus cambios no se guardaron: la evidencia ya está «Aprobada»"
    ):
        acciones.editar(vieja, usuario=delegada_salud, datos={"cantidad": 7})
    evidencia = Evidencia.objects.get()
    assert (evidencia.estado, evidencia.revisor, evidencia.cantidad) == (Estado.APROBADA, coordinador, 1)
    assert not EdicionEvidencia.objects.exists()
    assert not Evidencia.objects.con_historial_desacorde().exists()


def test_la_pagina_de_edicion_no_pisa_una_aprobacion_llegada_mientras_validaba(
    daniela, evidencia_salud, delegada_salud, coordinador, monkeypatch
):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Falta el acta.")
    validar = EvidenciaForm.is_valid

    def mientras_valida(form):
        # While the 90 photos are checked, the delegate sends it from another tab and it is approved.
        acciones.enviar(evidencia_salud, usuario=delegada_salud)
        acciones.aprobar(evidencia_salud, revisor=coordinador)
        return validar(form)

    monkeypatch.setattr(EvidenciaForm, "is_valid", mientras_valida)
    respuesta = editar_por_la_pagina(daniela, evidencia_salud, cantidad=7)
    assert respuesta.status_code == 302
    pagina = daniela.get(respuesta["Location"]).content.decode()
    assert "Sus cambios no se guardaron: la evidencia ya está «Aprobada»" in pagina
    evidencia = Evidencia.objects.get()
    assert (evidencia.estado, evidencia.revisor, evidencia.cantidad) == (Estado.APROBADA, coordinador, 1)
    assert not Evidencia.objects.con_historial_desacorde().exists()


def test_un_formulario_abierto_antes_de_otro_cambio_no_lo_pisa(client, evidencia_salud, delegada_salud, salud):
    client.force_login(delegada_salud)
    version = client.get(reverse("evidencia_editar", args=[evidencia_salud.pk])).context["form"]["version"].value()
    assert version == evidencia_salud.version
    acciones.editar(evidencia_salud, usuario=delegada_salud, datos={"cantidad": 4})  # another tab, saved first
    respuesta = editar_por_la_pagina(client, evidencia_salud, cantidad=9, version=version)
    assert (
        "alguien modificó esta evidencia mientras usted la editaba"
        in client.get(respuesta["Location"]).content.decode()
    )
    assert Evidencia.objects.get().cantidad == 4


# ---- what changed since the return ----


def test_la_coordinacion_ve_que_cambio_desde_la_devolucion(
    client, daniela, evidencia_salud, delegada_salud, coordinador, django_capture_on_commit_callbacks
):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    with time_machine.travel(DEVOLUCION, tick=False):
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="La cantidad son 4 reuniones.")
    with time_machine.travel(CORRECCION, tick=False), django_capture_on_commit_callbacks(execute=True):
        acciones.editar(evidencia_salud, usuario=delegada_salud, datos={"cantidad": 2})
        acciones.editar(
            evidencia_salud,
            usuario=delegada_salud,
            datos={"cantidad": 4},
            archivos=[
                revisar_archivo(subida("lista.pdf", bytes_pdf("Lista"))),
                revisar_archivo(subida("borrador.png", bytes_png())),
            ],
        )
        equivocado = evidencia_salud.archivos.get(nombre_original="borrador.png")
        acciones.editar(evidencia_salud, usuario=delegada_salud, datos={}, quitar=[equivocado])
    acciones.enviar(evidencia_salud, usuario=delegada_salud)

    client.force_login(coordinador)
    respuesta = client.get(evidencia_salud.get_absolute_url())
    desde = respuesta.context["desde_devolucion"]
    assert desde.ediciones == 3
    assert desde.cambios == [{"etiqueta": "cantidad", "antes": "1", "despues": "4"}]  # net, not each step
    assert [a["nombre"] for a in desde.agregados] == ["lista.pdf"]  # added then removed again: no news
    assert desde.quitados == []
    texto = respuesta.content.decode()
    assert "Qué cambió desde la devolución" in texto
    assert "Cantidad: <del>1</del> → <ins>4</ins>" in texto
    assert "Archivo agregado: lista.pdf" in texto


def test_reenviada_sin_cambios_lo_dice(client, evidencia_salud, delegada_salud, coordinador):
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Revise la fecha.")
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    client.force_login(coordinador)
    texto = client.get(evidencia_salud.get_absolute_url()).content.decode()
    assert "La secretaría no ha cambiado nada desde la devolución." in texto


def test_sin_devolucion_no_hay_seccion(client, evidencia_salud, coordinador):
    client.force_login(coordinador)
    respuesta = client.get(evidencia_salud.get_absolute_url())
    assert respuesta.context["desde_devolucion"] is None
    assert "Qué cambió desde la devolución" not in respuesta.content.decode()


# ---- the audit trail ----


def test_la_auditoria_muestra_las_ediciones(client, evidencia_salud, delegada_salud, comite):
    acciones.editar(
        evidencia_salud,
        usuario=delegada_salud,
        datos={"cantidad": 3},
        archivos=[revisar_archivo(subida("acta.pdf", bytes_pdf()))],
    )
    client.force_login(comite)
    respuesta = client.get(reverse("auditoria"), {"tipo": "edicion"})
    (entrada,) = respuesta.context["entradas"]
    assert (entrada.accion, entrada.usuario, entrada.enlace) == (
        "Editó",
        delegada_salud,
        evidencia_salud.get_absolute_url(),
    )
    assert [(c.campo, c.antes, c.despues) for c in entrada.cambios] == [
        ("cantidad", "1", "3"),
        ("archivo agregado", "", f"acta.pdf · SHA-256 {hashlib.sha256(bytes_pdf()).hexdigest()}"),
    ]
    # Deleting the evidence keeps the record of its edits.
    acciones.eliminar(evidencia_salud, usuario=delegada_salud)
    (entrada,) = client.get(reverse("auditoria"), {"tipo": "edicion"}).context["entradas"]
    assert entrada.objeto.startswith("Eliminada: Meta 1.2")


def test_una_delegada_no_ve_en_la_auditoria_lo_de_otra_secretaria(
    evidencia_salud, evidencia_hacienda, delegado_hacienda
):
    acciones.editar(evidencia_salud, usuario=evidencia_salud.autor, datos={"cantidad": 3})
    acciones.editar(evidencia_hacienda, usuario=delegado_hacienda, datos={"cantidad": 2})
    filas = auditoria.pagina(auditoria.ramas(delegado_hacienda, tipo="edicion")).filas
    assert [f["a_registro"] for f in filas] == [EdicionEvidencia.objects.get(evidencia=evidencia_hacienda).pk]


# ---- the invariant ----


def test_el_estado_de_cada_evidencia_es_el_de_su_ultimo_cambio(
    daniela, plan_pequeno, salud, delegada_salud, coordinador, django_capture_on_commit_callbacks
):
    client = Client()  # the coordinator's browser; daniela is the delegate's
    meta = plan_pequeno.metas().get(codigo="1.2")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            daniela.post(reverse("evidencia_crear"), datos_evidencia(meta, salud, enlaces=f"https://a.co/{n}"))
    primera, segunda, tercera, cuarta = Evidencia.objects.order_by("pk")
    for evidencia in (primera, segunda, tercera):
        daniela.post(reverse("evidencia_enviar", args=[evidencia.pk]))
    editar_por_la_pagina(daniela, cuarta, cantidad=3, enlaces="https://a.co/3")
    daniela.post(reverse("evidencia_eliminar", args=[cuarta.pk]))
    client.force_login(coordinador)
    client.post(reverse("evidencia_aprobar", args=[primera.pk]), CONFIRMAR)
    client.post(reverse("evidencia_aprobar", args=[primera.pk]), CONFIRMAR)  # refused: already reviewed
    client.post(reverse("evidencia_devolver", args=[segunda.pk]), {"motivo": "Falta el acta."})
    daniela.post(reverse("evidencia_enviar", args=[tercera.pk]))  # refused: already sent
    editar_por_la_pagina(daniela, segunda, cantidad=2, enlaces="https://a.co/1")
    daniela.post(reverse("evidencia_enviar", args=[segunda.pk]))
    client.post(reverse("evidencia_devolver", args=[tercera.pk]), {"motivo": " "})  # refused: no reason

    estados = dict(Evidencia.objects.values_list("pk", "estado"))
    assert estados == {primera.pk: Estado.APROBADA, segunda.pk: Estado.ENVIADA, tercera.pk: Estado.ENVIADA}
    assert not Evidencia.objects.con_historial_desacorde().exists()

    # The check does catch a row changed behind the actions' back.
    Evidencia.objects.filter(pk=tercera.pk).update(estado=Estado.BORRADOR)
    assert list(Evidencia.objects.con_historial_desacorde()) == [Evidencia.objects.get(pk=tercera.pk)]


def test_una_evidencia_sin_historia_tambien_es_desacorde(plan_pequeno, salud, delegada_salud):
    EvidenciaFactory(meta=plan_pequeno.metas().first(), secretaria=salud, autor=delegada_salud, historial=False)
    Evidencia.objects.get().historial.all().delete()
    assert Evidencia.objects.con_historial_desacorde().count() == 1


@pytest.mark.parametrize("veces", [3, 30])
def test_la_auditoria_con_ediciones_y_cierres_cuesta_lo_mismo(
    client, plan_pequeno, salud, delegada_salud, coordinador, veces, django_assert_max_num_queries
):
    meta = plan_pequeno.metas().get(codigo="1.2")
    for n in range(veces):
        evidencia = EvidenciaFactory(meta=meta, secretaria=salud, autor=delegada_salud, enlaces="https://a.co/x")
        acciones.editar(evidencia, usuario=delegada_salud, datos={"cantidad": n + 2})
        acciones.enviar(evidencia, usuario=delegada_salud)
        acciones.cerrar_periodo(plan_pequeno, datetime.date(2024, 1, 31), usuario=coordinador)
        acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo=f"Revisión {n}")
    client.force_login(coordinador)
    # test_auditoria's budget for a page with every kind of plan row (28), plus one query per kind of
    # row this adds (edits, closings, reopenings): bounded by the kinds, never by the rows (3× → 24).
    with django_assert_max_num_queries(31):
        respuesta = client.get(reverse("auditoria"))
    fuentes = {e.fuente for e in respuesta.context["entradas"]}
    assert {"evidencia", "edicion", "cierre", "reapertura"} <= fuentes
