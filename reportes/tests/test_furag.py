"""The yearly participation summary for FURAG (seguimiento.furag, reportes.furag): the seed's plan
(October 2022 – October 2023) with conftest's story plus two evidences of 2023 with participants and files.

2023 (corte 31 October 2023, the plan's end). Planned in 2023 per strategy (the seed): 1 → 5, 2 → 7,
3 → 14, 4 → 9, 5 → 33, 6 → 0: 68. Approved and dated in 2023: 5.3 (5 Mar), 3.1 (20 Mar), 1.3 (10 Apr)
from the story (no participants, no medios, no files), «taller» 1.4 (10 May: 12 people, 7 women and
5 men, 4 aged 18–28 and 8 aged 29–59; Jóvenes 4, Mujeres 7; acta and registro fotográfico; two
files) and «jornada» 5.1 (15 Sep: 3 people, one of each sex option, all 60 or older; JAC 3; lista de
asistencia; no files). Executed: strategy 1 → 2, 3 → 1, 5 → 2: 5. Metas met at the corte (targets 1):
1.1, 1.2, 1.3, 1.4, 3.1 and 5.1: 6 of 28 (5.3 is «de cada secretaría»: 1 of 13). Phases (the
suggestions of plan_participacion.ciclo): diagnóstico 1 and 2 → 12 planned, 2 executed; formulación
3 and 4 → 23 and 1; implementación 5 → 33 and 2; evaluación y seguimiento 6 → 0 and 0. Closed up to
31 March 2023: January–March of the ten months of 2023 → provisional.

2022 (corte 31 December 2022): planned 6 (strategy 1 → 5, 6 → 1); executed 1.1 (15 Nov) and 1.2
(10 Dec): 2; every month closed → definitive.
"""

import datetime
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import crear_usuario
from plan_participacion import acciones as acciones_plan
from plan_participacion.models import Entidad, Meta, Plan
from reportes import furag as vistas
from seguimiento import acciones, furag
from seguimiento.models import ArchivoEvidencia, Cierre, GrupoValor, ParticipacionGrupo
from seguimiento.tests.conftest import EvidenciaFactory, bytes_pdf, bytes_png

D = datetime.date
HOY = D(2026, 12, 3)


@pytest.fixture
def oficina(candelaria):
    """Olga, of Candelaria's planning office, sits on the committee; Ciro coordinates Candelaria."""
    entidad = Entidad.objects.get(clave="candelaria")
    return {
        "comite": crear_usuario("olga.oficina", "Comité", entidad=entidad, first_name="Olga", last_name="Ruiz"),
        "coordinador": crear_usuario("ciro.coordina", "Coordinador", entidad=entidad, first_name="Ciro"),
    }


def _aprobada(meta, secretaria, autor, revisor, fecha, medios, grupos, **participantes):
    evidencia = EvidenciaFactory(
        meta=meta, secretaria=secretaria, autor=autor, fecha_actividad=fecha, medios=medios,
        enlaces="https://candelaria.gov.co/a", **participantes,
    )  # fmt: skip
    for nombre, n in grupos:
        ParticipacionGrupo.objects.create(evidencia=evidencia, grupo=GrupoValor.objects.get(nombre=nombre), cantidad=n)
    acciones.enviar(evidencia, usuario=autor)
    return acciones.aprobar(evidencia, revisor=revisor)


def _archivo(evidencia, nombre, contenido, autor):
    archivo = ArchivoEvidencia(
        evidencia=evidencia, nombre_original=nombre, tipo_contenido="application/octet-stream",
        tamano=len(contenido), sha256=hashlib.sha256(contenido).hexdigest(), subido_por=autor,
    )  # fmt: skip
    archivo.archivo.save(nombre, ContentFile(contenido), save=True)
    return archivo


