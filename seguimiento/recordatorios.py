"""The monthly reminder: who gets one, and sending them as mail tasks, recorded for the audit trail.

Who has not reported is decided by seguimiento.avance.sin_reportar, the same
function the dashboard's "quién no ha reportado" uses. The same list feeds the
command (``manage.py recordatorios``, run monthly by deploy/'s timer or crontab),
the coordinator's confirmation page (who will get one, before sending) and the
task that sends them (seguimiento.tasks.enviar_recordatorios). Each sending leaves
one EnvioRecordatorios row, shown in /auditoria/.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from seguimiento.avance import sin_reportar
from seguimiento.models import EnvioRecordatorios
from seguimiento.tasks import encolar_correo


class MesFueraDelPlan(ValueError):
    pass


def nombre(usuario):
    return usuario.get_full_name() or usuario.username


@dataclass
class Recordatorio:
    delegado: object
    pendientes: list  # avance.SinReportar of the delegate's secretariats

    @property
    def destinatario(self):
        return f"{nombre(self.delegado)} <{self.delegado.email}>"

    @property
    def detalle(self):
        return "; ".join(
            _("%(secretaria)s (estrategias %(numeros)s)")
            % {"secretaria": p.secretaria, "numeros": ", ".join(str(e.numero) for e in p.estrategias)}
            for p in self.pendientes
        )


@dataclass
class Lista:
    """Who will get this month's reminder, and who cannot."""

    plan: object
    mes: object
    recordatorios: list = field(default_factory=list)  # delegates with an email address
    sin_correo: list = field(default_factory=list)  # Recordatorio of delegates without one
    sin_delegados: list = field(default_factory=list)  # secretariats nobody reports for

    @property
    def nombre_mes(self):
        return formats.date_format(self.mes, "YEAR_MONTH_FORMAT")

    @property
    def hay_pendientes(self):
        return bool(self.recordatorios or self.sin_correo or self.sin_delegados)


def preparar(plan, mes):
    """The Lista of ``mes`` (first day of a month) in ``plan``; MesFueraDelPlan outside its period."""
    if not plan.mes_inicio <= mes <= plan.mes_fin:
        raise MesFueraDelPlan(
            _("%(mes)s está fuera del periodo del plan «%(plan)s».")
            % {"mes": formats.date_format(mes, "YEAR_MONTH_FORMAT").capitalize(), "plan": plan}
        )
    lista = Lista(plan, mes)
    por_delegado = {}
    for pendiente in sin_reportar(plan, mes):
        if not pendiente.delegados:
            lista.sin_delegados.append(pendiente.secretaria)
        for delegado in pendiente.delegados:
            por_delegado.setdefault(delegado.pk, Recordatorio(delegado, [])).pendientes.append(pendiente)
    for recordatorio in por_delegado.values():
        (lista.recordatorios if recordatorio.delegado.email else lista.sin_correo).append(recordatorio)
    return lista


@transaction.atomic
def enviar(lista, *, usuario=None):
    """Enqueue one mail per delegate (sent by the "correo" worker once this commits) and record the sending."""
    asunto = _("Recordatorio: reporte de avance de %(mes)s") % {"mes": lista.nombre_mes}
    for recordatorio in lista.recordatorios:
        cuerpo = render_to_string(
            "seguimiento/tablero/correo_recordatorio.txt",
            {
                "delegado": recordatorio.delegado,
                "nombre": nombre(recordatorio.delegado),
                "pendientes": recordatorio.pendientes,
                "mes": lista.mes,
                "plan": lista.plan,
            },
        )
        encolar_correo(asunto, cuerpo, [recordatorio.delegado.email])
    return EnvioRecordatorios.objects.create(
        plan=lista.plan,
        mes=lista.mes,
        usuario=usuario,
        fecha=timezone.now(),
        cantidad=len(lista.recordatorios),
        destinatarios="\n".join(f"{r.destinatario}: {r.detalle}" for r in lista.recordatorios),
    )
