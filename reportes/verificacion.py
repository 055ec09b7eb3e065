"""The verification report, of any size, in bounded memory: drawn by Typst in parts and joined.

The report lists every approved evidence up to the corte with its files: with
20,000 evidences it runs past 2,000 pages. Laid out in one piece, memory grows with
the document (WeasyPrint 5.7 GiB for that report; Typst too, about 2.5 MB a page),
so it is drawn in parts of REPORTES_EVIDENCIAS_POR_PARTE evidences (a meta longer
than that continues in the next part, "(continuación)"):

1. one pass over the plan's progress (seguimiento.avance, the dashboard's figures)
   and three aggregate queries decide the parts: ids only, never all evidence rows;
2. each part loads its evidences (four queries) and becomes JSON, kept in a
   temporary folder; Typst (reportes/typst/verificacion.typ) lays it out;
3. a first pass draws each part only to count its pages; the second draws it knowing
   its first page and the total, so every page reads "Página X de Y" (in the text
   too, for search and extraction); pypdf appends the parts.

Why Typst for this one report (the others stay on WeasyPrint): measured on this
project's 2-core machine, WeasyPrint lays out these table pages at about 7 pages/s
even in parts, Typst at about 50 (README, "Informes para el comité").
Every text is passed as data (sys.inputs), never as markup; Typst reads only the
template's folder and the fonts in static/reportes/fuentes/.
"""

import io
import json
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import typst
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypdf import PdfReader, PdfWriter

from reportes.recursos import carpeta_reportes
from reportes.templatetags.informes import fecha_larga, porcentaje
from seguimiento.avance import avance_plan
from seguimiento.models import ArchivoEvidencia, Evidencia

PLANTILLA = Path(__file__).resolve().parent / "typst" / "verificacion.typ"


# ---- what goes in each part ----


@dataclass
class Trozo:
    """A meta, or a run of its evidences when it does not fit in one part."""

    avance: object  # avance.AvanceMeta
    ids: list
    continuacion: bool
    cierra: bool  # the meta's last run: its total row goes here


@dataclass
class Parte:
    piezas: list = field(default_factory=list)  # ("linea", AvanceLinea) | ("estrategia", …) | ("meta", Trozo)
    evidencias: int = 0


def aprobadas(plan, corte):
    return Evidencia.objects.aprobadas().del_plan(plan).filter(fecha_actividad__lte=corte)


def partes(avance, ids_por_meta, por_parte):
    """The report's pieces in order, cut into parts of at most ``por_parte`` evidences.

    A part never ends with a heading: headings left at the end of a full part move to the next one.
    Each part starts a new page, so a part at least half full ends before a meta that would not fit.
    """
    resultado = [Parte()]

    def nueva():
        anterior = resultado[-1]
        siguiente = Parte()
        while anterior.piezas and anterior.piezas[-1][0] in ("linea", "estrategia"):
            siguiente.piezas.insert(0, anterior.piezas.pop())
        resultado.append(siguiente)

    for linea in avance.lineas:
        resultado[-1].piezas.append(("linea", linea))
        for estrategia in linea.estrategias:
            resultado[-1].piezas.append(("estrategia", estrategia))
            for avance_meta in estrategia.metas:
                ids = ids_por_meta.get(avance_meta.meta.pk, [])
                if not ids:
                    resultado[-1].piezas.append(("meta", Trozo(avance_meta, [], False, True)))
                    continue
                actual = resultado[-1].evidencias
                if actual >= por_parte // 2 and actual + len(ids) > por_parte:
                    nueva()  # a part at least half full ends before a meta that does not fit: no needless cut
                inicio = 0
                while inicio < len(ids):
                    if resultado[-1].evidencias >= por_parte:
                        nueva()
                    trozo = ids[inicio : inicio + por_parte - resultado[-1].evidencias]
                    resultado[-1].piezas.append(
                        ("meta", Trozo(avance_meta, trozo, inicio > 0, inicio + len(trozo) == len(ids)))
                    )
                    resultado[-1].evidencias += len(trozo)
                    inicio += len(trozo)
    return resultado


