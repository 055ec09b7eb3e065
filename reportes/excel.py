"""The schedule as an Excel workbook in the municipality's own layout, with planned and executed per month.

Sheet "Cronograma" is the sheet the plan was imported from (same titles, same
columns, merged cells, the plan's months, the ELABORÓ / REVISÓ / APROBÓ footer),
so ``importar_cronograma`` reads it back into the same structure. Executed
activities per month go in an extra block to the right, titled "EJECUTADO …"
with months written "Ejec. OCT.": the importer does not take them for months
(it reports them as numbers outside the schedule and ignores them). A "TOTAL"
row closes the table; the importer skips it too.

Sheet "Metas e indicadores" is one row per meta (never one per evidence):
indicator, target, approved, percentage and semáforo, as on the dashboard.
All figures come from seguimiento.avance.avance_plan.

Sheet "Participantes": people who took part in the approved evidence up to the corte, by plan,
line and strategy, then by month, in columns by sex, age band and grupo de valor (from
seguimiento.participantes, the summary the dashboard reads).
"""

import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from plan_participacion.importer.fechas import NOMBRES_MESES
from plan_participacion.models import Indicador
from reportes.templatetags.informes import fecha_larga
from seguimiento.avance import Color, avance_plan
from seguimiento.participantes import EDADES, SEXOS, participantes_al_corte

TEXTO = ["linea", "objetivo", "estrategia", "metas", "indicadores", "medios", "responsables"]
TITULOS = {
    "linea": "LINEA DE ACCIÓN / SUBPROGRAMA PMD",
    "objetivo": "OBJETIVOS",
    "estrategia": "ESTRATEGIAS",
    "metas": "METAS",
    "indicadores": "INDICADORES DE CUMPLIMIENTO",
    "medios": "MEDIOS DE VERIFICACIÓN",
    "responsables": "RESPONSABLES",
}
ANCHOS = {
    "linea": 24,
    "objetivo": 26,
    "estrategia": 32,
    "metas": 48,
    "indicadores": 42,
    "medios": 26,
    "responsables": 34,
}
FILA_ENCABEZADO = 6  # titles; the months are on the row below, the strategies from FILA_ENCABEZADO + 2

_FINO = Side(style="thin", color="7F7F7F")
BORDE = Border(left=_FINO, right=_FINO, top=_FINO, bottom=_FINO)
NEGRITA = Font(bold=True)
RELLENO_TITULO = PatternFill("solid", fgColor="D9E1F2")
RELLENO_EJECUTADO = PatternFill("solid", fgColor="E2EFDA")
RELLENO_TOTAL = PatternFill("solid", fgColor="F2F2F2")
ARRIBA = Alignment(vertical="top", wrap_text=True)
CENTRO = Alignment(horizontal="center", vertical="center", wrap_text=True)
RELLENO_SEMAFORO = {
    Color.ROJO: PatternFill("solid", fgColor="F4B6B6"),
    Color.AMARILLO: PatternFill("solid", fgColor="FFE699"),
    Color.VERDE: PatternFill("solid", fgColor="C6E0B4"),
}
TIPO_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def abreviatura(mes):
    """ "OCT." as in the sheet's months row."""
    return f"{NOMBRES_MESES[mes.month - 1][:3].upper()}."


def _indicadores(plan):
    por_meta = defaultdict(list)
    for indicador in Indicador.objects.filter(meta__estrategia__objetivo__linea__plan=plan).order_by("codigo", "pk"):
        por_meta[indicador.meta_id].append(indicador)
    return por_meta


def libro_cronograma(plan, corte):
    """Bytes of the .xlsx of ``plan`` with executed activities counted up to ``corte``."""
    avance = avance_plan(plan, corte)
    indicadores = _indicadores(plan)
    libro = Workbook()
    _hoja_cronograma(libro.active, avance, indicadores)
    _hoja_metas(libro.create_sheet("Metas e indicadores"), avance, indicadores)
    _hoja_participantes(libro.create_sheet("Participantes"), avance, participantes_al_corte(plan, corte))
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _celda(hoja, fila, columna, valor, *, estilo=None, fuente=None, relleno=None, borde=True, formato=None):
    celda = hoja.cell(row=fila, column=columna, value=valor)
    if isinstance(valor, str) and valor.startswith("="):
        celda.data_type = "s"  # text typed in the plan is never a formula
    celda.alignment = estilo or ARRIBA
    if fuente:
        celda.font = fuente
    if relleno:
        celda.fill = relleno
    if borde:
        celda.border = BORDE
    if formato:
        celda.number_format = formato
    return celda


