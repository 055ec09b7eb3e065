"""Fills the summary of approved evidence from the evidence already approved (seguimiento.resumen)."""

from django.db import migrations
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

PARTICIPANTES = (
    "participantes_total",
    "mujeres",
    "hombres",
    "otro_sexo",
    "edad_0_17",
    "edad_18_28",
    "edad_29_59",
    "edad_60_mas",
)


def llenar(apps, schema_editor):
    Evidencia = apps.get_model("seguimiento", "Evidencia")
    ParticipacionGrupo = apps.get_model("seguimiento", "ParticipacionGrupo")
    ResumenAprobado = apps.get_model("seguimiento", "ResumenAprobado")
    ResumenGrupo = apps.get_model("seguimiento", "ResumenGrupo")
    sumas = {f"s_{c}": Sum(c) for c in ("cantidad", *PARTICIPANTES)}
    filas = ResumenAprobado.objects.bulk_create(
        [
            ResumenAprobado(
                meta_id=f["meta_id"],
                secretaria_id=f["secretaria_id"],
                mes=f["mes"],
                evidencias=f["s_evidencias"],
                **{c: f[f"s_{c}"] for c in ("cantidad", *PARTICIPANTES)},
            )
            for f in Evidencia.objects.filter(estado="aprobada")
            .annotate(mes=TruncMonth("fecha_actividad"))
            .values("meta_id", "secretaria_id", "mes")
            .annotate(s_evidencias=Count("pk"), **sumas)
            .order_by()
        ],
        batch_size=2000,
    )
    por_clave = {(f.meta_id, f.secretaria_id, f.mes): f for f in filas}
    ResumenGrupo.objects.bulk_create(
        [
            ResumenGrupo(resumen=por_clave[meta_id, secretaria_id, mes], grupo_id=grupo_id, participantes=total)
            for meta_id, secretaria_id, mes, grupo_id, total in ParticipacionGrupo.objects.filter(
                evidencia__estado="aprobada", cantidad__gt=0
            )
            .annotate(mes=TruncMonth("evidencia__fecha_actividad"))
            .values_list("evidencia__meta_id", "evidencia__secretaria_id", "mes", "grupo_id")
            .annotate(total=Sum("cantidad"))
            .order_by()
        ],
        batch_size=2000,
    )


def vaciar(apps, schema_editor):
    apps.get_model("seguimiento", "ResumenAprobado").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0010_resumen_aprobado")]

    operations = [migrations.RunPython(llenar, vaciar)]
