"""Data for the report benchmarks (bench/reportes.py, bench/falla_trabajador.py): a plan and approved evidence.

Imported after django.setup(): the functions import models when called.
"""

import datetime
import hashlib
import random

CORTE = datetime.date(2023, 10, 31)


def crear_plan(total_metas):
    """Candelaria (28 metas) or a generated plan of ``total_metas`` metas, 10 per strategy, 10 strategies per line."""
    from plan_participacion.models import Estrategia, LineaAccion, Meta, Objetivo, Plan, Secretaria

    if total_metas == 28:
        return Plan.objects.get()
    candelaria = Plan.objects.get()
    plan = Plan.objects.create(
        entidad=candelaria.entidad,
        municipio="Municipio de Prueba Grande",
        titulo=candelaria.titulo,
        politica=candelaria.politica,
        codigo_formato=candelaria.codigo_formato,
        version=candelaria.version,
        fecha_formato=candelaria.fecha_formato,
        mes_inicio=candelaria.mes_inicio,
        mes_fin=candelaria.mes_fin,
    )
    secretarias = list(Secretaria.objects.all())
    por_estrategia, por_linea = 10, 10
    for n in range((total_metas + por_estrategia * por_linea - 1) // (por_estrategia * por_linea)):
        linea = LineaAccion.objects.create(plan=plan, numero=n + 1, nombre=f"Línea de acción {n + 1} del plan grande")
        objetivo = Objetivo.objects.create(linea=linea, texto="Fortalecer la participación ciudadana.")
        for e in range(por_linea):
            numero = n * por_linea + e + 1
            estrategia = Estrategia.objects.create(objetivo=objetivo, numero=numero, texto=f"Estrategia {numero}.")
            estrategia.responsables.set(secretarias[e % 13 : e % 13 + 3] or secretarias[:3])
            metas = [
                Meta(
                    estrategia=estrategia,
                    codigo=f"{numero}.{m + 1}",
                    orden=m + 1,
                    texto=f"Un (1) documento anual número {m + 1} de la estrategia {numero}.",
                    cantidad_objetivo=12,
                    por_secretaria=m % 4 == 0,
                )
                for m in range(por_estrategia)
                if (numero - 1) * por_estrategia + m < total_metas
            ]
            Meta.objects.bulk_create(metas)
    return plan


def crear_evidencias(plan, total, archivos_por_evidencia):
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from plan_participacion.models import Membresia, Meta
    from seguimiento.models import ArchivoEvidencia, Evidencia, GrupoValor, ParticipacionGrupo

    azar = random.Random(2023)
    autora = User.objects.create_user("delegada.bench")
    revisora = User.objects.create_user("coordinadora.bench", first_name="Carolina", last_name="Ríos")
    comite = User.objects.create_user("comite.bench")
    comite.groups.add(Group.objects.get(name="Comité"))
    # The committee and the reviewer see and report on their entidad's plans only.
    Membresia.objects.bulk_create(Membresia(usuario=u, entidad=plan.entidad) for u in (comite, revisora))
    metas = list(
        Meta.objects.filter(estrategia__objetivo__linea__plan=plan).prefetch_related("estrategia__responsables")
    )
    grupos = list(GrupoValor.objects.all())
    dias = (CORTE - plan.mes_inicio).days
    evidencias = []
    for n in range(total):
        meta = metas[n % len(metas)]
        fecha = plan.mes_inicio + datetime.timedelta(days=azar.randrange(dias))
        momento = timezone.make_aware(datetime.datetime.combine(fecha, datetime.time(16, 30)))
        evidencias.append(
            Evidencia(
                meta=meta,
                secretaria=azar.choice(list(meta.estrategia.responsables.all())),
                autor=autora,
                fecha_actividad=fecha,
                cantidad=azar.randint(1, 3),
                descripcion=f"Mesa de trabajo número {n} con la comunidad del corregimiento para socializar el plan.",
                lugar="Salón comunal",
                medios=["acta", "lista_asistencia", "registro_fotografico"][: azar.randint(1, 3)],
                participantes_total=30,
                mujeres=17,
                hombres=13,
                edad_18_28=10,
                edad_29_59=15,
                edad_60_mas=5,
                estado=Evidencia.Estado.APROBADA,
                enviada_en=momento,
                revisada_en=momento,
                revisor=revisora,
            )
        )
    evidencias = Evidencia.objects.bulk_create(evidencias, batch_size=1000)
    participaciones, archivos = [], []
    for evidencia in evidencias:
        for grupo in azar.sample(grupos, 2):
            participaciones.append(ParticipacionGrupo(evidencia=evidencia, grupo=grupo, cantidad=azar.randint(1, 15)))
        for k in range(archivos_por_evidencia):
            nombre = f"acta-{evidencia.pk}-{k}.pdf"
            archivos.append(
                ArchivoEvidencia(
                    evidencia=evidencia,
                    archivo=f"evidencias/bench/{evidencia.pk}-{k}.pdf",
                    nombre_original=nombre,
                    tipo_contenido="application/pdf",
                    tamano=azar.randint(20_000, 5_000_000),
                    sha256=hashlib.sha256(nombre.encode()).hexdigest(),
                    subido_por=autora,
                )
            )
    ParticipacionGrupo.objects.bulk_create(participaciones, batch_size=2000)
    ArchivoEvidencia.objects.bulk_create(archivos, batch_size=2000)
    return comite