def _unir(hoja, fila1, col1, fila2, col2):
    if (fila1, col1) != (fila2, col2):
        hoja.merge_cells(start_row=fila1, start_column=col1, end_row=fila2, end_column=col2)


def _grupos_por_anio(meses, primera_columna):
    """[(year, first column, last column)] of consecutive months of each year."""
    grupos = []
    for k, mes in enumerate(meses):
        columna = primera_columna + k
        if grupos and grupos[-1][0] == mes.year:
            grupos[-1][2] = columna
        else:
            grupos.append([mes.year, columna, columna])
    return grupos


def _hoja_cronograma(hoja, avance, indicadores):
    plan = avance.plan
    meses = plan.meses()
    n = len(meses)
    col = {nombre: k + 1 for k, nombre in enumerate(TEXTO)}
    primer_mes = len(TEXTO) + 1
    col["fortalezas"] = primer_mes + n
    col["debilidades"] = col["fortalezas"] + 1
    primer_ejecutado = col["debilidades"] + 1
    ultima = primer_ejecutado + n - 1
    hoja.title = "Cronograma"

    # ---- format block (rows 1-4), read back by the importer's metadata step ----
    _celda(hoja, 1, 1, plan.municipio.upper(), estilo=CENTRO, fuente=Font(bold=True, size=12))
    _unir(hoja, 1, 1, 4, 2)
    _celda(hoja, 1, 3, plan.titulo, estilo=CENTRO, fuente=Font(bold=True, size=12))
    _unir(hoja, 1, 3, 2, col["fortalezas"] - 1)
    _celda(hoja, 3, 3, plan.politica, estilo=CENTRO, fuente=NEGRITA)
    _unir(hoja, 3, 3, 3, col["fortalezas"] - 1)
    _celda(
        hoja,
        4,
        3,
        f"Programado y ejecutado por mes · corte {fecha_larga(avance.corte)} · ejecutado: evidencias aprobadas "
        "(una evidencia, una actividad)",
        estilo=CENTRO,
    )
    _unir(hoja, 4, 3, 4, col["fortalezas"] - 1)
    datos_formato = [
        f"Código: {plan.codigo_formato}",
        f"Versión: {plan.version}",
        f"Fecha: {fecha_larga(plan.fecha_formato)}" if plan.fecha_formato else "Fecha:",
        "Página 1 de 1",
    ]
    for k, texto in enumerate(datos_formato, start=1):
        _celda(hoja, k, col["fortalezas"], texto)
        _unir(hoja, k, col["fortalezas"], k, col["debilidades"])

    # ---- titles and months ----
    fila_t, fila_m = FILA_ENCABEZADO, FILA_ENCABEZADO + 1
    for nombre in [*TEXTO, "fortalezas", "debilidades"]:
        titulo = TITULOS.get(nombre, nombre.upper())
        _celda(hoja, fila_t, col[nombre], titulo, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TITULO)
        _celda(hoja, fila_m, col[nombre], None, relleno=RELLENO_TITULO)
        _unir(hoja, fila_t, col[nombre], fila_m, col[nombre])
    for titulo, primera, relleno, etiqueta in (
        ("CRONOGRAMA", primer_mes, RELLENO_TITULO, ""),
        ("EJECUTADO", primer_ejecutado, RELLENO_EJECUTADO, "Ejec. "),
    ):
        for anio, desde, hasta in _grupos_por_anio(meses, primera):
            for c in range(desde, hasta + 1):
                _celda(
                    hoja,
                    fila_t,
                    c,
                    f"{titulo} {anio}" if c == desde else None,
                    estilo=CENTRO,
                    fuente=NEGRITA,
                    relleno=relleno,
                )
            _unir(hoja, fila_t, desde, fila_t, hasta)
        for k, mes in enumerate(meses):
            _celda(
                hoja,
                fila_m,
                primera + k,
                f"{etiqueta}{abreviatura(mes)}",
                estilo=CENTRO,
                fuente=NEGRITA,
                relleno=relleno,
            )

    # ---- one row per strategy; line and objective merged over their strategies ----
    fila = fila_m + 1
    for linea in avance.lineas:
        inicio_linea = fila
        objetivos = []  # [objetivo, first row, last row]
        for e in linea.estrategias:
            estrategia = e.estrategia
            if not objetivos or objetivos[-1][0].pk != estrategia.objetivo_id:
                objetivos.append([estrategia.objetivo, fila, fila])
            objetivos[-1][2] = fila
            metas = "\n".join(f"{m.meta.codigo}. {m.meta.texto}" for m in e.metas)
            textos = "\n".join(f"{i.codigo}. {i.texto}" for m in e.metas for i in indicadores.get(m.meta.pk, []))
            valores = {
                "estrategia": f"{estrategia.numero}. {estrategia.texto}",
                "metas": metas,
                "indicadores": textos,
                "medios": estrategia.medios_verificacion,
                "responsables": ", ".join(s.nombre for s in estrategia.responsables.all()),
                "fortalezas": estrategia.fortalezas,
                "debilidades": estrategia.debilidades,
            }
            for nombre, valor in valores.items():
                _celda(hoja, fila, col[nombre], valor or None)
            for k, mes in enumerate(e.ejecucion.meses):
                _celda(hoja, fila, primer_mes + k, mes.programado or None, estilo=CENTRO)
                _celda(hoja, fila, primer_ejecutado + k, mes.ejecutado, estilo=CENTRO, relleno=RELLENO_EJECUTADO)
            fila += 1
        if fila == inicio_linea:  # a line without strategies still shows its name
            fila += 1
        _celda(hoja, inicio_linea, col["linea"], linea.linea.nombre)
        for r in range(inicio_linea + 1, fila):
            _celda(hoja, r, col["linea"], None)
        _unir(hoja, inicio_linea, col["linea"], fila - 1, col["linea"])
        for objetivo, desde, hasta in objetivos:
            _celda(hoja, desde, col["objetivo"], objetivo.texto)
            for r in range(desde + 1, hasta + 1):
                _celda(hoja, r, col["objetivo"], None)
            _unir(hoja, desde, col["objetivo"], hasta, col["objetivo"])

    # ---- totals (the importer skips a "TOTAL" row) and the signatures footer ----
    _celda(hoja, fila, col["responsables"], "TOTAL", fuente=NEGRITA, relleno=RELLENO_TOTAL)
    for k, mes in enumerate(avance.ejecucion.meses):
        _celda(hoja, fila, primer_mes + k, mes.programado, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TOTAL)
        _celda(hoja, fila, primer_ejecutado + k, mes.ejecutado, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TOTAL)
    fila += 2
    firmas = [
        (col["linea"], f"ELABORÓ: {plan.elaboro}"),
        (col["metas"], f"REVISÓ: {plan.reviso}"),
        (col["medios"], f"APROBÓ: {plan.aprobo}"),
        (primer_mes, f"FECHA: {fecha_larga(plan.fecha_aprobacion)}" if plan.fecha_aprobacion else "FECHA:"),
    ]
    for columna, texto in firmas:
        _celda(hoja, fila, columna, texto, borde=False)

    # ---- presentation ----
    for nombre, ancho in ANCHOS.items():
        hoja.column_dimensions[get_column_letter(col[nombre])].width = ancho
    for c in [*range(primer_mes, primer_mes + n), *range(primer_ejecutado, ultima + 1)]:
        hoja.column_dimensions[get_column_letter(c)].width = 9
    hoja.column_dimensions[get_column_letter(col["fortalezas"])].width = 18
    hoja.column_dimensions[get_column_letter(col["debilidades"])].width = 18
    hoja.freeze_panes = hoja.cell(row=fila_m + 1, column=col["metas"])
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.fitToWidth = 1
    hoja.page_setup.fitToHeight = 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True
    hoja.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)


