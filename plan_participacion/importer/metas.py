"""Metas and indicators: split the numbered cell of a strategy and read target and periodicity.

A strategy's metas sit in one cell ("1.1. Un (1) documento … 1.2. Un (1) plan …"), as do
its indicators ("1.1.1. Número de … 1.2.1. …"). People type the numbering by hand:
"1. 3.", "1.4.Un", a missing meta. Texts are kept as written (typos included).
"""

import re
from dataclasses import dataclass

from plan_participacion.models import Meta, clave_nombre

# A code is a split point only at the start of the cell or after a space or punctuation,
# so "(1)" or "11.1" inside a sentence never cuts it. Spaces inside the code are tolerated.
_ANTES = r"(?<![^\s.,;:])"
_FIN = r"(?!\d)(?!\s*\.\s*\d)(?P<punto>\s*\.)?"
CODIGO_META = re.compile(_ANTES + r"(?P<codigo>\d{1,3}\s*\.\s*\d{1,3})" + _FIN)
CODIGO_INDICADOR = re.compile(_ANTES + r"(?P<codigo>\d{1,3}\s*\.\s*\d{1,3}\s*\.\s*\d{1,3})" + _FIN)


@dataclass
class Fragmento:
    """Text of one cell, with where it came from."""

    fila: int
    columna: int
    texto: str


@dataclass
class Numerado:
    """One numbered item of a cell: (1, 3) and its text; numeros is () when the cell had no code."""

    numeros: tuple
    texto: str
    fila: int
    columna: int

    @property
    def codigo(self):
        return _codigo(self.numeros)


def limpiar(texto):
    """Trim and collapse internal whitespace, nothing else: the sheet's wording is kept."""
    return " ".join((texto or "").split())


def _es_inicio_de_item(texto, coincidencia):
    """After a code comes its dot ("1.2.") or a new sentence ("1.2 Un …"), not "1.5 millones"."""
    if coincidencia.group("punto"):
        return True
    resto = texto[coincidencia.end() :].lstrip()
    return not resto or resto[0].isupper() or resto[0] in "(¿¡\"'«" or resto[0].isdigit()


def _codigo(numeros):
    return ".".join(str(n) for n in numeros)


def _numeros(codigo):
    return tuple(int(n) for n in re.findall(r"\d+", codigo))


def separar_numerados(fragmentos, numero_estrategia, patron, nombre, advertir):
    """Items of the cells of one strategy, split on codes whose first number is the strategy's.

    A cell with no code at all gives one item with empty numeros: the caller numbers it.
    """
    items = []
    for fragmento in fragmentos:
        texto = fragmento.texto
        cortes = []
        for coincidencia in patron.finditer(texto):
            numeros = _numeros(coincidencia.group("codigo"))
            if 0 in numeros or not _es_inicio_de_item(texto, coincidencia):
                continue
            if numeros[0] == numero_estrategia:
                cortes.append((coincidencia, numeros))
                _advertir_espacios(coincidencia, numeros, fragmento, nombre, advertir)
            else:
                advertir(
                    fragmento.fila,
                    fragmento.columna,
                    f"«{limpiar(coincidencia.group('codigo'))}» no corresponde a la estrategia {numero_estrategia}; "
                    f"se dejó como parte del texto de {nombre} anterior.",
                )
        if not cortes:
            if texto := limpiar(texto):
                items.append(Numerado((), texto, fragmento.fila, fragmento.columna))
            continue
        preambulo = limpiar(texto[: cortes[0][0].start()])
        if preambulo:
            advertir(
                fragmento.fila,
                fragmento.columna,
                f"se ignoró el texto antes de {nombre} {_codigo(cortes[0][1])}: «{preambulo}».",
            )
        for i, (coincidencia, numeros) in enumerate(cortes):
            fin = cortes[i + 1][0].start() if i + 1 < len(cortes) else len(texto)
            contenido = limpiar(texto[coincidencia.end() : fin]).lstrip(".-:) ")
            items.append(Numerado(numeros, contenido, fragmento.fila, fragmento.columna))
    return items


def _advertir_espacios(coincidencia, numeros, fragmento, nombre, advertir):
    """ "1. 3." is read as 1.3, and said so: the planning officer may want to fix the sheet."""
    escrito = coincidencia.group("codigo") + (coincidencia.group("punto") or "")
    if any(c.isspace() for c in escrito):
        advertir(
            fragmento.fila,
            fragmento.columna,
            f"la numeración «{escrito}» de {nombre} tiene espacios; se leyó como {_codigo(numeros)}.",
        )


