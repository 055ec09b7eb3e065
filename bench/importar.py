"""Benchmark of the cronograma importer. Not a test: nothing here is asserted by the suite.

    .venv/bin/python bench/importar.py [--metas 5000]

Django is set up against a throw-away SQLite database in a temporary folder (migrated here
and deleted at the end), whatever DATABASE_URL says: a benchmark must never write to the
project's db.sqlite3 or to a shared PostgreSQL.

For the seed and for a generated .xlsx with --metas metas (10 per strategy) it prints the
time and the peak Python memory (tracemalloc) of leer, analizar and guardar, the total of
importar(), and the process' maximum RSS; then it compares openpyxl's read_only mode (what
the importer uses) with the normal mode on the big workbook. Goals: seed < 1 s, 5 000 metas
< 10 s, < 200 MB. Last, a re-import of the big workbook into the plan it created (a merge):
its preview and its confirmation with no change, and with every meta's text and target changed.
"""

import argparse
import io
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
SEMILLA = RAIZ / "fixtures" / "seed_candelaria.tsv"
MESES = ["ENE.", "FEB.", "MAR.", "ABR.", "MAY.", "JUN.", "JUL.", "AGO.", "SEPT.", "OCT.", "NOV.", "DIC."]
RESPONSABLES = (
    "Secretaría de Desarrollo Social y Programas Especiales, Despacho Alcalde, Secretaría de Desarrollo "
    "administrativo, Departamento de Planeacion, Secretaría de Infraestructura, Secretaría de Educacion, Cultura y "
    "Turismo, Secretaria de Vivienda, Secretaría de Salud publica y Seguridad Social, Secretaria de Transito, "
    "Secretaria de Gobierno y Convivencia Ciudadana, Secretaria de medio ambiente y desarrollo economico, "
    "Departamento Administrativo Juridico, Secretaría de Hacienda"
)