@dataclass
class Resumen:
    """Per meta: evidences, files, and the quantity that counts (only the responsible secretariats')."""

    evidencias: dict
    archivos: dict
    cantidad_por_secretaria: dict  # meta_id → {secretaria_id: sum of cantidad}
    responsables: dict  # meta_id → ids of the secretariats whose evidence counts; None: all count


def resumen(plan, corte, avance):
    evidencias, cantidades = {}, defaultdict(dict)
    filas = aprobadas(plan, corte).values("meta_id", "secretaria_id").annotate(n=Count("pk"), c=Sum("cantidad"))
    for fila in filas.order_by():
        evidencias[fila["meta_id"]] = evidencias.get(fila["meta_id"], 0) + fila["n"]
        cantidades[fila["meta_id"]][fila["secretaria_id"]] = fila["c"]
    archivos = dict(
        ArchivoEvidencia.objects.filter(evidencia__in=aprobadas(plan, corte))
        .values_list("evidencia__meta_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    responsables = {}
    for estrategia in avance.estrategias():
        suyas = {s.pk for s in estrategia.estrategia.responsables.all()}
        for avance_meta in estrategia.metas:
            responsables[avance_meta.meta.pk] = suyas if avance_meta.meta.por_secretaria and suyas else None
    return Resumen(evidencias, archivos, cantidades, responsables)


# ---- JSON for the template ----


def encabezado(plan, corte, generado):
    titulo = _("Informe de verificación")
    return {
        "documento": f"{titulo} · {plan.municipio}",
        "municipio": plan.municipio.upper(),
        "titulo": plan.titulo,
        "informe": titulo.upper(),
        "codigo": f"{_('Código')}: {plan.codigo_formato or '—'}",
        "version": f"{_('Versión')}: {plan.version or '—'}",
        "fecha": f"{_('Fecha')}: {fecha_larga(plan.fecha_formato)}",
        "pagina": _("Página"),
        "de": _("de"),
        "pie": _("%(municipio)s · %(informe)s · corte %(corte)s · generado el %(generado)s, %(hora)s")
        % {
            "municipio": plan.municipio,
            "informe": titulo,
            "corte": fecha_larga(corte),
            "generado": fecha_larga(generado),
            "hora": generado.strftime("%H:%M"),
        },
    }


def etiquetas():
    return {
        "columnas": [
            _("Fecha · N.º"),
            _("Secretaría"),
            _("Cant."),
            _("Participantes (M mujeres, H hombres, O otro) · edades 0-17/18-28/29-59/60+ · grupos de valor"),
            _("Medios"),
            _("Aprobó · fecha"),
        ]
    }


def portada(plan, corte, generado, total_evidencias, total_archivos):
    return {
        "titulo": _("Informe de verificación de evidencias"),
        "politica": plan.politica or plan.titulo,
        "resumen": [
            [_("Fecha de corte"), fecha_larga(corte)],
            [_("Generado"), f"{fecha_larga(generado)}, {generado.strftime('%H:%M')}"],
            [_("Evidencias aprobadas"), str(total_evidencias)],
            [_("Archivos"), str(total_archivos)],
        ],
        "nota": _(
            "Por cada meta, todas las evidencias aprobadas con fecha de actividad hasta el corte, con quién las "
            "revisó y cuándo, y sus archivos con nombre, tamaño en bytes y huella SHA-256: quien audita puede "
            "calcular la huella de cada archivo descargado (por ejemplo con «sha256sum» o «certutil -hashfile "
            "ARCHIVO SHA256») y compararla con la de este informe."
        ),
    }


def firmas(plan):
    aprobo = plan.aprobo or _("Nombre y cargo")
    if plan.fecha_aprobacion:
        aprobo = f"{aprobo} · {_('Fecha de aprobación del plan')}: {fecha_larga(plan.fecha_aprobacion)}"
    return [
        {"rol": _("ELABORÓ"), "nombre": plan.elaboro or _("Nombre y cargo")},
        {"rol": _("REVISÓ"), "nombre": plan.reviso or _("Nombre y cargo")},
        {"rol": _("APROBÓ"), "nombre": aprobo},
    ]


def _fila_evidencia(evidencia, cuenta):
    secretaria = evidencia.secretaria.nombre
    if not cuenta:
        secretaria += " (" + _("no es responsable de la estrategia: no cuenta para esta meta") + ")"
    participantes = (
        f"{evidencia.participantes_total} (M {evidencia.mujeres}, H {evidencia.hombres}, O {evidencia.otro_sexo}) · "
        f"{_('edades')} {evidencia.edad_0_17}/{evidencia.edad_18_28}/{evidencia.edad_29_59}/{evidencia.edad_60_mas}"
    )
    grupos = "; ".join(f"{g.grupo.nombre}: {g.cantidad}" for g in evidencia.participacion_grupos.all())
    if grupos:
        participantes += f" · {grupos}"
    revisor = evidencia.revisor.get_full_name() or evidencia.revisor.username if evidencia.revisor else "—"
    revisada = timezone.localtime(evidencia.revisada_en).strftime("%d/%m/%Y %H:%M") if evidencia.revisada_en else "—"
    return {
        "e": [
            f"{evidencia.fecha_actividad:%d/%m/%Y} · {evidencia.pk}",
            secretaria,
            str(evidencia.cantidad),
            participantes,
            ", ".join(map(str, evidencia.medios_display())) or "—",
            f"{revisor} · {revisada}",
        ],
        "no_cuenta": not cuenta,
    }


def _bloque_meta(trozo, evidencias, resumen_):
    avance_meta = trozo.avance
    meta = avance_meta.meta
    responsables = resumen_.responsables.get(meta.pk)
    filas = []
    for pk in trozo.ids:
        evidencia = evidencias[pk]
        filas.append(_fila_evidencia(evidencia, responsables is None or evidencia.secretaria_id in responsables))
        filas.extend(
            {"a": [f"{a.nombre_original} · {a.tamano} B", f"SHA-256 {a.sha256}"]} for a in evidencia.archivos.all()
        )
    n_evidencias = resumen_.evidencias.get(meta.pk, 0)
    n_archivos = resumen_.archivos.get(meta.pk, 0)
    cantidades = resumen_.cantidad_por_secretaria.get(meta.pk, {})
    cantidad = sum(c for s, c in cantidades.items() if responsables is None or s in responsables)
    color = avance_meta.color
    return {
        "tipo": "meta",
        "titulo": f"{_('Meta')} {meta.codigo}." + (f" ({_('continuación')})" if trozo.continuacion else ""),
        "texto": meta.texto,
        "nota": f"{_('Objetivo')}: {avance_meta.objetivo} · {_('Aprobado que cuenta')}: "
        f"{avance_meta.aprobado_que_cuenta} · {_('Avance')}: {porcentaje(avance_meta.porcentaje)}",
        "semaforo": {
            "color": str(color) if color else "",
            "texto": str(color.label) if color else _("sin programación"),
        },
        "conteo": ngettext("%(n)s evidencia aprobada", "%(n)s evidencias aprobadas", n_evidencias) % {"n": n_evidencias}
        + " · "
        + ngettext("%(n)s archivo", "%(n)s archivos", n_archivos) % {"n": n_archivos},
        "filas": filas,
        "total": _("Total aprobado") if trozo.cierra and n_evidencias else None,
        "cantidad": str(cantidad),
        "vacia": _("Sin evidencias aprobadas hasta el corte."),
    }


def _cargar(ids):
    from reportes.informes import evidencias_aprobadas_con_detalle

    return {e.pk: e for e in evidencias_aprobadas_con_detalle(Evidencia.objects.filter(pk__in=ids))}


def datos_parte(parte, comunes, resumen_):
    evidencias = _cargar([pk for tipo, pieza in parte.piezas if tipo == "meta" for pk in pieza.ids])
    bloques = []
    for tipo, pieza in parte.piezas:
        if tipo == "linea":
            bloques.append(
                {"tipo": "linea", "texto": f"{_('Línea de acción')} {pieza.linea.numero}. {pieza.linea.nombre}"}
            )
        elif tipo == "estrategia":
            bloques.append(
                {
                    "tipo": "estrategia",
                    "texto": f"{_('Estrategia')} {pieza.estrategia.numero}. {pieza.estrategia.texto}",
                }
            )
            if not pieza.metas:
                bloques.append({"tipo": "vacia", "texto": _("Esta estrategia no tiene metas registradas.")})
        else:
            bloques.append(_bloque_meta(pieza, evidencias, resumen_))
    return {**comunes, "bloques": bloques}


# ---- Typst ----


class Dibujante:
    """The Typst compiler of one report: template and fonts loaded once, then one call per part and pass."""

    def __init__(self):
        self.compilador = typst.Compiler(
            str(PLANTILLA),
            root=str(PLANTILLA.parent),
            font_paths=[str(carpeta_reportes() / "fuentes")],
            ignore_system_fonts=True,
        )

    def compilar(self, datos_json, *, primera, total):
        """One part as PDF bytes, numbered from page ``primera`` of ``total``."""
        entradas = {"datos": datos_json, "primera": str(primera), "total": str(total)}
        return self.compilador.compile(sys_inputs=entradas, pdf_tags=False)

    def contar(self, datos_json):
        """Pages of one part: drawn once without the total, and counted.

        typst.query would lay it out without writing a PDF, but Typst then never evicts what it
        memoised (measured: about 35 MB more per part, for good); compile evicts what ten
        compilations have not used, which keeps a worker's memory flat.
        """
        return len(PdfReader(io.BytesIO(self.compilar(datos_json, primera=1, total=""))).pages)


def escribir_verificacion(plan, corte, destino, *, progreso=None, por_parte=None):
    """Write the verification report as PDF to the binary file ``destino``; returns its number of pages.

    Two passes over the parts: the first draws each to count its pages, the second draws it
    knowing its first page and the total ("Página 41 de 2 093"); each part's JSON waits on disk
    in between. ``progreso(hechos, pasos, paginas)`` is called after each step (the job page shows it).
    """
    por_parte = por_parte or settings.REPORTES_EVIDENCIAS_POR_PARTE
    generado = timezone.localtime()
    avance = avance_plan(plan, corte)
    ids_por_meta = defaultdict(list)
    for pk, meta_id in aprobadas(plan, corte).order_by("meta_id", "fecha_actividad", "pk").values_list("pk", "meta_id"):
        ids_por_meta[meta_id].append(pk)
    resumen_ = resumen(plan, corte, avance)
    lista = partes(avance, ids_por_meta, por_parte)
    base = {"encabezado": encabezado(plan, corte, generado), "etiquetas": etiquetas(), "portada": None, "firmas": None}
    pasos = 2 * len(lista)
    dibujante = Dibujante()
    carpeta = Path(tempfile.mkdtemp(prefix="informe-verificacion-"))
    try:
        por_parte_paginas = []
        for numero, parte in enumerate(lista):
            comunes = dict(base)
            if numero == 0:
                comunes["portada"] = portada(
                    plan, corte, generado, sum(resumen_.evidencias.values()), sum(resumen_.archivos.values())
                )
            if numero == len(lista) - 1:
                comunes["firmas"] = firmas(plan)
            datos_json = json.dumps(datos_parte(parte, comunes, resumen_), ensure_ascii=False)
            (carpeta / f"parte-{numero:05d}.json").write_text(datos_json, encoding="utf-8")
            por_parte_paginas.append(dibujante.contar(datos_json))
            if progreso:
                progreso(numero + 1, pasos, 0)
        total = sum(por_parte_paginas)
        escritor, primera = PdfWriter(), 1
        for numero, paginas in enumerate(por_parte_paginas):
            datos_json = (carpeta / f"parte-{numero:05d}.json").read_text(encoding="utf-8")
            ruta = carpeta / f"parte-{numero:05d}.pdf"
            ruta.write_bytes(dibujante.compilar(datos_json, primera=primera, total=total))
            escritor.append(str(ruta), import_outline=False)
            primera += paginas
            if progreso:
                progreso(len(lista) + numero + 1, pasos, primera - 1)
        escritor.add_metadata({"/Title": base["encabezado"]["documento"]})
        escritor.write(destino)
        return len(escritor.pages)
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)
