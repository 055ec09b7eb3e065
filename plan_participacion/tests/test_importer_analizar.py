"""Sheets of other towns and other years: the parser reads the layout from the titles."""

import datetime

import pytest

from plan_participacion.importer import ErrorImportacion
from plan_participacion.importer.analizar import analizar
from plan_participacion.importer.fechas import fecha_espanola, mes_de_celda
from plan_participacion.importer.metas import es_por_secretaria, leer_cantidad, leer_periodicidad
from plan_participacion.importer.secretarias import nombre_canonico, separar_responsables
from plan_participacion.models import Meta

TITULOS = ["LÍNEA DE ACCIÓN", "OBJETIVOS", "ESTRATEGIAS", "METAS", "INDICADORES", "MEDIOS", "RESPONSABLES"]
PRIMER_MES = len(TITULOS)  # 0-based column of the first month: H


def hoja(*datos, meses=("ENE.", "FEB.", "MAR."), grupos=(("CRONOGRAMA 2024", 0),), despues=(), pie=None):
    """A small cronograma: metadata on rows 1–2, titles on row 4, months on row 5, data from row 6."""
    encabezado = TITULOS + [""] * len(meses) + list(despues)
    for texto, desplazamiento in grupos:
        encabezado[PRIMER_MES + desplazamiento] = texto
    filas = [
        ["", "MUNICIPIO DE SAN PEDRO", "", "Código: 54-PSC-FT-743"],
        ["CRONOGRAMA DE PLAN DE ACCIÓN 2024", "", "", "Versión: 3"],
        [],
        encabezado,
        [""] * PRIMER_MES + list(meses),
        *datos,
    ]
    filas.append(pie or ["ELABORÓ: Ana Ruiz REVISÓ: Luis Paz APROBÓ: Comité FECHA: 2024-01-15"])
    return filas


def fila(linea="", objetivo="", estrategia="", metas="", indicadores="", responsables="", meses=(), despues=()):
    return [linea, objetivo, estrategia, metas, indicadores, "", responsables, *meses, *despues]


def estrategia_simple(numero=1, meses=("1",), **campos):
    valores = {
        "linea": "Línea única" if numero == 1 else "",
        "objetivo": "Objetivo único" if numero == 1 else "",
        "estrategia": f"{numero}. Estrategia {numero}",
        "metas": f"{numero}.1. Un (1) informe.",
        "indicadores": f"{numero}.1.1. Número de informes.",
        "responsables": "Secretaría de Hacienda",
        "meses": meses,
    }
    return fila(**(valores | campos))


def mensajes(advertencias):
    return [str(a) for a in advertencias]


# ---- layout: header, months, years ----


def test_los_meses_vienen_del_encabezado_y_el_anio_avanza_al_volver_a_enero():
    plan, advertencias = analizar(hoja(estrategia_simple(), meses=("NOV.", "Dic", "enero", "FEB")))
    assert plan.meses == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2025, 2, 1),
    ]
    assert (plan.mes_inicio, plan.mes_fin) == (datetime.date(2024, 11, 1), datetime.date(2025, 2, 1))
    assert advertencias == []


def test_cada_grupo_cronograma_anio_vale_desde_su_celda_hacia_la_derecha():
    plan, _ = analizar(
        hoja(
            estrategia_simple(),
            meses=("SEPT.", "OCT", "ENE", "FEB"),
            grupos=(("CRONOGRAMA 2023", 0), ("Cronograma de actividades 2024", 2)),
        )
    )
    assert [m.isoformat() for m in plan.meses] == ["2023-09-01", "2023-10-01", "2024-01-01", "2024-02-01"]


def test_un_mes_que_falta_se_advierte_y_meses_desordenados_se_rechazan():
    plan, advertencias = analizar(hoja(estrategia_simple(), meses=("ENE.", "MAR.")))
    assert [m.month for m in plan.meses] == [1, 3]
    assert mensajes(advertencias) == ["fila 5, columna I: faltan meses entre ENE. 2024 y MAR. 2024."]
    with pytest.raises(ErrorImportacion, match=r"no están en orden: FEB. 2023 \(fila 5, columna I\)"):
        analizar(hoja(estrategia_simple(), meses=("ENE.", "FEB."), grupos=(("CRONOGRAMA 2024", 0), ("2023", 1))))


