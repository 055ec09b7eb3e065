"""The audit trail, newest first: every change to the plan, every evidence state change and edit,
every closing and reopening of a period, every sending of reminders, every change to the team and
every version of the text that opens the progress report.

Several sources (``ramas``): the history rows django-simple-history keeps for each
model of the plan, seguimiento.CambioEstado and EdicionEvidencia for evidence,
seguimiento.Cierre (twice: its closing and, when reopened, its reopening),
seguimiento.EnvioRecordatorios, equipo.CambioEquipo and seguimiento.VersionNarrativa. They are paged by
keyset, never by offset or count: rows are ordered by (fecha, fuente, registro)
—ids repeat across sources, so the source breaks ties—and a page is "the 50 rows
before (or after) this one". Each source contributes, through one UNION ALL, at
most 51 rows taken from an index on (fecha, id) from the cursor on; Python merges
those few rows and keeps 50. A page therefore reads O(sources × page) rows
whatever the size of the history, and works for any number of sources: add one
to ``ramas`` (and its rows to ``entradas``) and the paging follows.

A page costs a fixed number of queries: the UNION, then one query per kind of row
present on the page, plus one for the row before each plan change (to say which
fields changed).
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from equipo.models import CambioEquipo
from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    entidad_de,
    es_administrador,
)
from reportes.templatetags.informes import fecha_larga
from seguimiento.cierres import mensaje as mensaje_cierre
from seguimiento.models import (
    CambioEstado,
    Cierre,
    EdicionEvidencia,
    EnvioRecordatorios,
    Evidencia,
    VersionNarrativa,
)

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
EQUIPO = "equipo"
NARRATIVA = "narrativa"
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
        (EQUIPO, _("Cambios del equipo")),
        (NARRATIVA, _("Textos del informe de avance")),
        *((clave, _("Plan: %(modelo)s") % {"modelo": m._meta.verbose_name}) for clave, m in MODELOS_PLAN.items()),
    ]


# ---- the sources and the keyset pages ----

POR_PAGINA = 50
SEPARADOR = "~"
_TEXTO = CharField()  # the type of the source's name in the UNION (one field for every branch)


@dataclass(frozen=True)
class Rama:
    """One source of the trail: its rows the user may read, already filtered, and its column names."""

    fuente: str  # a MODELOS_PLAN key or EVIDENCIA; ties of fecha are broken by it, then by registro
    filas: object  # QuerySet
    fecha: str
    usuario: str
    registro: str  # unique within the source


def ramas(user, *, tipo="", usuario=None, desde=None, hasta=None):
    """The sources the filters keep, each filtered by them and by what the user may read."""
    resultado = []
    for clave, modelo in MODELOS_PLAN.items():
        if tipo in ("", TIPO_PLAN, clave):
            historicos = _rango(_historial_visible(modelo, user), "history_date", desde, hasta)
            if usuario is not None:
                historicos = historicos.filter(history_user=usuario)
            resultado.append(Rama(clave, historicos, "history_date", "history_user_id", "history_id"))
    for fuente, modelo in ((EVIDENCIA, CambioEstado), (EDICION, EdicionEvidencia)):
        if tipo in ("", fuente):
            filas = _rango(_de_evidencias_visibles(modelo, user), "fecha", desde, hasta)
            if usuario is not None:
                filas = filas.filter(usuario=usuario)
            resultado.append(Rama(fuente, filas, "fecha", "usuario_id", "pk"))
    if tipo in ("", TIPO_PERIODOS):
        for fuente, prefijo in ((CIERRE, "cerrado"), (REAPERTURA, "reabierto")):
            cierres = Cierre.objects.visible_para(user).filter(**{f"{prefijo}_en__isnull": False})
            filas = _rango(cierres, f"{prefijo}_en", desde, hasta)
            if usuario is not None:
                filas = filas.filter(**{f"{prefijo}_por": usuario})
            resultado.append(Rama(fuente, filas, f"{prefijo}_en", f"{prefijo}_por_id", "pk"))
    if tipo in ("", RECORDATORIOS):
        envios = _rango(EnvioRecordatorios.objects.visible_para(user), "fecha", desde, hasta)
        if usuario is not None:
            envios = envios.filter(usuario=usuario)
        resultado.append(Rama(RECORDATORIOS, envios, "fecha", "usuario_id", "pk"))
    if tipo in ("", EQUIPO):
        equipo = (
            CambioEquipo.objects.all()
            if es_administrador(user)
            else CambioEquipo.objects.filter(entidad=entidad_de(user))
        )
        equipo = _rango(equipo, "fecha", desde, hasta)
        if usuario is not None:
            equipo = equipo.filter(autor=usuario)
        resultado.append(Rama(EQUIPO, equipo, "fecha", "autor_id", "pk"))
    if tipo in ("", NARRATIVA):
        textos = _rango(VersionNarrativa.objects.visible_para(user), "creado_en", desde, hasta)
        if usuario is not None:
            textos = textos.filter(autor=usuario)
        resultado.append(Rama(NARRATIVA, textos, "creado_en", "autor_id", "pk"))
    return resultado


@functools.cache
def _historial(modelo):
    """``modelo.history``, the manager of its history rows (not bound to an object). simple-history makes
    a new manager class on each access to the attribute (Manager.from_queryset, which inspects every
    method of the queryset): about half a millisecond each, eight times a page."""
    return modelo.history


def _historial_visible(modelo, user):
    """History rows of a plan model within the user's entidad (administrators: all), by the same path to the
    entidad as the model's own QuerySet (plan_participacion.models.AlcanceQuerySet). A row of an object
    deleted since has no path left: only administrators read it."""
    historicos = _historial(modelo).all()
    if es_administrador(user):
        return historicos
    entidad = entidad_de(user)
    if entidad is None:
        return historicos.none()
    return historicos.filter(**{modelo.objects.all().ruta_entidad: entidad.pk})


def _de_evidencias_visibles(modelo, user):
    """History rows (state changes or edits) of the evidence the user sees. History of deleted evidence has
    no secretaría left to scope by: only those who see all evidence of their entidad read it, when the person
    who did it belongs to their entidad (administrators: all of it, with no filter at all)."""
    if Evidencia.objects.ve_todas(user):
        if es_administrador(user):
            return modelo.objects.all()
        entidad = entidad_de(user)
        if entidad is None:
            return modelo.objects.none()
        # A join per row read (the page reads ~51 rows of the (fecha, id) index), not a set of every evidence
        # id of the entidad built on each page: Evidencia.objects.de_entidad's rule, through the row's evidence.
        return modelo.objects.filter(
            Q(evidencia__secretaria__entidad=entidad.pk)
            | Q(evidencia__isnull=True, usuario__membresia__entidad=entidad.pk)
        )
    return modelo.objects.filter(evidencia__in=Evidencia.objects.visible_para(user).values("pk"))


def _rango(queryset, campo, desde, hasta):
    if desde:
        queryset = queryset.filter(**{f"{campo}__gte": _inicio_del_dia(desde)})
    if hasta:
        queryset = queryset.filter(**{f"{campo}__lt": _inicio_del_dia(hasta + datetime.timedelta(days=1))})
    return queryset


def _inicio_del_dia(dia):
    return timezone.make_aware(datetime.datetime.combine(dia, datetime.time.min))


@dataclass(frozen=True)
class Cursor:
    """A row's place in the order: (fecha, fuente, registro). Written in links as fecha~fuente~registro."""

    fecha: datetime.datetime
    fuente: str
    registro: int

    def __str__(self):
        return SEPARADOR.join((self.fecha.isoformat(), self.fuente, str(self.registro)))

    @classmethod
    def de_fila(cls, fila):
        return cls(fila["a_fecha"], fila["a_fuente"], fila["a_registro"])

    @classmethod
    def leer(cls, texto):
        """The cursor of a link, or None when the text is not one (a hand-edited or truncated URL)."""
        partes = (texto or "").split(SEPARADOR)
        if len(partes) != 3 or not partes[2].isdigit():
            return None
        try:
            fecha = datetime.datetime.fromisoformat(partes[0])
        except ValueError:
            return None
        if timezone.is_naive(fecha):
            return None
        return cls(fecha, partes[1], int(partes[2]))


