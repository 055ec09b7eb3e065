"""Forms of the delegates' journey and of the review of one evidence.

Every rule a delegate can break has a message that says what to fix; a form
that does not validate writes nothing (no rows, no files).
"""

import calendar
import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db.models import Q, Sum
from django.template.defaultfilters import truncatechars
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plan_participacion.models import Meta
from seguimiento import cierres
from seguimiento.archivos import ACCEPT, revisar_archivo, tamano_legible
from seguimiento.campos_fecha import FechaField
from seguimiento.mis_metas import metas_asignadas, secretarias_responsables
from seguimiento.models import ArchivoEvidencia, Evidencia, GrupoValor, MedioVerificacion
from seguimiento.preparados import nuevo_lote

MAX_ENLACES = 10
MAX_CANTIDAD = 100_000
MAX_PARTICIPANTES = 1_000_000
CAMPOS_SEXO = ["mujeres", "hombres", "otro_sexo"]
CAMPOS_EDAD = ["edad_0_17", "edad_18_28", "edad_29_59", "edad_60_mas"]


class EntradaVariosArchivos(forms.FileInput):
    allow_multiple_selected = True


class CampoVariosArchivos(forms.Field):
    """Several files in one input; each is checked by seguimiento.archivos in the form."""

    widget = EntradaVariosArchivos

    def to_python(self, data):
        if not data:
            return []
        if not isinstance(data, list | tuple):
            data = [data]
        return [archivo for archivo in data if archivo]


class MetaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meta):
        return f"{meta.codigo} · {truncatechars(meta.texto, 90)}"


def ultimo_dia(mes):
    return mes.replace(day=calendar.monthrange(mes.year, mes.month)[1])


