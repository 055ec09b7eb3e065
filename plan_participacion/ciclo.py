"""The cycle of public management in which citizens take part, and the word rules that suggest it.

MIPG and Resolución 1519 de 2020 ask that citizens take part in every phase of the cycle
(diagnóstico, formulación, implementación, evaluación y seguimiento); the Menú Participa of the
entity's website is organised in sections. Each strategy is tagged with its phases
(``Estrategia.fases``) and, where it applies, its Menú Participa sections
(``Estrategia.secciones_participa``): lists of the values below, stored as JSON so that SQLite
and PostgreSQL behave the same.

``sugerir(texto)`` reads a strategy's text and suggests tags; the importer shows them in the
preview and the coordinator confirms them (or edits them later at /plan/<id>/fases/). The rules:

* Phases come from the strategy's *main clause*: its text without the numbering, lower-cased and
  without accents, cut at the first «para», «que», «de», «del», «mediante», «a través», comma or
  period ("Definir la estrategia | para la ejecución del plan" is about defining, not executing).
  When the main clause says nothing, the whole text is read.
* A section is suggested by the words of the main clause, or by its full name anywhere in the text
  ("rendición de cuentas", "presupuesto participativo", "control social" …); a section implies its
  phase (consulta ciudadana → formulación, rendición de cuentas → evaluación y seguimiento …).

On the seed (Candelaria) this gives: 1 «Realizar el diagnóstico…» and 2 «Identificar las
actividades…» → diagnóstico + «diagnóstico e identificación de problemas»; 3 «Definir la
estrategia…» → formulación; 4 «Divulgar y retroalimentar el plan…» → formulación + «consulta
ciudadana»; 5 «Implementar el Plan…» → implementación; 6 «Evaluar los resultados…» → evaluación
y seguimiento + «rendición de cuentas».
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


class Fase(models.TextChoices):
    DIAGNOSTICO = "diagnostico", _("Diagnóstico")
    FORMULACION = "formulacion", _("Formulación")
    IMPLEMENTACION = "implementacion", _("Implementación")
    EVALUACION = "evaluacion", _("Evaluación y seguimiento")


class SeccionParticipa(models.TextChoices):
    DIAGNOSTICO = "diagnostico", _("Diagnóstico e identificación de problemas")
    PLANEACION = "planeacion", _("Planeación y presupuesto participativo")
    CONSULTA = "consulta", _("Consulta ciudadana")
    COLABORACION = "colaboracion", _("Colaboración e innovación abierta")
    RENDICION = "rendicion", _("Rendición de cuentas")
    CONTROL_SOCIAL = "control_social", _("Control social")


# (stem or phrase, without accents, lower case) → phase, read in the main clause
PALABRAS_FASE = (
    (r"diagnost", Fase.DIAGNOSTICO),
    (r"identific", Fase.DIAGNOSTICO),
    (r"caracteriz", Fase.DIAGNOSTICO),
    (r"necesidad", Fase.DIAGNOSTICO),
    (r"problema", Fase.DIAGNOSTICO),
    (r"defin", Fase.FORMULACION),
    (r"formul", Fase.FORMULACION),
    (r"disen", Fase.FORMULACION),
    (r"planific", Fase.FORMULACION),
    (r"priori", Fase.FORMULACION),
    (r"concert", Fase.FORMULACION),
    (r"divulg", Fase.FORMULACION),
    (r"socializ", Fase.FORMULACION),
    (r"retroaliment", Fase.FORMULACION),
    (r"consult", Fase.FORMULACION),
    (r"implement", Fase.IMPLEMENTACION),
    (r"ejecut", Fase.IMPLEMENTACION),
    (r"desarroll", Fase.IMPLEMENTACION),
    (r"colabor", Fase.IMPLEMENTACION),
    (r"innov", Fase.IMPLEMENTACION),
    (r"evalu", Fase.EVALUACION),
    (r"seguimiento", Fase.EVALUACION),
    (r"monitore", Fase.EVALUACION),
    (r"rendi", Fase.EVALUACION),
    (r"veedur", Fase.EVALUACION),
    (r"control social", Fase.EVALUACION),
)

# → section, read in the main clause
PALABRAS_SECCION = (
    (r"diagnost", SeccionParticipa.DIAGNOSTICO),
    (r"identific", SeccionParticipa.DIAGNOSTICO),
    (r"caracteriz", SeccionParticipa.DIAGNOSTICO),
    (r"problema", SeccionParticipa.DIAGNOSTICO),
    (r"presupuest", SeccionParticipa.PLANEACION),
    (r"retroaliment", SeccionParticipa.CONSULTA),
    (r"consult", SeccionParticipa.CONSULTA),
    (r"colabor", SeccionParticipa.COLABORACION),
    (r"innov", SeccionParticipa.COLABORACION),
    (r"resultado", SeccionParticipa.RENDICION),
    (r"rendi", SeccionParticipa.RENDICION),
    (r"veedur", SeccionParticipa.CONTROL_SOCIAL),
    (r"control social", SeccionParticipa.CONTROL_SOCIAL),
)

# → section, read anywhere in the text (full names only)
NOMBRES_SECCION = (
    (r"presupuestos? participativos?", SeccionParticipa.PLANEACION),
    (r"planeacion participativa", SeccionParticipa.PLANEACION),
    (r"consulta ciudadana", SeccionParticipa.CONSULTA),
    (r"innovacion abierta", SeccionParticipa.COLABORACION),
    (r"rendicion de cuentas", SeccionParticipa.RENDICION),
    (r"audiencias? publicas?", SeccionParticipa.RENDICION),
    (r"control social", SeccionParticipa.CONTROL_SOCIAL),
    (r"veedurias? ciudadanas?", SeccionParticipa.CONTROL_SOCIAL),
)

FASE_DE_SECCION = {
    SeccionParticipa.DIAGNOSTICO: Fase.DIAGNOSTICO,
    SeccionParticipa.PLANEACION: Fase.FORMULACION,
    SeccionParticipa.CONSULTA: Fase.FORMULACION,
    SeccionParticipa.COLABORACION: Fase.IMPLEMENTACION,
    SeccionParticipa.RENDICION: Fase.EVALUACION,
    SeccionParticipa.CONTROL_SOCIAL: Fase.EVALUACION,
}

_NUMERACION = re.compile(r"^\s*\d+(\s*\.\s*\d+)*\s*[.)-]?\s*")
_CORTE = re.compile(r"\s(?:para|que|de|del|mediante|a traves)\s|[,.;:]")


@dataclass(frozen=True)
class Sugerencia:
    fases: tuple  # Fase values, in the order of the cycle
    secciones: tuple  # SeccionParticipa values, in the Menú Participa's order
    palabras: tuple  # the words that decided, as written in the text (for the preview)

    @property
    def vacia(self):
        return not self.fases and not self.secciones


def sin_tildes(texto):
    descompuesto = unicodedata.normalize("NFKD", texto or "")
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).lower()


def _normal(texto):
    """(text without its numbering, the same lower-cased without accents): the same words, one space apart."""
    original = " ".join(_NUMERACION.sub("", texto or "").split())
    return original, " ".join(sin_tildes(original).split())


def clausula_principal(texto):
    """The strategy's text, normalised, up to the first «para», «que», «de» … (see the module's rules)."""
    _original, normal = _normal(texto)
    return _CORTE.split(f" {normal} ", maxsplit=1)[0].strip()


def _palabra(original, normal, posicion):
    """The word of the text (with its accents) at a position of the normalised text."""
    palabras = original.split()
    indice = normal[:posicion].count(" ")
    if len(palabras) != len(normal.split()) or indice >= len(palabras):
        return normal[posicion:].split(" ", 1)[0]
    return palabras[indice].strip('.,;:()«»"')


def sugerir(texto):
    """Suggested phases and Menú Participa sections of a strategy, from its words (see the rules)."""
    original, normal = _normal(texto)
    clausula = clausula_principal(texto)  # a prefix of normal: its positions are normal's
    fases, secciones, palabras = set(), set(), []

    def buscar(reglas, donde, destino):
        for patron, valor in reglas:
            encontrado = re.search(rf"\b{patron}", donde)
            if encontrado:
                destino.add(valor)
                palabra = _palabra(original, normal, encontrado.start())
                if palabra not in palabras:
                    palabras.append(palabra)

    buscar(PALABRAS_FASE, clausula, fases)
    buscar(PALABRAS_SECCION, clausula, secciones)
    buscar(NOMBRES_SECCION, normal, secciones)
    if not fases and not secciones:
        buscar(PALABRAS_FASE, normal, fases)
    fases |= {FASE_DE_SECCION[s] for s in secciones}
    return Sugerencia(
        fases=tuple(f for f in Fase.values if f in fases),
        secciones=tuple(s for s in SeccionParticipa.values if s in secciones),
        palabras=tuple(palabras),
    )


def nombres_fases(valores):
    etiquetas = dict(Fase.choices)
    return [str(etiquetas[v]) for v in Fase.values if v in (valores or ())]


def nombres_secciones(valores):
    etiquetas = dict(SeccionParticipa.choices)
    return [str(etiquetas[v]) for v in SeccionParticipa.values if v in (valores or ())]


@deconstructible
class ValoresDe:
    """Validator of a JSON list of choice values (``ValoresDe("Fase")``): named, so migrations can refer to it."""

    def __init__(self, opciones):
        self.opciones = opciones

    def __call__(self, valores):
        opciones = {"Fase": Fase, "SeccionParticipa": SeccionParticipa}[self.opciones]
        if not isinstance(valores, list) or any(v not in opciones.values for v in valores):
            raise ValidationError(
                _("Elija valores de la lista (%(opciones)s).") % {"opciones": ", ".join(opciones.values)},
                code="fuera_de_la_lista",
            )

    def __eq__(self, otro):
        return isinstance(otro, ValoresDe) and otro.opciones == self.opciones


validar_fases = ValoresDe("Fase")
validar_secciones = ValoresDe("SeccionParticipa")


@dataclass(frozen=True)
class SugerenciaLeida:
    """A strategy of an imported sheet (importer.analizar.EstrategiaLeida) and its suggested tags."""

    numero: int
    texto: str
    sugerencia: Sugerencia

    @property
    def nombres(self):
        return nombres_fases(self.sugerencia.fases) + nombres_secciones(self.sugerencia.secciones)


def sugerencias_leidas(plan_leido):
    """The suggestions for every strategy of a sheet as read, for the import preview."""
    return [
        SugerenciaLeida(estrategia.numero, estrategia.texto, sugerir(estrategia.texto))
        for linea in plan_leido.lineas
        for objetivo in linea.objetivos
        for estrategia in objetivo.estrategias
    ]