def preparar_django(carpeta):
    sys.path.insert(0, str(RAIZ))
    os.environ["DATABASE_URL"] = f"sqlite:///{carpeta / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "plan_participacion.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def libro_grande(total_metas, metas_por_estrategia=10, una_meta_por_fila=False, talleres="Dos (2) talleres"):
    """An .xlsx like the seed, with total_metas metas: 10 lines × 5 objectives × N strategies, months ENE–DIC.

    una_meta_por_fila writes each meta and its indicator on its own row, as other towns do (5 000 rows).
    """
    import openpyxl

    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.title = "Plan"
    hoja["C3"] = "MUNICIPIO DE PRUEBA GRANDE"
    hoja["A4"] = "CRONOGRAMA DE PLAN DE ACCIÓN POLÍTICA DE PARTICIPACIÓN CIUDADANA"
    hoja["R3"], hoja["R4"], hoja["R5"] = "Código: 54-PSC-FT-743", "Fecha: 17-Agosto-2021", "Versión: 1"
    titulos = ["LINEA DE ACCIÓN", "OBJETIVOS", "ESTRATEGIAS", "METAS", "INDICADORES", "MEDIOS DE VERIFICACIÓN"]
    hoja.append([])
    hoja.append([])
    fila = 8
    for columna, titulo in enumerate([*titulos, "RESPONSABLES"], start=1):
        hoja.cell(row=fila, column=columna, value=titulo)
    hoja.cell(row=fila, column=8, value="CRONOGRAMA 2024")
    hoja.merge_cells(start_row=fila, start_column=8, end_row=fila, end_column=19)
    hoja.cell(row=fila, column=20, value="FORTALEZAS")
    hoja.cell(row=fila, column=21, value="DEBILIDADES")
    for columna, mes in enumerate(MESES, start=8):
        hoja.cell(row=fila + 1, column=columna, value=mes)
    estrategias = total_metas // metas_por_estrategia
    por_objetivo = max(1, estrategias // 50)
    fila = 10
    for numero in range(1, estrategias + 1):
        indice = numero - 1
        filas_por_estrategia = metas_por_estrategia if una_meta_por_fila else 1
        if indice % (por_objetivo * 5) == 0:
            hoja.cell(row=fila, column=1, value=f"Línea de acción {indice // (por_objetivo * 5) + 1}")
            alto = por_objetivo * 5 * filas_por_estrategia
            hoja.merge_cells(start_row=fila, start_column=1, end_row=fila + alto - 1, end_column=1)
        if indice % por_objetivo == 0:
            hoja.cell(row=fila, column=2, value=f"Objetivo {indice // por_objetivo + 1} del plan de prueba.")
            alto = por_objetivo * filas_por_estrategia
            hoja.merge_cells(start_row=fila, start_column=2, end_row=fila + alto - 1, end_column=2)
        metas = [
            f"{numero}.{m}. {talleres} anuales de participación ciudadana número {m} de la estrategia."
            for m in range(1, metas_por_estrategia + 1)
        ]
        indicadores = [
            f"{numero}.{m}.1. Número de talleres realizados de la meta {m}." for m in range(1, metas_por_estrategia + 1)
        ]
        if not una_meta_por_fila:
            metas, indicadores = [" ".join(metas)], [" ".join(indicadores)]
        programacion = [(numero + m) % 3 or None for m in range(12)]
        valores = [None, None, f"{numero}. Realizar la estrategia de prueba {numero}.", metas[0], indicadores[0]]
        valores += ["Actas, listas de asistencia, registros fotográficos.", RESPONSABLES, *programacion]
        for columna, valor in enumerate(valores, start=1):
            if valor is not None:
                hoja.cell(row=fila, column=columna, value=valor)
        for meta, indicador in zip(metas[1:], indicadores[1:], strict=True):
            fila += 1
            hoja.cell(row=fila, column=4, value=meta)
            hoja.cell(row=fila, column=5, value=indicador)
        fila += 1
    hoja.cell(row=fila + 1, column=1, value="ELABORÓ: Ana REVISÓ: Luis APROBÓ: Comité FECHA: 22 de Diciembre de 2023")
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def medir(funcion, con_memoria):
    """(result, seconds, peak MB of Python allocations or None)."""
    if con_memoria:
        tracemalloc.reset_peak()
    inicio = time.perf_counter()
    resultado = funcion()
    segundos = time.perf_counter() - inicio
    pico = tracemalloc.get_traced_memory()[1] / 2**20 if con_memoria else None
    return resultado, segundos, pico


def borrar_todo():
    from plan_participacion.models import Plan, Secretaria

    Plan.objects.all().delete()
    Secretaria.objects.all().delete()


def pasos(datos, nombre, con_memoria):
    """leer, analizar, guardar one after the other; [(paso, seconds, peak MB)]."""
    from plan_participacion.importer.analizar import analizar
    from plan_participacion.importer.guardar import guardar
    from plan_participacion.importer.leer import leer

    hoja, t_leer, m_leer = medir(lambda: leer(datos, nombre), con_memoria)
    (plan, _), t_analizar, m_analizar = medir(lambda: analizar(hoja.filas, hoja=hoja.nombre), con_memoria)
    _, t_guardar, m_guardar = medir(lambda: guardar(plan, archivo_origen=nombre), con_memoria)
    borrar_todo()
    return [("leer", t_leer, m_leer), ("analizar", t_analizar, m_analizar), ("guardar", t_guardar, m_guardar)], plan


def caso(titulo, datos, nombre):
    from plan_participacion.importer import importar

    tiempos, plan = pasos(datos, nombre, con_memoria=False)
    tracemalloc.start()
    memorias, _ = pasos(datos, nombre, con_memoria=True)
    resultado, t_total, m_total = medir(lambda: importar(datos, nombre), con_memoria=True)
    tracemalloc.stop()
    borrar_todo()
    _, t_total, _ = medir(lambda: importar(datos, nombre), con_memoria=False)
    borrar_todo()
    print(
        f"\n== {titulo}: {len(datos) / 1024:.0f} KB, {len(plan.estrategias())} estrategias, {len(plan.metas())} metas"
    )
    print(f"   {'paso':<10}{'tiempo':>10}{'pico (tracemalloc)':>22}")
    for (paso, segundos, _), (_, _, pico) in zip(tiempos, memorias, strict=True):
        print(f"   {paso:<10}{segundos:>9.3f}s{pico:>19.1f} MB")
    print(f"   {'importar':<10}{t_total:>9.3f}s{m_total:>19.1f} MB   (total, una transacción)")
    print(f"   advertencias: {len(resultado.advertencias)}")
    print(f"   RSS máximo del proceso hasta aquí: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def reimportar(datos, cambiado, nombre):
    """A merge of the big workbook into its own plan: unchanged, then with every meta changed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plan_participacion.importer import importar

    importar(datos, nombre)
    print(f"\n== Reimportación (fusión) de {nombre} en el plan que creó")
    for titulo, libro, opciones in [
        ("vista previa, sin cambios", datos, {"dry_run": True}),
        ("confirmar, sin cambios", datos, {"actualizar": True}),
        ("vista previa, todas las metas cambiadas", cambiado, {"dry_run": True}),
        ("confirmar, todas las metas cambiadas", cambiado, {"actualizar": True}),
    ]:
        connection.queries_log.clear()  # the log keeps 9 000 queries: start each measure from empty
        with CaptureQueriesContext(connection) as consultas:
            resultado, segundos, _ = medir(
                lambda libro=libro, opciones=opciones: importar(libro, nombre, **opciones), False
            )
        cambios = len(resultado.resumen.diferencias.cambios)
        print(f"   {titulo:<42}{segundos:>8.2f}s {len(consultas):>7} consultas {cambios:>6} cambios")
    borrar_todo()


def comparar_modos(datos, nombre):
    """openpyxl read_only (streaming) vs normal mode on the same workbook, through the importer's reader."""
    from plan_participacion.importer.leer import leer_libro

    print(f"\n== openpyxl: read_only frente a modo normal (leer_libro de {nombre})")
    hojas = {}
    for solo_lectura in (True, False):
        _, segundos, _ = medir(lambda s=solo_lectura: leer_libro(datos, nombre, solo_lectura=s), False)
        tracemalloc.start()
        hojas[solo_lectura], _, pico = medir(lambda s=solo_lectura: leer_libro(datos, nombre, solo_lectura=s), True)
        tracemalloc.stop()
        modo = "read_only" if solo_lectura else "normal"
        print(f"   {modo:<10}{segundos:>9.3f}s{pico:>19.1f} MB")
    iguales = hojas[True].filas == hojas[False].filas
    print(f"   mismas celdas en ambos modos (celdas combinadas incluidas): {'sí' if iguales else 'NO'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--metas", type=int, default=5000)
    argumentos = parser.parse_args()
    carpeta = Path(tempfile.mkdtemp(prefix="bench_importar_"))
    try:
        preparar_django(carpeta)
        print(f"Base de datos temporal: {carpeta / 'bench.sqlite3'}")
        caso("Semilla de Candelaria (texto)", SEMILLA.read_bytes(), SEMILLA.name)
        inicio = time.perf_counter()
        grande = libro_grande(argumentos.metas)
        print(f"\n(libro de {argumentos.metas} metas generado en {time.perf_counter() - inicio:.1f}s, no medido)")
        caso(f"Libro generado con {argumentos.metas} metas (.xlsx)", grande, "grande.xlsx")
        comparar_modos(grande, "grande.xlsx")
        por_filas = libro_grande(argumentos.metas, una_meta_por_fila=True)
        caso(f"Libro generado con {argumentos.metas} metas, una por fila (.xlsx)", por_filas, "por_filas.xlsx")
        comparar_modos(por_filas, "por_filas.xlsx")
        reimportar(grande, libro_grande(argumentos.metas, talleres="Tres (3) talleres"), "grande.xlsx")
        print(f"\nRSS máximo del proceso: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


if __name__ == "__main__":
    main()
