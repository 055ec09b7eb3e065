"""The yearly participation summary for FURAG: the page /reportes/furag/?anio=AAAA, its PDF and its Excel.

Figures from seguimiento.furag.resumen_furag over the plans the person may see (Plan.objects.visible_para)
whose months touch the year. The PDF uses the institutional header and WeasyPrint pipeline of the
progress report (reportes.informes.a_pdf, templates/reportes/_base_informe.html); it lists at most
LISTA_EN_PDF files of evidence (the rest is counted, and the Excel lists them all). Comité and
Coordinador (``seguimiento.descargar_reportes``).
"""

import io

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from plan_participacion.ciclo import nombres_fases
from plan_participacion.models import Plan
from reportes.excel import BORDE, NEGRITA, RELLENO_TITULO, TIPO_XLSX
from reportes.informes import a_pdf
from reportes.templatetags.informes import fecha_larga, mes_largo
from reportes.views import _adjunto
from seguimiento import furag

LISTA_EN_PDF = 200  # files of evidence listed in the PDF; the Excel lists every one


class AnioForm(forms.Form):
    anio = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Vigencia (año)"), required=False)

    def __init__(self, *args, anios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anio"].choices = [(a, a) for a in anios]
        self.fields["anio"].widget.attrs["class"] = "form-select"
        self.fields["anio"].error_messages["invalid_choice"] = _(
            "Ningún plan de su entidad tiene meses en «%(value)s»: elija un año de la lista."
        )


def _elegir(request):
    """(resumen or None, form, status)."""
    planes = Plan.objects.visible_para(request.user)
    anios = furag.anios_disponibles(planes)
    form = AnioForm(request.GET, anios=anios)
    if not anios:
        return None, form, 200
    if not form.is_valid():
        return None, form, 400
    hoy = timezone.localdate()
    anio = form.cleaned_data.get("anio") or next((a for a in anios if a <= hoy.year), anios[-1])
    form = AnioForm(initial={"anio": anio}, anios=anios)
    return furag.resumen_furag(planes, anio, hoy=hoy), form, 200


def _nombre(resumen, extension):
    entidad = resumen.planes[0].plan.entidad if resumen.planes else None
    quien = slugify(str(entidad or resumen.planes[0].plan.municipio))
    return f"resumen-furag-{quien}-{resumen.anio}.{extension}"


def _meses_cerrados(resumen_plan):
    cerrados = resumen_plan.meses_cerrados
    if not cerrados:
        return _("ninguno")
    if len(cerrados) == 1:
        return mes_largo(cerrados[0])
    return _("de %(desde)s a %(hasta)s") % {"desde": mes_largo(cerrados[0]), "hasta": mes_largo(cerrados[-1])}


def contexto(resumen):
    return {
        "resumen": resumen,
        "planes": [(p, _meses_cerrados(p)) for p in resumen.planes],
        "lista_pdf": resumen.lista[:LISTA_EN_PDF],
        "fuera_del_pdf": max(0, len(resumen.lista) - LISTA_EN_PDF),
        "limite_pdf": LISTA_EN_PDF,
    }


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def pagina(request):
    resumen, form, status = _elegir(request)
    datos = {"form": form, **(contexto(resumen) if resumen else {"resumen": None})}
    return render(request, "reportes/furag.html", datos, status=status)


def html_furag(resumen):
    plan = resumen.planes[-1].plan  # the institutional header of the year's latest plan
    return render_to_string(
        "reportes/furag_pdf.html",
        {
            **contexto(resumen),
            "plan": plan,
            "corte": max(p.corte for p in resumen.planes),
            "titulo_informe": _("Resumen anual de participación ciudadana %(anio)s") % {"anio": resumen.anio},
            "generado": timezone.localtime(),
        },
    )


def pdf_furag(resumen):
    return a_pdf(html_furag(resumen))


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def furag_pdf(request):
    return _descarga(request, pdf_furag, "application/pdf", "pdf")


@never_cache
@login_required
@permission_required("seguimiento.descargar_reportes", raise_exception=True)
def furag_xlsx(request):
    return _descarga(request, libro_furag, TIPO_XLSX, "xlsx")


def _descarga(request, generar, tipo, extension):
    """The year's summary as a file, or the page with what is wrong in the choice (400) or no plan (404)."""
    resumen, form, _status = _elegir(request)
    if resumen is None:
        return render(
            request, "reportes/furag.html", {"form": form, "resumen": None}, status=400 if form.errors else 404
        )
    return _adjunto(generar(resumen), tipo, _nombre(resumen, extension))


# ---- Excel ----


def _tabla(hoja, titulos, filas, anchos=()):
    hoja.append(titulos)
    for celda in hoja[hoja.max_row]:
        celda.font, celda.fill, celda.border = NEGRITA, RELLENO_TITULO, BORDE
    for fila in filas:
        hoja.append(list(fila))
    for i, ancho in enumerate(anchos, start=1):
        hoja.column_dimensions[get_column_letter(i)].width = ancho
    hoja.freeze_panes = "A2"


def libro_furag(resumen):
    """The summary as an .xlsx workbook: one sheet per table, and every file of evidence with its SHA-256."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = _("Resumen")
    estado = (
        _("PROVISIONAL: hay meses sin cerrar") if resumen.provisional else _("Definitivo: todos los meses cerrados")
    )
    _tabla(
        hoja,
        [_("Dato"), _("Valor")],
        [
            (_("Vigencia"), resumen.anio),
            (_("Estado de las cifras"), estado),
            (_("Actividades programadas en el año"), resumen.programado),
            (_("Programadas hasta el corte"), resumen.programado_a_la_fecha),
            (_("Actividades ejecutadas (evidencias aprobadas)"), resumen.ejecutado),
            (_("Metas cumplidas"), resumen.metas_cumplidas),
            (_("Metas"), resumen.metas),
            (_("Participantes"), resumen.participantes.participantes_total),
            (_("Evidencias aprobadas"), resumen.evidencias),
            (_("Archivos de evidencia"), resumen.archivos),
        ]
        + [
            (
                _("Plan: %(plan)s") % {"plan": p.plan},
                _("corte %(corte)s; meses cerrados: %(meses)s") % {"corte": fecha_larga(p.corte), "meses": meses},
            )
            for p, meses in contexto(resumen)["planes"]
        ],
        (48, 70),
    )
    _tabla(
        libro.create_sheet(_("Estrategias")),
        [
            _("Plan"),
            _("Estrategia"),
            _("Texto"),
            _("Fases"),
            _("Programadas en el año"),
            _("Programadas hasta el corte"),
            _("Ejecutadas"),
        ],
        [
            (
                str(e.plan),
                e.estrategia.numero,
                e.estrategia.texto,
                ", ".join(nombres_fases(e.fases)),
                e.programado,
                e.programado_a_la_fecha,
                e.ejecutado,
            )
            for p in resumen.planes
            for e in p.estrategias
        ],
        (30, 10, 60, 30, 14, 14, 12),
    )
    _tabla(
        libro.create_sheet(_("Fases del ciclo")),
        [_("Fase"), _("Estrategias"), _("Programadas en el año"), _("Programadas hasta el corte"), _("Ejecutadas")],
        [(f.etiqueta, f.estrategias, f.programado, f.programado_a_la_fecha, f.ejecutado) for f in resumen.fases],
        (30, 12, 14, 14, 12),
    )
    participantes = [(_("Grupo de valor"), g.nombre, n) for g, n in resumen.grupos]
    participantes += [(_("Sexo"), str(etiqueta), n) for etiqueta, n in resumen.por_sexo()]
    participantes += [(_("Edad"), str(etiqueta), n) for etiqueta, n in resumen.por_edad()]
    participantes.append((_("Total"), "", resumen.participantes.participantes_total))
    _tabla(
        libro.create_sheet(_("Participantes")),
        [_("Por"), _("Categoría"), _("Participantes")],
        participantes,
        (18, 40, 14),
    )
    _tabla(
        libro.create_sheet(_("Medios de verificación")),
        [_("Medio de verificación"), _("Evidencias"), _("Archivos")],
        [(m.etiqueta, m.evidencias, m.archivos) for m in resumen.medios],
        (34, 12, 12),
    )
    _tabla(
        libro.create_sheet(_("Evidencias")),
        [
            _("Evidencia"),
            _("Fecha de la actividad"),
            _("Plan"),
            _("Meta"),
            _("Secretaría"),
            _("Medios"),
            _("Archivo"),
            _("Tamaño (bytes)"),
            _("SHA-256"),
        ],
        [
            (
                f.evidencia_id,
                f.fecha,
                str(f.plan),
                f.meta,
                f.secretaria,
                ", ".join(f.medios),
                f.archivo or _("sin archivos"),
                f.tamano,
                f.sha256,
            )
            for f in resumen.lista
        ],
        (10, 14, 30, 8, 36, 30, 36, 14, 68),
    )
    for fila in libro[_("Evidencias")].iter_rows(min_row=2, min_col=2, max_col=2):
        fila[0].number_format = "DD/MM/YYYY"
    destino = io.BytesIO()
    libro.save(destino)
    return destino.getvalue()
