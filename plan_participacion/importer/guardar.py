"""Step 3: a PlanLeido → the database, all or nothing (one transaction.atomic).

A plan belongs to an entidad (importer/entidades.py decides which, and who may import there)
and is identified within it by municipio and period (the UniqueConstraint plan_unico_por_periodo).
Importing a plan that exists is a merge (importer/fusionar.py), only when asked (actualizar):
it keeps the evidence and what was edited in the app. Secretariats belong to the entidad,
are shared by its plans and never deleted here.

Every object created gets its history row (django-simple-history), attributed to usuario
(the person importing from the browser; None from the command line) and with the change reason
ediciones.motivo(): one extra INSERT per level, so the number of queries still does not grow
with the size of the sheet.
"""

from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.timezone import localtime
from simple_history.utils import bulk_create_with_history

from plan_participacion.importer.ediciones import motivo as motivo_de
from plan_participacion.importer.entidades import entidad_destino
from plan_participacion.importer.errores import ErrorImportacion, PlanExistente
from plan_participacion.models import (
    Estrategia,
    Indicador,
    LineaAccion,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
    SecretariaAlias,
    clave_nombre,
)


@dataclass
class Guardado:
    plan: Plan
    entidad: object = None  # the Entidad the plan belongs to
    entidad_nueva: bool = False  # created by this import
    actualizado: bool = False  # merged into a plan that existed
    diferencias: object = None  # fusionar.Diferencias of a merge
    secretarias: list = field(default_factory=list)  # names of the responsables, as stored
    secretarias_nuevas: list = field(default_factory=list)  # names created by this import

    @property
    def reemplazado(self):
        """The name this had when re-importing replaced the plan (kept for older callers)."""
        return self.actualizado


def guardar(
    plan_leido,
    *,
    entidad=None,
    actualizar=False,
    usar_hoja=False,
    archivo_origen="",
    usuario=None,
    reemplazar=False,
):
    """Create the plan, or merge it into the existing one when actualizar (reemplazar is its old name).

    entidad forces the destination (the command's --entidad); usuario, when not an administrator,
    may import only into their own entidad (ErrorImportacion otherwise).
    """
    from plan_participacion.importer.fusionar import fusionar

    actualizar = actualizar or reemplazar
    motivo = motivo_de(archivo_origen)
    try:
        with transaction.atomic():
            destino = entidad_destino(plan_leido, usuario=usuario, entidad=entidad)
            anterior = plan_existente(plan_leido, destino.entidad, bloquear=True)
            if anterior is not None and not actualizar:
                raise PlanExistente(
                    f"Ya existe el plan {anterior} (importado el {localtime(anterior.importado_en):%Y-%m-%d}). "
                    "Revise los cambios con --dry-run y aplíquelos con --actualizar.",
                    plan=anterior,
                )
            secretarias, nuevas = secretarias_del_plan(plan_leido, destino.entidad, usuario=usuario, motivo=motivo)
            diferencias = None
            if anterior is not None:
                plan = anterior
                diferencias = fusionar(
                    plan,
                    plan_leido,
                    secretarias,
                    usar_hoja=usar_hoja,
                    usuario=usuario,
                    archivo_origen=archivo_origen,
                    motivo=motivo,
                )
            else:
                plan = crear_plan(plan_leido, destino.entidad, archivo_origen, usuario=usuario, motivo=motivo)
                crear_jerarquia(plan, plan_leido, secretarias, usuario=usuario, motivo=motivo)
    except (ProtectedError, RestrictedError) as error:
        raise ErrorImportacion(
            "No se pudo actualizar el plan: algo que la hoja retira tiene registros que dependen de él "
            f"({error.args[0] if error.args else error}). No se guardó nada."
        ) from error
    except (IntegrityError, DatabaseError) as error:
        raise ErrorImportacion(f"No se pudo guardar el plan; no se guardó nada: {error}") from error
    nombres = sorted(s.nombre for s in secretarias.values())
    return Guardado(
        plan=plan,
        entidad=destino.entidad,
        entidad_nueva=destino.nueva,
        actualizado=anterior is not None,
        diferencias=diferencias,
        secretarias=nombres,
        secretarias_nuevas=nuevas,
    )


