"""Evidence for conftest's plan_pequeno, with the progress it must give computed by hand.

Plan Jan–Jun 2024, one line. Strategy 1 (Salud) has metas 1.1 (target 1)
and 1.2 (target 12) and plans Jan 1, Mar 2. Strategy 2 (Salud and Hacienda)
has meta 2.1, two "de cada secretaría", and plans Feb 1, Mar 1, Jun 1.

The story, cut on 15 March 2024:

=====  ========  =========  ===  =========  ==========================================
meta   quién     fecha      q    estado     counts?
=====  ========  =========  ===  =========  ==========================================
1.1    Salud     20 Jan     2    aprobada   yes: 2 of 1, 200 % (100 % in the roll-up)
1.2    Salud     10 Mar     3    aprobada   yes: 3 of 12, 25 %
1.2    Salud     20 Mar     5    aprobada   no: after the corte
1.2    Salud     10 Feb     4    devuelta   no
1.2    Salud      1 Mar     2    borrador   no
1.2    Salud      2 Mar     1    enviada    no (waiting for review)
2.1    Salud      5 Feb     3    aprobada   yes: 3 of 2, 150 % for Salud
2.1    Hacienda  25 Jan     1    aprobada   yes: 1 of 2, 50 % for Hacienda; Jan has no programación
2.1    Hacienda   8 Mar     1    devuelta   no (but Hacienda did report March)
2.1    Salud      2 Apr     1    aprobada   no: after the corte
=====  ========  =========  ===  =========  ==========================================

Metas: 1.1 200 % (capped 100), 1.2 25 %, 2.1 (min(3,2) + min(1,2)) / (2 × 2) = 75 %.
Strategies: 1 → (100 + 25) / 2 = 62.5 %; 2 → 75 %. Line and plan → (62.5 + 75) / 2 = 68.75 → 68.8 %.
Executed activities (one approved evidence = one activity):
  strategy 1: Jan 1 of 1, Mar 1 of 2 → to date 2 of 3 = 66.7 %;
  strategy 2: Jan 1 of 0 (sin programación), Feb 1 of 1, Mar 0 of 1 → to date 2 of 2 = 100 %;
  plan: Jan 2 of 1, Feb 1 of 1, Mar 1 of 3 → to date 4 of 5 = 80 % (exactly green).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from plan_participacion.models import Meta
from seguimiento import resumen
from seguimiento.models import Evidencia

Estado = Evidencia.Estado
CORTE = datetime.date(2024, 3, 15)


def evidencia(meta, secretaria, autor, fecha, cantidad=1, estado=Estado.APROBADA, descripcion="Actividad realizada."):
    """An evidence straight in the state wanted; the review workflow itself is tested elsewhere.

    An approved one is counted in the summary of approved evidence, as acciones.aprobar does.
    """
    enviada = estado != Estado.BORRADOR
    momento = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(9, 0)))
    with transaction.atomic():
        creada = Evidencia.objects.create(
            meta=meta,
            secretaria=secretaria,
            autor=autor,
            fecha_actividad=fecha,
            cantidad=cantidad,
            descripcion=descripcion,
            estado=estado,
            enviada_en=momento if enviada else None,
            revisada_en=momento if estado in (Estado.APROBADA, Estado.DEVUELTA) else None,
            motivo_devolucion="Falta la lista de asistencia." if estado == Estado.DEVUELTA else "",
        )
        if estado == Estado.APROBADA:
            resumen.sumar(creada)
    return creada


def metas(plan):
    return {m.codigo: m for m in Meta.objects.filter(estrategia__objetivo__linea__plan=plan)}


def cargar_historia(plan, salud, hacienda, delegada_salud, delegado_hacienda):
    """The evidence of the table above."""
    m = metas(plan)
    d = datetime.date
    filas = [
        ("1.1", salud, delegada_salud, d(2024, 1, 20), 2, Estado.APROBADA),
        ("1.2", salud, delegada_salud, d(2024, 3, 10), 3, Estado.APROBADA),
        ("1.2", salud, delegada_salud, d(2024, 3, 20), 5, Estado.APROBADA),
        ("1.2", salud, delegada_salud, d(2024, 2, 10), 4, Estado.DEVUELTA),
        ("1.2", salud, delegada_salud, d(2024, 3, 1), 2, Estado.BORRADOR),
        ("1.2", salud, delegada_salud, d(2024, 3, 2), 1, Estado.ENVIADA),
        ("2.1", salud, delegada_salud, d(2024, 2, 5), 3, Estado.APROBADA),
        ("2.1", hacienda, delegado_hacienda, d(2024, 1, 25), 1, Estado.APROBADA),
        ("2.1", hacienda, delegado_hacienda, d(2024, 3, 8), 1, Estado.DEVUELTA),
        ("2.1", salud, delegada_salud, d(2024, 4, 2), 1, Estado.APROBADA),
    ]
    return [evidencia(m[codigo], *resto) for codigo, *resto in filas]


def multiplicar(evidencias, veces):
    """Copies of each evidence (same meta, month and state): more rows, same shape of data."""
    copias = []
    for original in evidencias:
        for _ in range(veces - 1):
            copia = Evidencia.objects.get(pk=original.pk)
            copia.pk = None
            copias.append(copia)
    Evidencia.objects.bulk_create(copias)
    resumen.recalcular()  # the copies skipped the actions: count them in the summary of approved evidence
    return Evidencia.objects.count()


def avance_de(respuesta):
    """The progress a dashboard response shows (computed now: call it before changing the data).

    The page renders its figures from this computation, once per data version, and keeps only the
    HTML (seguimiento.views.tablero.cifras_del_tablero); tests read the figures again from here.
    """
    from seguimiento.avance import avance_plan

    return avance_plan(respuesta.context["plan"], respuesta.context["corte"])


def participantes_de(respuesta):
    """The participants rows (level, line or strategy, Cifras) a dashboard response shows."""
    from seguimiento.participantes import participantes_al_corte
    from seguimiento.views.tablero import participantes_por_nivel

    plan, corte = respuesta.context["plan"], respuesta.context["corte"]
    return participantes_por_nivel(
        avance_de(respuesta), participantes_al_corte(plan, corte), respuesta.context["mes_participantes"]
    )