class EvidenciaForm(forms.ModelForm):
    meta = MetaChoiceField(
        label=_("Meta"),
        queryset=Meta.objects.none(),
        error_messages={
            "invalid_choice": _("Esa meta no está a cargo de ninguna de sus secretarías. Elija una de la lista.")
        },
    )
    medios = forms.MultipleChoiceField(
        label=_("Medios de verificación usados"),
        choices=MedioVerificacion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Marque al menos un medio de verificación.")},
    )
    archivos = CampoVariosArchivos(
        label=_("Archivos"),
        required=False,
    )
    quitar_archivos = forms.ModelMultipleChoiceField(
        label=_("Quitar estos archivos"),
        queryset=ArchivoEvidencia.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    fecha_actividad = FechaField(label=_("Fecha de la actividad"))
    # The evidence as the form showed it: seguimiento.acciones.editar refuses to save over a newer change.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Evidencia
        fields = list(Evidencia.CAMPOS_DELEGADO)
        labels = {
            "secretaria": _("Secretaría que reporta"),
            "cantidad": _("Cantidad que aporta a la meta"),
            "descripcion": _("Descripción de la actividad"),
            "lugar": _("Lugar"),
            "participantes_total": _("Total de participantes"),
            "mujeres": _("Mujeres"),
            "hombres": _("Hombres"),
            "otro_sexo": _("Otro / sin información"),
            "edad_0_17": _("0 a 17 años"),
            "edad_18_28": _("18 a 28 años"),
            "edad_29_59": _("29 a 59 años"),
            "edad_60_mas": _("60 años o más"),
            "enlaces": _("Enlaces (opcional)"),
        }
        help_texts = {
            "cantidad": _("Cuánto suma esta actividad a la cantidad objetivo de la meta (normalmente 1)."),
            "enlaces": _("Una dirección por línea, por ejemplo una publicación o una carpeta compartida."),
        }
        widgets = {
            "descripcion": forms.Textarea(attrs={"rows": 4}),
            "enlaces": forms.Textarea(attrs={"rows": 2, "inputmode": "url"}),
        }

    def __init__(self, *args, usuario, plan=None, lote=None, preparados=(), **kwargs):
        """``lote``: the form's random id, tying it to its prepared files (seguimiento.preparados);
        ``preparados``: the files already on the server for it (ArchivoPreparado, LISTO)."""
        super().__init__(*args, **kwargs)
        self.usuario = usuario
        self.lote = lote or nuevo_lote()
        self.preparados = list(preparados)
        # Uploads that passed the checks, even when another one or another field did not: kept for the next try.
        self.archivos_aceptados = []
        self.hoy = timezone.localdate()
        editando = self.instance.pk is not None
        if editando:
            # The evidence's own plan (its dates and metas), whichever plan is in force today.
            plan = self.instance.meta.estrategia.objetivo.linea.plan

        metas = metas_asignadas(usuario, plan) if plan else Meta.objects.none()
        if editando:
            metas = Meta.objects.filter(Q(pk__in=metas.values("pk")) | Q(pk=self.instance.meta_id))
        self.fields["meta"].queryset = metas.select_related("estrategia").order_by(
            "estrategia__numero", "orden", "codigo"
        )
        self.fields["secretaria"].queryset = usuario.secretarias.all()
        self.fields["secretaria"].error_messages["invalid_choice"] = _(
            "Usted no es delegado de esa secretaría. Elija una de la lista."
        )
        self.fields["secretaria"].empty_label = None if usuario.secretarias.count() == 1 else "---------"

        self.fields["cantidad"].validators += [
            MinValueValidator(1, message=_("La cantidad debe ser un número entero positivo: 1 o más.")),
            MaxValueValidator(MAX_CANTIDAD),
        ]
        for nombre in ["participantes_total", *CAMPOS_SEXO, *CAMPOS_EDAD]:
            self.fields[nombre].validators.append(MaxValueValidator(MAX_PARTICIPANTES))
            self.fields[nombre].widget.attrs.update({"min": 0, "max": MAX_PARTICIPANTES, "inputmode": "numeric"})
        self.fields["cantidad"].widget.attrs.update({"min": 1, "max": MAX_CANTIDAD, "inputmode": "numeric"})
        if plan:
            # A closed period's days cannot be chosen either (the server refuses them with the closing's name).
            cierre = cierres.vigente(plan)
            inicio = plan.mes_inicio
            if cierre is not None:
                inicio = max(inicio, cierre.hasta + datetime.timedelta(days=1))
            self.fields["fecha_actividad"].limites(inicio, min(ultimo_dia(plan.mes_fin), self.hoy))
        if editando:
            self.fields["version"].initial = self.instance.version
        self.fields["archivos"].widget.attrs.update({"accept": ACCEPT})
        self.fields["archivos"].help_text = _(
            "Puede elegir varios: PDF, JPEG, PNG, DOCX o XLSX, hasta %(archivo)s cada uno "
            "y %(evidencia)s en total por evidencia."
        ) % {
            "archivo": tamano_legible(settings.ARCHIVO_MAX_BYTES),
            "evidencia": tamano_legible(settings.EVIDENCIA_MAX_BYTES),
        }

        # Inactive groups stay on evidence that already counted them.
        grupos = Q(activo=True) | Q(participaciongrupo__evidencia=self.instance.pk) if editando else Q(activo=True)
        self.grupos = list(GrupoValor.objects.filter(grupos).distinct())
        anteriores = {p.grupo_id: p.cantidad for p in self.instance.participacion_grupos.all()} if editando else {}
        for grupo in self.grupos:
            self.fields[self.campo_grupo(grupo)] = forms.IntegerField(
                label=grupo.nombre,
                required=False,
                min_value=0,
                max_value=MAX_PARTICIPANTES,
                initial=anteriores.get(grupo.pk),
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )

        if editando:
            self.fields["quitar_archivos"].queryset = self.instance.archivos.all()
            self.fields["quitar_archivos"].label_from_instance = lambda archivo: (
                f"{archivo.nombre_original} ({tamano_legible(archivo.tamano)})"
            )
        else:
            del self.fields["quitar_archivos"]

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self.disposicion(editando)

    @staticmethod
    def campo_grupo(grupo):
        return f"grupo_{grupo.pk}"

    def disposicion(self, editando):
        def columnas(nombres, clase):
            # Inputs line up even when one label wraps to two lines on a phone.
            return Row(*[Column(nombre, css_class=clase) for nombre in nombres], css_class="align-items-end")

        def subtitulo(texto, ayuda):
            return HTML(format_html('<p class="fw-semibold mb-1">{}</p><p class="form-text mt-0">{}</p>', texto, ayuda))

        medios = ["medios", "enlaces", "archivos", HTML('{% include "seguimiento/_ya_adjuntos.html" %}')]
        if editando:
            medios.append("quitar_archivos")
        return Layout(
            Fieldset(
                _("La actividad"),
                "meta",
                Row(
                    Column("secretaria", css_class="col-12 col-md-6"),
                    Column("fecha_actividad", css_class="col-6 col-md-3"),
                    Column("cantidad", css_class="col-6 col-md-3"),
                ),
                "descripcion",
                "lugar",
            ),
            Fieldset(
                _("Participantes"),
                Row(Div("participantes_total", css_class="col-6 col-md-3")),
                subtitulo(_("Por sexo"), _("La suma no puede superar el total de participantes.")),
                columnas(CAMPOS_SEXO, "col-6 col-md-4"),
                subtitulo(_("Por edad"), _("La suma no puede superar el total de participantes.")),
                columnas(CAMPOS_EDAD, "col-6 col-md-3"),
                subtitulo(
                    _("Por grupo de valor"),
                    _("Una persona puede pertenecer a varios grupos; ningún grupo puede superar el total."),
                ),
                columnas([self.campo_grupo(g) for g in self.grupos], "col-6 col-md-4"),
            ),
            Fieldset(_("Medios de verificación"), *medios),
            "version",
        )

    # --- Field checks ------------------------------------------------------------------------

    def clean_fecha_actividad(self):
        fecha = self.cleaned_data["fecha_actividad"]
        if fecha > self.hoy:
            raise ValidationError(
                _("La fecha de la actividad no puede ser futura (hoy es %(hoy)s)."),
                params={"hoy": date_format(self.hoy, "j \\d\\e F \\d\\e Y")},
                code="futura",
            )
        return fecha

    def clean_enlaces(self):
        lineas = [linea.strip() for linea in self.cleaned_data["enlaces"].splitlines() if linea.strip()]
        if len(lineas) > MAX_ENLACES:
            raise ValidationError(
                _("Escriba como máximo %(maximo)s enlaces."), params={"maximo": MAX_ENLACES}, code="muchos"
            )
        validar = URLValidator(schemes=["http", "https"])
        errores = []
        for numero, linea in enumerate(lineas, start=1):
            try:
                validar(linea)
            except ValidationError:
                errores.append(
                    ValidationError(
                        _("La línea %(numero)s («%(texto)s») no es una dirección web: debe empezar por https://."),
                        params={"numero": numero, "texto": truncatechars(linea, 60)},
                        code="enlace",
                    )
                )
        if errores:
            raise ValidationError(errores)
        return "\n".join(lineas)

    def clean_archivos(self):
        revisados, errores = [], []
        for subido in self.cleaned_data["archivos"]:
            try:
                revisados.append(revisar_archivo(subido))
            except ValidationError as error:
                errores.append(error)
        self.archivos_aceptados = revisados
        if errores:
            raise ValidationError(errores)
        return revisados

    def clean(self):
        datos = super().clean()
        self._validar_meta_y_secretaria(datos)
        self._validar_participantes(datos)
        self._validar_peso_total(datos)
        return datos

    def _validar_meta_y_secretaria(self, datos):
        meta, secretaria, fecha = datos.get("meta"), datos.get("secretaria"), datos.get("fecha_actividad")
        if meta and secretaria and not secretarias_responsables(self.usuario, meta).filter(pk=secretaria.pk).exists():
            self.add_error(
                "secretaria",
                ValidationError(
                    _("La %(secretaria)s no es responsable de la meta %(meta)s. Elija otra meta o secretaría."),
                    params={"secretaria": secretaria, "meta": meta.codigo},
                    code="no_responsable",
                ),
            )
        if meta and fecha:
            plan = meta.estrategia.objetivo.linea.plan
            inicio, fin = plan.mes_inicio, ultimo_dia(plan.mes_fin)
            cierre = cierres.que_cubre(plan.pk, fecha)
            if cierre is not None:
                self.add_error(
                    "fecha_actividad", ValidationError(cierres.mensaje_bloqueo(cierre), code="periodo_cerrado")
                )
            elif not inicio <= fecha <= fin:
                self.add_error(
                    "fecha_actividad",
                    ValidationError(
                        _("La fecha debe estar dentro del periodo del plan: del %(inicio)s al %(fin)s."),
                        params={
                            "inicio": date_format(inicio, "j \\d\\e F \\d\\e Y"),
                            "fin": date_format(fin, "j \\d\\e F \\d\\e Y"),
                        },
                        code="fuera_del_plan",
                    ),
                )

    def _validar_participantes(self, datos):
        total = datos.get("participantes_total")
        if total is None:
            return
        for campos, nombre in [(CAMPOS_SEXO, _("por sexo")), (CAMPOS_EDAD, _("por edad"))]:
            valores = [datos.get(c) for c in campos]
            if None in valores:
                continue
            if sum(valores) > total:
                self.add_error(
                    None,
                    ValidationError(
                        _(
                            "La suma de participantes %(desglose)s (%(suma)s) supera "
                            "el total de participantes (%(total)s)."
                        ),
                        params={"desglose": nombre, "suma": sum(valores), "total": total},
                        code="desglose_supera_total",
                    ),
                )
        for grupo in self.grupos:
            cantidad = datos.get(self.campo_grupo(grupo))
            if cantidad and cantidad > total:
                self.add_error(
                    self.campo_grupo(grupo),
                    ValidationError(
                        _("«%(grupo)s» (%(cantidad)s) supera el total de participantes (%(total)s)."),
                        params={"grupo": grupo.nombre, "cantidad": cantidad, "total": total},
                        code="grupo_supera_total",
                    ),
                )

    def _validar_peso_total(self, datos):
        nuevos = datos.get("archivos") or []
        if not (nuevos or self.preparados):
            return
        existentes = 0
        if self.instance.pk:
            quitados = [a.pk for a in datos.get("quitar_archivos") or []]
            existentes = self.instance.archivos.exclude(pk__in=quitados).aggregate(total=Sum("tamano"))["total"] or 0
        total = existentes + sum(r.tamano for r in nuevos) + sum(p.tamano for p in self.preparados)
        if total > settings.EVIDENCIA_MAX_BYTES:
            self.add_error(
                "archivos",
                ValidationError(
                    _("Los archivos de esta evidencia sumarían %(total)s; el máximo por evidencia es %(maximo)s."),
                    params={"total": tamano_legible(total), "maximo": tamano_legible(settings.EVIDENCIA_MAX_BYTES)},
                    code="evidencia_muy_pesada",
                ),
            )

    # --- What the actions save (seguimiento.acciones.crear and editar) ------------------------------

    def save(self, commit=True):
        raise NotImplementedError("EvidenciaForm solo valida: guarde con seguimiento.acciones.crear o editar.")

    def datos(self):
        """The delegate's fields (Evidencia.CAMPOS_DELEGADO), cleaned."""
        return {campo: self.cleaned_data[campo] for campo in Evidencia.CAMPOS_DELEGADO}

    def participacion(self):
        """{GrupoValor: participants} as typed (blank is none)."""
        return {grupo: self.cleaned_data.get(self.campo_grupo(grupo)) or 0 for grupo in self.grupos}

    def acciones_kwargs(self):
        """Keyword arguments of acciones.crear (and, with quitar and version, of acciones.editar)."""
        kwargs = {
            "datos": self.datos(),
            "participacion": self.participacion(),
            "archivos": self.cleaned_data["archivos"],
        }
        if self.instance.pk is not None:
            kwargs["quitar"] = list(self.cleaned_data.get("quitar_archivos") or [])
            kwargs["version"] = self.cleaned_data.get("version") or ""
        return kwargs

    def mensaje_guardado(self, edicion):
        """The message after acciones.editar, given the EdicionEvidencia it wrote (None: nothing changed)."""
        if edicion is None:
            return _("No había cambios que guardar.")
        archivos = len(edicion.archivos_agregados)
        if not archivos:
            return _("Cambios guardados.")
        return ngettext(
            "Cambios guardados, con %(n)s archivo nuevo.", "Cambios guardados, con %(n)s archivos nuevos.", archivos
        ) % {"n": archivos}


class DevolverForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo de la devolución"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Explique qué debe corregir la secretaría; se le enviará por correo."),
        error_messages={"required": _("Escriba el motivo de la devolución: la secretaría lo necesita para corregir.")},
    )

    def clean_motivo(self):
        motivo = self.cleaned_data["motivo"].strip()
        if not motivo:
            raise ValidationError(self.fields["motivo"].error_messages["required"], code="required")
        return motivo


class FiltroEvidenciasForm(forms.Form):
    estado = forms.ChoiceField(label=_("Estado"), required=False, choices=[("", _("Todos")), *Evidencia.Estado.choices])
    meta = forms.ModelChoiceField(label=_("Meta"), required=False, queryset=Meta.objects.all())
