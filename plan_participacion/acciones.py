"""State changes of the plan made in the app (not by an import): explicit, locked, with their history row.

The import's changes live in importer/ (guardar, fusionar), in the import's own transaction.
"""

from django.db import transaction

from plan_participacion.models import Meta, Plan


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
