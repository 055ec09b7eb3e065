"""The two PDF reports, opened with pypdf as a committee member would read them."""

import io
import re
from decimal import Decimal

import time_machine
from django.urls import reverse
from pypdf import PdfReader

from reportes.tests.conftest import ACTA, CODIGOS_CANDELARIA, CORTE, LISTA
from seguimiento.avance import avance_plan


def leer_pdf(respuesta):
    assert respuesta.status_code == 200, respuesta.content[:500]
    assert respuesta["Content-Type"] == "application/pdf"
    lector = PdfReader(io.BytesIO(respuesta.content))
    return [re.sub(r"[^\S\n]+", " ", pagina.extract_text()) for pagina in lector.pages], lector


def descargar(client, usuario, nombre, **parametros):
    client.force_login(usuario)
    return client.get(reverse(nombre), parametros)


def test_el_informe_de_avance_tiene_el_encabezado_en_cada_pagina_y_las_cifras_del_tablero(
    client, comite, historia_candelaria
):
    paginas, lector = leer_pdf(descargar(client, comite, "reporte_avance", corte=CORTE.isoformat()))
    total = len(paginas)
    assert total >= 3
    for numero, texto in enumerate(paginas, start=1):
        assert "MUNICIPIO DE CANDELARIA" in texto
        assert "Código: 54-PSC-FT-743" in texto
        assert "Versión: 1" in texto
        assert "Fecha: 17 de agosto de 2021" in texto
        assert "INFORME DE AVANCE" in texto
        assert f"Página {numero} de {total}" in texto
    todo = "\n".join(paginas)
    assert "Página 1 de" in paginas[0]
    assert "Fecha de corte: 31 de marzo de 2023" in todo
    for codigo in CODIGOS_CANDELARIA:
        assert re.search(rf"(?m)^{re.escape(codigo)} ", todo), f"falta la meta {codigo}"

    # Hand-counted (see conftest) and equal to what the dashboard computes.
    avance = avance_plan(historia_candelaria["plan"], CORTE)
    assert avance.porcentaje == Decimal("6.6") and avance.ejecucion.ejecutado_a_la_fecha == 4
    resumen = re.search(r"Plan (\S+ %) \w+ (\d+) (\d+) (\d+) (\S+ %)", todo)
    assert resumen.groups() == ("6,6 %", "74", "23", "4", "17,4 %")
    assert re.search(r"Total 74 4 23 programadas a la fecha 17,4 %", todo)
    assert "Estrategia 1 33,3 % Rojo 10 7 2 28,6 %" in todo
    assert (
        "Línea de acción 1. Condiciones institucionales idóneas para la promoción de la participación ciudadana "
        "— 12,5 %" in todo
    )

    # Chart drawn on the server (SVG becomes vector paths, its labels text), who has not reported,
    # the plan's signatures.
    assert "Ejecutado (evidencias aprobadas)" in todo and "MAR 23" in todo
    assert "Quién no ha reportado: marzo de 2023" in todo
    assert "Secretaría de Hacienda" in todo  # responsible for March's strategies, reported nothing
    assert "Fortalezas y debilidades" in todo
    for firma in ("ELABORÓ", "REVISÓ", "APROBÓ", "Yurid Marcela Mora Josa", "22 de diciembre de 2022"):
        assert firma in todo


def test_el_informe_de_avance_usa_las_fuentes_del_proyecto(client, coordinador, historia_candelaria):
    _paginas, lector = leer_pdf(descargar(client, coordinador, "reporte_avance", corte=CORTE.isoformat()))
    fuentes = {
        str(fuente["/BaseFont"])
        for pagina in lector.pages
        for fuente in pagina["/Resources"]["/Font"].values()
        if "/BaseFont" in fuente.get_object()
    }
    # Only the @font-face of static/reportes/informe.css (DejaVu Sans, vendored), embedded: no system font.
    assert {f.split("+")[-1] for f in fuentes} == {"Informe-Sans", "Informe-Sans-Bold"}
    for pagina in lector.pages:
        for fuente in pagina["/Resources"]["/Font"].values():
            descendiente = fuente.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendiente["/FontDescriptor"].get_object()


