"""The audit trail: plan changes and evidence state changes, who and when, for control bodies."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from plan_participacion.models import Estrategia, Meta, ProgramacionMensual
from seguimiento import acciones
from seguimiento.auditoria import MODELOS_PLAN
from seguimiento.models import CambioEstado
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


def todo_en_orden(tipo=""):
    """Every (fuente, registro) of the trail, newest first, computed apart from the page's code."""
    filas = []
    if tipo in ("", "evidencia"):
        filas += [(c.fecha, "evidencia", c.pk) for c in CambioEstado.objects.all()]
    if tipo == "":
        for clave, modelo in MODELOS_PLAN.items():
            filas += [(h.history_date, clave, h.history_id) for h in modelo.history.all()]
    return [(fuente, registro) for _, fuente, registro in sorted(filas, reverse=True)]


def recorrer(client, enlace, inicio=None, **filtros):
    """Follow «más antiguos» (or «más recientes») links from a page (the first one by default).

    The pages seen, as lists of (fuente, registro), and the last response.
    """
    paginas, parametros = [], {**filtros, **(inicio or {})}
    while True:
        respuesta = client.get(reverse("auditoria"), parametros)
        pagina = respuesta.context["pagina"]
        paginas.append([(f["a_fuente"], f["a_registro"]) for f in pagina.filas])
        siguiente = getattr(pagina, enlace)
        if siguiente is None:
            return paginas, respuesta
        parametros = {**filtros, ("antes" if enlace == "mas_antiguos" else "despues"): str(siguiente)}


