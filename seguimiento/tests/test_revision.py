"""Carolina, the coordinator, works through the evidence the secretariats sent."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan
from seguimiento.tests.datos_avance import Estado, evidencia, metas

URL = "/revision/"
AHORA = datetime.datetime(2024, 3, 20, 12, 0, tzinfo=zoneinfo.ZoneInfo("America/Bogota"))


def enviada(meta, secretaria, autor, fecha, enviada_el, descripcion="Actividad realizada."):
    e = evidencia(meta, secretaria, autor, fecha, estado=Estado.ENVIADA, descripcion=descripcion)
    e.enviada_en = timezone.make_aware(enviada_el)
    e.save(update_fields=["enviada_en"])
    return e


@pytest.fixture
def cola(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda):
    """Three evidences waiting, sent on different days, plus others that are not waiting."""
    m = metas(plan_pequeno)
    d, dt = datetime.date, datetime.datetime
    recientes = enviada(m["1.2"], salud, delegada_salud, d(2024, 3, 4), dt(2024, 3, 18, 10), "Reunión de marzo.")
    antigua = enviada(m["2.1"], hacienda, delegado_hacienda, d(2024, 2, 12), dt(2024, 2, 29, 8), "Convocatoria JAC.")
    media = enviada(m["2.1"], salud, delegada_salud, d(2024, 3, 1), dt(2024, 3, 10, 15), "Convocatoria jóvenes.")
    evidencia(m["1.1"], salud, delegada_salud, d(2024, 1, 5), estado=Estado.APROBADA, descripcion="Ya aprobada.")
    evidencia(m["1.1"], salud, delegada_salud, d(2024, 1, 6), estado=Estado.DEVUELTA, descripcion="Ya devuelta.")
    evidencia(m["1.1"], salud, delegada_salud, d(2024, 1, 7), estado=Estado.BORRADOR, descripcion="Aún borrador.")
    return {"antigua": antigua, "media": media, "reciente": recientes}


def filas(respuesta):
    return list(respuesta.context["pagina"].object_list)


def test_sin_sesion_lleva_al_ingreso(client, db):
    respuesta = client.get(URL)
    assert respuesta.status_code == 302
    assert respuesta["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["delegada_salud", "comite"])
def test_solo_quien_revisa_entra_a_la_cola(db, client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@time_machine.travel(AHORA, tick=False)
def test_la_cola_muestra_solo_lo_enviado_y_primero_lo_mas_antiguo(client, coordinador, cola):
    client.force_login(coordinador)
    respuesta = client.get(reverse("revision_cola"))
    assert respuesta.status_code == 200
    assert filas(respuesta) == [cola["antigua"], cola["media"], cola["reciente"]]
    html = respuesta.content.decode()
    assert "3 evidencias enviadas esperan revisión." in html
    assert "Convocatoria JAC." in html
    for texto in ("Ya aprobada.", "Ya devuelta.", "Aún borrador."):
        assert texto not in html


@time_machine.travel(AHORA, tick=False)
def test_cada_fila_dice_cuanto_lleva_esperando(client, coordinador, cola):
    client.force_login(coordinador)
    respuesta = client.get(URL)
    antigua, media, reciente = filas(respuesta)
    assert [antigua.dias_esperando, media.dias_esperando, reciente.dias_esperando] == [20, 9, 2]
    assert [antigua.espera_larga, media.espera_larga, reciente.espera_larga] == [True, True, False]
    html = respuesta.content.decode()
    assert "Esperando hace 2\xa0semanas, 6\xa0días" in html  # sent on 29 Feb, 08:00 (Bogotá)
    assert "Esperando hace 2\xa0días" in html
    assert "enviada el 29 de febrero de 2024, 08:00" in html
    assert "Actividad del 12 de febrero de 2024, cantidad 1" in html


@pytest.mark.parametrize(
    ("filtro", "esperadas"),
    [
        ({"secretaria": "hacienda"}, ["antigua"]),
        ({"secretaria": "salud"}, ["media", "reciente"]),
        ({"estrategia": 2}, ["antigua", "media"]),
        ({"estrategia": 1}, ["reciente"]),
        ({"mes": "2024-03"}, ["media", "reciente"]),
        ({"mes": "2024-02", "secretaria": "salud"}, []),
        ({"linea": 1}, ["antigua", "media", "reciente"]),
    ],
)
def test_filtros_de_la_cola(client, coordinador, cola, salud, hacienda, plan_pequeno, filtro, esperadas):
    valores = {"salud": salud.pk, "hacienda": hacienda.pk}
    parametros = {}
    for campo, valor in filtro.items():
        if campo == "secretaria":
            valor = valores[valor]
        elif campo == "estrategia":
            valor = Estrategia.objects.get(objetivo__linea__plan=plan_pequeno, numero=valor).pk
        elif campo == "linea":
            valor = LineaAccion.objects.get(plan=plan_pequeno, numero=valor).pk
        parametros[campo] = valor
    client.force_login(coordinador)
    respuesta = client.get(URL, parametros)
    assert filas(respuesta) == [cola[nombre] for nombre in esperadas]
    if not esperadas:
        assert "Ninguna evidencia enviada coincide con estos filtros." in respuesta.content.decode()


def test_filtro_por_plan_separa_los_planes(client, coordinador, cola, plan_pequeno, salud, delegada_salud):
    otro = Plan.objects.create(
        entidad=plan_pequeno.entidad,
        municipio="Municipio de Prueba",
        titulo="Plan anterior",
        mes_inicio=datetime.date(2023, 1, 1),
        mes_fin=datetime.date(2023, 12, 1),
    )
    linea = LineaAccion.objects.create(plan=otro, numero=1, nombre="Línea vieja")
    estrategia = Estrategia.objects.create(
        objetivo=Objetivo.objects.create(linea=linea, texto="Objetivo viejo."), numero=1, texto="Estrategia vieja."
    )
    meta = Meta.objects.create(estrategia=estrategia, codigo="1.1", texto="Meta vieja.")
    vieja = enviada(meta, salud, delegada_salud, datetime.date(2023, 11, 2), datetime.datetime(2023, 12, 1, 9))
    client.force_login(coordinador)
    assert filas(client.get(URL))[0] == vieja  # all plans by default: nothing sent is hidden
    assert filas(client.get(URL, {"plan": otro.pk})) == [vieja]
    assert vieja not in filas(client.get(URL, {"plan": plan_pequeno.pk}))
    # Lines and strategies offered are those of the chosen plan.
    respuesta = client.get(URL, {"plan": otro.pk})
    assert list(respuesta.context["form"].fields["estrategia"].queryset) == [estrategia]


def test_filtro_invalido_se_explica_y_no_se_aplica(client, coordinador, cola, salud):
    client.force_login(coordinador)
    respuesta = client.get(URL, {"mes": "marzo", "secretaria": salud.pk})
    html = respuesta.content.decode()
    assert "Algunos filtros no son válidos" in html
    assert "Escriba el mes como mm/aaaa (mes y año), por ejemplo 03/2024; recibí «marzo»." in html
    assert filas(respuesta) == [cola["media"], cola["reciente"]]  # the valid filter still applies


def test_estrategia_de_otro_plan_no_es_una_opcion(client, coordinador, cola):
    client.force_login(coordinador)
    respuesta = client.get(URL, {"estrategia": 999})
    assert "estrategia" in respuesta.context["form"].errors
    assert len(filas(respuesta)) == 3


def test_cola_vacia_lo_dice(client, coordinador, plan_pequeno):
    client.force_login(coordinador)
    respuesta = client.get(URL)
    html = respuesta.content.decode()
    assert "0 evidencias enviadas esperan revisión." in html
    assert "No hay evidencias esperando revisión." in html


def test_cola_paginada_de_25_en_25(client, coordinador, plan_pequeno, salud, delegada_salud):
    meta = metas(plan_pequeno)["1.2"]
    inicio = datetime.datetime(2024, 3, 1, 8)
    enviadas = [
        enviada(meta, salud, delegada_salud, datetime.date(2024, 3, 1), inicio + datetime.timedelta(hours=i))
        for i in range(30)
    ]
    client.force_login(coordinador)
    primera = client.get(URL)
    assert filas(primera) == enviadas[:25]
    assert "30 evidencias enviadas esperan revisión." in primera.content.decode()
    assert "Página 1 de 2" in primera.content.decode()
    segunda = client.get(URL, {"page": 2, "secretaria": salud.pk})
    assert filas(segunda) == enviadas[25:]
    assert f"?page=1&amp;secretaria={salud.pk}" in segunda.content.decode()


def test_consultas_de_la_cola_no_crecen_con_las_evidencias(
    client, coordinador, plan_pequeno, salud, delegada_salud, django_assert_num_queries
):
    meta = metas(plan_pequeno)["1.2"]

    def enviar(n):
        for _ in range(n):
            enviada(meta, salud, delegada_salud, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 2, 8))

    client.force_login(coordinador)
    enviar(3)
    # 15: session, user, 2 for permissions, the user's entidad, the visible plans (options and the plan in
    # force), the queue's counts (also the paginator's and the menu's), the page, its metas with strategy
    # and line, its history and edits (what changed since a return), the delegate menu, and the options of
    # secretaría, line and strategy.
    with django_assert_num_queries(15):
        assert len(filas(client.get(URL))) == 3
    enviar(27)
    with django_assert_num_queries(15):
        assert len(filas(client.get(URL))) == 25
    # Filtered, the page's rows are counted apart from the queue's.
    with django_assert_num_queries(17):
        assert len(filas(client.get(URL, {"secretaria": salud.pk}))) == 25


def test_cada_fila_enlaza_al_detalle_de_la_evidencia(client, coordinador, cola):
    detalle = reverse("evidencia_detalle", args=[cola["antigua"].pk])
    client.force_login(coordinador)
    assert f'href="{detalle}"' in client.get(URL).content.decode()


def test_menu_muestra_revision_solo_a_quien_revisa(client, coordinador, comite, plan_pequeno):
    client.force_login(coordinador)
    assert f'href="{URL}"' in client.get(reverse("plan_vigente")).content.decode()
    client.force_login(comite)
    assert f'href="{URL}"' not in client.get(reverse("plan_vigente")).content.decode()


def test_una_reenviada_dice_que_cambio_desde_la_devolucion(client, coordinador, jornada):
    client.force_login(coordinador)
    html = client.get(URL).content.decode()
    reenviada, primera = jornada["reenviada"], jornada["primera"]
    fila = html[html.index(f'id="evidencia-{reenviada.pk}"') :]
    fila = fila[: fila.index("\n  </li>")]
    assert f'<a href="{reverse("evidencia_detalle", args=[reenviada.pk])}">Meta 2.1 · ' in fila
    assert '<span class="badge text-bg-info ms-1 reenviada">Reenviada</span>' in fila
    assert "(«Fueron dos convocatorias, no una.»). Qué cambió desde entonces:</p>" in fila
    assert "<li>Cantidad: <del>1</del> → <ins>2</ins></li>" in fila
    otra = html[html.index(f'id="evidencia-{primera.pk}"') :]
    assert "reenviada" not in otra[: otra.index("</li>")]


@time_machine.travel(AHORA, tick=False)
def test_lo_que_escribe_la_gente_se_muestra_como_texto(client, coordinador, plan_pequeno, salud, delegada_salud):
    """The rows are built in Python (seguimiento.templatetags.revision_html): a description and a delegate's
    name that look like HTML are escaped, never markup."""
    ataque = '<script>alert("x")</script>'
    delegada_salud.first_name = f"<i>Dani</i>{ataque}"
    delegada_salud.save()
    m = metas(plan_pequeno)
    enviada(m["1.2"], salud, delegada_salud, datetime.date(2024, 3, 4), datetime.datetime(2024, 3, 18), ataque)
    client.force_login(coordinador)
    pagina = client.get(URL).content.decode()
    assert ataque not in pagina and "<i>Dani</i>" not in pagina
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pagina
    assert "&lt;i&gt;Dani&lt;/i&gt;" in pagina