def test_sin_anio_en_ninguna_parte_se_rechaza():
    with pytest.raises(ErrorImportacion, match=r"No se encontró el año del cronograma.*CRONOGRAMA 2024"):
        analizar(hoja(estrategia_simple(), grupos=(("CRONOGRAMA", 0),)))


def test_sin_encabezado_se_rechaza_con_un_mensaje_claro():
    with pytest.raises(ErrorImportacion) as error:
        analizar([["Lista de asistencia"], ["Nombre", "Cédula"], ["Ana", "123"]])
    assert error.value.mensaje == (
        "No se encontró el encabezado del cronograma (una fila con los títulos ESTRATEGIAS, METAS y RESPONSABLES)."
    )


def test_sin_meses_debajo_del_encabezado_se_rechaza():
    with pytest.raises(ErrorImportacion, match=r"No se encontraron los meses del cronograma .*fila 5"):
        analizar(hoja(estrategia_simple(), meses=("", "", "")))


def test_el_encabezado_puede_estar_corrido_y_con_titulos_en_singular():
    filas = [[""] * 3 + celdas for celdas in hoja(estrategia_simple())]
    filas[3][3 + 2] = "Estrategia"
    filas[3][3 + 3] = "Meta"
    filas[3][3 + 6] = "Responsable"
    plan, advertencias = analizar(filas)
    assert [e.numero for e in plan.estrategias()] == [1]
    assert plan.estrategias()[0].programacion == {datetime.date(2024, 1, 1): 1}
    assert advertencias == []


def test_municipio_y_datos_del_formato_encima_del_encabezado():
    plan, _ = analizar(hoja(estrategia_simple()))
    assert plan.municipio == "Municipio de San Pedro"
    assert plan.titulo == "CRONOGRAMA DE PLAN DE ACCIÓN 2024"
    assert (plan.codigo_formato, plan.version) == ("54-PSC-FT-743", "3")
    assert (plan.elaboro, plan.reviso, plan.aprobo) == ("Ana Ruiz", "Luis Paz", "Comité")
    assert plan.fecha_aprobacion == datetime.date(2024, 1, 15)


def test_sin_municipio_se_rechaza():
    filas = hoja(estrategia_simple())
    filas[0][1] = ""
    with pytest.raises(ErrorImportacion, match="No se encontró el municipio"):
        analizar(filas)


def test_el_pie_con_etiquetas_en_celdas_separadas_y_nombres_debajo():
    pie = ["ELABORÓ:", "Ana Ruiz", "REVISO", "", "APROBÓ:", "", "Fecha:", "22 de Diciembre de 2023"]
    debajo = ["", "", "Luis Paz - Planeación", "", "Comité de Gestión"]
    filas = hoja(estrategia_simple(), pie=pie) + [debajo]
    plan, _ = analizar(filas)
    assert plan.elaboro == "Ana Ruiz"
    assert plan.reviso == "Luis Paz - Planeación"
    assert plan.aprobo == "Comité de Gestión"
    assert plan.fecha_aprobacion == datetime.date(2023, 12, 22)


# ---- data rows ----


