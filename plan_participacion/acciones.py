"""State changes of the plan made in the app (not by an import): explicit, locked, with their history row.

The import's changes live in importer/ (guardar, fusionar), in the import's own transaction.
"""

from django.db import transaction

from plan_participacion import ciclo
from plan_participacion.models import Estrategia, Meta, Plan


class SinCambios(Exception):
    """The requested value is the one the object already has."""


@transaction.atomic
def ajustar_objetivo(meta, *, usuario, objetivo, motivo):
    """Set the meta's expected total (None: back to the derived one) with a reason; one history row.

    cantidad_objetivo (what the sheet says) is never touched.
    """
    meta = Meta.objects.select_for_update().get(pk=meta.pk)
    if meta.objetivo_ajustado == objetivo:
        raise SinCambios
    meta.objetivo_ajustado = objetivo
    meta.motivo_objetivo = motivo
    meta._history_user = usuario
    meta._change_reason = motivo[:100]  # the full reason stays in motivo_objetivo, in the history row too
    meta.save(update_fields=["objetivo_ajustado", "motivo_objetivo"])
    return meta


def _cambiar_publicacion(plan, *, usuario, publicado, motivo):
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.publicado == publicado:
        raise SinCambios
    plan.publicado = publicado
    plan._history_user = usuario
    plan._change_reason = motivo
    plan.save(update_fields=["publicado"])
    return plan


@transaction.atomic
def publicar_plan(plan, *, usuario):
    """Show the plan in the Menú Participa (/participa/) to anyone, with its open data; one history row."""
    return _cambiar_publicacion(plan, usuario=usuario, publicado=True, motivo="Publicado en el Menú Participa")


@transaction.atomic
def despublicar_plan(plan, *, usuario):
    """Take the plan out of /participa/ (its pages answer 404 again); one history row."""
    return _cambiar_publicacion(plan, usuario=usuario, publicado=False, motivo="Retirado del Menú Participa")


# ---- phases of the cycle and Menú Participa sections of each strategy (plan_participacion.ciclo) ----

MOTIVO_CICLO = "fases del ciclo"
MOTIVO_CICLO_SUGERIDO = "fases del ciclo sugeridas al importar"


def _en_orden(valores, opciones):
    elegidos = set(valores or ())
    desconocidos = elegidos - set(opciones.values)
    if desconocidos:
        raise ValueError(f"Valores desconocidos: {sorted(desconocidos)}")
    return [v for v in opciones.values if v in elegidos]


def _etiquetar(estrategia, fases, secciones, usuario, motivo):
    estrategia.fases, estrategia.secciones_participa = fases, secciones
    estrategia._history_user = usuario
    estrategia._change_reason = motivo
    estrategia.save(update_fields=["fases", "secciones_participa"])


@transaction.atomic
def etiquetar_ciclo(estrategia, *, usuario, fases, secciones):
    """Set the strategy's phases and Menú Participa sections (lists of ciclo values); one history row.

    SinCambios when they are the ones it has.
    """
    fases = _en_orden(fases, ciclo.Fase)
    secciones = _en_orden(secciones, ciclo.SeccionParticipa)
    estrategia = Estrategia.objects.select_for_update().get(pk=estrategia.pk)
    if estrategia.fases == fases and estrategia.secciones_participa == secciones:
        raise SinCambios
    _etiquetar(estrategia, fases, secciones, usuario, MOTIVO_CICLO)
    return estrategia


@transaction.atomic
def aplicar_sugerencias_ciclo(plan, *, usuario):
    """Tag with ciclo.sugerir every strategy of ``plan`` that has no tags yet (what the import preview showed).

    Tags someone already set are never replaced. Returns the strategies tagged.
    """
    etiquetadas = []
    estrategias = Estrategia.objects.select_for_update().filter(objetivo__linea__plan=plan).order_by("numero", "pk")
    for estrategia in estrategias:
        if estrategia.fases or estrategia.secciones_participa:
            continue
        sugerencia = ciclo.sugerir(estrategia.texto)
        if sugerencia.vacia:
            continue
        _etiquetar(estrategia, list(sugerencia.fases), list(sugerencia.secciones), usuario, MOTIVO_CICLO_SUGERIDO)
        etiquetadas.append(estrategia)
    return etiquetadas
