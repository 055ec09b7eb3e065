"""The Candelaria plan with a small, hand-counted story of evidence, cut on 31 March 2023.

=====  ==============  ==========  ===  =========  ====================================
meta   secretaría      fecha       q    estado     counts at the corte?
=====  ==============  ==========  ===  =========  ====================================
1.1    Desarrollo Soc  15 Nov 22   1    aprobada   yes (two files)
1.2    Salud           10 Dec 22   1    aprobada   yes
3.1    Planeación      20 Mar 23   1    aprobada   yes
5.3    Salud           5 Mar 23    2    aprobada   yes: "de cada secretaría", 1 of 13
1.3    Salud           10 Apr 23   1    aprobada   no: after the corte
2.1    Salud           20 Jan 23   1    enviada    no
6.1    Salud           20 Oct 22   1    devuelta   no
=====  ==============  ==========  ===  =========  ====================================

Metas: strategy 1 → (100 + 100) / 6 = 33.3 %; strategy 3 → 100 / 6; line 1 → 50 / 4 = 12.5 %;
strategy 5 → (100 / 13) / 5; line 2 → 0.77 %; plan → 6.6 %.
Schedule: 74 planned (10/7/14/9/33/1), 23 planned up to March 2023; executed: Nov 1 (E1),
Dec 1 (E1), Mar 2 (E3 and E5) → 4 of 23 = 17.4 %.
"""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from conftest import crear_usuario
from plan_participacion.models import Meta, Plan, Secretaria, SecretariaAlias
from seguimiento import resumen
from seguimiento.models import ArchivoEvidencia, GrupoValor, ParticipacionGrupo
from seguimiento.tests.conftest import almacen_temporal, hash_rapido  # noqa: F401 (autouse fixtures)
from seguimiento.tests.datos_avance import Estado, evidencia

CORTE = datetime.date(2023, 3, 31)
CODIGOS_CANDELARIA = [
    *(f"1.{n}" for n in range(1, 7)),
    *(f"2.{n}" for n in range(1, 5)),
    *(f"3.{n}" for n in range(1, 7)),
    *(f"4.{n}" for n in range(1, 4)),
    *(f"5.{n}" for n in range(1, 6)),
    *(f"6.{n}" for n in range(1, 5)),
]
ACTA = b"%PDF-1.4\n% Acta de la mesa de trabajo del diagnostico\n%%EOF\n"
LISTA = b"Nombre;Documento\nAna;1\nLuis;2\n" * 40


@pytest.fixture
def candelaria(db, entidad):
    """Candelaria's plan, in the entidad of conftest's personas (the committee and the coordinator see it).

    The fixture file names its entidad by primary key (1): where that is already conftest's entidad
    (a fresh SQLite table) loading it renames it; elsewhere (PostgreSQL's sequences go on across
    tests) the plan and its secretarías move to conftest's entidad, which takes Candelaria's name.
    """
    call_command("loaddata", "candelaria", verbosity=0)
    plan = Plan.objects.get(municipio="Municipio de Candelaria")
    cargada = plan.entidad
    if cargada.pk != entidad.pk:
        Plan.objects.filter(entidad=cargada).update(entidad=entidad)
        Secretaria.objects.filter(entidad=cargada).update(entidad=entidad)
        SecretariaAlias.objects.filter(entidad=cargada).update(entidad=entidad)
        datos = {"nombre": cargada.nombre, "codigo_dane": cargada.codigo_dane, "nit": cargada.nit}
        cargada.delete()
        for campo, valor in datos.items():
            setattr(entidad, campo, valor)
        entidad.save()
    return Plan.objects.select_related("entidad").get(pk=plan.pk)


def _secretaria(inicio):
    return Secretaria.objects.get(nombre__startswith=inicio)


@pytest.fixture
def delegada_candelaria(candelaria):
    """Sandra reports for Candelaria's Secretaría de Salud (conftest's delegada_salud has her own plan)."""
    usuaria = crear_usuario(
        "sandra.salud", "Delegado", entidad=candelaria.entidad, first_name="Sandra", last_name="Lozano"
    )
    _secretaria("Secretaría de Salud").delegados.add(usuaria)
    return usuaria


@pytest.fixture
def historia_candelaria(candelaria, coordinador, delegada_candelaria):
    delegada_salud = delegada_candelaria
    metas = {m.codigo: m for m in Meta.objects.filter(estrategia__objetivo__linea__plan=candelaria)}
    social = _secretaria("Secretaría de Desarrollo Social")
    salud = _secretaria("Secretaría de Salud")
    planeacion = _secretaria("Departamento de Planeación")
    d = datetime.date
    filas = [
        ("1.1", social, d(2022, 11, 15), 1, Estado.APROBADA),
        ("1.2", salud, d(2022, 12, 10), 1, Estado.APROBADA),
        ("3.1", planeacion, d(2023, 3, 20), 1, Estado.APROBADA),
        ("5.3", salud, d(2023, 3, 5), 2, Estado.APROBADA),
        ("1.3", salud, d(2023, 4, 10), 1, Estado.APROBADA),
        ("2.1", salud, d(2023, 1, 20), 1, Estado.ENVIADA),
        ("6.1", salud, d(2022, 10, 20), 1, Estado.DEVUELTA),
    ]
    evidencias = {
        codigo: evidencia(metas[codigo], secretaria, delegada_salud, fecha, cantidad, estado)
        for codigo, secretaria, fecha, cantidad, estado in filas
    }
    diagnostico = evidencias["1.1"]
    diagnostico.descripcion = "Mesa de diagnóstico con líderes"
    diagnostico.participantes_total, diagnostico.mujeres, diagnostico.hombres = 23, 14, 9
    diagnostico.medios = ["acta", "lista_asistencia"]
    diagnostico.revisor = coordinador
    diagnostico.save()
    ParticipacionGrupo.objects.create(evidencia=diagnostico, grupo=GrupoValor.objects.get(nombre="Jóvenes"), cantidad=7)
    archivos = []
    for nombre, contenido in (("acta-diagnostico.pdf", ACTA), ('lista <img src="file:///etc/passwd">.csv', LISTA)):
        archivo = ArchivoEvidencia(
            evidencia=diagnostico,
            nombre_original=nombre,
            tipo_contenido="application/octet-stream",
            tamano=len(contenido),
            sha256=hashlib.sha256(contenido).hexdigest(),
            subido_por=delegada_salud,
        )
        archivo.archivo.save(nombre, ContentFile(contenido), save=True)
        archivos.append(archivo)
    resumen.recalcular()  # the participants were written after approving: count them in the summary
    return {"plan": candelaria, "evidencias": evidencias, "archivos": archivos}