@dataclass
class Pagina:
    """Up to POR_PAGINA rows, newest first, and the cursors of the links around them (None: no link)."""

    filas: list  # dicts with a_fecha, a_usuario, a_fuente, a_registro
    mas_recientes: Cursor | None = None
    mas_antiguos: Cursor | None = None


def _clave(fila):
    return (fila["a_fecha"], fila["a_fuente"], fila["a_registro"])


def _desde_el_cursor(rama, cursor, *, antiguos):
    """The rows of one source beyond the cursor, nearest first, at most POR_PAGINA + 1 of them.

    Inside one source the order is (fecha, registro); the source's place relative to the
    cursor's decides whether rows with the cursor's very fecha come before or after it.
    """
    filas = rama.filas  # ordered below, by order_by(*orden)
    fecha, registro = rama.fecha, rama.registro
    if cursor is not None:
        if antiguos:
            if rama.fuente < cursor.fuente:
                filas = filas.filter(**{f"{fecha}__lte": cursor.fecha})
            elif rama.fuente > cursor.fuente:
                filas = filas.filter(**{f"{fecha}__lt": cursor.fecha})
            else:
                filas = filas.filter(
                    Q(**{f"{fecha}__lt": cursor.fecha}) | Q(**{fecha: cursor.fecha, f"{registro}__lt": cursor.registro})
                )
        elif rama.fuente > cursor.fuente:
            filas = filas.filter(**{f"{fecha}__gte": cursor.fecha})
        elif rama.fuente < cursor.fuente:
            filas = filas.filter(**{f"{fecha}__gt": cursor.fecha})
        else:
            filas = filas.filter(
                Q(**{f"{fecha}__gt": cursor.fecha}) | Q(**{fecha: cursor.fecha, f"{registro}__gt": cursor.registro})
            )
    orden = (f"-{fecha}", f"-{registro}") if antiguos else (fecha, registro)
    columnas = {
        "a_fecha": F(fecha),
        "a_usuario": F(rama.usuario),
        "a_fuente": Value(rama.fuente, output_field=_TEXTO),
        "a_registro": F(registro),
    }
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: ORDER BY and LIMIT inside each branch of the UNION, the table read once.
        return filas.order_by(*orden).annotate(**columnas).values(*columnas)[: POR_PAGINA + 1]
    # SQLite refuses ORDER BY and LIMIT in a compound SELECT's own branches: they go in a subquery,
    # and the branch takes its rows through the primary key.
    cercanas = filas.order_by(*orden).values(registro)[: POR_PAGINA + 1]
    return (
        rama.filas.model._default_manager.filter(**{f"{registro}__in": cercanas})
        .order_by()
        .annotate(**columnas)
        .values(*columnas)
    )