def test_otra_alcaldia_escribe_cada_meta_en_su_fila_y_la_programacion_se_suma():
    filas = hoja(
        fila(
            "Línea",
            "Objetivo",
            "1. Capacitar a los consejeros.",
            "1.1. Dos (2) talleres.",
            "1.1.1. Talleres.",
            "Secretaría de Gobierno",
            meses=("1", "", "1"),
        ),
        fila(
            metas="1.2. Una (1) cartilla.",
            indicadores="1.2.1. Cartillas.",
            responsables="Secretaría de Hacienda",
            meses=("", "2", "1"),
        ),
        fila(
            estrategia="2. Rendir cuentas.",
            metas="2.1. Una (1) audiencia anual.",
            indicadores="2.1.1. Audiencias.",
            meses=("", "", "1"),
        ),
    )
    plan, advertencias = analizar(filas)
    primera, segunda = plan.estrategias()
    assert [m.codigo for m in primera.metas] == ["1.1", "1.2"]
    assert [i.codigo for m in primera.metas for i in m.indicadores] == ["1.1.1", "1.2.1"]
    assert primera.programacion == {
        datetime.date(2024, 1, 1): 1,
        datetime.date(2024, 2, 1): 2,
        datetime.date(2024, 3, 1): 2,
    }
    assert primera.total_programado() == 5
    assert len(primera.responsables) == 2
    assert segunda.total_programado() == 1
    assert len(plan.objetivos()) == 1
    assert advertencias == []


def test_una_fila_de_totales_no_suma_programacion():
    filas = hoja(estrategia_simple(meses=("1", "2")), fila(estrategia="TOTAL", meses=("1", "2")))
    plan, advertencias = analizar(filas)
    assert plan.estrategias()[0].total_programado() == 3
    assert mensajes(advertencias) == ["fila 7: fila de totales; no se tomó como programación."]


def test_celdas_de_meses_con_marcas_o_texto():
    plan, advertencias = analizar(hoja(estrategia_simple(meses=("x", "dos", "1.5"))))
    assert plan.estrategias()[0].programacion == {datetime.date(2024, 1, 1): 1}
    assert mensajes(advertencias) == [
        "fila 6, columna H: la marca «x» en ENE. 2024 se contó como 1 actividad.",
        "fila 6, columna I: «dos» en FEB. 2024 no es un número; se ignoró.",
        "fila 6, columna J: «1.5» en MAR. 2024 no es un número entero positivo; se ignoró.",
    ]


def test_fortalezas_y_debilidades_con_texto_se_guardan_en_la_estrategia():
    filas = hoja(
        estrategia_simple(meses=("1", "", ""), despues=("Equipo comprometido", "Poco presupuesto", "7")),
        despues=("FORTALEZAS", "DEBILIDADES"),
    )
    plan, advertencias = analizar(filas)
    estrategia = plan.estrategias()[0]
    assert (estrategia.fortalezas, estrategia.debilidades) == ("Equipo comprometido", "Poco presupuesto")
    assert mensajes(advertencias) == [
        "fila 6, columna M: hay un número («7») en una columna sin título, fuera de los meses del cronograma; "
        "no se tomó como programación."
    ]


def test_estrategia_sin_linea_ni_objetivo_se_rechaza():
    with pytest.raises(ErrorImportacion, match=r"Fila 6: la estrategia no tiene línea de acción y objetivo"):
        analizar(hoja(estrategia_simple(linea="", objetivo="")))


# ---- numbered metas and indicators ----


def test_numeracion_con_espacios_sin_espacio_saltos_y_repeticiones():
    metas = "1.1.Un (1) acta. 1. 2. Dos (2) actas. 1.4. Un (1) salto. 1.4. Un (1) repetida 2.1. Una (1) de otra."
    indicadores = "1.1.1. Uno. 1.2.1 Dos. 1.4.1. Cuatro. 1.4.1. Cuatro bis. 1.9.1. Huérfano."
    plan, advertencias = analizar(hoja(estrategia_simple(metas=metas, indicadores=indicadores)))
    metas_leidas = plan.metas()
    assert [(m.codigo, m.texto, m.cantidad_objetivo) for m in metas_leidas] == [
        ("1.1", "Un (1) acta.", 1),
        ("1.2", "Dos (2) actas.", 2),
        ("1.4", "Un (1) salto.", 1),
        ("1.4 (2)", "Un (1) repetida 2.1. Una (1) de otra.", 1),
    ]
    assert [[(i.codigo, i.texto) for i in m.indicadores] for m in metas_leidas] == [
        [("1.1.1", "Uno.")],
        [("1.2.1", "Dos.")],
        [("1.4.1", "Cuatro.")],
        [("1.4.1", "Cuatro bis.")],
    ]
    assert mensajes(advertencias) == [
        "fila 6, columna D: la numeración «1. 2.» de la meta tiene espacios; se leyó como 1.2.",
        "fila 6, columna D: «2.1» no corresponde a la estrategia 1; se dejó como parte del texto de la meta anterior.",
        "fila 6, columna D: la numeración salta a 1.4: falta 1.3.",
        "fila 6, columna D: el código 1.4 está repetido.",
        "fila 6, columna E: el indicador 1.9.1 no corresponde a ninguna meta de la estrategia 1; se omitió: "
        "«Huérfano.».",
    ]


