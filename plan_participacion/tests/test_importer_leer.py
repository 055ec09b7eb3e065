"""Reading what planning offices actually upload: Excel books, text exports and things that are neither."""

import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from plan_participacion.importer import ErrorImportacion, importar
from plan_participacion.importer.leer import FIRMA_OLE2, leer, texto_de_celda
from plan_participacion.models import Meta, Plan, Secretaria

SEMILLA = Path(__file__).resolve().parents[2] / "fixtures" / "seed_candelaria.tsv"
MESES_2024 = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sept.", "Oct", "Nov", "Dic"]


def en_bytes(libro):
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def libro_de_el_cerrito():
    """Plan 2024 of another town: instructions on sheet 1, the table from B5 on sheet 2, merged cells."""
    libro = openpyxl.Workbook()
    libro.active.title = "Instrucciones"
    libro.active["A1"] = "Diligencie la hoja «Plan 2024». No cambie los títulos."
    hoja = libro.create_sheet("Plan 2024")
    hoja["B1"] = "MUNICIPIO DE EL CERRITO"
    hoja["B2"] = "CRONOGRAMA DE PLAN DE ACCIÓN POLÍTICA DE PARTICIPACIÓN CIUDADANA"
    hoja["M1"], hoja["N1"] = "Código:", "54-PSC-FT-743"
    hoja["M2"], hoja["N2"] = "Versión:", 2
    hoja["M3"], hoja["N3"] = "Fecha:", datetime.datetime(2023, 11, 30)
    titulos = ["Línea de acción", "Objetivo", "Estrategias", "Metas", "Indicadores", "Medios de verificación"]
    for columna, titulo in enumerate([*titulos, "Responsables"], start=2):
        hoja.cell(row=5, column=columna, value=titulo)
    hoja["I5"] = "CRONOGRAMA 2024"
    hoja.merge_cells("I5:T5")
    hoja["U5"], hoja["V5"] = "Fortalezas", "Debilidades"
    for columna, mes in enumerate(MESES_2024, start=9):
        hoja.cell(row=6, column=columna, value=mes)
    hoja["B7"] = "Participación en la planeación local"
    hoja.merge_cells("B7:B10")
    hoja["C7"] = "Fortalecer los espacios de participación del municipio."
    hoja.merge_cells("C7:C10")
    hoja["D7"] = "1. Formar a los consejeros territoriales de planeación."
    hoja["E7"] = "1.1. Cuatro (4) talleres trimestrales con consejeros."
    hoja["F7"] = "1.1.1. Número de talleres realizados."
    hoja["H7"] = "Secretaría de Gobierno, Secretaria de Educacion, Cultura y Turismo"
    hoja["I7"], hoja["L7"], hoja["O7"], hoja["R7"] = 1, 1.0, 1, 1
    hoja["U7"] = "Consejeros con experiencia"
    # The same strategy goes on in row 8: another meta, another secretariat, more activities.
    hoja["E8"] = "1.2. Un (1) informe semestral de cada secretaría."
    hoja["F8"] = "1.2.1 Número de informes."
    hoja["H8"] = "Secretaría de Hacienda"
    hoja["N8"], hoja["T8"], hoja["L8"] = 1, 1, 2
    hoja["D9"] = "2. Rendir cuentas a la ciudadanía."
    hoja["E9"] = "2.1.Una (1) audiencia pública anual."
    hoja["F9"] = "2.1.1.Número de audiencias."
    hoja["H9"] = "Despacho del Alcalde; Secretaría de Hacienda"
    hoja["P9"] = 1
    hoja["D10"] = "3. Informar a la ciudadanía."
    hoja["E10"] = "3.1. Doce (12) boletines mensuales."
    hoja["F10"] = "3.1.1. Número de boletines publicados."
    hoja["H10"] = "Oficina de Comunicaciones"
    for columna in range(9, 21):
        hoja.cell(row=10, column=columna, value=1)
    hoja["B12"], hoja["C12"] = "ELABORÓ:", "Ana Pérez - Profesional"
    hoja["D12"], hoja["E12"] = "REVISÓ:", "Luis Gómez"
    hoja["F12"], hoja["G12"] = "APROBÓ:", "Comité Institucional de Gestión y Desempeño"
    hoja["H12"], hoja["I12"] = "FECHA:", "15/01/2024"
    return libro


