"""The audit trail: every change to the plan, every evidence state change and edit, and every closing
and reopening of a period, newest first.

Several sources, merged in the database with one UNION so that ordering and paging
happen there: the history rows django-simple-history keeps for each model of the
plan, seguimiento.CambioEstado and EdicionEvidencia for evidence, and
seguimiento.Cierre (twice: its closing and, when reopened, its reopening). A page
then costs a fixed number of queries whatever the size of the history: the UNION
(and its COUNT), then one query per kind of row present on the page, plus one for
the row before each plan change (to say which fields changed).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
)
from reportes.templatetags.informes import fecha_larga
from seguimiento.cierres import mensaje as mensaje_cierre
from seguimiento.models import CambioEstado, Cierre, EdicionEvidencia, EnvioRecordatorios, Evidencia

# Plan models with history, by the key used in the UNION and in the type filter.
MODELOS_PLAN = {
    modelo._meta.model_name: modelo
    for modelo in (Plan, LineaAccion, Objetivo, Estrategia, Meta, Indicador, ProgramacionMensual, Secretaria)
}
EVIDENCIA = "evidencia"
EDICION = "edicion"
CIERRE = "cierre"
REAPERTURA = "reapertura"
TIPO_PERIODOS = "periodos"
RECORDATORIOS = "recordatorios"
TIPO_PLAN = "plan_todo"

ACCIONES = {"+": gettext_lazy("Creó"), "~": gettext_lazy("Cambió"), "-": gettext_lazy("Eliminó")}
LARGO_VALOR = 60


@dataclass
class Cambio:
    campo: str
    antes: str = ""
    despues: str = ""


@dataclass
class Entrada:
    fecha: datetime.datetime
    usuario: object  # User or None (the command line, a data migration)
    fuente: str  # a MODELOS_PLAN key or EVIDENCIA
    modelo: str  # verbose name shown to people
    accion: str
    objeto: str
    enlace: str = ""
    cambios: list = field(default_factory=list)
    comentario: str = ""

    @property
    def es_evidencia(self):
        return self.fuente in (EVIDENCIA, EDICION)

    @property
    def es_periodo(self):
        return self.fuente in (CIERRE, REAPERTURA)


def tipos():
    """Choices of the type filter: all the plan, evidence states, or one model of the plan."""
    return [
        (TIPO_PLAN, _("Cambios del plan")),
        (EVIDENCIA, _("Estados de evidencias")),
        (EDICION, _("Ediciones de evidencias")),
        (TIPO_PERIODOS, _("Cierres y reaperturas de periodos")),
        (RECORDATORIOS, _("Recordatorios enviados")),
        *((clave, _("Plan: %(modelo)s") % {"modelo": m._meta.verbose_name}) for clave, m in MODELOS_PLAN.items()),
    ]


# ---- the UNION ----


def _columnas(queryset, *, fecha, usuario, fuente, registro):
    # Same annotation names in the same order in every branch: UNION matches columns by position.
    return (
        queryset.order_by()
        .annotate(
            a_fecha=F(fecha),
            a_usuario=F(usuario),
            a_fuente=Value(fuente, output_field=CharField()),
            a_registro=F(registro),
        )
        .values("a_fecha", "a_usuario", "a_fuente", "a_registro")
    )


def _rango(queryset, campo, desde, hasta):
    if desde:
        queryset = queryset.filter(**{f"{campo}__gte": _inicio_del_dia(desde)})
    if hasta:
        queryset = queryset.filter(**{f"{campo}__lt": _inicio_del_dia(hasta + datetime.timedelta(days=1))})
    return queryset


def _inicio_del_dia(dia):
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time.min))


def registros(user, *, tipo="", usuario=None, desde=None, hasta=None):
    """The merged, ordered queryset of (a_fecha, a_usuario, a_fuente, a_registro) the user may read."""
    ramas = []
    for clave, modelo in MODELOS_PLAN.items():
        if tipo in ("", TIPO_PLAN, clave):
            historicos = _rango(modelo.history.all(), "history_date", desde, hasta)
            if usuario is not None:
                historicos = historicos.filter(history_user=usuario)
            ramas.append(
                _columnas(
                    historicos, fecha="history_date", usuario="history_user_id", fuente=clave, registro="history_id"
                )
            )
    for fuente, modelo in ((EVIDENCIA, CambioEstado), (EDICION, EdicionEvidencia)):
        if tipo in ("", fuente):
            filas = modelo.objects.filter(
                Q(evidencia__in=Evidencia.objects.visible_para(user).values("pk")) | _eliminadas_visibles(user)
            )
            filas = _rango(filas, "fecha", desde, hasta)
            if usuario is not None:
                filas = filas.filter(usuario=usuario)
            ramas.append(_columnas(filas, fecha="fecha", usuario="usuario_id", fuente=fuente, registro="pk"))
    if tipo in ("", TIPO_PERIODOS):
        for fuente, prefijo in ((CIERRE, "cerrado"), (REAPERTURA, "reabierto")):
            filas = _rango(Cierre.objects.filter(**{f"{prefijo}_en__isnull": False}), f"{prefijo}_en", desde, hasta)
            if usuario is not None:
                filas = filas.filter(**{f"{prefijo}_por": usuario})
            ramas.append(
                _columnas(filas, fecha=f"{prefijo}_en", usuario=f"{prefijo}_por_id", fuente=fuente, registro="pk")
            )
    if tipo in ("", RECORDATORIOS):
        envios = _rango(EnvioRecordatorios.objects.all(), "fecha", desde, hasta)
        if usuario is not None:
            envios = envios.filter(usuario=usuario)
        ramas.append(_columnas(envios, fecha="fecha", usuario="usuario_id", fuente=RECORDATORIOS, registro="pk"))
    primera, *resto = ramas
    unidas = primera.union(*resto, all=True) if resto else primera
    return unidas.order_by("-a_fecha", "-a_registro", "a_fuente")


def _eliminadas_visibles(user):
    """History of deleted evidence has no secretaría left to scope by: only those who see all evidence read it."""
    return Q(evidencia__isnull=True) if Evidencia.objects.ve_todas(user) else Q(pk__in=[])


# ---- a page of rows → Entrada ----


def entradas(filas, user):
    """The Entrada of each UNION row of a page, in the same order."""
    filas = list(filas)
    por_fuente = {}
    for fila in filas:
        por_fuente.setdefault(fila["a_fuente"], []).append(fila["a_registro"])
    usuarios = get_user_model().objects.in_bulk({f["a_usuario"] for f in filas if f["a_usuario"]})
    detalles = {}
    for fuente, ids in por_fuente.items():
        if fuente == EVIDENCIA:
            detalles[fuente] = _cambios_de_estado(ids)
        elif fuente == EDICION:
            detalles[fuente] = _ediciones(ids)
        elif fuente in (CIERRE, REAPERTURA):
            detalles[fuente] = _periodos(ids, fuente)
        elif fuente == RECORDATORIOS:
            detalles[fuente] = _envios_de_recordatorios(ids)
        else:
            detalles[fuente] = _cambios_del_plan(MODELOS_PLAN[fuente], ids, user)
    resultado = []
    for fila in filas:
        entrada = detalles[fila["a_fuente"]][fila["a_registro"]]
        entrada.usuario = usuarios.get(fila["a_usuario"])
        resultado.append(entrada)
    return resultado


def _de_evidencia(modelo, ids):
    return modelo.objects.filter(pk__in=ids).select_related("evidencia__meta", "evidencia__secretaria")


def _entrada_de_evidencia(fila, fuente, accion, **campos):
    """The Entrada of a CambioEstado or an EdicionEvidencia (linked to its evidence while it exists)."""
    return Entrada(
        fecha=fila.fecha,
        usuario=None,
        fuente=fuente,
        modelo=str(Evidencia._meta.verbose_name),
        accion=accion,
        objeto=_describir_evidencia(fila),
        enlace=fila.evidencia.get_absolute_url() if fila.evidencia else "",
        **campos,
    )


def _cambios_de_estado(ids):
    return {
        c.pk: _entrada_de_evidencia(
            c,
            EVIDENCIA,
            _("Estado: %(antes)s → %(despues)s")
            % {"antes": c.get_estado_anterior_display() or "—", "despues": c.get_estado_nuevo_display()},
            comentario=c.comentario,
        )
        for c in _de_evidencia(CambioEstado, ids)
    }


def _ediciones(ids):
    return {
        e.pk: _entrada_de_evidencia(
            e,
            EDICION,
            _("Editó"),
            cambios=[
                *(
                    Cambio(
                        c["etiqueta"],
                        Truncator(c["antes"]).chars(LARGO_VALOR),
                        Truncator(c["despues"]).chars(LARGO_VALOR),
                    )
                    for c in e.cambios
                ),
                *(Cambio(_("archivo agregado"), "", _archivo(a)) for a in e.archivos_agregados),
                *(Cambio(_("archivo quitado"), _archivo(a), "") for a in e.archivos_quitados),
            ],
        )
        for e in _de_evidencia(EdicionEvidencia, ids)
    }


def _archivo(archivo):
    return f"{archivo['nombre']} · SHA-256 {archivo['sha256']}"


def _periodos(ids, fuente):
    """Closings (fuente CIERRE) or reopenings (REAPERTURA) of periods."""
    reapertura = fuente == REAPERTURA
    filas = Cierre.objects.filter(pk__in=ids).select_related("plan", "cerrado_por")
    enlace = reverse("firmados")
    return {
        c.pk: Entrada(
            fecha=c.reabierto_en if reapertura else c.cerrado_en,
            usuario=None,
            fuente=fuente,
            modelo=_("periodo"),
            accion=(
                _("Reabrió el periodo hasta el %(hasta)s") if reapertura else _("Cerró el periodo hasta el %(hasta)s")
            )
            % {"hasta": fecha_larga(c.hasta)},
            objeto=str(c.plan),
            enlace=f"{enlace}?plan={c.plan_id}",
            comentario=c.motivo_reapertura if reapertura else (c.motivo or mensaje_cierre(c)),
        )
        for c in filas
    }


def _envios_de_recordatorios(ids):
    envios = EnvioRecordatorios.objects.filter(pk__in=ids).select_related("plan")
    return {
        e.pk: Entrada(
            fecha=e.fecha,
            usuario=None,
            fuente=RECORDATORIOS,
            modelo=str(EnvioRecordatorios._meta.verbose_name),
            accion=_("Recordatorios de %(mes)s: %(n)d correos en cola")
            % {"mes": formats.date_format(e.mes, "YEAR_MONTH_FORMAT"), "n": e.cantidad},
            objeto=str(e.plan),
            comentario=e.destinatarios,
        )
        for e in envios
    }


def _describir_evidencia(cambio):
    if cambio.evidencia is None:
        return _("Eliminada: %(resumen)s") % {"resumen": cambio.resumen or "—"}
    return _("Meta %(meta)s · %(secretaria)s · actividad del %(fecha)s") % {
        "meta": cambio.evidencia.meta.codigo,
        "secretaria": cambio.evidencia.secretaria.nombre,
        "fecha": formats.date_format(cambio.evidencia.fecha_actividad, "SHORT_DATE_FORMAT"),
    }


def _campos(modelo):
    return [f for f in modelo._meta.concrete_fields if f.name != "id"]


def _cambios_del_plan(modelo, ids, user):
    historial = modelo.history
    anterior = historial.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    filas = list(
        historial.filter(history_id__in=ids).annotate(
            anterior_id=Subquery(anterior.order_by("-history_date", "-history_id").values("history_id")[:1])
        )
    )
    anteriores = historial.in_bulk({f.anterior_id for f in filas if f.anterior_id})
    responsables = _responsables(filas, anteriores) if modelo is Estrategia else {}
    nombres_estrategias = _estrategias(filas) if modelo is ProgramacionMensual else {}
    puede_editar = user.is_staff and user.has_perm(f"{modelo._meta.app_label}.change_{modelo._meta.model_name}")
    entradas_ = {}
    for fila in filas:
        previa = anteriores.get(fila.anterior_id) if fila.history_type == "~" else None
        cambios = _diferencias(modelo, previa, fila) if previa is not None else []
        if previa is not None and modelo is Estrategia:
            antes, despues = responsables.get(previa.history_id, set()), responsables.get(fila.history_id, set())
            if antes != despues:
                cambios.append(_cambio_responsables(antes, despues))
        entradas_[fila.history_id] = Entrada(
            fecha=fila.history_date,
            usuario=None,
            fuente=modelo._meta.model_name,
            modelo=str(modelo._meta.verbose_name),
            accion=str(ACCIONES.get(fila.history_type, fila.history_type)),
            objeto=_describir(modelo, fila, nombres_estrategias),
            enlace=_enlace(modelo, fila, puede_editar),
            cambios=cambios,
        )
    return entradas_


def _diferencias(modelo, antes, despues):
    cambios = []
    for campo in _campos(modelo):
        valor_antes, valor_despues = getattr(antes, campo.attname), getattr(despues, campo.attname)
        if valor_antes == valor_despues:
            continue
        nombre = str(campo.verbose_name)
        if campo.is_relation:  # an id says nothing to a reader; the field name does
            cambios.append(Cambio(nombre))
        else:
            cambios.append(Cambio(nombre, _valor(campo, antes), _valor(campo, despues)))
    return cambios


def _valor(campo, instancia):
    if campo.choices:
        texto = dict(campo.flatchoices).get(getattr(instancia, campo.attname), getattr(instancia, campo.attname))
    else:
        texto = getattr(instancia, campo.attname)
    if isinstance(texto, datetime.date):
        texto = formats.date_format(texto, "SHORT_DATE_FORMAT")
    elif isinstance(texto, bool):
        texto = _("sí") if texto else _("no")
    return Truncator("" if texto is None else str(texto)).chars(LARGO_VALOR)


def _responsables(filas, anteriores):
    """{history_id: {secretaria name}} of the strategies' history rows on the page and the rows before them."""
    ids = {f.history_id for f in filas} | set(anteriores)
    Historico = Estrategia.history.model.responsables.model
    pares = list(Historico.objects.filter(history_id__in=ids).values_list("history_id", "secretaria__nombre"))
    resultado = {}
    for history_id, nombre in pares:
        resultado.setdefault(history_id, set()).add(nombre or "?")
    return resultado


