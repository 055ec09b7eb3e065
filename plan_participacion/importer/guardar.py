"""Step 3: a PlanLeido → the database, all or nothing (one transaction.atomic).

A plan is identified by municipio and period (the UniqueConstraint plan_unico_por_periodo).
Importing it again is refused unless reemplazar, which deletes the old plan and creates the
new one in the same transaction; secretariats are shared between plans and never deleted.

Every object created gets its history row (django-simple-history), attributed to usuario
(the coordinator importing from the browser; None from the command line): one extra
INSERT per level, so the number of queries still does not grow with the size of the sheet.
"""

from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.timezone import localtime
from simple_history.utils import bulk_create_with_history

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
    reemplazado: bool = False
    secretarias: list = field(default_factory=list)  # names of the responsables, as stored
    secretarias_nuevas: list = field(default_factory=list)  # names created by this import


def guardar(plan_leido, *, reemplazar=False, archivo_origen="", usuario=None):
    try:
        with transaction.atomic():
            reemplazado = retirar_plan_anterior(plan_leido, reemplazar=reemplazar, usuario=usuario)
            secretarias, nuevas = secretarias_del_plan(plan_leido, usuario=usuario)
            plan = crear_plan(plan_leido, archivo_origen, usuario=usuario)
            crear_jerarquia(plan, plan_leido, secretarias, usuario=usuario)
    except (IntegrityError, DatabaseError) as error:
        raise ErrorImportacion(f"No se pudo guardar el plan; no se guardó nada: {error}") from error
    nombres = sorted(s.nombre for s in secretarias.values())
    return Guardado(plan=plan, reemplazado=reemplazado, secretarias=nombres, secretarias_nuevas=nuevas)


def plan_existente(plan_leido):
    return Plan.objects.filter(
        municipio__iexact=plan_leido.municipio, mes_inicio=plan_leido.mes_inicio, mes_fin=plan_leido.mes_fin
    ).first()


def retirar_plan_anterior(plan_leido, *, reemplazar, usuario=None):
    """Delete the plan with the same municipio and period when asked to; refuse otherwise."""
    anterior = plan_existente(plan_leido)
    if anterior is None:
        return False
    if not reemplazar:
        raise PlanExistente(
            f"Ya existe el plan {anterior} (importado el {localtime(anterior.importado_en):%Y-%m-%d}). "
            "Para reemplazarlo use --reemplazar.",
            plan=anterior,
        )
    if usuario is not None:
        anterior._history_user = usuario  # the cascade's other history rows take the request's user
    try:
        anterior.delete()
    except (ProtectedError, RestrictedError) as error:
        protegidos = len(getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ()))
        raise ErrorImportacion(
            f"No se puede reemplazar el plan {anterior}: ya tiene {protegidos} registro(s) que dependen de él "
            "(por ejemplo evidencias reportadas). Corrija el plan en la administración en lugar de reemplazarlo."
        ) from error
    return True


def secretarias_del_plan(plan_leido, *, usuario=None):
    """({clave: Secretaria}, [names created]): existing ones (by name or alias) are reused with their name."""
    claves = [s.clave for s in plan_leido.secretarias]
    existentes = {s.clave: s for s in Secretaria.objects.filter(clave__in=claves)}
    alias_conocidos = set()
    for alias in SecretariaAlias.objects.filter(clave__in=claves).select_related("secretaria"):
        existentes.setdefault(alias.clave, alias.secretaria)
        alias_conocidos.add(alias.clave)
    por_crear = [leida for leida in plan_leido.secretarias if leida.clave not in existentes]
    # bulk_create skips save(), which is where clave is computed.
    nuevas = bulk_create_with_history(
        [Secretaria(nombre=s.nombre, clave=clave_nombre(s.nombre)) for s in por_crear], Secretaria, default_user=usuario
    )
    existentes |= {leida.clave: secretaria for leida, secretaria in zip(por_crear, nuevas, strict=True)}
    # SecretariaAlias.clave is unique and every spelling of one secretariat shares the clave,
    # so the first spelling seen in the sheet stands for all of them.
    SecretariaAlias.objects.bulk_create(
        SecretariaAlias(secretaria=existentes[leida.clave], nombre=escritura, clave=clave_nombre(escritura))
        for leida in plan_leido.secretarias
        if leida.clave not in alias_conocidos
        for escritura in list(leida.escrituras)[:1]
    )
    return {leida.clave: existentes[leida.clave] for leida in plan_leido.secretarias}, [s.nombre for s in nuevas]


