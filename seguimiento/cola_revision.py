"""What waits for the coordinator's review: the queue's counts, evidence sent again after a return, and
the daily summary mail of pending reviews.

The summary is one mail per reviewer (an active user with ``seguimiento.revisar_evidencia`` through
a group or directly, with an e-mail address), about the evidence that reviewer may see
(``Evidencia.objects.visible_para``), sent only when something waits. It is built by the
task ``enviar_resumen_revision`` (seguimiento/tasks.py), which the ``resumen_revision`` command
enqueues once a day (deploy/: a timer or crontab line on one server); each mail is its own
``enviar_correo`` task. A day's summary goes out once, however many times it is asked for, unless
forced.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from seguimiento.models import CambioEstado, Evidencia
from seguimiento.tasks import enviar_correo

# A secretariat waiting longer than this for an answer is shown as a long wait.
DIAS_ESPERA_LARGA = 7
# Evidence named one by one in the summary mail, the longest waiting first; the rest are counted.
EN_EL_CORREO = 15


def fue_devuelta():
    """True for an evidence that was returned once (a correlated EXISTS on its state changes)."""
    return Exists(CambioEstado.objects.filter(evidencia=OuterRef("pk"), estado_nuevo=Evidencia.Estado.DEVUELTA))


def reenviadas(evidencias):
    """Those of ``evidencias`` that were returned once: sent again after a correction."""
    return evidencias.filter(fue_devuelta())


def resumen(enviadas, ahora=None):
    """Counts of a queue of sent evidence: total, sent again, waiting long. One query."""
    limite = (ahora or timezone.now()) - datetime.timedelta(days=DIAS_ESPERA_LARGA)
    return enviadas.order_by().aggregate(
        total=Count("pk"),
        # Checked on each row counted, not as a set of the queue's ids built again inside the count.
        reenviadas=Count("pk", filter=fue_devuelta()),
        esperan_mucho=Count("pk", filter=Q(enviada_en__lte=limite)),
    )


def revisores():
    """Active users who review evidence (through a group or their own permissions) and have an e-mail."""
    permiso = Permission.objects.get(codename="revisar_evidencia", content_type__app_label="seguimiento")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=permiso) | Q(user_permissions=permiso))
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def enlace(ruta):
    """An absolute link for a mail (no request to take the host from): SITIO_URL + path, or the path alone."""
    return f"{settings.SITIO_URL.rstrip('/')}{ruta}" if settings.SITIO_URL else ""


@dataclass
class Resumen:
    fecha: datetime.date
    total: int = 0
    reenviadas: int = 0
    esperan_mucho: int = 0
    evidencias: list = field(default_factory=list)  # the longest waiting, with .reenviada and .enlace
    por_secretaria: list = field(default_factory=list)  # [(name, count)], most first

    @property
    def restantes(self):
        return self.total - len(self.evidencias)


def preparar_resumen(revisor, hoy=None):
    """What the summary mail says today to ``revisor``, of the evidence he may see; ``total`` 0 when none waits."""
    ahora = timezone.now()
    hoy = hoy or timezone.localdate()
    enviadas = Evidencia.objects.visible_para(revisor).enviadas()
    cifras = resumen(enviadas, ahora)
    datos = Resumen(fecha=hoy, **cifras)
    if not datos.total:
        return datos
    ids_reenviadas = set(reenviadas(enviadas).values_list("pk", flat=True))
    primeras = list(enviadas.select_related("meta", "secretaria", "autor").order_by("enviada_en", "pk")[:EN_EL_CORREO])
    for evidencia in primeras:
        evidencia.reenviada = evidencia.pk in ids_reenviadas
        evidencia.dias_esperando = (ahora - (evidencia.enviada_en or evidencia.creada)).days
        evidencia.enlace = enlace(evidencia.get_absolute_url())
    datos.evidencias = primeras
    datos.por_secretaria = list(
        enviadas.order_by()
        .values_list("secretaria__nombre")
        .annotate(n=Count("pk"))
        .order_by("-n", "secretaria__nombre")
    )
    return datos


def correo(datos, revisor):
    """(subject, body) of the summary for one reviewer."""
    contexto = {
        "resumen": datos,
        "nombre": revisor.get_full_name() or revisor.username,
        "enlace_cola": enlace(reverse("revision_cola")),
        "dias_espera_larga": DIAS_ESPERA_LARGA,
    }
    asunto = " ".join(render_to_string("seguimiento/revision/correo_resumen_asunto.txt", contexto).split())
    return asunto, render_to_string("seguimiento/revision/correo_resumen.txt", contexto)


def clave_del_dia(hoy):
    return f"resumen_revision:{hoy.isoformat()}"


def resumenes(hoy=None):
    """[(revisor, Resumen)] of the reviewers with something waiting among what each may see."""
    hoy = hoy or timezone.localdate()
    con_pendientes = []
    for revisor in revisores():
        datos = preparar_resumen(revisor, hoy)
        if datos.total:
            con_pendientes.append((revisor, datos))
    return con_pendientes


def enviar_resumen(hoy=None, *, forzar=False):
    """Enqueue today's summary to every reviewer with something waiting; returns (evidence waiting,
    the reviewers written to, whether today's had already gone).

    Nothing is sent when nothing waits, nor a second time the same day (unless ``forzar``).
    """
    hoy = hoy or timezone.localdate()
    pendientes = Evidencia.objects.enviadas().count()
    if not pendientes:
        return 0, [], False
    por_revisor = resumenes(hoy)
    if not por_revisor:
        return pendientes, [], False
    if not forzar and not cache.add(clave_del_dia(hoy), timezone.now().isoformat(), timeout=36 * 3600):
        return pendientes, [], True
    for revisor, datos in por_revisor:
        asunto, cuerpo = correo(datos, revisor)
        enviar_correo.enqueue(asunto, cuerpo, [revisor.email])
    return pendientes, [revisor for revisor, _datos in por_revisor], False