def plan_existente(plan_leido, entidad, *, bloquear=False):
    """The entidad's plan of the same municipio and period; locked for the merge when bloquear."""
    planes = Plan.objects.select_for_update() if bloquear else Plan.objects.all()
    return planes.filter(
        entidad=entidad,
        municipio__iexact=plan_leido.municipio,
        mes_inicio=plan_leido.mes_inicio,
        mes_fin=plan_leido.mes_fin,
    ).first()


def secretarias_del_plan(plan_leido, entidad, *, usuario=None, motivo=None):
    """({clave: Secretaria}, [names created]): the entidad's (by name or alias) are reused with their name."""
    claves = [s.clave for s in plan_leido.secretarias]
    existentes = {s.clave: s for s in Secretaria.objects.filter(entidad=entidad, clave__in=claves)}
    alias_conocidos = set()
    for alias in SecretariaAlias.objects.filter(entidad=entidad, clave__in=claves).select_related("secretaria"):
        existentes.setdefault(alias.clave, alias.secretaria)
        alias_conocidos.add(alias.clave)
    por_crear = [leida for leida in plan_leido.secretarias if leida.clave not in existentes]
    # bulk_create skips save(), which is where clave is computed.
    nuevas = bulk_create_with_history(
        [Secretaria(entidad=entidad, nombre=s.nombre, clave=clave_nombre(s.nombre)) for s in por_crear],
        Secretaria,
        default_user=usuario,
        default_change_reason=motivo,
    )
    existentes |= {leida.clave: secretaria for leida, secretaria in zip(por_crear, nuevas, strict=True)}
    # SecretariaAlias.clave is unique within the entidad and every spelling of one secretariat
    # shares the clave, so the first spelling seen in the sheet stands for all of them.
    SecretariaAlias.objects.bulk_create(
        SecretariaAlias(
            secretaria=existentes[leida.clave], entidad=entidad, nombre=escritura, clave=clave_nombre(escritura)
        )
        for leida in plan_leido.secretarias
        if leida.clave not in alias_conocidos
        for escritura in list(leida.escrituras)[:1]
    )
    return {leida.clave: existentes[leida.clave] for leida in plan_leido.secretarias}, [s.nombre for s in nuevas]


CAMPOS_DEL_PLAN = [
    "titulo",
    "politica",
    "codigo_formato",
    "version",
    "fecha_formato",
    "elaboro",
    "reviso",
    "aprobo",
    "fecha_aprobacion",
]


def crear_plan(plan_leido, entidad, archivo_origen, *, usuario=None, motivo=None):
    plan = Plan(
        entidad=entidad,
        municipio=plan_leido.municipio,
        titulo=plan_leido.titulo,
        politica=plan_leido.politica,
        codigo_formato=plan_leido.codigo_formato,
        version=plan_leido.version,
        fecha_formato=plan_leido.fecha_formato,
        elaboro=plan_leido.elaboro,
        reviso=plan_leido.reviso,
        aprobo=plan_leido.aprobo,
        fecha_aprobacion=plan_leido.fecha_aprobacion,
        mes_inicio=plan_leido.mes_inicio,
        mes_fin=plan_leido.mes_fin,
        archivo_origen=archivo_origen[:255],
    )
    if usuario is not None:
        plan._history_user = usuario
    plan._change_reason = motivo
    plan.save()
    return plan


def con_historial(objetos, modelo, usuario, motivo=None):
    return bulk_create_with_history(list(objetos), modelo, default_user=usuario, default_change_reason=motivo)


def crear_jerarquia(plan, plan_leido, secretarias, *, usuario=None, motivo=None):
    """Each level in one bulk_create (and one for its history): 5 000 metas are a handful of INSERTs."""
    lineas = con_historial(
        (LineaAccion(plan=plan, numero=linea.numero, nombre=linea.nombre) for linea in plan_leido.lineas),
        LineaAccion,
        usuario,
        motivo,
    )
    pares = [
        (o, leido)
        for linea, leida in zip(lineas, plan_leido.lineas, strict=True)
        for o, leido in _objetivos(linea, leida)
    ]
    objetivos = con_historial((o for o, _ in pares), Objetivo, usuario, motivo)
    pares = [
        (objetivo, leida) for objetivo, (_, leido) in zip(objetivos, pares, strict=True) for leida in leido.estrategias
    ]
    crear_estrategias(pares, secretarias, usuario=usuario, motivo=motivo)


