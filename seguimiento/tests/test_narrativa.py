"""The text that opens the progress report (seguimiento.narrativa), its edition by the coordinator
(acciones.guardar_narrativa / restablecer_narrativa, /reportes/narrativa/) and the signed report.

plan_pequeno (January–June 2024; strategy 1: metas 1.1 of 1 and 1.2 of 12, planned 1 in January
and 2 in March; strategy 2: meta 2.1 of 2 "de cada secretaría" for Salud and Hacienda, planned 1
in February, 1 in March, 1 in June). Figures computed by hand in each test.
"""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from plan_participacion.models import Estrategia
from reportes import informes
from seguimiento import acciones, narrativa
from seguimiento.avance import Color
from seguimiento.models import DocumentoFirmado, GrupoValor, NarrativaInforme, ParticipacionGrupo, VersionNarrativa
from seguimiento.tests.conftest import MARZO, EvidenciaFactory
from seguimiento.tests.test_firmados import cerrar  # noqa: F401  (fixture)

D = datetime.date


def aprobada(meta, secretaria, autor, revisor, fecha, cantidad=1, grupos=(), **participantes):
    evidencia = EvidenciaFactory(
        meta=meta,
        secretaria=secretaria,
        autor=autor,
        fecha_actividad=fecha,
        cantidad=cantidad,
        enlaces="https://x.gov.co/a",
        **participantes,
    )
    for grupo, n in grupos:
        ParticipacionGrupo.objects.create(evidencia=evidencia, grupo=grupo, cantidad=n)
    acciones.enviar(evidencia, usuario=autor)
    return acciones.aprobar(evidencia, revisor=revisor)


SIN_EDADES = {"edad_0_17": 0, "edad_18_28": 0, "edad_29_59": 0, "edad_60_mas": 0}


@pytest.fixture
def marzo(plan_pequeno, salud, hacienda, delegada_salud, delegado_hacienda, coordinador):
    """Three approved evidences up to 31 March 2024.

    * 1.1, Salud, 10 January, quantity 1: 10 people (6 women, 4 men), 6 of them Jóvenes → 1.1 at 100 %;
    * 1.2, Salud, 20 March, quantity 3: 5 people (1 woman, 3 men, 1 other), Jóvenes 2, Mujeres 3 → 3/12 = 25 %;
    * 2.1, Hacienda, 2 March, quantity 1: 1 woman → Hacienda 1 of 2, Salud 0 of 2: 1/4 = 25 %.

    Strategy 1: (100 + 25) / 2 = 62,5 % (yellow); executed 2 of 3 planned to March (66,7 %, yellow).
    Strategy 2: 25 % (red); executed 1 of 2 (50 %, red). Line and plan: (62,5 + 25) / 2 = 43,75 → 43,8 %
    (red); executed 3 of 5 (60 %, yellow: 60 is not red). In March Salud has not reported strategy 2.
    """
    e1, e2 = Estrategia.objects.filter(objetivo__linea__plan=plan_pequeno).order_by("numero")
    Estrategia.objects.filter(pk=e1.pk).update(fases=["diagnostico"])
    Estrategia.objects.filter(pk=e2.pk).update(fases=["formulacion", "diagnostico"])
    jovenes = GrupoValor.objects.get(nombre="Jóvenes")
    mujeres = GrupoValor.objects.get(nombre="Mujeres")
    m = {x.codigo: x for x in plan_pequeno.metas()}
    aprobada(
        m["1.1"], salud, delegada_salud, coordinador, D(2024, 1, 10), 1, [(jovenes, 6)],
        participantes_total=10, mujeres=6, hombres=4, otro_sexo=0, **SIN_EDADES,
    )  # fmt: skip
    aprobada(
        m["1.2"], salud, delegada_salud, coordinador, D(2024, 3, 20), 3, [(jovenes, 2), (mujeres, 3)],
        participantes_total=5, mujeres=1, hombres=3, otro_sexo=1, **SIN_EDADES,
    )  # fmt: skip
    aprobada(
        m["2.1"], hacienda, delegado_hacienda, coordinador, D(2024, 3, 2), 1,
        participantes_total=1, mujeres=1, hombres=0, otro_sexo=0, **SIN_EDADES,
    )  # fmt: skip
    return plan_pequeno