@pytest.mark.parametrize("veces", [3, 30])
def test_las_paginas_por_cursor_recorren_todo_una_vez_en_orden(
    como_coordinador, coordinador, plan_pequeno, salud, delegada_salud, veces
):
    # Time stands still (see the enero fixture): every row has the same fecha, so only the
    # source and the id order them, and a page boundary falls among equal dates.
    historia(plan_pequeno, coordinador, salud, delegada_salud, veces)
    esperado = todo_en_orden()

    paginas, ultima = recorrer(como_coordinador, "mas_antiguos")

    assert [fila for pagina in paginas for fila in pagina] == esperado
    assert [len(p) for p in paginas[:-1]] == [50] * (len(paginas) - 1)
    assert len(paginas) == -(-len(esperado) // 50)
    html = ultima.content.decode()
    assert ("Más recientes" in html) is (len(paginas) > 1)
    assert "Más antiguos" not in html
    assert not re.search(r"Página \d+ de|cambios registrados", html)  # no page numbers, no total count


def test_volver_hacia_lo_mas_reciente_recorre_las_mismas_paginas(
    como_coordinador, coordinador, plan_pequeno, salud, delegada_salud
):
    historia(plan_pequeno, coordinador, salud, delegada_salud, 15)
    hacia_atras, ultima = recorrer(como_coordinador, "mas_antiguos")
    assert len(hacia_atras) >= 3
    desde_la_ultima = {"despues": str(ultima.context["pagina"].mas_recientes)}

    hacia_adelante, primera = recorrer(como_coordinador, "mas_recientes", desde_la_ultima)

    assert hacia_adelante == hacia_atras[-2::-1]
    assert primera.context["pagina"].mas_recientes is None


def test_los_filtros_se_conservan_al_pasar_de_pagina(
    como_coordinador, coordinador, plan_pequeno, salud, delegada_salud
):
    historia(plan_pequeno, coordinador, salud, delegada_salud, 15)  # 45 of the 75 state changes are hers
    filtros = {"tipo": "evidencia", "usuario": delegada_salud.pk}
    paginas, _ = recorrer(como_coordinador, "mas_antiguos", **filtros)
    de_la_delegada = [
        ("evidencia", c.pk) for c in CambioEstado.objects.filter(usuario=delegada_salud).order_by("-fecha", "-pk")
    ]
    assert [fila for pagina in paginas for fila in pagina] == de_la_delegada
    html = como_coordinador.get(reverse("auditoria"), filtros).content.decode()
    if len(paginas) > 1:
        assert f"?tipo=evidencia&amp;usuario={delegada_salud.pk}&amp;antes=" in html


@pytest.mark.parametrize("veces", [3, 30])
def test_una_pagina_cuesta_las_mismas_consultas_con_diez_veces_mas_historia(
    como_coordinador,
    coordinador,
    plan_pequeno,
    salud,
    delegada_salud,
    veces,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    historia(plan_pequeno, coordinador, salud, delegada_salud, veces)
    # 10: session, user, 2 for permissions, the user's entidad (what is hers to read), the UNION of every
    # source's nearest rows, the filter's users (who are also the page's: not read again),
    # its state changes with their evidence, the menu and the review queue's count in the menu. The same
    # with ten times more history, on the first page and on the next ones.
    parametros = {"tipo": "evidencia"}
    while parametros:
        with django_assert_num_queries(10):
            pagina = como_coordinador.get(reverse("auditoria"), parametros).context["pagina"]
        parametros = {"tipo": "evidencia", "antes": str(pagina.mas_antiguos)} if pagina.mas_antiguos else None
    # With every kind of row: 10 fixed, then per kind of row on the page its rows (and, for the plan's
    # 8 kinds, the rows before them: 1 + 8 × 2), plus the strategies' responsables and numbers: 28 at
    # most (29 with the entidad), bounded by the kinds of rows, never by how many rows there are.
    with django_assert_max_num_queries(29):
        como_coordinador.get(reverse("auditoria"))


def test_un_enlace_de_pagina_alterado_muestra_lo_mas_reciente(como_coordinador, plan_pequeno):
    respuesta = como_coordinador.get(reverse("auditoria"), {"antes": "ayer~meta~x"}, follow=True)
    assert "El enlace de la página no es válido; se muestran los cambios más recientes." in respuesta.content.decode()
    assert len(respuesta.context["pagina"].filas) == len(todo_en_orden()[:50])


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


def test_mas_alla_del_ultimo_cambio_se_ofrece_volver(como_coordinador, coordinador, plan_pequeno):
    cambiar_meta(plan_pequeno.metas().get(codigo="1.1"), coordinador, texto="Un (1) documento.")
    (pagina,), _ = recorrer(como_coordinador, "mas_antiguos")
    fuente, registro = pagina[-1]
    antes = f"{ENERO.isoformat()}~{fuente}~{registro}"

    respuesta = como_coordinador.get(reverse("auditoria"), {"antes": antes})

    assert respuesta.context["entradas"] == []
    html = respuesta.content.decode()
    assert "No hay cambios más antiguos." in html
    siguiente = como_coordinador.get(reverse("auditoria"), {"despues": antes}).context["pagina"]
    assert [(f["a_fuente"], f["a_registro"]) for f in siguiente.filas] == pagina  # fewer than 50: the first page


def test_lo_que_escribe_la_gente_se_muestra_como_texto(como_coordinador, coordinador, evidencia_salud, plan_pequeno):
    """The rows are built in Python (seguimiento.templatetags.auditoria_html): a reason, a meta's text and a
    person's name that look like HTML are escaped, never markup."""
    ataque = '<img src=x onerror="alert(1)">'
    coordinador.first_name = f"<b>Caro</b>{ataque}"
    coordinador.save()
    devuelta_y_aprobada(evidencia_salud, coordinador, motivo=f"Falta el acta {ataque}")
    cambiar_meta(plan_pequeno.metas().get(codigo="1.1"), coordinador, texto=f"Meta {ataque}")
    pagina = como_coordinador.get(reverse("auditoria")).content.decode()
    assert ataque not in pagina and "<b>Caro</b>" not in pagina
    assert "Falta el acta &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in pagina
    assert "Meta &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in pagina
    assert "&lt;b&gt;Caro&lt;/b&gt;" in pagina
