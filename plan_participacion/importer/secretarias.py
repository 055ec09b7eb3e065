"""Responsables: split the comma-separated list and give each secretariat one proper name.

The sheet spells the same secretariat several ways ("Secretaria de Salud publica",
"Secretaría de Salud pública"); models.clave_nombre tells them apart, and the name
shown to people is rebuilt with the accents and capitals of an official name.
"""

import re
from collections import Counter

from plan_participacion.models import clave_nombre

# First words of the name of a municipal office. A piece of the list that does not start
# with one continues the previous name ("Secretaría de Educación, Cultura y Turismo").
PALABRAS_CABEZA = {
    "alcaldia",
    "almacen",
    "archivo",
    "area",
    "casa",
    "comisaria",
    "comite",
    "concejo",
    "contraloria",
    "coordinacion",
    "departamento",
    "despacho",
    "direccion",
    "empresa",
    "empresas",
    "gerencia",
    "grupo",
    "hospital",
    "inspeccion",
    "instituto",
    "juridica",
    "juzgado",
    "oficina",
    "personeria",
    "programa",
    "secretaria",
    "subsecretaria",
    "tesoreria",
    "unidad",
}
CABEZAS_COMPUESTAS = ("control interno", "talento humano", "servicios publicos")

# Correct spelling of common words of office names, keyed by their comparison form: adds the
# accents people leave out and drops the ones they add by mistake ("Alcaldé").
FORMAS_CORRECTAS = {
    palabra_sin_tilde: palabra
    for palabra_sin_tilde, palabra in (
        (clave_nombre(p), p)
        for p in (
            "administración administrativo administrativa alcalde alcaldía ambiente atención comisaría "
            "comunicación comunicaciones contratación convivencia cultura departamento desarrollo despacho "
            "dirección económico económica educación especiales gestión gobierno hacienda información "
            "infraestructura inspección jurídico jurídica medio movilidad oficina participación personería "
            "planeación población política políticas programas pública públicas público públicos recreación "
            "salud secretaría seguridad servicios social tecnología tecnologías tesorería tránsito turismo "
            "unidad vivienda"
        ).split()
    )
}
PARTICULAS = {"a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "los", "o", "para", "por", "u", "y"}
PALABRA = re.compile(r"[^\W_]+")


def _empieza_con_cabeza(texto):
    clave = clave_nombre(texto[:40])
    primera = clave.split(" ", 1)[0]
    return primera in PALABRAS_CABEZA or clave.startswith(CABEZAS_COMPUESTAS)


def separar_responsables(texto):
    """Names in a responsables cell, as written (trimmed, spaces collapsed).

    Separators are commas, semicolons and line breaks; a comma piece that does not
    start like an office name belongs to the previous name.
    """
    nombres = []
    for linea in re.split(r"[;\n\r]+", texto or ""):
        anterior_es_dependencia = False
        for pieza in linea.split(","):
            pieza = " ".join(pieza.split()).strip(" .-")
            if not pieza:
                continue
            if nombres and anterior_es_dependencia and not _empieza_con_cabeza(pieza):
                nombres[-1] = f"{nombres[-1]}, {pieza}"
                continue
            nombres.append(pieza)
            anterior_es_dependencia = _empieza_con_cabeza(pieza)
    return nombres


def _forma_mas_votada(formas):
    """The most frequent spelling of one word across the variants; the first seen wins a tie."""
    return formas.most_common(1)[0][0]


def _con_mayusculas(forma, original, posicion, todo_en_mayusculas):
    if original.isupper() and len(original) > 1 and not todo_en_mayusculas:
        return original  # a sigla such as TIC or ESE
    if posicion > 0 and forma in PARTICULAS:
        return forma
    return forma[:1].upper() + forma[1:]


def nombre_canonico(escrituras):
    """One proper name for the spellings of a secretariat (a Counter of spelling → times seen)."""
    escrituras = Counter(escrituras)
    base = escrituras.most_common(1)[0][0]
    palabras_base = PALABRA.findall(base)
    formas_por_posicion = [Counter() for _ in palabras_base]
    for escritura, veces in escrituras.items():
        palabras = PALABRA.findall(escritura)
        if len(palabras) == len(palabras_base):
            for formas, palabra, de_base in zip(formas_por_posicion, palabras, palabras_base, strict=True):
                if clave_nombre(palabra) == clave_nombre(de_base):  # the name must keep its clave
                    formas[palabra.lower()] += veces
    todo_en_mayusculas = base.isupper()
    posicion = iter(range(len(palabras_base)))

    def corregir(coincidencia):
        i = next(posicion)
        original = coincidencia.group()
        forma = FORMAS_CORRECTAS.get(clave_nombre(original)) or _forma_mas_votada(formas_por_posicion[i])
        return _con_mayusculas(forma, original, i, todo_en_mayusculas)

    return PALABRA.sub(corregir, base)


def nombre_propio(texto):
    """ "CANDELARIA" → "Candelaria", "SAN JUAN DE LOS LLANOS" → "San Juan de los Llanos"; mixed case is kept."""
    if not texto.isupper():
        return texto
    palabras = texto.split(" ")
    return " ".join(
        p.lower() if i > 0 and p.lower() in PARTICULAS else p[:1] + p[1:].lower() for i, p in enumerate(palabras)
    )
