"""Filters of the review queue and the dashboard, and the semáforo thresholds."""

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plan_participacion import widgets
from plan_participacion.models import Estrategia, LineaAccion, Plan, Secretaria, entidad_de, es_administrador
from seguimiento.avance import ultimo_dia
from seguimiento.campos_fecha import EntradaFecha, EntradaMes, FechaField, MesField
from seguimiento.models import Semaforo
from seguimiento.vigencias import plan_por_defecto, plan_por_defecto_entre

_FORMATO_MES = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def leer_mes(texto):
    """'2024-03' → date(2024, 3, 1) (the recordatorios command's --mes); ValueError with a message otherwise.

    Forms read months as people type them (mm/aaaa…) with seguimiento.campos_fecha.MesField."""
    coincide = _FORMATO_MES.match(texto or "")
    if coincide:
        anio, mes = (int(g) for g in coincide.groups())
        if 1 <= mes <= 12 and anio >= 1900:
            return datetime.date(anio, mes, 1)
    raise ValueError(_("Escriba el mes como AAAA-MM, por ejemplo 2024-03; recibí «%(texto)s».") % {"texto": texto})


def _fecha(fecha):
    return formats.date_format(fecha, "DATE_FORMAT")


def _periodo(plan):
    return {"inicio": _fecha(plan.mes_inicio), "fin": _fecha(ultimo_dia(plan.mes_fin))}