@pytest.fixture
def anio(historia_candelaria, oficina, delegada_candelaria):
    plan = historia_candelaria["plan"]
    metas = {m.codigo: m for m in Meta.objects.filter(estrategia__objetivo__linea__plan=plan)}
    salud = historia_candelaria["evidencias"]["1.2"].secretaria
    revisor = oficina["coordinador"]
    sin_edad = {"edad_0_17": 0, "edad_18_28": 0, "edad_29_59": 0, "edad_60_mas": 0}
    taller = _aprobada(
        metas["1.4"], salud, delegada_candelaria, revisor, D(2023, 5, 10), ["acta", "registro_fotografico"],
        [("Jóvenes", 4), ("Mujeres", 7)], participantes_total=12, mujeres=7, hombres=5, otro_sexo=0,
        **{**sin_edad, "edad_18_28": 4, "edad_29_59": 8},
    )  # fmt: skip
    jornada = _aprobada(
        metas["5.1"], salud, delegada_candelaria, revisor, D(2023, 9, 15), ["lista_asistencia"],
        [("Juntas de Acción Comunal (JAC)", 3)], participantes_total=3, mujeres=1, hombres=1, otro_sexo=1,
        **{**sin_edad, "edad_60_mas": 3},
    )  # fmt: skip
    archivos = [
        _archivo(taller, "acta-taller.pdf", bytes_pdf("Acta del taller"), delegada_candelaria),
        _archivo(taller, "foto-taller.png", bytes_png(), delegada_candelaria),
    ]
    # a sent evidence of 2023 counts nothing
    EvidenciaFactory(meta=metas["1.5"], secretaria=salud, autor=delegada_candelaria, fecha_actividad=D(2023, 6, 1))
    acciones_plan.aplicar_sugerencias_ciclo(plan, usuario=revisor)
    Cierre.objects.create(
        plan=plan, hasta=D(2023, 3, 31), cerrado_por=revisor, cerrado_en=timezone.now(),
        estado_archivo=Cierre.EstadoArchivo.LISTO,
    )  # fmt: skip
    return {"plan": plan, "taller": taller, "jornada": jornada, "archivos": archivos}


# The year's plans; per plan its closing in force, avance_plan and participantes_al_corte; then
# the evidence per medio, the evidence listed and its files.
CONSULTAS = 17


def test_resumen_de_2023(anio, oficina, django_assert_num_queries):
    planes = Plan.objects.visible_para(oficina["comite"])
    with django_assert_num_queries(CONSULTAS):
        resumen = furag.resumen_furag(planes, 2023, hoy=HOY)
    (del_plan,) = resumen.planes
    assert del_plan.corte == D(2023, 10, 31)
    por_estrategia = {
        e.estrategia.numero: (e.programado, e.programado_a_la_fecha, e.ejecutado) for e in del_plan.estrategias
    }
    assert por_estrategia == {1: (5, 5, 2), 2: (7, 7, 0), 3: (14, 14, 1), 4: (9, 9, 0), 5: (33, 33, 2), 6: (0, 0, 0)}
    assert (resumen.programado, resumen.ejecutado) == (68, 5)
    assert [(f.fase, f.estrategias, f.programado, f.ejecutado) for f in resumen.fases] == [
        ("diagnostico", 2, 12, 2),
        ("formulacion", 2, 23, 1),
        ("implementacion", 1, 33, 2),
        ("evaluacion", 1, 0, 0),
    ]
    assert (resumen.metas_cumplidas, resumen.metas) == (6, 28)
    p = resumen.participantes
    assert (p.participantes_total, p.mujeres, p.hombres, p.otro_sexo) == (15, 8, 6, 1)
    assert (p.edad_0_17, p.edad_18_28, p.edad_29_59, p.edad_60_mas) == (0, 4, 8, 3)
    assert [(g.nombre, n) for g, n in resumen.grupos] == [
        ("Juntas de Acción Comunal (JAC)", 3),
        ("Jóvenes", 4),
        ("Mujeres", 7),
    ]
    assert [(m.medio, m.evidencias, m.archivos) for m in resumen.medios] == [
        ("acta", 1, 2),
        ("lista_asistencia", 1, 0),
        ("registro_fotografico", 1, 2),
        ("", 3, 0),
    ]
    assert (resumen.evidencias, resumen.archivos) == (5, 2)
    assert [(f.fecha, f.meta, f.archivo, f.sha256) for f in resumen.lista] == [
        (D(2023, 3, 5), "5.3", "", ""),
        (D(2023, 3, 20), "3.1", "", ""),
        (D(2023, 4, 10), "1.3", "", ""),
        (D(2023, 5, 10), "1.4", "acta-taller.pdf", hashlib.sha256(bytes_pdf("Acta del taller")).hexdigest()),
        (D(2023, 5, 10), "1.4", "foto-taller.png", anio["archivos"][1].sha256),
        (D(2023, 9, 15), "5.1", "", ""),
    ]
    assert resumen.provisional
    assert del_plan.meses_cerrados == (D(2023, 1, 1), D(2023, 2, 1), D(2023, 3, 1))
    assert len(del_plan.meses) == 10