def crear_plan(plan_leido, archivo_origen, *, usuario=None):
    plan = Plan(
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
    plan.save()
    return plan


def _con_historial(objetos, modelo, usuario):
    return bulk_create_with_history(list(objetos), modelo, default_user=usuario)


def crear_jerarquia(plan, plan_leido, secretarias, *, usuario=None):
    """Each level in one bulk_create (and one for its history): 5 000 metas are a handful of INSERTs."""
    lineas = _con_historial(
        (LineaAccion(plan=plan, numero=linea.numero, nombre=linea.nombre) for linea in plan_leido.lineas),
        LineaAccion,
        usuario,
    )
    pares = [
        (o, leido)
        for linea, leida in zip(lineas, plan_leido.lineas, strict=True)
        for o, leido in _objetivos(linea, leida)
    ]
    objetivos = _con_historial((o for o, _ in pares), Objetivo, usuario)
    pares = [
        (Estrategia(objetivo=objetivo, **_campos_estrategia(leida)), leida)
        for objetivo, (_, leido) in zip(objetivos, pares, strict=True)
        for leida in leido.estrategias
    ]
    estrategias = Estrategia.objects.bulk_create(e for e, _ in pares)
    leidas = [leida for _, leida in pares]
    responsables = _crear_responsables(estrategias, leidas, secretarias)
    _historial_estrategias(estrategias, responsables, usuario)
    _crear_programacion(estrategias, leidas, usuario)
    _crear_metas(estrategias, leidas, usuario)


def _objetivos(linea, linea_leida):
    return [(Objetivo(linea=linea, numero=o.numero, texto=o.texto), o) for o in linea_leida.objetivos]


def _campos_estrategia(leida):
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


def _historial_estrategias(estrategias, responsables, usuario):
    """History of the strategies with their responsables, as simple-history's m2m_fields records them."""
    historicas = Estrategia.history.bulk_history_create(estrategias, default_user=usuario)
    historica_de = {h.id: h for h in historicas}
    HistoricoResponsable = Estrategia.history.model.responsables.model
    HistoricoResponsable.objects.bulk_create(
        HistoricoResponsable(
            history=historica_de[r.estrategia_id], id=r.pk, estrategia_id=r.estrategia_id, secretaria_id=r.secretaria_id
        )
        for r in responsables
    )


def _crear_programacion(estrategias, leidas, usuario):
    _con_historial(
        (
            ProgramacionMensual(estrategia=estrategia, mes=mes, cantidad=cantidad)
            for estrategia, leida in zip(estrategias, leidas, strict=True)
            for mes, cantidad in sorted(leida.programacion.items())
            if cantidad > 0
        ),
        ProgramacionMensual,
        usuario,
    )


def _crear_metas(estrategias, leidas, usuario):
    pares = [
        (
            Meta(
                estrategia=estrategia,
                codigo=meta.codigo,
                orden=meta.orden,
                texto=meta.texto,
                cantidad_objetivo=meta.cantidad_objetivo,
                periodicidad=meta.periodicidad,
                por_secretaria=meta.por_secretaria,
            ),
            meta,
        )
        for estrategia, leida in zip(estrategias, leidas, strict=True)
        for meta in leida.metas
    ]
    metas = _con_historial((m for m, _ in pares), Meta, usuario)
    _con_historial(
        (
            Indicador(meta=meta, codigo=indicador.codigo, texto=indicador.texto)
            for meta, (_, leida) in zip(metas, pares, strict=True)
            for indicador in leida.indicadores
        ),
        Indicador,
        usuario,
    )