def test_numeros_dentro_del_texto_no_parten_la_meta():
    metas = "1.1. Un (1) fondo de 1.5 millones para 11.1 veredas. 1.2. Dos (2) informes."
    indicadores = "1.1.1. Fondos (1.1). 1.2.1. Informes."
    plan, advertencias = analizar(hoja(estrategia_simple(metas=metas, indicadores=indicadores)))
    assert [(m.codigo, m.texto) for m in plan.metas()] == [
        ("1.1", "Un (1) fondo de 1.5 millones para 11.1 veredas."),
        ("1.2", "Dos (2) informes."),
    ]
    assert plan.metas()[0].indicadores[0].texto == "Fondos (1.1)."
    assert advertencias == []


def test_meta_sin_indicador_y_metas_sin_numero():
    filas = hoja(estrategia_simple(metas="Un (1) informe anual.", indicadores=""))
    plan, advertencias = analizar(filas)
    assert [(m.codigo, m.periodicidad) for m in plan.metas()] == [("1.1", Meta.Periodicidad.ANUAL)]
    assert mensajes(advertencias) == [
        "fila 6, columna D: meta sin numeración; se tomó como 1.1.",
        "fila 6, columna E: la meta 1.1 no tiene indicador.",
    ]


@pytest.mark.parametrize(
    ("texto", "cantidad", "duda"),
    [
        ("Un (1) documento anual elaborado", 1, None),
        ("Una (1) estrategia de comunicación", 1, None),
        ("Dos (2) convocatorias", 2, None),
        ("Doce (12) boletines mensuales", 12, None),
        ("Treinta y dos (32) visitas", 32, None),
        ("(3) talleres", 3, None),
        ("5 talleres con la comunidad", 5, None),
        ("Cinco talleres con la comunidad", 5, None),
        ("Veinte encuestas", 20, None),
        ("Cien encuestas", 100, None),
        ("Dos (3) informes", 3, "no coincide"),
        ("Realizar talleres", 1, "no se encontró la cantidad"),
    ],
)
def test_la_cantidad_de_la_meta_se_lee_en_letras_y_en_numeros(texto, cantidad, duda):
    leida, aviso = leer_cantidad(texto)
    assert leida == cantidad
    assert (aviso is None) if duda is None else (duda in aviso)


@pytest.mark.parametrize(
    ("texto", "periodicidad"),
    [
        ("Un (1) documento anual elaborado", Meta.Periodicidad.ANUAL),
        ("Un (1) documento revisado anualmente", Meta.Periodicidad.ANUAL),
        ("Una (1) publicación semestral", Meta.Periodicidad.SEMESTRAL),
        ("Informes semestralmente", Meta.Periodicidad.SEMESTRAL),
        ("Cuatro (4) comités trimestrales", Meta.Periodicidad.TRIMESTRAL),
        ("Doce (12) boletines Mensuales", Meta.Periodicidad.MENSUAL),
        ("Un (1) manual de participación", Meta.Periodicidad.UNICA),
    ],
)
def test_la_periodicidad_sale_del_texto(texto, periodicidad):
    assert leer_periodicidad(texto)[0] == periodicidad