def parrafos(plan, corte):
    return narrativa.texto_generado(plan, corte).split("\n\n")


def test_el_texto_cuenta_las_cifras_del_corte(marzo):
    plan, lineas, fases, atrasadas, sin_reportar, participantes = parrafos(marzo, MARZO)
    assert plan == (
        "Con corte al 31 de marzo de 2024, el plan «Cronograma de plan de acción de prueba» (Municipio de Prueba) "
        "tiene un avance de metas del 43,8 % (en rojo) y lleva 3 de 5 actividades programadas hasta marzo de 2024 "
        "(60,0 %, en amarillo)."
    )
    assert lineas == (
        "Línea de acción 1, «Condiciones institucionales»: el avance de sus metas es del 43,8 % (en rojo) y lleva "
        "3 de 5 actividades programadas hasta marzo de 2024 (60,0 %, en amarillo). "
        "La estrategia 1 lleva 2 de 3 actividades programadas hasta marzo de 2024 (66,7 %, en amarillo); "
        "el avance de sus metas es del 62,5 % (en amarillo). "
        "La estrategia 2 lleva 1 de 2 actividades programadas hasta marzo de 2024 (50,0 %, en rojo); "
        "el avance de sus metas es del 25,0 % (en rojo)."
    )
    # strategy 1 in diagnóstico; strategy 2 in diagnóstico and formulación: (62,5 + 25) / 2 = 43,75 → 43,8 %
    assert fases == (
        "Por fase del ciclo de la gestión pública, la ciudadanía participa en diagnóstico, las estrategias 1 y 2 "
        "(avance de metas del 43,8 %, en rojo) y en formulación, la estrategia 2 "
        "(avance de metas del 25,0 %, en rojo). "
        "Ninguna estrategia tiene participación en la fase de implementación. "
        "Ninguna estrategia tiene participación en la fase de evaluación y seguimiento."
    )
    assert atrasadas == (
        "Las 2 metas más atrasadas son: 1.2 «Doce (12) reuniones.» (3 de 12, 25,0 %, en rojo); "
        "2.1 «Dos (2) convocatorias de cada secretaría.» (1 de 4, 25,0 %, en rojo). "
        "De 3 metas, 1 está cumplida."
    )
    assert sin_reportar == (
        "En marzo de 2024 no ha reportado 1 secretaría responsable: "
        "Secretaría de Salud Pública y Seguridad Social (estrategia 2)."
    )
    assert participantes == (
        "Hasta el corte participaron 16 personas en las actividades con evidencia aprobada "
        "(8 mujeres, 7 hombres y 1 persona de otro sexo o sin esa información). "
        "Por grupo de valor: Jóvenes (8) y Mujeres (3)."
    )


def test_singulares_con_una_actividad_y_una_persona(plan_pequeno, salud, delegada_salud, coordinador):
    """Corte 31 January: 1.1 done by one woman, the only activity planned. Strategy 1: (100 + 0) / 2 = 50 %,
    strategy 2: 0 % (nothing planned yet), plan: 25 %."""
    meta = plan_pequeno.metas().get(codigo="1.1")
    aprobada(
        meta, salud, delegada_salud, coordinador, D(2024, 1, 15), 1,
        participantes_total=1, mujeres=1, hombres=0, otro_sexo=0, **SIN_EDADES,
    )  # fmt: skip
    plan, lineas, fases, atrasadas, sin_reportar, participantes = parrafos(plan_pequeno, D(2024, 1, 31))
    assert fases == (
        "Las estrategias todavía no tienen marcadas las fases del ciclo de la gestión en que participa la ciudadanía."
    )
    assert plan.endswith(
        "tiene un avance de metas del 25,0 % (en rojo) y lleva 1 de 1 actividad programada hasta enero de 2024 "
        "(100,0 %, en verde)."
    )
    assert "La estrategia 1 lleva 1 de 1 actividad programada hasta enero de 2024 (100,0 %, en verde)" in lineas
    assert (
        "La estrategia 2 no tiene actividades programadas hasta enero de 2024; el avance de sus metas es del "
        "0,0 % (en rojo)." in lineas
    )
    assert atrasadas.endswith("De 3 metas, 1 está cumplida.")
    assert sin_reportar == (
        "Todas las secretarías responsables reportaron las actividades programadas en enero de 2024."
    )
    assert participantes == (
        "Hasta el corte participó 1 persona en las actividades con evidencia aprobada (1 mujer). "
        "Ninguna evidencia aprobada registra grupos de valor."
    )