def libro_sin_cronograma():
    libro = openpyxl.Workbook()
    libro.active.title = "Asistencia"
    libro.active.append(["Nombre", "Cédula", "Firma"])
    libro.active.append(["Ana", 123, ""])
    return libro


def test_texto_de_celda_como_en_la_exportacion():
    assert texto_de_celda(4.0) == "4"
    assert texto_de_celda(2) == "2"
    assert texto_de_celda(1.5) == "1.5"
    assert texto_de_celda(None) == ""
    assert texto_de_celda(datetime.datetime(2021, 8, 17)) == "2021-08-17"
    assert texto_de_celda(datetime.date(2024, 1, 31)) == "2024-01-31"


def test_el_libro_se_lee_en_la_segunda_hoja_con_celdas_combinadas():
    hoja = leer(en_bytes(libro_de_el_cerrito()), "plan_el_cerrito.xlsx")
    assert (hoja.nombre, hoja.formato, hoja.archivo) == ("Plan 2024", "xlsx", "plan_el_cerrito.xlsx")
    # Merged cells look like the text export: the value in the top-left cell, the rest empty.
    assert hoja.filas[4][8] == "CRONOGRAMA 2024"
    assert hoja.filas[4][9] == ""
    assert hoja.filas[6][1] == "Participación en la planeación local"
    assert hoja.filas[7][1] == ""
    assert hoja.filas[6][11] == "1"  # 1.0 in the cell
    assert hoja.filas[2][13] == "2023-11-30"


@pytest.mark.django_db
def test_el_plan_2024_de_otro_municipio_se_importa_desde_excel():
    resultado = importar(en_bytes(libro_de_el_cerrito()), "plan_el_cerrito.xlsx")

    plan = resultado.plan
    assert plan.municipio == "Municipio de El Cerrito"
    assert (plan.mes_inicio, plan.mes_fin) == (datetime.date(2024, 1, 1), datetime.date(2024, 12, 1))
    assert (plan.codigo_formato, plan.version, plan.fecha_formato) == (
        "54-PSC-FT-743",
        "2",
        datetime.date(2023, 11, 30),
    )
    assert (plan.elaboro, plan.reviso) == ("Ana Pérez - Profesional", "Luis Gómez")
    assert plan.aprobo == "Comité Institucional de Gestión y Desempeño"
    assert plan.fecha_aprobacion == datetime.date(2024, 1, 15)
    assert plan.lineas.count() == 1
    assert [(e.numero, e.total_programado()) for e in plan.estrategias()] == [(1, 8), (2, 1), (3, 12)]
    primera = plan.estrategias().get(numero=1)
    assert [(p.mes.month, p.cantidad) for p in primera.programacion.all()] == [
        (1, 1),
        (4, 3),
        (6, 1),
        (7, 1),
        (10, 1),
        (12, 1),
    ]
    assert primera.fortalezas == "Consejeros con experiencia"
    assert sorted(s.nombre for s in primera.responsables.all()) == [
        "Secretaría de Educación, Cultura y Turismo",
        "Secretaría de Gobierno",
        "Secretaría de Hacienda",
    ]
    metas = {m.codigo: m for m in plan.metas()}
    assert [(c, m.cantidad_objetivo, m.periodicidad, m.por_secretaria) for c, m in metas.items()] == [
        ("1.1", 4, Meta.Periodicidad.TRIMESTRAL, False),
        ("1.2", 1, Meta.Periodicidad.SEMESTRAL, True),
        ("2.1", 1, Meta.Periodicidad.ANUAL, False),
        ("3.1", 12, Meta.Periodicidad.MENSUAL, False),
    ]
    assert [i.codigo for m in metas.values() for i in m.indicadores.all()] == ["1.1.1", "1.2.1", "2.1.1", "3.1.1"]
    assert Secretaria.objects.count() == 5
    assert resultado.advertencias == []
    assert resultado.resumen.hoja == "Plan 2024"