class OpcionesLeidas(forms.models.ModelChoiceIterator):
    """The options of a ModelChoiceField read by iterating its queryset (one plain SELECT, the rows kept on
    the queryset for whoever reads them again), not through QuerySet.iterator(), which on PostgreSQL is a
    server-side cursor: DECLARE, FETCH and CLOSE, three round trips per field and per render."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class OpcionesModelo(forms.ModelChoiceField):
    iterator = OpcionesLeidas


class OpcionesEstrategia(OpcionesModelo):
    def label_from_instance(self, obj):
        texto = obj.texto if len(obj.texto) <= 70 else obj.texto[:69] + "…"
        return f"{obj.numero}. {texto}"


class OpcionesLinea(OpcionesModelo):
    def label_from_instance(self, obj):
        texto = obj.nombre if len(obj.nombre) <= 70 else obj.nombre[:69] + "…"
        return f"{obj.numero}. {texto}"


class FiltroRevisionForm(forms.Form):
    """Filters of the review queue. Blank means "all"; lines and strategies are those of the chosen
    plan or, when none is chosen, of the current plan (choose a plan to filter an older one by line)."""

    plan = OpcionesModelo(
        Plan.objects.all(),
        required=False,
        label=gettext_lazy("Plan"),
        empty_label=gettext_lazy("Todos los planes"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    secretaria = OpcionesModelo(
        Secretaria.objects.all(),
        required=False,
        label=gettext_lazy("Secretaría"),
        empty_label=gettext_lazy("Todas"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    linea = OpcionesLinea(
        LineaAccion.objects.none(),
        required=False,
        label=gettext_lazy("Línea de acción"),
        empty_label=gettext_lazy("Todas"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    estrategia = OpcionesEstrategia(
        Estrategia.objects.none(),
        required=False,
        label=gettext_lazy("Estrategia"),
        empty_label=gettext_lazy("Todas"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    mes = MesField(
        required=False,
        label=gettext_lazy("Mes de la actividad"),
        widget=EntradaMes(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, usuario, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.visible_para(usuario)
        # Read once: the plan picker's options, the plan in force (seguimiento.vigencias) and the chosen one.
        planes = list(self.fields["plan"].queryset)
        self.fields["secretaria"].queryset = Secretaria.objects.visible_para(usuario)
        plan = plan_por_defecto_entre(planes, usuario)
        elegido = self.data.get("plan", "")
        if elegido.isdigit():
            plan = next((p for p in planes if p.pk == int(elegido)), plan)
        self.plan_de_opciones = plan
        self.fields["linea"].queryset = (
            LineaAccion.objects.filter(plan=plan).order_by("numero").only("pk", "numero", "nombre")
        )
        self.fields["estrategia"].queryset = (
            Estrategia.objects.filter(objetivo__linea__plan=plan)
            .order_by("objetivo__linea__numero", "numero")
            .only("pk", "numero", "texto")
        )

    def filtrar(self, evidencias):
        """Applies the valid filters to an Evidencia queryset."""
        datos = getattr(self, "cleaned_data", {})
        if datos.get("plan"):
            evidencias = evidencias.del_plan(datos["plan"])
        if datos.get("secretaria"):
            evidencias = evidencias.filter(secretaria=datos["secretaria"])
        if datos.get("linea"):
            evidencias = evidencias.filter(meta__estrategia__objetivo__linea=datos["linea"])
        if datos.get("estrategia"):
            evidencias = evidencias.filter(meta__estrategia=datos["estrategia"])
        if datos.get("mes"):
            evidencias = evidencias.filter(
                fecha_actividad__gte=datos["mes"], fecha_actividad__lte=ultimo_dia(datos["mes"])
            )
        return evidencias

    def hay_filtros(self):
        return any(getattr(self, "cleaned_data", {}).values())


class TableroForm(forms.Form):
    """Which plan, cut-off date and month the dashboard shows.

    A blank plan is the current one (cleaned_data["plan"] holds it); a blank
    corte or mes takes its default in the view. Dates outside the plan are errors.
    """

    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        required=False,
        label=gettext_lazy("Plan"),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    corte = FechaField(
        required=False,
        label=gettext_lazy("Fecha de corte"),
        widget=EntradaFecha(attrs={"class": "form-control form-control-sm"}),
    )
    mes = MesField(
        required=False,
        label=gettext_lazy("Mes para «quién no ha reportado»"),
        widget=EntradaMes(attrs={"class": "form-control form-control-sm"}),
    )
    participantes = MesField(
        required=False,
        label=gettext_lazy("Mes de los participantes (vacío: todos hasta el corte)"),
        widget=EntradaMes(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, usuario, por_defecto=None, **kwargs):
        """``usuario``: whose plans are offered; ``por_defecto``: the plan of a blank choice when the view
        already has it (seguimiento.vigencias.plan_elegido), else it is looked up."""
        super().__init__(*args, **kwargs)
        self.usuario = usuario
        self.por_defecto = por_defecto
        self.fields["plan"].queryset = Plan.objects.visible_para(usuario)

    def clean(self):
        datos = super().clean()
        if "plan" in self.errors:
            return datos
        plan = datos["plan"] = datos.get("plan") or self.por_defecto or plan_por_defecto(self.usuario)
        if plan is None:
            return datos
        corte, mes = datos.get("corte"), datos.get("mes")
        if corte and not plan.mes_inicio <= corte <= ultimo_dia(plan.mes_fin):
            self.add_error(
                "corte",
                _("La fecha de corte debe estar dentro del periodo del plan: del %(inicio)s al %(fin)s.")
                % _periodo(plan),
            )
        participantes = datos.get("participantes")
        if participantes and not plan.mes_inicio <= participantes <= plan.mes_fin:
            self.add_error(
                "participantes",
                _("El mes debe estar dentro del periodo del plan: de %(inicio)s a %(fin)s.")
                % {
                    "inicio": formats.date_format(plan.mes_inicio, "YEAR_MONTH_FORMAT"),
                    "fin": formats.date_format(plan.mes_fin, "YEAR_MONTH_FORMAT"),
                },
            )
        if mes and not plan.mes_inicio <= mes <= plan.mes_fin:
            self.add_error(
                "mes",
                _("El mes debe estar dentro del periodo del plan: de %(inicio)s a %(fin)s.")
                % {
                    "inicio": formats.date_format(plan.mes_inicio, "YEAR_MONTH_FORMAT"),
                    "fin": formats.date_format(plan.mes_fin, "YEAR_MONTH_FORMAT"),
                },
            )
        return datos


class SemaforoForm(forms.ModelForm):
    class Meta:
        model = Semaforo
        fields = ["rojo_menor_que", "verde_desde"]
        widgets = {
            "rojo_menor_que": forms.NumberInput(attrs={"min": 0, "max": 100}),
            "verde_desde": forms.NumberInput(attrs={"min": 0, "max": 100}),
        }

    def _porcentaje(self, campo):
        valor = self.cleaned_data[campo]
        if valor is not None and not 0 <= valor <= 100:
            raise ValidationError(_("Escriba un porcentaje entre 0 y 100."), code="fuera_de_rango")
        return valor

    def clean_rojo_menor_que(self):
        return self._porcentaje("rojo_menor_que")

    def clean_verde_desde(self):
        return self._porcentaje("verde_desde")

    def clean(self):
        datos = super().clean()
        rojo, verde = datos.get("rojo_menor_que"), datos.get("verde_desde")
        if rojo is not None and verde is not None and rojo > verde:
            # On a field, so that the model's own check of the same rule is skipped instead of repeated.
            self.add_error(
                "verde_desde",
                ValidationError(
                    _(
                        "«Verde desde» (%(verde)s %%) no puede ser menor que «rojo por debajo de» "
                        "(%(rojo)s %%): entre los dos queda el amarillo."
                    )
                    % {"rojo": rojo, "verde": verde},
                    code="umbrales_desordenados",
                ),
            )
        return datos


class FiltroAuditoriaForm(forms.Form):
    """Filters of the audit trail: kind of change, who made it, and a range of days (blank: all)."""

    tipo = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Tipo de cambio"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    usuario = OpcionesModelo(
        get_user_model().objects.none(),
        required=False,
        label=gettext_lazy("Usuario"),
        empty_label=gettext_lazy("Todos"),
        widget=widgets.Select(attrs={"class": "form-select form-select-sm"}),
    )
    desde = FechaField(
        required=False,
        label=gettext_lazy("Desde"),
        widget=EntradaFecha(attrs={"class": "form-control form-control-sm"}),
    )
    hasta = FechaField(
        required=False,
        label=gettext_lazy("Hasta"),
        widget=EntradaFecha(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, usuario, tipos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = [("", gettext_lazy("Todos")), *tipos]
        personas = get_user_model().objects.order_by("username")
        if not es_administrador(usuario):
            # The people of the user's entidad (see Membresia): nobody else's name is offered.
            entidad = entidad_de(usuario)
            personas = personas.filter(membresia__entidad=entidad) if entidad else personas.none()
        # What the options and the page's rows show of each person (auditoria.entradas takes them from here).
        self.fields["usuario"].queryset = personas.only("pk", "username", "first_name", "last_name")

    def personas(self):
        """{id: User} of the people offered, read once for the options and the rows of the page."""
        return {persona.pk: persona for persona in self.fields["usuario"].queryset}

    def clean(self):
        datos = super().clean()
        if datos.get("desde") and datos.get("hasta") and datos["desde"] > datos["hasta"]:
            self.add_error("hasta", _("La fecha final debe ser igual o posterior a la inicial."))
        return datos

    def filtros(self):
        """The valid filters as keyword arguments of auditoria.ramas()."""
        datos = getattr(self, "cleaned_data", {})
        return {
            "tipo": datos.get("tipo") or "",
            "usuario": datos.get("usuario"),
            "desde": datos.get("desde") if "hasta" not in self.errors else None,
            "hasta": datos.get("hasta"),
        }

    def hay_filtros(self):
        return any(self.filtros().values())