def test_sin_evidencias_y_mes_sin_programacion(plan_pequeno):
    """Corte 30 April: nothing approved; nothing planned in April; strategy 2 lacks 2 of 2 planned activities."""
    plan, lineas, _fases, atrasadas, sin_reportar, participantes = parrafos(plan_pequeno, D(2024, 4, 30))
    assert "tiene un avance de metas del 0,0 % (en rojo) y lleva 0 de 5 actividades programadas" in plan
    assert atrasadas.startswith(
        "Las 3 metas más atrasadas son: 1.1 «Un (1) documento anual.» (0 de 1, 0,0 %, en rojo);"
    )
    assert atrasadas.endswith("De 3 metas, ninguna está cumplida.")
    assert sin_reportar == "En abril de 2024 no hay actividades programadas, así que no se espera ningún reporte."
    assert participantes == "Hasta el corte ninguna evidencia aprobada registra participantes."


def _meta(codigo, tope):
    return SimpleNamespace(
        meta=SimpleNamespace(codigo=codigo, texto=f"Meta {codigo}."),
        aprobado_que_cuenta=0,
        objetivo=1,
        porcentaje=tope,
        porcentaje_tope=tope,
        color=Color.ROJO if tope < 60 else Color.VERDE,
    )


def _avance(*metas):
    return SimpleNamespace(metas=lambda: list(metas))


def test_una_sola_meta_atrasada_y_todas_cumplidas():
    assert narrativa._parrafo_atrasadas(_avance(_meta("1.1", 100), _meta("1.2", 50))) == (
        "La meta más atrasada es la 1.2 «Meta 1.2.» (0 de 1, 50,0 %, en rojo). De 2 metas, 1 está cumplida."
    )
    assert narrativa._parrafo_atrasadas(_avance(_meta("1.1", 100))) == "La meta del plan está cumplida al corte."
    assert narrativa._parrafo_atrasadas(_avance(_meta("1.1", 100), _meta("1.2", 100))) == (
        "Las 2 metas del plan están cumplidas al corte."
    )
    assert narrativa._parrafo_atrasadas(_avance(_meta("1.1", 0))).endswith("De 1 meta, ninguna está cumplida.")


def test_lista_en_espanol():
    assert narrativa.lista(["a"]) == "a"
    assert narrativa.lista(["a", "b"]) == "a y b"
    assert narrativa.lista(["a", "b", "c"]) == "a, b y c"


# ---- the report ----


def texto_pdf(contenido):
    return [pagina.extract_text() for pagina in PdfReader(io.BytesIO(contenido)).pages]


def test_el_pdf_abre_con_una_pagina_de_prosa_antes_de_las_tablas(marzo):
    paginas = texto_pdf(informes.pdf_avance(marzo, MARZO))
    prosa = next(i for i, p in enumerate(paginas) if "Presentación: el avance en palabras" in p)
    tablas = next(i for i, p in enumerate(paginas) if "1. Resumen del plan" in p)
    assert prosa < tablas
    plano = " ".join(paginas[prosa].split())
    assert "Con corte al 31 de marzo de 2024" in plano
    assert "La estrategia 2 lleva 1 de 2 actividades programadas hasta marzo de 2024 (50,0 %, en rojo)" in plano
    assert "Por grupo de valor: Jóvenes (8) y Mujeres (3)." in plano
    tablas = " ".join(" ".join(paginas[tablas:]).split())
    assert "Avance por fase del ciclo de la gestión" in tablas
    assert "Ninguna estrategia tiene participación en la fase de implementación." in tablas