def _filas(ramas_, cursor, *, antiguos):
    """The POR_PAGINA + 1 rows nearest to the cursor over all the sources, nearest first: one query."""
    if not ramas_:
        return []
    primera, *resto = (_desde_el_cursor(rama, cursor, antiguos=antiguos) for rama in ramas_)
    unidas = primera.union(*resto, all=True) if resto else primera
    return sorted(unidas, key=_clave, reverse=antiguos)[: POR_PAGINA + 1]


def pagina(ramas_, *, antes=None, despues=None):
    """A page of the trail: the newest rows, or those just older than ``antes`` or newer than ``despues``."""
    if despues is not None:
        filas = _filas(ramas_, despues, antiguos=False)
        if len(filas) > POR_PAGINA:
            filas = filas[:POR_PAGINA][::-1]
            return Pagina(filas, Cursor.de_fila(filas[0]), Cursor.de_fila(filas[-1]))
        # Fewer than a page is newer than the cursor: that is the first page, shown full.
    filas = _filas(ramas_, antes if despues is None else None, antiguos=True)
    hay_mas = len(filas) > POR_PAGINA
    filas = filas[:POR_PAGINA]
    recientes = None
    if antes is not None and despues is None:
        # Past the oldest row (rows deleted since the link was made): the link leads back from the cursor.
        recientes = Cursor.de_fila(filas[0]) if filas else antes
    antiguos = Cursor.de_fila(filas[-1]) if hay_mas else None
    return Pagina(filas, recientes, antiguos)