@pytest.mark.parametrize("codificacion", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_el_texto_exportado_se_lee_en_cualquier_codificacion_de_excel(codificacion):
    datos = SEMILLA.read_text(encoding="utf-8").encode(codificacion)
    hoja = leer(datos, "cronograma.txt")
    assert hoja.formato == "texto"
    assert hoja.filas[2][2] == "MUNICIPIO DE CANDELARIA"
    assert hoja.filas[3][17] == "Fecha: 17-Agosto-2021"
    assert len(hoja.filas) == 17


def test_un_archivo_de_texto_con_celdas_de_varias_lineas_entre_comillas():
    # Excel's text export quotes a cell with line breaks; the cell stays one cell of one row.
    lineas = SEMILLA.read_text(encoding="utf-8").split("\n")
    celdas = lineas[15].split("\t")
    celdas[6] = f'"{celdas[6]}\nOficina de Control Interno"'
    lineas[15] = "\t".join(celdas)
    hoja = leer("\n".join(lineas).encode("utf-8"), "cronograma.txt")
    assert hoja.filas[15][6].endswith("Secretaría de Hacienda\nOficina de Control Interno")
    assert hoja.filas[15][7] == "1"
    assert len(hoja.filas) == 17


# ---- what is refused, and nothing is written ----


def rechazo(origen, nombre):
    with pytest.raises(ErrorImportacion) as error:
        importar(origen, nombre)
    assert Plan.objects.count() == 0
    assert Secretaria.objects.count() == 0
    return error.value.mensaje


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.django_db
def test_una_imagen_no_es_una_hoja_de_calculo():
    mensaje = rechazo(PNG + bytes(range(256)) * 4, "foto_reunion.xlsx")
    assert mensaje == (
        "El archivo «foto_reunion.xlsx» no es una hoja de cálculo (parece una imagen PNG). Suba el cronograma como "
        "libro de Excel (.xlsx) o como texto separado por tabulaciones."
    )


@pytest.mark.django_db
def test_un_texto_renombrado_como_xlsx_se_rechaza():
    mensaje = rechazo(b"Lista de compras:\n- papel\n- marcadores\n", "cronograma.xlsx")
    assert "no es un libro de Excel: aunque se llama .xlsx, su contenido es texto" in mensaje


@pytest.mark.django_db
def test_un_xlsx_cortado_a_la_mitad_se_rechaza():
    datos = en_bytes(libro_de_el_cerrito())
    mensaje = rechazo(datos[: len(datos) // 2], "cronograma.xlsx")
    assert mensaje.startswith("El archivo «cronograma.xlsx» está dañado o incompleto")
    assert "guárdelo de nuevo como .xlsx" in mensaje


@pytest.mark.django_db
def test_un_xls_antiguo_pide_guardarlo_como_xlsx():
    mensaje = rechazo(FIRMA_OLE2 + bytes(504), "cronograma.xls")
    assert "formato antiguo de Excel (.xls, 97-2003)" in mensaje
    assert "guárdelo como «Libro de Excel (.xlsx)»" in mensaje


@pytest.mark.django_db
def test_un_libro_sin_el_encabezado_del_cronograma_nombra_las_hojas_revisadas():
    libro = libro_sin_cronograma()
    libro.create_sheet("Hoja2")
    mensaje = rechazo(en_bytes(libro), "asistencia.xlsx")
    assert mensaje == (
        "No se encontró el encabezado del cronograma (una fila con los títulos ESTRATEGIAS, METAS y RESPONSABLES) "
        "en las hojas «Asistencia», «Hoja2» del archivo «asistencia.xlsx»."
    )


@pytest.mark.django_db
def test_un_zip_que_no_es_excel_se_rechaza():
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as archivo:
        archivo.writestr("informe.docx", "no")
    assert "es un archivo comprimido (ZIP) pero no un libro de Excel" in rechazo(salida.getvalue(), "plan.xlsx")


@pytest.mark.django_db
def test_una_bomba_de_descompresion_se_rechaza_antes_de_abrirla(settings):
    settings.IMPORTADOR_MAX_DESCOMPRIMIDO = 1024 * 1024
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", compression=zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("[Content_Types].xml", "<Types/>")
        archivo.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    datos = salida.getvalue()
    assert len(datos) < 20 * 1024  # a few KB that would inflate to 5 MB
    mensaje = rechazo(datos, "plan.xlsx")
    assert mensaje.startswith("El archivo «plan.xlsx» ocupa más de 1 MB al descomprimirlo; se rechazó por seguridad.")


@pytest.mark.django_db
def test_un_archivo_demasiado_grande_se_rechaza_sin_leerlo(settings, tmp_path):
    settings.IMPORTADOR_MAX_BYTES = 4 * 1024
    ruta = tmp_path / "cronograma.txt"
    ruta.write_bytes(SEMILLA.read_bytes())
    assert rechazo(ruta, None) == "El archivo «cronograma.txt» pesa más de 4 KB (el máximo permitido): pesa 12 KB."
    # An upload is read only up to the limit.
    subida = io.BytesIO(SEMILLA.read_bytes())
    assert rechazo(subida, "subida.txt") == "El archivo «subida.txt» pesa más de 4 KB (el máximo permitido)."
    assert subida.tell() == 4 * 1024 + 1


@pytest.mark.django_db
def test_demasiadas_filas_con_datos_se_rechazan(settings):
    settings.IMPORTADOR_MAX_FILAS = 30
    libro = libro_de_el_cerrito()
    libro["Plan 2024"]["B31"] = "nota al final"
    assert rechazo(en_bytes(libro), "plan.xlsx") == (
        "La hoja «Plan 2024» tiene datos en la fila 31; el máximo es 30 filas. "
        "Borre lo que sobre debajo del cronograma."
    )


@pytest.mark.django_db
def test_filas_vacias_con_formato_al_final_no_cuentan(settings):
    settings.IMPORTADOR_MAX_FILAS = 30
    libro = libro_de_el_cerrito()
    libro["Plan 2024"]["B500"].number_format = "0.00"
    libro["Plan 2024"]["B500"].value = None
    assert importar(en_bytes(libro), "plan.xlsx").plan is not None


@pytest.mark.django_db
def test_demasiadas_columnas_con_datos_se_rechazan(settings):
    settings.IMPORTADOR_MAX_COLUMNAS = 25
    libro = libro_de_el_cerrito()
    libro["Plan 2024"].cell(row=7, column=40, value="dato perdido")
    libro["Plan 2024"].cell(row=7, column=26, value="x")
    mensaje = rechazo(en_bytes(libro), "plan.xlsx")
    assert mensaje.startswith("La hoja «Plan 2024» tiene datos en la columna Z (fila 7); el máximo es 25 columnas.")


@pytest.mark.django_db
def test_demasiadas_columnas_en_texto_tambien_se_rechazan(settings):
    settings.IMPORTADOR_MAX_COLUMNAS = 20
    mensaje = rechazo(SEMILLA.read_bytes(), "cronograma.txt")
    assert mensaje.startswith("La hoja «cronograma.txt» tiene datos en la columna V (fila 8)")


@pytest.mark.django_db
def test_un_archivo_inexistente():
    assert rechazo(Path("/no/existe/cronograma.xlsx"), None) == "No existe el archivo «/no/existe/cronograma.xlsx»."


@pytest.mark.django_db
def test_un_archivo_vacio():
    assert rechazo(b"", "vacio.xlsx") == "El archivo «vacio.xlsx» está vacío."


@pytest.mark.django_db
def test_una_subida_del_navegador_se_lee_como_archivo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    subida = SimpleUploadedFile("plan_el_cerrito.xlsx", en_bytes(libro_de_el_cerrito()))
    resultado = importar(subida)
    assert resultado.plan.archivo_origen == "plan_el_cerrito.xlsx"
