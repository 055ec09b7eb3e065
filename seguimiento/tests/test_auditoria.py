"""The audit trail: plan changes and evidence state changes, who and when, for control bodies."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from plan_participacion.models import Estrategia, Meta, ProgramacionMensual
from seguimiento import acciones
from seguimiento.tests.conftest import EvidenciaFactory

pytestmark = pytest.mark.django_db

ENERO = datetime.datetime(2024, 1, 5, 15, 0, tzinfo=datetime.UTC)
MARZO = datetime.datetime(2024, 3, 10, 15, 0, tzinfo=datetime.UTC)
ABRIL = datetime.datetime(2024, 4, 20, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def enero():
    """The personas and the plan are created in January 2024; each test moves on from there."""
    with time_machine.travel(ENERO, tick=False):
        yield


def cambiar_meta(meta, usuario, **campos):
    """What the admin does when the coordinator saves a meta (the middleware sets the user)."""
    for campo, valor in campos.items():
        setattr(meta, campo, valor)
    meta._history_user = usuario
    meta.save()


def devuelta_y_aprobada(evidencia, coordinador, motivo="Falta la lista de asistencia."):
    acciones.enviar(evidencia, usuario=evidencia.autor)
    acciones.devolver(evidencia, revisor=coordinador, motivo=motivo)
    acciones.enviar(evidencia, usuario=evidencia.autor)
    acciones.aprobar(evidencia, revisor=coordinador)


def entradas(client, **filtros):
    respuesta = client.get(reverse("auditoria"), filtros)
    assert respuesta.status_code == 200
    return respuesta, respuesta.context["entradas"]


@pytest.fixture
def como_coordinador(client, coordinador):
    client.force_login(coordinador)
    return client


def test_un_cambio_del_plan_muestra_quien_que_campos_y_cuando(como_coordinador, coordinador, plan_pequeno):
    meta = plan_pequeno.metas().get(codigo="1.2")
    with time_machine.travel(ABRIL, tick=False):
        cambiar_meta(meta, coordinador, texto="Diez (10) reuniones.", cantidad_objetivo=10)

    respuesta, lista = entradas(como_coordinador)

    primera = lista[0]
    assert (primera.modelo, primera.accion, primera.usuario) == ("meta", "Cambió", coordinador)
    assert primera.fecha == ABRIL
    assert [(c.campo, c.antes, c.despues) for c in primera.cambios] == [
        ("texto", "Doce (12) reuniones.", "Diez (10) reuniones."),
        ("cantidad objetivo", "12", "10"),
    ]
    html = respuesta.content.decode()
    assert "<del>Doce (12) reuniones.</del> → <ins>Diez (10) reuniones.</ins>" in html
    assert "Carolina Ríos" in html
    assert reverse("admin:plan_participacion_meta_history", args=[meta.pk]) in html
    # Creations of the plan (fixture, no user) are listed too, oldest last.
    assert lista[-1].accion == "Creó" and lista[-1].usuario is None


def test_los_responsables_cambiados_se_nombran(como_coordinador, coordinador, plan_pequeno, hacienda):
    estrategia = plan_pequeno.estrategias().get(numero=1)
    estrategia._history_user = coordinador
    estrategia.responsables.add(hacienda)

    _, lista = entradas(como_coordinador, tipo="estrategia")

    cambios = lista[0].cambios
    assert [(c.campo, c.antes, c.despues) for c in cambios] == [
        (
            "responsables",
            "Secretaría de Salud Pública y Seguridad Social",
            "Secretaría de Hacienda; Secretaría de Salud Pública y Seguridad Social",
        )
    ]


def test_los_cambios_de_estado_muestran_de_donde_a_donde_y_el_motivo(
    como_coordinador, coordinador, evidencia_salud, delegada_salud
):
    devuelta_y_aprobada(evidencia_salud, coordinador)

    respuesta, lista = entradas(como_coordinador, tipo="evidencia")

    assert [(e.accion, e.usuario) for e in lista] == [
        ("Estado: Enviada → Aprobada", coordinador),
        ("Estado: Devuelta → Enviada", delegada_salud),
        ("Estado: Enviada → Devuelta", coordinador),
        ("Estado: Borrador → Enviada", delegada_salud),
        ("Estado: — → Borrador", delegada_salud),
    ]
    assert lista[2].comentario == "Falta la lista de asistencia."
    assert all(e.enlace == evidencia_salud.get_absolute_url() for e in lista)
    assert "Falta la lista de asistencia." in respuesta.content.decode()


def test_filtrar_por_usuario_y_por_fechas(como_coordinador, coordinador, plan_pequeno, evidencia_salud):
    meta = plan_pequeno.metas().get(codigo="1.1")
    with time_machine.travel(MARZO, tick=False):
        cambiar_meta(meta, coordinador, periodicidad=Meta.Periodicidad.ANUAL)
    with time_machine.travel(ABRIL, tick=False):
        acciones.enviar(evidencia_salud, usuario=evidencia_salud.autor)
        acciones.devolver(evidencia_salud, revisor=coordinador, motivo="Falta el acta.")

    _, del_coordinador = entradas(como_coordinador, usuario=coordinador.pk)
    assert [e.accion for e in del_coordinador] == ["Estado: Enviada → Devuelta", "Cambió"]
    assert del_coordinador[1].cambios[0].despues == "Anual"

    _, de_marzo = entradas(como_coordinador, desde="2024-03-01", hasta="2024-03-31")
    assert [(e.modelo, e.accion) for e in de_marzo] == [("meta", "Cambió")]

    _, desde_abril = entradas(como_coordinador, desde="2024-04-20")
    assert [e.accion for e in desde_abril] == ["Estado: Enviada → Devuelta", "Estado: Borrador → Enviada"]

    _, solo_plan = entradas(como_coordinador, tipo="plan_todo", usuario=coordinador.pk)
    assert [e.fuente for e in solo_plan] == ["meta"]


def test_un_rango_al_reves_se_explica_y_no_se_aplica(como_coordinador, plan_pequeno):
    respuesta, lista = entradas(como_coordinador, desde="2024-05-01", hasta="2024-04-01")
    assert "La fecha final debe ser igual o posterior a la inicial." in respuesta.content.decode()
    assert lista  # the range was ignored


def test_estado_vacio_sin_cambios_y_con_filtros_sin_resultados(como_coordinador, coordinador, comite):
    respuesta, lista = entradas(como_coordinador)
    assert lista == []
    assert "Todavía no hay cambios registrados." in respuesta.content.decode()

    respuesta, _ = entradas(como_coordinador, usuario=comite.pk)
    assert "Ningún cambio coincide con estos filtros." in respuesta.content.decode()


def test_el_comite_lee_la_auditoria_sin_enlaces_a_la_administracion(client, comite, coordinador, plan_pequeno):
    cambiar_meta(plan_pequeno.metas().get(codigo="1.1"), coordinador, texto="Un (1) documento.")
    client.force_login(comite)
    respuesta, lista = entradas(client)
    assert lista[0].enlace == ""
    assert "/admin/" not in respuesta.content.decode()
    assert f'href="{reverse("auditoria")}"' in respuesta.content.decode()  # in the menu


@pytest.mark.parametrize("persona", ["delegada_salud", "delegado_hacienda"])
def test_los_delegados_no_ven_la_auditoria(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("auditoria")).status_code == 403
    assert reverse("auditoria") not in client.get(reverse("plan_vigente")).content.decode()


def historia(plan, coordinador, salud, delegada_salud, veces):
    """veces changes of each kind: metas, schedule, responsables, deletions and evidence journeys."""
    metas = list(plan.metas())
    estrategia = plan.estrategias().first()
    for n in range(veces):
        meta = metas[n % len(metas)]
        cambiar_meta(meta, coordinador, texto=f"{meta.texto} v{n}")
        programada = ProgramacionMensual.objects.create(
            estrategia=estrategia, mes=datetime.date(2030 + n, 1, 1), cantidad=n + 1
        )
        programada.delete()
        Estrategia.objects.get(pk=estrategia.pk).responsables.remove(salud)
        Estrategia.objects.get(pk=estrategia.pk).responsables.add(salud)
        devuelta_y_aprobada(
            EvidenciaFactory(meta=meta, secretaria=salud, autor=delegada_salud, enlaces="https://ejemplo.org/acta"),
            coordinador,
        )


@pytest.mark.parametrize("veces", [3, 30])
def test_una_pagina_cuesta_las_mismas_consultas_con_diez_veces_mas_historia(
    como_coordinador, coordinador, plan_pequeno, salud, delegada_salud, veces, django_assert_max_num_queries
):
    historia(plan_pequeno, coordinador, salud, delegada_salud, veces)
    # 10 fixed (session, user, 2 for permissions, the UNION's COUNT and page, users, evidence changes,
    # the menu, the filter's users) + per kind of plan row on the page its rows and the rows before
    # them (8 kinds × 2) + responsables of strategies + numbers of strategies: 28 at most, bounded by
    # the kinds of rows and never by how many rows there are (3× → 23 queries, 30× → 21).
    with django_assert_max_num_queries(28):
        respuesta = como_coordinador.get(reverse("auditoria"))
    pagina = respuesta.context["pagina"]
    assert len(respuesta.context["entradas"]) == min(50, pagina.paginator.count)
    with django_assert_max_num_queries(28):
        como_coordinador.get(reverse("auditoria"), {"page": pagina.paginator.num_pages})


def test_una_evidencia_eliminada_deja_su_rastro(client, coordinador, comite, evidencia_salud, delegada_salud):
    with time_machine.travel(MARZO, tick=False):
        acciones.eliminar(evidencia_salud, usuario=delegada_salud)

    for persona in (coordinador, comite):
        client.force_login(persona)
        respuesta, lista = entradas(client, tipo="evidencia")
        eliminada = lista[0]
        assert (eliminada.accion, eliminada.usuario, eliminada.fecha) == (
            "Estado: Borrador → Eliminada",
            delegada_salud,
            MARZO,
        )
        assert eliminada.objeto.startswith("Eliminada: Meta 1.2 · Secretaría de Salud Pública y Seguridad Social")
        assert eliminada.enlace == ""
        assert lista[1].accion == "Estado: — → Borrador"