# ---- a page of rows → Entrada ----


def entradas(filas, user, conocidos=None):
    """The Entrada of each UNION row of a page, in the same order. ``conocidos``: {id: User} already read
    (the filter's people); only the page's other users are read."""
    filas = list(filas)
    por_fuente = {}
    for fila in filas:
        por_fuente.setdefault(fila["a_fuente"], []).append(fila["a_registro"])
    conocidos = conocidos or {}
    ids = {f["a_usuario"] for f in filas if f["a_usuario"]}
    usuarios = {pk: conocidos[pk] for pk in ids & conocidos.keys()}
    if ids - usuarios.keys():
        usuarios.update(get_user_model().objects.in_bulk(ids - usuarios.keys()))
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
        elif fuente == EQUIPO:
            detalles[fuente] = _cambios_del_equipo(ids)
        elif fuente == NARRATIVA:
            detalles[fuente] = _textos_del_informe(ids)
        else:
            detalles[fuente] = _cambios_del_plan(MODELOS_PLAN[fuente], ids, user)
    resultado = []
    for fila in filas:
        entrada = detalles[fila["a_fuente"]][fila["a_registro"]]
        entrada.usuario = usuarios.get(fila["a_usuario"])
        resultado.append(entrada)
    return resultado


def _de_evidencia(modelo, ids, *campos):
    """State changes or edits as dicts of what their line shows, with their evidence's meta, secretaría and
    date (the evidence's 25 columns were read and made into models for those three)."""
    return (
        modelo.objects.filter(pk__in=ids)
        .order_by()
        .values(
            "pk",
            "fecha",
            "resumen",
            "evidencia_id",
            "evidencia__fecha_actividad",
            "evidencia__meta__codigo",
            "evidencia__secretaria__nombre",
            *campos,
        )
    )


def _textos_de_evidencia():
    """What the rows of evidence of a page share: their texts, translated once per page rather than once
    per row, and each evidence's link and each date as written for the first row that has them."""
    return {
        "modelo": str(Evidencia._meta.verbose_name),
        "eliminada": _("Eliminada: %(resumen)s"),
        "evidencia": _("Meta %(meta)s · %(secretaria)s · actividad del %(fecha)s"),
        "enlaces": {},
        "fechas": {},
    }


def _entrada_de_evidencia(fila, fuente, accion, textos, **campos):
    """The Entrada of a CambioEstado or an EdicionEvidencia (linked to its evidence while it exists)."""
    return Entrada(
        fecha=fila["fecha"],
        usuario=None,
        fuente=fuente,
        modelo=textos["modelo"],
        accion=accion,
        objeto=_describir_evidencia(fila, textos),
        enlace=_enlace_de_evidencia(fila["evidencia_id"], textos["enlaces"]),
        **campos,
    )


def _cambios_de_estado(ids):
    # The states' names looked up once per page, as get_estado_nuevo_display() would (which hashes every
    # choice, translating its name, on each call: two calls per row were a fifth of the page's time).
    anteriores, nuevos = (
        {valor: str(nombre) for valor, nombre in CambioEstado._meta.get_field(campo).flatchoices}
        for campo in ("estado_anterior", "estado_nuevo")
    )
    texto, textos = _("Estado: %(antes)s → %(despues)s"), _textos_de_evidencia()
    return {
        c["pk"]: _entrada_de_evidencia(
            c,
            EVIDENCIA,
            texto
            % {
                "antes": anteriores.get(c["estado_anterior"], c["estado_anterior"]) or "—",
                "despues": nuevos.get(c["estado_nuevo"], c["estado_nuevo"]),
            },
            textos,
            comentario=c["comentario"],
        )
        for c in _de_evidencia(CambioEstado, ids, "estado_anterior", "estado_nuevo", "comentario")
    }


