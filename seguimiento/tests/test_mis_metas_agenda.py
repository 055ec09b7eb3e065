"""Mis metas by what is due: returned evidence first, this month's activities, overdue metas, then the rest;
and the search (by code or words) that narrows all of it, without JavaScript too."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from seguimiento import acciones
from seguimiento.agenda_delegado import Busqueda, agenda
from seguimiento.models import Evidencia
from seguimiento.tests.conftest import evidencia_en

Estado = Evidencia.Estado
QUINCE_DE_MARZO = datetime.datetime(2024, 3, 15, 12, tzinfo=datetime.UTC)
HOY = datetime.date(2024, 3, 15)


@pytest.fixture
def dia_de_trabajo(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador):
    """plan_pequeno on 15 March 2024 (strategy 1 scheduled in January and March, strategy 2 in February,
    March and June): 1.1 approved in January; 1.2 returned; 2.1 approved for Hacienda but not for Salud;
    a draft of March."""
    with time_machine.travel(QUINCE_DE_MARZO, tick=False):
        metas = {m.codigo: m for m in plan_pequeno.metas()}
        evidencia_en(metas["1.1"], salud, delegada_salud, datetime.date(2024, 1, 20), Estado.APROBADA, coordinador)
        devuelta = evidencia_en(
            metas["1.2"], salud, delegada_salud, datetime.date(2024, 3, 5), Estado.DEVUELTA, coordinador
        )
        evidencia_en(
            metas["2.1"], hacienda, delegado_hacienda, datetime.date(2024, 2, 10), Estado.APROBADA, coordinador
        )
        evidencia_en(metas["1.1"], salud, delegada_salud, datetime.date(2024, 3, 8))
    return {"metas": metas, "devuelta": devuelta}


def seccion(html, ident):
    inicio = html.index(f'id="{ident}"')
    return html[inicio : html.find("</section>", inicio)]


def oculto(html, ident):
    return re.search(rf'id="{ident}"[^>]*\shidden[\s>]', html) is not None


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_primero_lo_devuelto_luego_el_mes_luego_lo_atrasado_y_al_final_lo_demas(client, dia_de_trabajo, delegada_salud):
    client.force_login(delegada_salud)
    html = client.get(reverse("mis_metas")).content.decode()
    orden = [html.index(f'id="{s}"') for s in ("devueltas", "este-mes", "atrasadas", "demas-metas")]
    assert orden == sorted(orden)

    devueltas = seccion(html, "devueltas")
    devuelta = dia_de_trabajo["devuelta"]
    assert "Devuelta para corregir (1)" in devueltas
    assert "Meta 1.2: actividad del 5 de marzo de 2024" in devueltas
    assert "Devuelta por Carolina Ríos el 15 de marzo. Motivo:" in devueltas
    assert "Falta el acta firmada." in devueltas
    assert f'href="{reverse("evidencia_editar", args=[devuelta.pk])}">Corregir' in devueltas

    este_mes = seccion(html, "este-mes")
    assert "Marzo de 2024: actividades programadas" in este_mes
    estrategia_1 = este_mes[este_mes.index("Realizar el diagnóstico") : este_mes.index("Convocar a la ciudadanía")]
    assert "2 actividades programadas en marzo" in estrategia_1
    assert "Su secretaría reportó este mes:" in estrategia_1
    assert "1 devuelta" in estrategia_1 and "1 en borrador (sin enviar)" in estrategia_1
    estrategia_2 = este_mes[este_mes.index("Convocar a la ciudadanía") :]
    assert "1 actividad programada en marzo" in estrategia_2
    assert "Todavía no ha reportado ninguna actividad de este mes." in estrategia_2
    assert "Registrar para 2.1" in estrategia_2

    atrasadas = seccion(html, "atrasadas")
    assert "Atrasadas: en 0 y con meses programados ya pasados (2)" in atrasadas
    metas = dia_de_trabajo["metas"]
    assert f'id="meta-{metas["1.2"].pk}"' in atrasadas and f'id="meta-{metas["2.1"].pk}"' in atrasadas
    # Grouped by strategy, each with the past months it had activities in; few: unfolded.
    assert re.search(r'id="atrasadas-\d+" data-abierta open>', atrasadas)
    assert "2 metas en 0" not in atrasadas and atrasadas.count("1 meta en 0") == 2
    assert "Tenía actividades programadas en enero de 2024." in atrasadas
    assert "Tenía actividades programadas en febrero de 2024." in atrasadas
    # 2.1 is «de cada secretaría»: Hacienda's approval does not cover Salud.
    assert "Secretaría de Salud Pública y Seguridad Social:</span> Aprobado: 0 de 2" in atrasadas

    demas = seccion(html, "demas-metas")
    assert "Las demás metas" in demas
    assert f'id="meta-{metas["1.1"].pk}"' in demas and "Aprobado: 1 de 1" in demas
    assert f'id="meta-{metas["1.2"].pk}"' not in demas, "una meta está en una sola sección"
    assert "<details" in demas and "<summary" in demas, "las estrategias se pliegan"


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_lo_enviado_o_aprobado_no_esta_atrasado_y_sin_meses_pasados_tampoco(
    client, plan_pequeno, salud, delegada_salud, coordinador
):
    metas = {m.codigo: m for m in plan_pequeno.metas()}
    acciones.enviar(
        evidencia_en(metas["1.2"], salud, delegada_salud, datetime.date(2024, 3, 1)), usuario=delegada_salud
    )
    evidencia_en(metas["1.1"], salud, delegada_salud, datetime.date(2024, 1, 5), Estado.APROBADA, coordinador)
    datos, _lineas = agenda(delegada_salud, plan_pequeno, HOY)
    assert [[m.meta.codigo for m in grupo.metas] for grupo in datos.atrasadas] == [["2.1"]]
    # On 20 January, only strategy 1 had a month before (none: January is the first), so nothing is late.
    temprano, _lineas = agenda(delegada_salud, plan_pequeno, datetime.date(2024, 1, 20))
    assert temprano.atrasadas == []


@pytest.mark.parametrize(
    ("consulta", "visibles"),
    [
        ("1.2", ["1.2"]),
        ("1.2.", ["1.2"]),
        ("1", ["1.1", "1.2"]),
        ("diagnostico", ["1.1", "1.2"]),  # without the accent, from the strategy's text
        ("REUNIONES doce", ["1.2"]),
        ("convocatorias cada", ["2.1"]),
        ("institucionales", ["1.1", "1.2", "2.1"]),  # the line's name
        ("xyz", []),
    ],
)
def test_la_busqueda_por_codigo_o_palabras(dia_de_trabajo, delegada_salud, plan_pequeno, consulta, visibles):
    datos, lineas = agenda(delegada_salud, plan_pequeno, HOY, consulta)
    todas = [m for linea in lineas for e in linea.estrategias for m in e.metas]
    assert sorted(m.meta.codigo for m in todas if not m.oculta) == visibles
    assert (datos.encontradas, datos.total_metas) == (len(visibles), 3)


def test_busqueda_normaliza_lo_que_se_escribe():
    assert Busqueda("  1.2 ").codigo == "1.2"
    assert Busqueda("Diagnóstico  participativo").palabras == ["diagnostico", "participativo"]
    assert not Busqueda("   ")


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_sin_javascript_la_busqueda_oculta_lo_que_no_coincide(client, dia_de_trabajo, delegada_salud):
    client.force_login(delegada_salud)
    metas = dia_de_trabajo["metas"]
    html = client.get(reverse("mis_metas"), {"q": "1.1"}).content.decode()
    assert "1 de 3 metas coinciden con «1.1»." in html
    assert 'value="1.1"' in html and "Quitar la búsqueda" in html
    assert not oculto(html, f"meta-{metas['1.1'].pk}")
    assert oculto(html, f"meta-{metas['1.2'].pk}") and oculto(html, f"meta-{metas['2.1'].pk}")
    assert oculto(html, "atrasadas") and oculto(html, "devueltas")
    assert not oculto(html, "demas-metas")
    estrategia = metas["1.1"].estrategia
    assert re.search(rf'id="estrategia-{estrategia.pk}" open', html), "la estrategia con resultados se abre"
    nada = client.get(reverse("mis_metas"), {"q": "no existe"}).content.decode()
    assert "Ninguna meta coincide con «no existe»." in nada
    assert all(oculto(nada, s) for s in ("devueltas", "este-mes", "atrasadas", "demas-metas"))


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_cada_meta_lleva_lo_que_busca_el_script(client, dia_de_trabajo, delegada_salud):
    client.force_login(delegada_salud)
    html = client.get(reverse("mis_metas")).content.decode()
    meta = dia_de_trabajo["metas"]["1.2"]
    assert (
        f'id="meta-{meta.pk}" data-buscar="1 2 doce 12 reuniones realizar el diagnostico condiciones institucionales" '
        'data-codigo="1.2"'
    ) in html


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_sin_atrasadas_todas_van_abajo(client, plan_pequeno, delegada_salud):
    client.force_login(delegada_salud)
    with time_machine.travel(datetime.datetime(2024, 1, 10, 12, tzinfo=datetime.UTC), tick=False):
        html = client.get(reverse("mis_metas")).content.decode()
    assert 'id="atrasadas"' not in html and 'id="devueltas"' not in html
    assert "Todas sus metas" in html
    assert "Enero de 2024: actividades programadas" in html


@time_machine.travel(QUINCE_DE_MARZO, tick=False)
def test_muchas_atrasadas_se_pliegan_por_estrategia(client, dia_de_trabajo, delegada_salud, monkeypatch):
    from seguimiento import agenda_delegado

    monkeypatch.setattr(agenda_delegado, "ATRASADAS_ABIERTAS", 1)  # a plan that ended with everything at 0
    client.force_login(delegada_salud)
    atrasadas = seccion(client.get(reverse("mis_metas")).content.decode(), "atrasadas")
    assert len(re.findall(r'<details [^>]*id="atrasadas-\d+"', atrasadas)) == 2
    assert re.search(r'id="atrasadas-\d+"[^>]*\sopen', atrasadas) is None
    assert "data-abierta" not in atrasadas