def _cambio_responsables(antes, despues):
    return Cambio(
        str(Estrategia._meta.get_field("responsables").verbose_name),
        "; ".join(sorted(antes)) or "—",
        "; ".join(sorted(despues)) or "—",
    )


def _estrategias(filas):
    return dict(Estrategia.objects.filter(pk__in={f.estrategia_id for f in filas}).values_list("pk", "numero"))


def _describir(modelo, fila, nombres_estrategias):
    if modelo is ProgramacionMensual:
        numero = nombres_estrategias.get(fila.estrategia_id)
        mes = formats.date_format(fila.mes, "M Y")
        if numero is None:
            return _("%(mes)s: %(cantidad)s actividades") % {"mes": mes, "cantidad": fila.cantidad}
        return _("Estrategia %(numero)s · %(mes)s: %(cantidad)s actividades") % {
            "numero": numero,
            "mes": mes,
            "cantidad": fila.cantidad,
        }
    return Truncator(str(fila.instance)).chars(120)


def _enlace(modelo, fila, puede_editar):
    """The plan's page, or the admin's history of the object for those who edit the plan; none once deleted."""
    if fila.history_type == "-":
        return ""
    if modelo is Plan:
        return reverse("plan_detalle", args=[fila.id])
    if not puede_editar:
        return ""
    try:
        return reverse(f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}_history", args=[fila.id])
    except NoReverseMatch:
        return ""