def _hoja_metas(hoja, avance, indicadores):
    plan = avance.plan
    _celda(hoja, 1, 1, f"{plan.municipio} · {plan.titulo}", fuente=Font(bold=True, size=12), borde=False)
    _celda(
        hoja,
        2,
        1,
        f"Avance por meta al {fecha_larga(avance.corte)}. Solo cuentan las evidencias aprobadas con fecha de "
        f"actividad hasta el corte. Semáforo: rojo por debajo de {avance.semaforo.rojo_menor_que} %, verde desde "
        f"{avance.semaforo.verde_desde} %.",
        borde=False,
    )
    titulos = [
        ("Línea", 8),
        ("Estrategia", 10),
        ("Código", 9),
        ("Meta", 60),
        ("Indicador", 50),
        ("Periodicidad", 12),
        ("Objetivo", 10),
        ("Aprobado", 10),
        ("% de avance", 11),
        ("Semáforo", 11),
        ("Por secretaría", 50),
        ("Por periodo", 60),
    ]
    fila = 4
    for c, (titulo, ancho) in enumerate(titulos, start=1):
        _celda(hoja, fila, c, titulo, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TITULO)
        hoja.column_dimensions[get_column_letter(c)].width = ancho
    for linea in avance.lineas:
        for e in linea.estrategias:
            for m in e.metas:
                fila += 1
                detalle = "; ".join(
                    f"{s.secretaria.nombre}: {s.aprobado} de {s.objetivo} ({s.porcentaje} %)" for s in m.secretarias
                )
                valores = [
                    linea.linea.numero,
                    e.estrategia.numero,
                    m.meta.codigo,
                    m.meta.texto,
                    "\n".join(f"{i.codigo}. {i.texto}" for i in indicadores.get(m.meta.pk, [])),
                    m.meta.get_periodicidad_display(),
                    m.objetivo,
                    m.aprobado_que_cuenta,
                    m.porcentaje,
                    str(m.color.label) if m.color else "",
                    detalle or None,
                    "; ".join(p.texto for p in m.periodos) or None,
                ]
                for c, valor in enumerate(valores, start=1):
                    _celda(hoja, fila, c, valor, formato='0.0" %"' if c == 9 else None)
                if m.color:
                    hoja.cell(row=fila, column=10).fill = RELLENO_SEMAFORO[m.color]
    fila += 1
    _celda(hoja, fila, 1, "Avance del plan", fuente=NEGRITA, relleno=RELLENO_TOTAL)
    _unir(hoja, fila, 1, fila, 8)
    _celda(hoja, fila, 9, avance.porcentaje, fuente=NEGRITA, relleno=RELLENO_TOTAL, formato='0.0" %"')
    _celda(hoja, fila, 10, str(avance.color.label) if avance.color else "", fuente=NEGRITA, relleno=RELLENO_TOTAL)
    hoja.freeze_panes = "D5"
    hoja.auto_filter.ref = f"A4:{get_column_letter(len(titulos))}{fila - 1}"