def _ediciones(ids):
    textos = _textos_de_evidencia()
    edito, agregado, quitado = _("Editó"), _("archivo agregado"), _("archivo quitado")
    return {
        e["pk"]: _entrada_de_evidencia(
            e,
            EDICION,
            edito,
            textos,
            cambios=[
                *(
                    Cambio(
                        c["etiqueta"],
                        Truncator(c["antes"]).chars(LARGO_VALOR),
                        Truncator(c["despues"]).chars(LARGO_VALOR),
                    )
                    for c in e["cambios"]
                ),
                *(Cambio(agregado, "", _archivo(a)) for a in e["archivos_agregados"]),
                *(Cambio(quitado, _archivo(a), "") for a in e["archivos_quitados"]),
            ],
        )
        for e in _de_evidencia(EdicionEvidencia, ids, "cambios", "archivos_agregados", "archivos_quitados")
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


def _textos_del_informe(ids):
    versiones = VersionNarrativa.objects.filter(pk__in=ids).select_related("narrativa__plan")
    return {
        v.pk: Entrada(
            fecha=v.creado_en,
            usuario=None,
            fuente=NARRATIVA,
            modelo=str(VersionNarrativa._meta.verbose_name),
            accion=_("%(accion)s (versión %(n)d) del informe con corte al %(corte)s")
            % {"accion": v.get_accion_display(), "n": v.numero, "corte": fecha_larga(v.narrativa.corte)},
            objeto=str(v.narrativa.plan),
            enlace=reverse("reporte_narrativa") + f"?plan={v.narrativa.plan_id}&corte={v.narrativa.corte.isoformat()}",
            comentario=Truncator(v.texto).chars(LARGO_VALOR * 2) if v.texto else "",
        )
        for v in versiones
    }


def _cambios_del_equipo(ids):
    cambios = CambioEquipo.objects.filter(pk__in=ids).select_related("persona")
    return {
        c.pk: Entrada(
            fecha=c.fecha,
            usuario=None,
            fuente=EQUIPO,
            modelo=str(CambioEquipo._meta.verbose_name),
            accion=c.get_accion_display(),
            objeto=c.persona.get_full_name() or c.persona.username,
            enlace=reverse("equipo_persona", args=[c.persona_id]),
            cambios=[
                *(Cambio(_("secretaría agregada"), "", nombre) for nombre in c.secretarias_agregadas()),
                *(Cambio(_("secretaría quitada"), nombre, "") for nombre in c.secretarias_quitadas()),
            ],
            comentario=c.comentario,
        )
        for c in cambios
    }


def _enlace_de_evidencia(evidencia_id, enlaces):
    """The evidence's page (Evidencia.get_absolute_url), "" once deleted; ``enlaces`` keeps those of the page."""
    if not evidencia_id:
        return ""
    if evidencia_id not in enlaces:
        enlaces[evidencia_id] = reverse("evidencia_detalle", args=[evidencia_id])
    return enlaces[evidencia_id]


def _describir_evidencia(cambio, textos):
    """``cambio``: a row of _de_evidencia."""
    if cambio["evidencia_id"] is None:
        return textos["eliminada"] % {"resumen": cambio["resumen"] or "—"}
    fecha, fechas = cambio["evidencia__fecha_actividad"], textos["fechas"]
    if fecha not in fechas:
        fechas[fecha] = formats.date_format(fecha, "SHORT_DATE_FORMAT")
    return textos["evidencia"] % {
        "meta": cambio["evidencia__meta__codigo"],
        "secretaria": cambio["evidencia__secretaria__nombre"],
        "fecha": fechas[fecha],
    }


def _campos(modelo):
    return [f for f in modelo._meta.concrete_fields if f.name != "id"]


def _cambios_del_plan(modelo, ids, user):
    historial = _historial(modelo)
    anterior = historial.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    filas = list(
        historial.filter(history_id__in=ids).annotate(
            anterior_id=Subquery(anterior.order_by("-history_date", "-history_id").values("history_id")[:1])
        )
    )
    # The row before each change ("~"): what a creation or a deletion is compared with is never shown.
    anteriores = historial.in_bulk({f.anterior_id for f in filas if f.anterior_id and f.history_type == "~"})
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