def test_el_informe_de_verificacion_lista_cada_evidencia_aprobada_con_sus_archivos(client, comite, historia_candelaria):
    paginas, _lector = leer_pdf(descargar(client, comite, "reporte_verificacion", corte=CORTE.isoformat()))
    total = len(paginas)
    for numero, texto in enumerate(paginas, start=1):
        assert "MUNICIPIO DE CANDELARIA" in texto and "INFORME DE VERIFICACIÓN" in texto
        assert f"Página {numero} de {total}" in texto
    todo = "\n".join(paginas)
    for codigo in CODIGOS_CANDELARIA:
        assert f"Meta {codigo}." in todo, f"falta la meta {codigo}"
    assert re.search(r"Evidencias aprobadas: 4 · Archivos: 2", todo)

    diagnostico = historia_candelaria["evidencias"]["1.1"]
    plano = re.sub(r"\s+", " ", todo)  # cells wrap their text over several lines
    assert f"15/11/2022 · {diagnostico.pk} " in plano
    assert "Secretaría de Desarrollo Social y Programas Especiales" in plano
    assert "23 (M 14, H 9, O 0) · edades 0/0/0/0 · Jóvenes: 7" in plano
    assert "Acta, Lista de asistencia" in plano
    assert "Carolina Ríos · 15/11/2022 09:00" in plano  # who approved it, and when
    # Typed text stays text: the <img> in a file name is printed, never fetched.
    assert 'lista <img src="file:///etc/passwd">.csv' in plano
    sin_espacios = re.sub(r"\s+", "", todo)
    for archivo, contenido in zip(historia_candelaria["archivos"], (ACTA, LISTA), strict=True):
        assert archivo.nombre_original in todo
        assert f"{archivo.nombre_original} · {len(contenido)} B SHA-256 {archivo.sha256[:20]}" in plano
        assert archivo.sha256 in sin_espacios

    # Only approved evidence up to the corte: not the one of April, nor the sent or returned ones.
    evidencias = historia_candelaria["evidencias"]
    for codigo in ("1.3", "2.1", "6.1"):
        assert not re.search(rf"/20\d\d · {evidencias[codigo].pk}\b", plano)
    # Meta 5.3 ("de cada secretaría"): one row, its two approved units, 1 of 13 counts.
    assert re.search(r"Objetivo: 13 · Aprobado que cuenta: 1 · Avance: 7,7 %", todo)
    assert "ELABORÓ" in todo and "APROBÓ" in todo


def test_una_meta_tiene_una_fila_por_evidencia_y_no_se_repite(client, comite, historia_candelaria):
    paginas, _lector = leer_pdf(descargar(client, comite, "reporte_verificacion", corte=CORTE.isoformat()))
    todo = "\n".join(paginas)
    assert todo.count("Meta 1.1.") == 1
    assert todo.count("Un (1) documento anual elaborado que identifique") == 1


@time_machine.travel("2023-02-14 15:00 -0500", tick=False)
def test_sin_corte_se_usa_el_corte_por_defecto(client, comite, historia_candelaria):
    paginas, _lector = leer_pdf(descargar(client, comite, "reporte_avance"))
    assert "Fecha de corte: 14 de febrero de 2023" in paginas[0]
    respuesta = descargar(client, comite, "reporte_avance")
    assert 'filename="informe-avance-municipio-de-candelaria-2023-02-14.pdf"' in respuesta["Content-Disposition"]


def test_el_informe_de_avance_trae_los_participantes_y_su_edicion_publica_no_nombra_personas(historia_candelaria):
    from reportes import informes

    plan = historia_candelaria["plan"]
    plan.elaboro = "Ximena Elaboradora"
    datos = informes.datos_avance(plan, CORTE)
    html = informes.html_avance(datos)
    assert 'id="participantes"' in html and "Jóvenes" in html and "Ximena Elaboradora" in html
    assert datos["participantes_filas"][0][1].participantes_total == 23
    publico = informes.html_avance({**datos, "publico": True})
    assert "edición pública" in publico and 'id="participantes"' in publico
    assert "Ximena Elaboradora" not in publico and 'id="firmas"' not in publico
    for pendiente in datos["pendientes"]:
        for delegado in pendiente.delegados:
            assert delegado.get_full_name() not in publico