def _hoja_participantes(hoja, avance, participantes):
    plan = avance.plan
    _celda(hoja, 1, 1, f"{plan.municipio} · {plan.titulo}", fuente=Font(bold=True, size=12), borde=False)
    _celda(
        hoja,
        2,
        1,
        f"Participantes de las evidencias aprobadas con fecha de actividad hasta el {fecha_larga(avance.corte)}.",
        borde=False,
    )
    columnas = [("Total", lambda c: c.participantes_total)]
    columnas += [(str(etiqueta), lambda c, campo=campo: getattr(c, campo)) for campo, etiqueta in SEXOS]
    columnas += [(str(etiqueta), lambda c, campo=campo: getattr(c, campo)) for campo, etiqueta in EDADES]
    columnas += [(grupo.nombre, lambda c, pk=grupo.pk: c.grupos.get(pk, 0)) for grupo in participantes.grupos]

    def encabezado(fila, primera):
        _celda(hoja, fila, 1, primera, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TITULO)
        for c, (titulo, _valor) in enumerate(columnas, start=2):
            _celda(hoja, fila, c, titulo, estilo=CENTRO, fuente=NEGRITA, relleno=RELLENO_TITULO)

    def renglon(fila, nombre, cifras, total=False):
        fuente, relleno = (NEGRITA, RELLENO_TOTAL) if total else (None, None)
        _celda(hoja, fila, 1, nombre, fuente=fuente, relleno=relleno)
        for c, (_titulo, valor) in enumerate(columnas, start=2):
            _celda(hoja, fila, c, valor(cifras), fuente=fuente, relleno=relleno)

    fila = 4
    encabezado(fila, "Nivel")
    for linea in avance.lineas:
        fila += 1
        renglon(fila, f"Línea {linea.linea.numero}", participantes.de_linea(linea.linea.pk), total=True)
        for e in linea.estrategias:
            fila += 1
            renglon(fila, f"  Estrategia {e.estrategia.numero}", participantes.de_estrategia(e.estrategia.pk))
    fila += 1
    renglon(fila, "Plan", participantes.total(), total=True)

    fila += 2
    encabezado(fila, "Mes")
    por_mes = participantes.por_mes()
    for mes, cifras in por_mes:
        fila += 1
        renglon(fila, mes, cifras)
        hoja.cell(row=fila, column=1).number_format = "mmm yyyy"
    if not por_mes:
        fila += 1
        _celda(hoja, fila, 1, "Ninguna evidencia aprobada registra participantes hasta el corte.", borde=False)
    hoja.column_dimensions["A"].width = 18
    for c in range(2, len(columnas) + 2):
        hoja.column_dimensions[get_column_letter(c)].width = 13
    hoja.freeze_panes = "B5"