def advertir_numeracion(items, prefijo, advertir):
    """Gaps, repetitions and disorder in 1.1, 1.2 … (prefijo is the code the items share)."""
    anterior = 0
    vistos = set()
    for item in items:
        ultimo = item.numeros[-1]
        esperado = anterior + 1
        if ultimo in vistos:
            advertir(item.fila, item.columna, f"el código {item.codigo} está repetido.")
        elif ultimo > esperado:
            faltan = ", ".join(f"{prefijo}.{n}" for n in range(esperado, ultimo))
            advertir(item.fila, item.columna, f"la numeración salta a {item.codigo}: falta {faltan}.")
        elif ultimo < esperado:
            advertir(item.fila, item.columna, f"el código {item.codigo} está fuera de orden.")
        vistos.add(ultimo)
        anterior = max(anterior, ultimo)


# ---- target ("Un (1)", "Doce (12)", "5 talleres") ----

UNIDADES = {
    "un": 1,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintiuna": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "cien": 100,
    "ciento": 100,
}
DECENAS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90}


def numero_en_palabras(palabras):
    """Value of number words ["treinta", "y", "dos"] → 32; None when they are not a number."""
    if len(palabras) == 1:
        return UNIDADES.get(palabras[0]) or DECENAS.get(palabras[0])
    if len(palabras) == 3 and palabras[0] in DECENAS and palabras[1] == "y" and 0 < UNIDADES.get(palabras[2], 0) < 10:
        return DECENAS[palabras[0]] + UNIDADES[palabras[2]]
    return None


def _numero_al_final(palabras):
    """The number written in words just before "(12)": "… Doce" or "… treinta y dos"."""
    for largo in (3, 1):
        if len(palabras) >= largo and (valor := numero_en_palabras(palabras[-largo:])) is not None:
            return valor
    return None


def _numero_al_inicio(palabras):
    for largo in (3, 1):
        if len(palabras) >= largo and (valor := numero_en_palabras(palabras[:largo])) is not None:
            return valor
    return None


def leer_cantidad(texto):
    """(target, doubt or None) from a meta's text. The digit in parentheses wins over the word."""
    entre_parentesis = re.search(r"\(\s*(\d+)\s*\)", texto)
    if entre_parentesis:
        digito = int(entre_parentesis.group(1))
        palabra = _numero_al_final(clave_nombre(texto[: entre_parentesis.start()]).split())
        if digito < 1:
            return 1, f"la cantidad «({digito})» no es válida; se tomó 1."
        if palabra is not None and palabra != digito:
            escrito = limpiar(texto[: entre_parentesis.end()])[-40:]
            return digito, f"la cantidad escrita en letras no coincide con el número («{escrito}»); se tomó {digito}."
        return digito, None
    if inicial := re.match(r"\s*(\d+)(?![\d.,]\d)", texto):
        digito = int(inicial.group(1))
        return (digito, None) if digito >= 1 else (1, f"la cantidad «{digito}» no es válida; se tomó 1.")
    if (palabra := _numero_al_inicio(clave_nombre(texto).split())) is not None:
        return palabra, None
    return 1, "no se encontró la cantidad (p. ej. «Dos (2)»); se tomó 1."


# ---- periodicity and "de cada secretaría" ----

PERIODICIDADES = [
    (re.compile(r"\banual(?:es|mente)?\b"), Meta.Periodicidad.ANUAL),
    (re.compile(r"\bsemestral(?:es|mente)?\b"), Meta.Periodicidad.SEMESTRAL),
    (re.compile(r"\btrimestral(?:es|mente)?\b"), Meta.Periodicidad.TRIMESTRAL),
    (re.compile(r"\bmensual(?:es|mente)?\b"), Meta.Periodicidad.MENSUAL),
]


def leer_periodicidad(texto):
    """(periodicity, doubt or None): the first one the text mentions; UNICA when none."""
    clave = clave_nombre(texto)
    encontradas = sorted(
        (coincidencia.start(), periodicidad)
        for patron, periodicidad in PERIODICIDADES
        if (coincidencia := patron.search(clave))
    )
    if not encontradas:
        return Meta.Periodicidad.UNICA, None
    elegida = encontradas[0][1]
    if len(encontradas) > 1:
        nombres = ", ".join(p.label.lower() for _, p in encontradas)
        return elegida, f"el texto menciona varias periodicidades ({nombres}); se tomó {elegida.label.lower()}."
    return elegida, None


# "de cada secretaría", "por cada secretaría", "por secretaría"; not "por cada delegado(a) de secretaria".
POR_SECRETARIA = re.compile(r"\b(?:de|por) cada (?:una de las )?secretarias?\b|\bpor secretarias?\b")


def es_por_secretaria(texto):
    return bool(POR_SECRETARIA.search(clave_nombre(texto)))