@pytest.mark.parametrize(
    ("texto", "por_secretaria"),
    [
        ("Una (1) convocatoria de las actividades de participación ciudadana de cada secretaría.", True),
        ("Un (1) informe por cada Secretaria", True),
        ("Un (1) informe por secretaría", True),
        ("Un (1) comité conformado por cada delegado(a) de secretaria y/o programa social", False),
        ("Un (1) plan validado con las secretarías", False),
    ],
)
def test_metas_que_aplican_a_cada_secretaria(texto, por_secretaria):
    assert es_por_secretaria(texto) is por_secretaria


# ---- responsables ----


def test_responsables_separados_por_comas_punto_y_coma_y_saltos_de_linea():
    texto = (
        "Secretaría de Educacion, Cultura y Turismo, Despacho Alcalde; Oficina de Control Interno\n"
        "Secretaria de Salud publica y Seguridad Social, Control Interno Disciplinario, Programa Más Familias."
    )
    assert separar_responsables(texto) == [
        "Secretaría de Educacion, Cultura y Turismo",
        "Despacho Alcalde",
        "Oficina de Control Interno",
        "Secretaria de Salud publica y Seguridad Social",
        "Control Interno Disciplinario",
        "Programa Más Familias",
    ]


@pytest.mark.parametrize(
    ("escrituras", "nombre"),
    [
        (["Despacho Alcaldé", "Despacho Alcalde"], "Despacho Alcalde"),
        (["Despacho Alcaldé"], "Despacho Alcalde"),
        (["Secretaria de Salud publica y Seguridad Social"], "Secretaría de Salud Pública y Seguridad Social"),
        (
            ["Secretaria de medio ambiente y desarrollo economico"],
            "Secretaría de Medio Ambiente y Desarrollo Económico",
        ),
        (["SECRETARIA DE TRANSITO Y MOVILIDAD"], "Secretaría de Tránsito y Movilidad"),
        (["Oficina TIC y de comunicaciones"], "Oficina TIC y de Comunicaciones"),
        (
            ["Secretaría de Agricultura y Pesca", "Secretaria de Agricultura y Pésca"],
            "Secretaría de Agricultura y Pesca",
        ),
    ],
)
def test_nombre_canonico_con_tildes_y_mayusculas_de_nombre_oficial(escrituras, nombre):
    assert nombre_canonico(escrituras) == nombre


def test_las_escrituras_de_una_secretaria_se_agrupan():
    filas = hoja(
        estrategia_simple(responsables="Secretaria de Transito, Secretaría de Tránsito, SECRETARIA DE TRANSITO"),
    )
    plan, _ = analizar(filas)
    (secretaria,) = plan.secretarias
    assert secretaria.nombre == "Secretaría de Tránsito"
    assert list(secretaria.escrituras) == ["Secretaria de Transito", "Secretaría de Tránsito", "SECRETARIA DE TRANSITO"]
    assert plan.estrategias()[0].responsables == ["secretaria de transito"]


# ---- Spanish dates and months ----


@pytest.mark.parametrize(
    ("texto", "fecha"),
    [
        ("17-Agosto-2021", datetime.date(2021, 8, 17)),
        ("22 de Diciembre de 2022", datetime.date(2022, 12, 22)),
        ("2022-12-22", datetime.date(2022, 12, 22)),
        ("22/12/2022", datetime.date(2022, 12, 22)),
        ("Septiembre 5 de 2023", datetime.date(2023, 9, 5)),
        ("31 de febrero de 2023", None),
        ("pendiente", None),
    ],
)
def test_fechas_en_espanol(texto, fecha):
    assert fecha_espanola(texto) == fecha


@pytest.mark.parametrize(
    ("texto", "mes"),
    [
        ("OCT.", (10, None)),
        ("Ene", (1, None)),
        ("enero", (1, None)),
        ("SEPT.", (9, None)),
        ("Set", (9, None)),
        ("Diciembre 2024", (12, 2024)),
        ("ENE-25", (1, 2025)),
        ("2024-03-01", (3, 2024)),
        ("TOTAL", None),
        ("Ma", None),
    ],
)
def test_titulos_de_mes(texto, mes):
    assert mes_de_celda(texto) == mes