def test_el_pdf_lleva_el_texto_editado_y_vuelve_al_generado(marzo, coordinador):
    acciones.guardar_narrativa(
        marzo, MARZO, usuario=coordinador, version=0, texto="El comité revisó el avance.\r\n\r\n\r\nSegundo párrafo."
    )
    fila = NarrativaInforme.objects.get(plan=marzo, corte=MARZO)
    assert fila.texto == "El comité revisó el avance.\n\nSegundo párrafo."
    paginas = " ".join(texto_pdf(informes.pdf_avance(marzo, MARZO)))
    assert "El comité revisó el avance." in paginas
    assert "Texto revisado por Carolina Ríos" in paginas
    assert "Con corte al 31 de marzo de 2024" not in paginas

    acciones.restablecer_narrativa(marzo, MARZO, usuario=coordinador, version=1)
    paginas = " ".join(texto_pdf(informes.pdf_avance(marzo, MARZO)))
    assert "Con corte al 31 de marzo de 2024" in " ".join(paginas.split())
    historial = list(VersionNarrativa.objects.filter(narrativa__plan=marzo).values_list("numero", "accion", "texto"))
    assert historial == [
        (2, VersionNarrativa.Accion.RESTABLECIDO, ""),
        (1, VersionNarrativa.Accion.EDITADO, "El comité revisó el avance.\n\nSegundo párrafo."),
    ]


def test_guardar_exige_la_version_que_se_abrio_y_el_permiso(marzo, coordinador, comite):
    acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=0, texto="Primera versión.")
    with pytest.raises(acciones.NarrativaDesactualizada, match="Carolina Ríos guardó el texto"):
        acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=0, texto="Otra versión.")
    with pytest.raises(PermissionDenied):
        acciones.guardar_narrativa(marzo, MARZO, usuario=comite, version=1, texto="Del comité.")
    with pytest.raises(acciones.TransicionInvalida, match="vacío"):
        acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=1, texto="  \n ")
    # the same text again is not a new version
    acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=1, texto="Primera versión.\n")
    assert NarrativaInforme.objects.get(plan=marzo, corte=MARZO).version == 1
    assert VersionNarrativa.objects.count() == 1


def test_el_informe_firmado_lleva_el_texto_y_despues_no_se_edita(marzo, coordinador, cerrar):  # noqa: F811
    acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=0, texto="Texto que firma el comité.")
    cierre = cerrar()
    firmado = cierre.documentos.get(tipo=DocumentoFirmado.Tipo.AVANCE)
    assert "Texto que firma el comité." in " ".join(texto_pdf(firmado.archivo.open("rb").read()))
    assert cierre.resumen["narrativa"] == "Texto que firma el comité."
    with pytest.raises(acciones.NarrativaCerrada, match="ya no se puede cambiar"):
        acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=1, texto="Cambio tardío.")
    with pytest.raises(acciones.PeriodoCerrado):
        acciones.restablecer_narrativa(marzo, MARZO, usuario=coordinador, version=1)
    assert NarrativaInforme.objects.get(plan=marzo, corte=MARZO).texto == "Texto que firma el comité."


# ---- the page ----


def url(plan, corte=MARZO):
    return reverse("reporte_narrativa") + f"?plan={plan.pk}&corte={corte.isoformat()}"


def test_la_coordinadora_edita_el_texto_en_la_pagina(client, marzo, coordinador):
    client.force_login(coordinador)
    respuesta = client.get(url(marzo))
    assert respuesta.status_code == 200
    contenido = respuesta.content.decode()
    assert "nadie lo ha editado" in contenido
    assert "Con corte al 31 de marzo de 2024" in contenido  # the generated text as the starting point
    assert 'name="version" value="0"' in contenido

    respuesta = client.post(url(marzo), {"texto": "Nuestro texto.", "version": "0", "accion": "guardar"})
    assert respuesta.status_code == 302 and respuesta["Location"] == url(marzo)
    contenido = client.get(url(marzo)).content.decode()
    assert "Texto editado por Carolina Ríos" in contenido
    assert "Versión 1" in contenido and "Volver al texto generado" in contenido

    # a stale form: refused, the typed text kept on the page
    respuesta = client.post(url(marzo), {"texto": "Texto viejo.", "version": "0", "accion": "guardar"})
    assert respuesta.status_code == 409
    assert "guardó el texto mientras usted lo editaba" in respuesta.content.decode()
    assert "Texto viejo." in respuesta.content.decode()

    respuesta = client.post(url(marzo), {"texto": "", "version": "1", "accion": "restablecer"})
    assert respuesta.status_code == 302
    assert NarrativaInforme.objects.get(plan=marzo, corte=MARZO).texto == ""


