"""Step 2: the grid of cells → a PlanLeido (plain dataclasses) and a list of Advertencia.

Nothing here touches the database. The layout is found by its titles, never by fixed
rows or columns: the header row (ESTRATEGIAS, METAS, RESPONSABLES …), the months in the
row below it, the years in the "CRONOGRAMA 2022" group cells, the format metadata above
and the ELABORÓ / REVISÓ / APROBÓ footer below.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from plan_participacion.importer.errores import Advertencia, ErrorImportacion
from plan_participacion.importer.fechas import abreviatura_mes, fecha_espanola, mes_de_celda
from plan_participacion.importer.metas import (
    CODIGO_INDICADOR,
    CODIGO_META,
    Fragmento,
    advertir_numeracion,
    es_por_secretaria,
    leer_cantidad,
    leer_periodicidad,
    limpiar,
    separar_numerados,
)
from plan_participacion.importer.secretarias import nombre_canonico, nombre_propio, separar_responsables
from plan_participacion.models import Meta, Plan, Secretaria, clave_nombre, sumar_meses

# ---- the result ----


@dataclass
class IndicadorLeido:
    codigo: str
    texto: str


@dataclass
class MetaLeida:
    codigo: str
    orden: int
    texto: str
    cantidad_objetivo: int = 1
    periodicidad: str = Meta.Periodicidad.UNICA
    por_secretaria: bool = False
    indicadores: list = field(default_factory=list)


@dataclass
class EstrategiaLeida:
    numero: int
    texto: str
    fila: int
    medios_verificacion: str = ""
    fortalezas: str = ""
    debilidades: str = ""
    responsables: list = field(default_factory=list)  # claves (models.clave_nombre) of SecretariaLeida
    metas: list = field(default_factory=list)
    programacion: dict = field(default_factory=dict)  # first day of month → planned activities

    def total_programado(self):
        return sum(self.programacion.values())


@dataclass
class ObjetivoLeido:
    numero: int
    texto: str
    estrategias: list = field(default_factory=list)


@dataclass
class LineaLeida:
    numero: int
    nombre: str
    objetivos: list = field(default_factory=list)


@dataclass
class SecretariaLeida:
    clave: str
    escrituras: Counter = field(default_factory=Counter)  # each spelling seen → times

    @property
    def nombre(self):
        return nombre_canonico(self.escrituras)


@dataclass
class PlanLeido:
    municipio: str
    titulo: str
    meses: list
    lineas: list
    secretarias: list
    politica: str = ""
    codigo_formato: str = ""
    version: str = ""
    fecha_formato: object = None
    elaboro: str = ""
    reviso: str = ""
    aprobo: str = ""
    fecha_aprobacion: object = None
    hoja: str = ""

    @property
    def mes_inicio(self):
        return self.meses[0]

    @property
    def mes_fin(self):
        return self.meses[-1]

    def objetivos(self):
        return [o for linea in self.lineas for o in linea.objetivos]

    def estrategias(self):
        return [e for o in self.objetivos() for e in o.estrategias]

    def metas(self):
        return [m for e in self.estrategias() for m in e.metas]

    def indicadores(self):
        return [i for m in self.metas() for i in m.indicadores]


# ---- titles of the header row ----

TITULOS = [
    ("linea", re.compile(r"^lineas?\b|\bsubprogramas?\b")),
    ("objetivos", re.compile(r"^objetivos?\b")),
    ("estrategias", re.compile(r"^estrategias?\b")),
    ("metas", re.compile(r"^metas?\b")),
    ("indicadores", re.compile(r"^indicador(?:es)?\b")),
    ("medios", re.compile(r"^medios?\b")),
    ("responsables", re.compile(r"^responsables?\b")),
    ("cronograma", re.compile(r"^cronograma\b")),
    ("fortalezas", re.compile(r"^fortalezas?\b")),
    ("debilidades", re.compile(r"^debilidad(?:es)?\b")),
]
TITULOS_DEL_ENCABEZADO = {"estrategias", "metas", "responsables"}
COLUMNAS_OBLIGATORIAS = {
    "linea": "LÍNEA DE ACCIÓN",
    "objetivos": "OBJETIVOS",
    "estrategias": "ESTRATEGIAS",
    "metas": "METAS",
}
COLUMNAS_DE_TEXTO = {"linea", "objetivos", "estrategias", "metas", "indicadores", "medios", "responsables"}
ETIQUETA_PIE = re.compile(r"\b(ELABOR[OÓ]|REVIS[OÓ]|APROB[OÓ]|FECHA)\b\s*:?", re.IGNORECASE)
ANIO = re.compile(r"\b(19\d{2}|20\d{2})\b")
FILA_DE_TOTALES = re.compile(r"^total(?:es)?(?: programad[oa]s?| general(?:es)?)?$")
NUMERO = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
MENSAJE_SIN_ENCABEZADO = (
    "No se encontró el encabezado del cronograma (una fila con los títulos ESTRATEGIAS, METAS y RESPONSABLES)"
)


def titulo_de_columna(celda):
    """Which column a header title names ("LINEA DE ACCIÓN / SUBPROGRAMA PMD" → "linea"), or None."""
    clave = clave_nombre(celda)
    for nombre, patron in TITULOS:
        if patron.search(clave):
            return nombre
    return None


def es_fila_de_encabezado(fila):
    return TITULOS_DEL_ENCABEZADO <= {titulo_de_columna(c) for c in fila if c and c.strip()}


def buscar_encabezado(filas):
    """Index of the header row, or None."""
    return next((i for i, fila in enumerate(filas) if es_fila_de_encabezado(fila)), None)


def letra(indice):
    """Spreadsheet letter of a 0-based column index."""
    return get_column_letter(indice + 1)


def analizar(filas, *, hoja=""):
    """(PlanLeido, [Advertencia]) for a grid of cells; ErrorImportacion when it is not a cronograma."""
    return _Analisis(filas).plan(hoja)


class _Analisis:
    def __init__(self, filas):
        self.filas = filas
        self.advertencias = []

    # ---- helpers ----

    def advertir(self, fila, columna, mensaje):
        """fila is 1-based as in the spreadsheet, columna a 0-based index (or None)."""
        self.advertencias.append(Advertencia(fila, None if columna is None else columna + 1, mensaje))

    def celda(self, i, j):
        fila = self.filas[i] if 0 <= i < len(self.filas) else []
        return fila[j].strip() if j is not None and j < len(fila) and fila[j] else ""

    # ---- the whole sheet ----

    def plan(self, hoja):
        i_encabezado = buscar_encabezado(self.filas)
        if i_encabezado is None:
            raise ErrorImportacion(f"{MENSAJE_SIN_ENCABEZADO}.")
        self.columnas, self.titulos = self.leer_columnas(i_encabezado)
        i_meses, self.meses = self.leer_meses(i_encabezado)
        i_pie = self.buscar_pie(i_meses + 1)
        metadatos = self.leer_metadatos(i_encabezado)
        pie = self.leer_pie(i_pie) if i_pie is not None else {}
        if i_pie is None:
            self.advertir(None, None, "No se encontró el pie con ELABORÓ, REVISÓ y APROBÓ.")
        lineas, secretarias = self.leer_datos(i_meses + 1, len(self.filas) if i_pie is None else i_pie)
        if not lineas or not any(o.estrategias for linea in lineas for o in linea.objetivos):
            raise ErrorImportacion(
                f"El cronograma no tiene estrategias debajo del encabezado (fila {i_encabezado + 1})."
            )
        self.recortar_metadatos(metadatos | pie)
        meses = sorted(self.meses.values())
        return PlanLeido(
            meses=meses, lineas=lineas, secretarias=secretarias, hoja=hoja, **self.metadatos
        ), self.advertencias

    def recortar_metadatos(self, datos):
        """A header text longer than the Plan field would be refused by PostgreSQL: cut it and say so."""
        for nombre, valor in datos.items():
            campo = Plan._meta.get_field(nombre)
            if isinstance(valor, str) and campo.max_length and len(valor) > campo.max_length:
                datos[nombre] = valor[: campo.max_length]
                self.advertir(
                    None, None, f"«{campo.verbose_name}» tiene más de {campo.max_length} caracteres; se recortó."
                )
        self.metadatos = datos

    # ---- header, months and years ----

    def leer_columnas(self, i):
        columnas, titulos = {}, {}
        for j, texto in enumerate(self.filas[i]):
            texto = limpiar(texto)
            nombre = titulo_de_columna(texto) if texto else None
            if nombre is None:
                if texto:
                    titulos[j] = texto
                continue
            titulos[j] = texto
            if nombre in columnas and nombre != "cronograma":
                self.advertir(
                    i + 1, j, f"la columna «{texto}» está repetida; se usó la columna {letra(columnas[nombre])}."
                )
                continue
            columnas.setdefault(nombre, j)
        faltan = [titulo for nombre, titulo in COLUMNAS_OBLIGATORIAS.items() if nombre not in columnas]
        if faltan:
            raise ErrorImportacion(
                f"Al encabezado del cronograma (fila {i + 1}) le faltan las columnas: {', '.join(faltan)}."
            )
        for nombre, titulo in (("indicadores", "INDICADORES"), ("responsables", "RESPONSABLES")):
            if nombre not in columnas:
                self.advertir(i + 1, None, f"no se encontró la columna {titulo}.")
        return columnas, titulos

    def leer_meses(self, i_encabezado):
        """(index of the months row, {column: first day of month}) from the titles and year groups."""
        texto = {self.columnas[n] for n in COLUMNAS_DE_TEXTO if n in self.columnas}
        for i in (i_encabezado + 1, i_encabezado + 2):
            if i >= len(self.filas):
                break
            meses = {
                j: mes
                for j, celda in enumerate(self.filas[i])
                if j not in texto and celda and (mes := mes_de_celda(celda.strip()))
            }
            if meses:
                return i, self.fechar_meses(i_encabezado, i, meses)
        raise ErrorImportacion(
            f"No se encontraron los meses del cronograma debajo del encabezado (fila {i_encabezado + 2}): "
            "se esperaban títulos como ENE., FEB. … DIC."
        )

    def grupos_de_anio(self, desde, hasta):
        """{column: year} of the "CRONOGRAMA 2023" cells (or a bare "2023") in rows desde…hasta-1."""
        grupos = {}
        for i in range(desde, hasta):
            for j, celda in enumerate(self.filas[i]):
                clave = clave_nombre((celda or "")[:60])
                anio = ANIO.search(clave)
                if anio and (
                    titulo_de_columna(clave) == "cronograma" or re.fullmatch(r"(?:ano |vigencia )?\d{4}", clave)
                ):
                    grupos[j] = int(anio.group())
        return grupos

    def fechar_meses(self, i_encabezado, i_meses, meses):
        """A year applies from its group cell rightwards; months going back without a new group roll over."""
        # The group cells sit on the title row, or on a row of their own just above it or below it.
        grupos = self.grupos_de_anio(max(0, i_encabezado - 1), i_meses)
        if not grupos and all(anio is None for _, anio in meses.values()):
            raise ErrorImportacion(
                f"No se encontró el año del cronograma: escriba el año sobre los meses, p. ej. «CRONOGRAMA 2024» "
                f"(fila {i_encabezado + 1})."
            )
        anio_inicial = grupos[min(grupos)] if grupos else next(anio for _, anio in meses.values() if anio)
        fechas, anterior, grupo_anterior = {}, None, None
        for j in sorted(meses):
            mes, anio_propio = meses[j]
            grupo = max((g for g in grupos if g <= j), default=None)
            if anio_propio is not None:
                anio = anio_propio
            elif anterior is None:
                anio = grupos[grupo] if grupo is not None else anio_inicial
            elif grupo is not None and grupo != grupo_anterior:
                anio = grupos[grupo]
            else:
                anio = anterior.year + (1 if mes <= anterior.month else 0)
            fecha = datetime.date(anio, mes, 1)
            if anterior is not None and fecha <= anterior:
                raise ErrorImportacion(
                    f"Los meses del cronograma no están en orden: {abreviatura_mes(fecha)} (fila {i_meses + 1}, "
                    f"columna {letra(j)}) viene después de {abreviatura_mes(anterior)}."
                )
            if anterior is not None and fecha != sumar_meses(anterior, 1):
                self.advertir(
                    i_meses + 1, j, f"faltan meses entre {abreviatura_mes(anterior)} y {abreviatura_mes(fecha)}."
                )
            fechas[j], anterior, grupo_anterior = fecha, fecha, grupo
        return fechas

    # ---- metadata above the header and footer below the table ----

    def valor_de_etiqueta(self, i, j):
        """ "Código: 54-PSC-FT-743" → "54-PSC-FT-743"; a bare "Código:" takes the next cell on its right."""
        texto = limpiar(self.filas[i][j])
        valor = texto.split(":", 1)[1] if ":" in texto else texto.split(" ", 1)[1] if " " in texto else ""
        valor = valor.strip()
        if not valor:
            valor = next((limpiar(c) for c in self.filas[i][j + 1 :] if c and c.strip()), "")
        return valor

    def leer_metadatos(self, i_encabezado):
        datos = {"municipio": "", "titulo": "", "politica": "", "codigo_formato": "", "version": ""}
        datos["fecha_formato"] = None
        alcaldia = ""
        for i in range(i_encabezado):
            for j, celda in enumerate(self.filas[i]):
                texto = limpiar(celda)
                clave = clave_nombre(texto)
                if not clave:
                    continue
                if m := re.match(r"municipio de\s+", texto, re.IGNORECASE):
                    datos["municipio"] = datos["municipio"] or f"Municipio de {nombre_propio(texto[m.end() :])}"
                elif m := re.match(r"alcald[ií]a (?:municipal )?de\s+", texto, re.IGNORECASE):
                    alcaldia = alcaldia or f"Municipio de {nombre_propio(texto[m.end() :])}"
                elif re.match(r"codigo\b", clave):
                    datos["codigo_formato"] = self.valor_de_etiqueta(i, j)
                elif re.match(r"version\b", clave):
                    datos["version"] = self.valor_de_etiqueta(i, j)
                elif re.match(r"fecha\b", clave):
                    valor = self.valor_de_etiqueta(i, j)
                    datos["fecha_formato"] = fecha_espanola(valor)
                    if datos["fecha_formato"] is None:
                        self.advertir(i + 1, j, f"no se entendió la fecha del formato «{valor}».")
                elif clave.startswith("cronograma") and not datos["titulo"]:
                    datos["titulo"] = texto
                elif clave.startswith("politica") and not datos["politica"]:
                    datos["politica"] = texto
        datos["municipio"] = datos["municipio"] or alcaldia
        if not datos["municipio"]:
            raise ErrorImportacion(
                "No se encontró el municipio: se esperaba una celda «MUNICIPIO DE …» encima del encabezado "
                f"del cronograma (fila {i_encabezado + 1})."
            )
        if not datos["titulo"]:
            datos["titulo"] = "Cronograma del plan de acción"
            self.advertir(None, None, "No se encontró el título «CRONOGRAMA DE PLAN DE ACCIÓN …»; se usó uno genérico.")
        return datos

    def buscar_pie(self, desde):
        for i in range(desde, len(self.filas)):
            # Only the start of a cell matters; normalising whole meta cells would cost more than the rest.
            if any(re.match(r"(?:elaboro|reviso|aprobo)\b", clave_nombre((c or "")[:12])) for c in self.filas[i]):
                return i
        return None

    def leer_pie(self, i):
        """ELABORÓ / REVISÓ / APROBÓ / FECHA, in one cell or in separate cells (value on the right or below)."""
        valores, pendientes = {}, []
        for j, celda in enumerate(self.filas[i]):
            texto = limpiar(celda)
            if not texto:
                continue
            etiquetas = list(ETIQUETA_PIE.finditer(texto))
            antes = texto[: etiquetas[0].start()] if etiquetas else texto
            if antes.strip() and pendientes:
                valores[pendientes.pop()[0]] = antes.strip(" -–,;")
            for k, etiqueta in enumerate(etiquetas):
                fin = etiquetas[k + 1].start() if k + 1 < len(etiquetas) else len(texto)
                nombre, valor = clave_nombre(etiqueta.group(1)), texto[etiqueta.end() : fin].strip(" -–,;")
                if valor:
                    valores.setdefault(nombre, valor)
                else:
                    pendientes.append((nombre, j))
        for nombre, j in pendientes:
            debajo = self.celda(i + 1, j)
            if debajo and not ETIQUETA_PIE.match(debajo):
                valores.setdefault(nombre, limpiar(debajo))
        fecha = fecha_espanola(valores.get("fecha", ""))
        if valores.get("fecha") and fecha is None:
            self.advertir(i + 1, None, f"no se entendió la fecha de aprobación «{valores['fecha']}».")
        return {
            "elaboro": valores.get("elaboro", ""),
            "reviso": valores.get("reviso", ""),
            "aprobo": valores.get("aprobo", ""),
            "fecha_aprobacion": fecha,
        }

    # ---- data rows ----

    def leer_datos(self, desde, hasta):
        """Lines, objectives and strategies row by row; merged (empty) cells mean "same as above"."""
        self.lineas, self.secretarias, self.en_curso = [], {}, []
        self.linea = self.objetivo = self.estrategia = None
        for i in range(desde, hasta):
            if not any(c and c.strip() for c in self.filas[i]):
                continue
            if self.es_fila_de_totales(i):
                self.advertir(i + 1, None, "fila de totales; no se tomó como programación.")
                continue
            self.advertir_fuera_de_columnas(i)
            self.leer_linea_y_objetivo(i)
            self.leer_estrategia(i)
        for pendiente in self.en_curso:
            self.completar_estrategia(pendiente)
        return self.lineas, sorted(self.secretarias.values(), key=lambda s: s.nombre)

    def leer_linea_y_objetivo(self, i):
        texto = limpiar(self.celda(i, self.columnas["linea"]))
        if texto and (self.linea is None or clave_nombre(texto) != clave_nombre(self.linea.nombre)):
            self.linea = LineaLeida(len(self.lineas) + 1, texto)
            self.lineas.append(self.linea)
            self.objetivo = self.estrategia = None
        texto = limpiar(self.celda(i, self.columnas["objetivos"]))
        if texto and (self.objetivo is None or clave_nombre(texto) != clave_nombre(self.objetivo.texto)):
            if self.linea is None:
                raise ErrorImportacion(f"Fila {i + 1}: el objetivo no tiene línea de acción ({self.ubicar('linea')}).")
            self.objetivo = ObjetivoLeido(len(self.linea.objetivos) + 1, texto)
            self.linea.objetivos.append(self.objetivo)
            self.estrategia = None

    def leer_estrategia(self, i):
        """A row with strategy text opens a strategy; other rows add to the current one."""
        texto = limpiar(self.celda(i, self.columnas["estrategias"]))
        if texto:
            if self.objetivo is None:
                raise ErrorImportacion(
                    f"Fila {i + 1}: la estrategia no tiene línea de acción y objetivo "
                    f"({self.ubicar('linea')}, {self.ubicar('objetivos')})."
                )
            self.estrategia = self.nueva_estrategia(i, texto)
            self.objetivo.estrategias.append(self.estrategia)
        if self.estrategia is not None:
            self.acumular(i, self.estrategia)
        elif self.tiene_contenido_de_estrategia(i):
            self.advertir(i + 1, None, "la fila tiene metas o programación pero ninguna estrategia; se ignoró.")

    def ubicar(self, nombre):
        return f"columna {letra(self.columnas[nombre])}"

    def es_fila_de_totales(self, i):
        return any(c and len(c) <= 40 and FILA_DE_TOTALES.match(clave_nombre(c)) for c in self.filas[i])

    def tiene_contenido_de_estrategia(self, i):
        columnas = [self.columnas.get(n) for n in ("metas", "indicadores", "responsables", "medios")]
        return any(self.celda(i, j) for j in [*columnas, *self.meses])

    def nueva_estrategia(self, i, texto):
        anteriores = [e.numero for linea in self.lineas for o in linea.objetivos for e in o.estrategias]
        numerado = re.match(r"(\d{1,3})\s*[.)\-]\s*", texto)
        if numerado:
            numero, texto = int(numerado.group(1)), texto[numerado.end() :].strip()
        else:
            numero = max(anteriores, default=0) + 1
            self.advertir(i + 1, self.columnas["estrategias"], f"la estrategia no tiene número; se tomó como {numero}.")
        if numero in anteriores:
            self.advertir(i + 1, self.columnas["estrategias"], f"el número de estrategia {numero} está repetido.")
        estrategia = EstrategiaLeida(numero=numero, texto=texto, fila=i + 1)
        self.en_curso.append(_EnCurso(estrategia))
        return estrategia

    def acumular(self, i, estrategia):
        """Add one row to the current strategy: another town may write each meta on its own row."""
        pendiente = self.en_curso[-1]
        for nombre, destino in (("metas", pendiente.metas), ("indicadores", pendiente.indicadores)):
            j = self.columnas.get(nombre)
            if texto := self.celda(i, j):
                destino.append(Fragmento(i + 1, j, texto))
        estrategia.medios_verificacion = _unir(
            estrategia.medios_verificacion, self.celda(i, self.columnas.get("medios"))
        )
        self.acumular_responsables(i, estrategia)
        self.acumular_valoracion(i, estrategia)
        self.acumular_programacion(i, estrategia)

    def acumular_responsables(self, i, estrategia):
        maximo = Secretaria._meta.get_field("nombre").max_length
        for escritura in separar_responsables(self.celda(i, self.columnas.get("responsables"))):
            if len(escritura) > maximo:
                raise ErrorImportacion(
                    f"Fila {i + 1}, {self.ubicar('responsables')}: el responsable «{escritura[:60]}…» tiene más de "
                    f"{maximo} caracteres. Separe las secretarías con comas."
                )
            clave = clave_nombre(escritura)
            secretaria = self.secretarias.setdefault(clave, SecretariaLeida(clave))
            secretaria.escrituras[escritura] += 1
            if clave not in estrategia.responsables:
                estrategia.responsables.append(clave)

    def acumular_valoracion(self, i, estrategia):
        """FORTALEZAS / DEBILIDADES text; a bare number there was warned about as out of the schedule."""
        for nombre in ("fortalezas", "debilidades"):
            texto = limpiar(self.celda(i, self.columnas.get(nombre)))
            if texto and not NUMERO.match(texto):
                setattr(estrategia, nombre, _unir(getattr(estrategia, nombre), texto))

    def acumular_programacion(self, i, estrategia):
        for j, mes in self.meses.items():
            texto = self.celda(i, j)
            if not texto:
                continue
            cantidad = self.cantidad_programada(i, j, texto, mes)
            if cantidad:
                estrategia.programacion[mes] = estrategia.programacion.get(mes, 0) + cantidad

    def cantidad_programada(self, i, j, texto, mes):
        if NUMERO.match(texto):
            valor = float(texto.replace(",", "."))
            if valor >= 0 and valor.is_integer():
                return int(valor)
            self.advertir(i + 1, j, f"«{texto}» en {abreviatura_mes(mes)} no es un número entero positivo; se ignoró.")
            return 0
        if texto.lower() == "x":
            self.advertir(i + 1, j, f"la marca «{texto}» en {abreviatura_mes(mes)} se contó como 1 actividad.")
            return 1
        self.advertir(i + 1, j, f"«{limpiar(texto)[:60]}» en {abreviatura_mes(mes)} no es un número; se ignoró.")
        return 0

    def advertir_fuera_de_columnas(self, i):
        """Numbers right of the schedule are not schedule; text in a column without a known title is lost."""
        conocidas = {j for n, j in self.columnas.items() if n != "cronograma"} | set(self.meses)
        valoracion = {self.columnas.get("fortalezas"): "fortaleza", self.columnas.get("debilidades"): "debilidad"}
        for j, celda in enumerate(self.filas[i]):
            texto = limpiar(celda)
            if not texto or (j in conocidas and j not in valoracion):
                continue
            donde = self.nombre_de_columna(j)
            if NUMERO.match(texto):
                tambien = f" ni como {valoracion[j]}" if j in valoracion else ""
                self.advertir(
                    i + 1,
                    j,
                    f"hay un número («{texto}») en {donde}, fuera de los meses del cronograma; "
                    f"no se tomó como programación{tambien}.",
                )
            elif j not in valoracion:
                self.advertir(i + 1, j, f"se ignoró el texto «{texto[:60]}» de {donde}.")

    def nombre_de_columna(self, j):
        if j in self.titulos:
            return f"la columna {self.titulos[j]}"
        return "una columna sin título"

    # ---- metas and indicators of a strategy ----

    def completar_estrategia(self, pendiente):
        estrategia = pendiente.estrategia
        metas = self.leer_metas(estrategia, pendiente.metas)
        if "indicadores" in self.columnas:
            self.leer_indicadores(estrategia, metas, pendiente.indicadores)
        estrategia.metas = [meta for meta, _ in metas]
        if not estrategia.metas:
            self.advertir(estrategia.fila, self.columnas["metas"], f"la estrategia {estrategia.numero} no tiene metas.")

    def leer_metas(self, estrategia, fragmentos):
        """[(MetaLeida, item)] in the order of the sheet, codes made unique."""
        items = separar_numerados(fragmentos, estrategia.numero, CODIGO_META, "la meta", self.advertir)
        siguiente = 0
        for item in items:
            if not item.numeros:
                item.numeros = (estrategia.numero, siguiente + 1)
                self.advertir(item.fila, item.columna, f"meta sin numeración; se tomó como {item.codigo}.")
            siguiente = max(siguiente, item.numeros[1])
        advertir_numeracion(items, str(estrategia.numero), self.advertir)
        metas, usados = [], Counter()
        for orden, item in enumerate(items, start=1):
            usados[item.codigo] += 1
            codigo = item.codigo if usados[item.codigo] == 1 else f"{item.codigo} ({usados[item.codigo]})"
            metas.append((self.nueva_meta(item, codigo, orden), item))
        return metas

    def nueva_meta(self, item, codigo, orden):
        def advertir(aviso):
            if aviso:
                self.advertir(item.fila, item.columna, f"meta {codigo}: {aviso}")

        if not item.texto:
            advertir("no tiene texto.")
        cantidad, aviso = leer_cantidad(item.texto)
        advertir(aviso)
        periodicidad, aviso = leer_periodicidad(item.texto)
        advertir(aviso)
        return MetaLeida(
            codigo=codigo,
            orden=orden,
            texto=item.texto,
            cantidad_objetivo=cantidad,
            periodicidad=periodicidad,
            por_secretaria=es_por_secretaria(item.texto),
        )

    def leer_indicadores(self, estrategia, metas, fragmentos):
        items = separar_numerados(fragmentos, estrategia.numero, CODIGO_INDICADOR, "el indicador", self.advertir)
        por_meta = {}
        for item in items:
            destino = self.meta_del_indicador(estrategia, metas, item, por_meta)
            if destino is None:
                continue
            por_meta.setdefault(id(destino[0]), (destino, []))[1].append(item)
        for (meta, item_meta), indicadores in por_meta.values():
            advertir_numeracion(indicadores, item_meta.codigo, self.advertir)
            usados = Counter()
            for item in indicadores:
                usados[item.codigo] += 1
                sufijo = "" if usados[item.codigo] == 1 else f" ({usados[item.codigo]})"
                meta.indicadores.append(IndicadorLeido(item.codigo + sufijo, item.texto))
        for meta, item in metas:
            if not meta.indicadores:
                self.advertir(item.fila, self.columnas["indicadores"], f"la meta {meta.codigo} no tiene indicador.")

    def meta_del_indicador(self, estrategia, metas, item, por_meta):
        """The meta whose code prefixes the indicator's; a repeated meta code takes its next indicator."""
        if not item.numeros:
            return self.meta_de_indicador_sin_numero(metas, item)
        candidatas = [(m, i) for m, i in metas if i.numeros == item.numeros[:2]]
        if not candidatas:
            self.advertir(
                item.fila,
                item.columna,
                f"el indicador {item.codigo} no corresponde a ninguna meta de la estrategia {estrategia.numero}; "
                f"se omitió: «{item.texto[:60]}».",
            )
            return None
        asignados = {id(m): {i.codigo for i in items} for (m, _), items in por_meta.values()}
        libres = [(m, i) for m, i in candidatas if item.codigo not in asignados.get(id(m), ())]
        return (libres or candidatas)[0]

    def meta_de_indicador_sin_numero(self, metas, item):
        if not metas:
            self.advertir(item.fila, item.columna, f"indicador sin meta; se omitió: «{item.texto[:60]}».")
            return None
        misma_fila = [(m, i) for m, i in metas if i.fila == item.fila]
        meta, item_meta = (misma_fila or metas)[-1]
        item.numeros = (*item_meta.numeros, len(meta.indicadores) + 1)
        self.advertir(item.fila, item.columna, f"indicador sin numeración; se tomó como {item.codigo}.")
        return meta, item_meta


@dataclass
class _EnCurso:
    """Cells of a strategy gathered row by row, split into metas and indicators at the end."""

    estrategia: EstrategiaLeida
    metas: list = field(default_factory=list)
    indicadores: list = field(default_factory=list)


def _unir(anterior, texto):
    texto = limpiar(texto)
    return f"{anterior} {texto}".strip() if texto else anterior