def crear_estrategias(pares, secretarias, *, usuario=None, motivo=None):
    """[(Objetivo, EstrategiaLeida)] → the strategies with responsables, schedule, metas and indicators."""
    estrategias = Estrategia.objects.bulk_create(
        Estrategia(objetivo=objetivo, **campos_estrategia(leida)) for objetivo, leida in pares
    )
    leidas = [leida for _, leida in pares]
    responsables = _crear_responsables(estrategias, leidas, secretarias)
    historial_estrategias(estrategias, responsables, usuario=usuario, motivo=motivo)
    _crear_programacion(estrategias, leidas, usuario, motivo)
    crear_metas([(e, m) for e, leida in zip(estrategias, leidas, strict=True) for m in leida.metas], usuario, motivo)
    return estrategias


def _objetivos(linea, linea_leida):
    return [(Objetivo(linea=linea, numero=o.numero, texto=o.texto), o) for o in linea_leida.objetivos]


def campos_estrategia(leida):
    return {
        "numero": leida.numero,
        "texto": leida.texto,
        "medios_verificacion": leida.medios_verificacion,
        "fortalezas": leida.fortalezas,
        "debilidades": leida.debilidades,
    }


def _crear_responsables(estrategias, leidas, secretarias):
    Responsable = Estrategia.responsables.through
    return Responsable.objects.bulk_create(
        Responsable(estrategia_id=estrategia.pk, secretaria_id=secretarias[clave].pk)
        for estrategia, leida in zip(estrategias, leidas, strict=True)
        for clave in leida.responsables
    )


def historial_estrategias(estrategias, responsables, *, usuario=None, motivo=None, cambio=False):
    """History of the strategies with their responsables (through rows), as simple-history's m2m_fields
    records them; cambio for strategies that existed ("~" rows)."""
    historicas = Estrategia.history.bulk_history_create(
        estrategias, default_user=usuario, default_change_reason=motivo, update=cambio
    )
    historica_de = {h.id: h for h in historicas}
    HistoricoResponsable = Estrategia.history.model.responsables.model
    HistoricoResponsable.objects.bulk_create(
        HistoricoResponsable(
            history=historica_de[r.estrategia_id], id=r.pk, estrategia_id=r.estrategia_id, secretaria_id=r.secretaria_id
        )
        for r in responsables
    )


def _crear_programacion(estrategias, leidas, usuario, motivo):
    con_historial(
        (
            ProgramacionMensual(estrategia=estrategia, mes=mes, cantidad=cantidad)
            for estrategia, leida in zip(estrategias, leidas, strict=True)
            for mes, cantidad in sorted(leida.programacion.items())
            if cantidad > 0
        ),
        ProgramacionMensual,
        usuario,
        motivo,
    )


def crear_metas(pares, usuario=None, motivo=None):
    """[(Estrategia, MetaLeida)] → the metas and their indicators."""
    metas = con_historial(
        (
            Meta(
                estrategia=estrategia,
                codigo=meta.codigo,
                orden=meta.orden,
                texto=meta.texto,
                cantidad_objetivo=meta.cantidad_objetivo,
                periodicidad=meta.periodicidad,
                por_secretaria=meta.por_secretaria,
            )
            for estrategia, meta in pares
        ),
        Meta,
        usuario,
        motivo,
    )
    crear_indicadores(
        [(meta, indicador) for meta, (_, leida) in zip(metas, pares, strict=True) for indicador in leida.indicadores],
        usuario,
        motivo,
    )
    return metas


def crear_indicadores(pares, usuario=None, motivo=None):
    return con_historial(
        (Indicador(meta=meta, codigo=leido.codigo, texto=leido.texto) for meta, leido in pares),
        Indicador,
        usuario,
        motivo,
    )