def test_pagina_de_un_corte_cerrado_solo_se_lee(client, marzo, coordinador, cerrar):  # noqa: F811
    cerrar()
    client.force_login(coordinador)
    respuesta = client.get(url(marzo))
    assert respuesta.status_code == 200
    assert 'id="texto-cerrado"' in respuesta.content.decode()
    assert 'id="form-narrativa"' not in respuesta.content.decode()
    respuesta = client.post(url(marzo), {"texto": "Tarde.", "version": "0", "accion": "guardar"})
    assert respuesta.status_code == 409
    assert not NarrativaInforme.objects.exists()


def test_quien_no_coordina_u_otra_entidad_no_entra(client, marzo, comite, coordinadora_candelaria):
    client.force_login(comite)
    assert client.get(url(marzo)).status_code == 403
    client.force_login(coordinadora_candelaria)
    assert client.get(url(marzo)).status_code == 404
    assert client.post(url(marzo), {"texto": "x", "version": "0"}).status_code == 404


def test_muchas_secretarias_sin_reportar_se_nombran_sin_detalle():
    def pendiente(nombre, *numeros):
        return SimpleNamespace(
            secretaria=SimpleNamespace(nombre=nombre), estrategias=[SimpleNamespace(numero=n) for n in numeros]
        )

    mes = SimpleNamespace(mes=D(2024, 3, 1), programado=2)
    avance = SimpleNamespace(corte=MARZO, ejecucion=SimpleNamespace(meses=[mes]))
    pocas = [pendiente("Salud", 1), pendiente("Hacienda", 1, 2)]
    assert narrativa._parrafo_sin_reportar(avance, pocas, "marzo de 2024") == (
        "En marzo de 2024 no han reportado 2 secretarías responsables: Salud (estrategia 1) y "
        "Hacienda (estrategias 1 y 2)."
    )
    muchas = [pendiente(nombre, 1) for nombre in ("A", "B", "C", "D", "E")]
    assert narrativa._parrafo_sin_reportar(avance, muchas, "marzo de 2024") == (
        "En marzo de 2024 no han reportado 5 secretarías responsables: A, B, C, D y E."
    )


def test_cada_version_del_texto_queda_en_la_auditoria_de_su_entidad(client, marzo, coordinador, coordinadora_pradera):
    acciones.guardar_narrativa(marzo, MARZO, usuario=coordinador, version=0, texto="El comité revisó el avance.")
    acciones.restablecer_narrativa(marzo, MARZO, usuario=coordinador, version=1)
    client.force_login(coordinador)
    respuesta = client.get(reverse("auditoria"), {"tipo": "narrativa"})
    entradas = respuesta.context["entradas"]
    assert [(e.usuario, e.accion) for e in entradas] == [
        (coordinador, "Volvió al texto generado (versión 2) del informe con corte al 31 de marzo de 2024"),
        (coordinador, "Editó el texto (versión 1) del informe con corte al 31 de marzo de 2024"),
    ]
    assert entradas[1].comentario == "El comité revisó el avance."
    assert entradas[0].enlace == reverse("reporte_narrativa") + f"?plan={marzo.pk}&corte=2024-03-31"
    # Also among all the sources; never in another entidad's trail.
    assert "Editó el texto (versión 1)" in client.get(reverse("auditoria")).content.decode()
    client.force_login(coordinadora_pradera)
    assert "Editó el texto" not in client.get(reverse("auditoria")).content.decode()
