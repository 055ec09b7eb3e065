"""Phases of the cycle and Menú Participa sections of each strategy (plan_participacion.ciclo): the word
rules on the seed's six strategies, the import preview and confirmation, the page /plan/<id>/fases/,
the history indexes after the migration, and the progress by phase (seguimiento.avance.avance_por_fase).
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from plan_participacion import acciones, ciclo
from plan_participacion.importer import importar
from plan_participacion.models import Estrategia, Plan
from plan_participacion.tests.test_importar_web import confirmar, subir, token_de
from plan_participacion.tests.test_importer_semilla import SEMILLA
from seguimiento.avance import avance_plan, avance_por_fase

F, S = ciclo.Fase, ciclo.SeccionParticipa

# What the rules suggest for the seed's strategies (README, «Para el comité»).
ESPERADO = {
    1: ((F.DIAGNOSTICO,), (S.DIAGNOSTICO,)),
    2: ((F.DIAGNOSTICO,), (S.DIAGNOSTICO,)),
    3: ((F.FORMULACION,), ()),
    4: ((F.FORMULACION,), (S.CONSULTA,)),
    5: ((F.IMPLEMENTACION,), ()),
    6: ((F.EVALUACION,), (S.RENDICION,)),
}


@pytest.fixture
def candelaria(entidad_candelaria):
    """The seed imported into its entidad (whose coordinator is coordinadora_candelaria)."""
    return importar(SEMILLA).plan


def estrategias(plan):
    return {e.numero: e for e in Estrategia.objects.filter(objetivo__linea__plan=plan)}


def test_sugerencias_en_las_seis_estrategias_de_la_semilla(candelaria):
    obtenido = {
        n: (ciclo.sugerir(e.texto).fases, ciclo.sugerir(e.texto).secciones) for n, e in estrategias(candelaria).items()
    }
    assert obtenido == ESPERADO
    # the words that decided, as the sheet writes them
    assert ciclo.sugerir(estrategias(candelaria)[4].texto).palabras == ("Divulgar", "retroalimentar")
    assert ciclo.sugerir(estrategias(candelaria)[1].texto).palabras == ("diagnóstico",)


@pytest.mark.parametrize(
    "texto, fases, secciones",
    [
        # «ejecución» after «para» is not what the strategy does
        ("3. Definir la estrategia para la ejecución del plan", (F.FORMULACION,), ()),
        ("Realizar la audiencia pública de rendición de cuentas", (F.EVALUACION,), (S.RENDICION,)),
        ("Conformar veedurías ciudadanas para el PMD", (F.EVALUACION,), (S.CONTROL_SOCIAL,)),
        ("Presupuesto participativo con las JAC", (F.FORMULACION,), (S.PLANEACION,)),
        ("Laboratorio de innovación abierta con jóvenes", (F.IMPLEMENTACION,), (S.COLABORACION,)),
        ("Hacer cosas", (), ()),
    ],
)
def test_reglas(texto, fases, secciones):
    sugerencia = ciclo.sugerir(texto)
    assert (sugerencia.fases, sugerencia.secciones) == (fases, secciones)


def test_aplicar_las_sugerencias_no_reemplaza_lo_que_ya_se_marco(candelaria, coordinadora_candelaria):
    tercera = estrategias(candelaria)[3]
    acciones.etiquetar_ciclo(tercera, usuario=coordinadora_candelaria, fases=[F.IMPLEMENTACION], secciones=[])
    etiquetadas = acciones.aplicar_sugerencias_ciclo(candelaria, usuario=coordinadora_candelaria)
    assert sorted(e.numero for e in etiquetadas) == [1, 2, 4, 5, 6]
    ahora = estrategias(candelaria)
    assert ahora[3].fases == [F.IMPLEMENTACION]
    assert ahora[4].fases == [F.FORMULACION] and ahora[4].secciones_participa == [S.CONSULTA]
    ultima = ahora[4].history.first()
    assert (ultima.history_user, ultima.history_change_reason) == (
        coordinadora_candelaria,
        "fases del ciclo sugeridas al importar",
    )
    with pytest.raises(acciones.SinCambios):
        acciones.etiquetar_ciclo(tercera, usuario=coordinadora_candelaria, fases=[F.IMPLEMENTACION], secciones=[])
    with pytest.raises(ValueError):
        acciones.etiquetar_ciclo(tercera, usuario=coordinadora_candelaria, fases=["otra"], secciones=[])


@pytest.mark.django_db
def test_la_vista_previa_sugiere_y_al_confirmar_se_etiqueta(client, coordinadora_candelaria, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(coordinadora_candelaria)
    respuesta = subir(client)
    contenido = respuesta.content.decode()
    assert "Fases del ciclo de la gestión sugeridas" in contenido
    assert (
        "Estrategia 4: <strong>Formulación, Consulta ciudadana</strong> (por «Divulgar», «retroalimentar»)" in contenido
    )
    assert 'name="aplicar_ciclo" id="id_aplicar_ciclo" aria-describedby="ayuda-aplicar-ciclo" checked' in contenido
    assert not Plan.objects.exists()
    respuesta = confirmar(client, token_de(respuesta), aplicar_ciclo="on")
    plan = Plan.objects.get()
    assert {n: (tuple(e.fases), tuple(e.secciones_participa)) for n, e in estrategias(plan).items()} == ESPERADO
    mensajes = [str(m) for m in respuesta.wsgi_request._messages]
    assert "6 estrategias quedaron etiquetadas con las fases del ciclo sugeridas" in mensajes[-1]


@pytest.mark.django_db
def test_sin_confirmar_las_sugerencias_no_se_etiqueta(client, coordinadora_candelaria, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(coordinadora_candelaria)
    confirmar(client, token_de(subir(client)))
    assert all(not e.fases for e in Estrategia.objects.all())


def test_la_coordinadora_marca_las_fases_en_su_pagina(client, candelaria, coordinadora_candelaria):
    client.force_login(coordinadora_candelaria)
    url = reverse("plan_fases", args=[candelaria.pk])
    respuesta = client.get(url)
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "Ninguna estrategia tiene participación en la fase de formulación." in contenido
    assert "Sugerencia por sus palabras" in contenido
    cuarta = estrategias(candelaria)[4]
    datos = {f"e{cuarta.pk}-fases": [F.FORMULACION], f"e{cuarta.pk}-secciones": [S.CONSULTA]}
    respuesta = client.post(url, datos)
    assert respuesta.status_code == 302
    cuarta.refresh_from_db()
    assert (cuarta.fases, cuarta.secciones_participa) == ([F.FORMULACION], [S.CONSULTA])
    contenido = client.get(url).content.decode()
    assert "Ninguna estrategia tiene participación en la fase de formulación." not in contenido
    assert "Catalina Vélez · Estrategia 4: Formulación · Consulta ciudadana" in contenido
    # an unknown value is refused and nothing changes
    assert client.post(url, {f"e{cuarta.pk}-fases": ["inventada"]}).status_code == 400
    cuarta.refresh_from_db()
    assert cuarta.fases == [F.FORMULACION]


def test_otra_entidad_no_ve_las_fases(client, candelaria, coordinador):
    client.force_login(coordinador)  # coordinates «Municipio de Prueba»
    assert client.get(reverse("plan_fases", args=[candelaria.pk])).status_code == 404


@pytest.mark.django_db
def test_los_indices_del_historial_de_estrategias_siguen_despues_de_la_migracion():
    tabla = Estrategia.history.model._meta.db_table
    with connection.cursor() as cursor:
        indices = set(connection.introspection.get_constraints(cursor, tabla))
    assert {"hist_estrategia_fecha", "hist_estrategia_usuario", "hist_estrategia_objeto"} <= indices


def test_avance_por_fase_sin_consultas(candelaria, django_assert_num_queries):
    """Strategies 1 and 2 in diagnóstico, 4 in formulación and consulta; nothing approved, corte 31 March 2023:
    what each strategy planned to March 2023 adds up per phase."""
    por_numero = estrategias(candelaria)
    for numero, fases in ((1, ["diagnostico"]), (2, ["diagnostico"]), (4, ["formulacion"])):
        Estrategia.objects.filter(pk=por_numero[numero].pk).update(fases=fases)
    avance = avance_plan(candelaria, datetime.date(2023, 3, 31))
    con_numeros = {e.estrategia.numero: e for e in avance.estrategias()}
    with django_assert_num_queries(0):
        fases = avance_por_fase(avance)
    assert [f.fase for f in fases] == list(F.values)
    diagnostico, formulacion, implementacion, evaluacion = fases
    assert [e.estrategia.numero for e in diagnostico.estrategias] == [1, 2]
    assert diagnostico.programado_a_la_fecha == (
        con_numeros[1].ejecucion.programado_a_la_fecha + con_numeros[2].ejecucion.programado_a_la_fecha
    )
    assert diagnostico.ejecutado_a_la_fecha == 0 and str(diagnostico.porcentaje) == "0.0"
    assert [e.estrategia.numero for e in formulacion.estrategias] == [4]
    assert implementacion.sin_estrategias and evaluacion.sin_estrategias
    assert implementacion.porcentaje is None and implementacion.color is None


def test_el_tablero_agrupa_por_fase_y_senala_las_fases_vacias(client, candelaria, coordinadora_candelaria):
    Estrategia.objects.filter(pk=estrategias(candelaria)[1].pk).update(fases=[F.DIAGNOSTICO])
    client.force_login(coordinadora_candelaria)
    contenido = client.get(reverse("tablero"), {"plan": candelaria.pk, "corte": "31/03/2023"}).content.decode()
    assert "Avance por fase del ciclo de la gestión" in contenido
    assert "Ninguna estrategia tiene participación en la fase de formulación." in contenido
    assert "Ninguna estrategia tiene participación en la fase de diagnóstico." not in contenido