def test_las_consultas_no_crecen_con_las_evidencias(anio, oficina, delegada_candelaria, django_assert_num_queries):
    taller = anio["taller"]
    for dia in range(1, 11):
        otra = _aprobada(
            taller.meta, taller.secretaria, delegada_candelaria, oficina["coordinador"], D(2023, 6, dia), ["acta"],
            [("Jóvenes", 1)], participantes_total=1, mujeres=1, hombres=0, otro_sexo=0,
        )  # fmt: skip
        _archivo(otra, f"acta-{dia}.pdf", bytes_pdf(f"Acta {dia}"), delegada_candelaria)
    planes = Plan.objects.visible_para(oficina["comite"])
    with django_assert_num_queries(CONSULTAS):
        resumen = furag.resumen_furag(planes, 2023, hoy=HOY)
    assert (resumen.evidencias, resumen.archivos, resumen.ejecutado) == (15, 12, 15)


def test_resumen_de_2022_definitivo(anio, oficina):
    resumen = furag.resumen_furag(Plan.objects.visible_para(oficina["comite"]), 2022, hoy=HOY)
    assert (resumen.programado, resumen.ejecutado, resumen.evidencias, resumen.archivos) == (6, 2, 2, 2)
    assert not resumen.provisional
    assert [f.archivo for f in resumen.lista] == [
        "acta-diagnostico.pdf",
        'lista <img src="file:///etc/passwd">.csv',
        "",
    ]


def test_otra_entidad_no_ve_nada(client, anio):
    """A coordinator of another entidad: Candelaria's plan is not among hers, on the page either."""
    pradera = crear_usuario(
        "paula.pradera", "Coordinador", entidad=Entidad.objects.create(nombre="Municipio de Pradera")
    )
    assert furag.resumen_furag(Plan.objects.visible_para(pradera), 2023).planes == ()
    client.force_login(pradera)
    assert "Candelaria" not in client.get(reverse("reporte_furag"), {"anio": 2023}).content.decode()


def test_la_pagina_el_pdf_y_el_excel(client, anio, oficina):
    client.force_login(oficina["comite"])
    respuesta = client.get(reverse("reporte_furag"), {"anio": 2023})
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "Cifras provisionales de 2023: hay meses sin cerrar." in contenido
    assert "meses cerrados: de enero de 2023 a marzo de 2023" in contenido

    pdf = client.get(reverse("reporte_furag_pdf"), {"anio": 2023})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert 'filename="resumen-furag-municipio-de-candelaria-2023.pdf"' in pdf["Content-Disposition"]
    texto = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "RESUMEN ANUAL DE PARTICIPACIÓN CIUDADANA 2023" in texto  # the institutional header
    assert "Cifras provisionales de 2023" in texto
    assert "acta-taller.pdf" in texto and "Juntas de Acción Comunal (JAC)" in texto

    libro = load_workbook(io.BytesIO(client.get(reverse("reporte_furag_xlsx"), {"anio": 2023}).content))
    assert libro.sheetnames == [
        "Resumen", "Estrategias", "Fases del ciclo", "Participantes", "Medios de verificación", "Evidencias",
    ]  # fmt: skip
    filas = list(libro["Evidencias"].iter_rows(min_row=2, values_only=True))
    assert len(filas) == 6
    assert filas[3][6:] == ("acta-taller.pdf", len(bytes_pdf("Acta del taller")), anio["archivos"][0].sha256)
    resumen = {fila[0]: fila[1] for fila in libro["Resumen"].iter_rows(min_row=2, values_only=True)}
    assert resumen["Actividades ejecutadas (evidencias aprobadas)"] == 5
    assert resumen["Estado de las cifras"] == "PROVISIONAL: hay meses sin cerrar"


def test_el_pdf_acota_la_lista_y_lo_dice(client, anio, oficina, monkeypatch):
    monkeypatch.setattr(vistas, "LISTA_EN_PDF", 2)
    client.force_login(oficina["coordinador"])
    pdf = client.get(reverse("reporte_furag_pdf"), {"anio": 2023})
    texto = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Este PDF muestra las primeras 2 filas de 6; faltan 4 filas, que están en el Excel" in texto
    assert "acta-taller.pdf" not in texto


def test_un_anio_sin_planes_se_explica(client, anio, oficina):
    client.force_login(oficina["comite"])
    respuesta = client.get(reverse("reporte_furag"), {"anio": 2019})
    assert respuesta.status_code == 400
    assert "Ningún plan de su entidad tiene meses en «2019»" in respuesta.content.decode()
    assert client.get(reverse("reporte_furag_xlsx"), {"anio": "x"}).status_code == 400


def test_sin_plan_en_la_entidad(client, comite):
    client.force_login(comite)
    respuesta = client.get(reverse("reporte_furag"))
    assert respuesta.status_code == 200
    assert "no hay vigencias que resumir" in respuesta.content.decode()
    assert client.get(reverse("reporte_furag_pdf")).status_code == 404
