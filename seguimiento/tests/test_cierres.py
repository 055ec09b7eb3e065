"""Closing a period: what it blocks, what it lets through, reopening, and the coordinator's page.

plan_pequeno runs January to June 2024; the closings here end on 31 March (MARZO), so evidence
dated that day is frozen and evidence of 1 April (ABRIL) is not.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from seguimiento import acciones
from seguimiento.acciones import PeriodoCerrado, TransicionInvalida
from seguimiento.models import Cierre, Evidencia
from seguimiento.tests.conftest import ABRIL, CONFIRMAR, MARZO, datos_accion, datos_evidencia, evidencia_en
from seguimiento.tests.datos_avance import avance_de

Estado = Evidencia.Estado
BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
CINCO_DE_ABRIL = datetime.datetime(2024, 4, 5, 10, 30, tzinfo=BOGOTA)
MENSAJE = "El periodo hasta el 31 de marzo de 2024 se cerró el 5 de abril de 2024 (Carolina Ríos)"


@pytest.fixture
def meta(plan_pequeno):
    return plan_pequeno.metas().get(codigo="1.2")


@pytest.fixture
def cerrar(plan_pequeno, coordinador, django_capture_on_commit_callbacks):
    """Close plan_pequeno up to a date on 5 April 2024 (the archive job is not run here)."""

    def cerrar_hasta(hasta=MARZO):
        with time_machine.travel(CINCO_DE_ABRIL, tick=False):
            return acciones.cerrar_periodo(plan_pequeno, hasta, usuario=coordinador)

    return cerrar_hasta


# ---- the six actions, on each side of the boundary ----


ACCIONES = ["crear", "editar", "enviar", "aprobar", "devolver", "eliminar"]


def _preparar(accion, meta, salud, delegada, coordinador, fecha):
    """Everything the action needs, created before the closing; returns the call that tries it."""
    if accion == "crear":
        return lambda: acciones.crear(usuario=delegada, datos=datos_accion(meta, salud, fecha))
    estado = Estado.ENVIADA if accion in ("aprobar", "devolver") else Estado.BORRADOR
    evidencia = evidencia_en(meta, salud, delegada, fecha, estado)
    llamadas = {
        "editar": lambda: acciones.editar(evidencia, usuario=delegada, datos={"cantidad": 3}),
        "enviar": lambda: acciones.enviar(evidencia, usuario=delegada),
        "aprobar": lambda: acciones.aprobar(evidencia, revisor=coordinador),
        "devolver": lambda: acciones.devolver(evidencia, revisor=coordinador, motivo="Falta la lista."),
        "eliminar": lambda: acciones.eliminar(evidencia, usuario=delegada),
    }
    return llamadas[accion]


@pytest.mark.parametrize("accion", ACCIONES)
def test_el_cierre_bloquea_cada_accion_en_el_periodo_cerrado(accion, meta, salud, delegada_salud, coordinador, cerrar):
    intento = _preparar(accion, meta, salud, delegada_salud, coordinador, MARZO)
    antes = list(Evidencia.objects.values_list("pk", "estado", "cantidad", "actualizada"))
    cerrar(MARZO)
    with pytest.raises(PeriodoCerrado) as error:
        intento()
    assert isinstance(error.value, TransicionInvalida)
    assert str(error.value).startswith(MENSAJE)
    assert error.value.cierre == Cierre.objects.get()
    assert list(Evidencia.objects.values_list("pk", "estado", "cantidad", "actualizada")) == antes
    assert not Evidencia.objects.con_historial_desacorde().exists()


@pytest.mark.parametrize("accion", ACCIONES)
def test_el_cierre_deja_pasar_cada_accion_despues_del_limite(accion, meta, salud, delegada_salud, coordinador, cerrar):
    intento = _preparar(accion, meta, salud, delegada_salud, coordinador, ABRIL)
    cerrar(MARZO)
    intento()
    assert not Evidencia.objects.con_historial_desacorde().exists()


def test_editar_no_lleva_una_evidencia_al_periodo_cerrado(meta, salud, delegada_salud, cerrar):
    evidencia = evidencia_en(meta, salud, delegada_salud, ABRIL)
    cerrar(MARZO)
    with pytest.raises(PeriodoCerrado):
        acciones.editar(evidencia, usuario=delegada_salud, datos={"fecha_actividad": MARZO})
    assert Evidencia.objects.get().fecha_actividad == ABRIL


def test_lo_que_no_toca_el_cierre_son_los_dias_posteriores_y_los_otros_planes(
    meta, salud, delegada_salud, coordinador, cerrar
):
    cerrar(datetime.date(2024, 2, 29))
    # 31 March is after a closing of February: everything goes through.
    evidencia = evidencia_en(meta, salud, delegada_salud, MARZO, Estado.ENVIADA)
    assert acciones.aprobar(evidencia, revisor=coordinador).estado == Estado.APROBADA


# ---- closing and reopening ----


def test_cerrar_valida_la_fecha(plan_pequeno, coordinador, cerrar):
    with pytest.raises(TransicionInvalida, match="dentro del periodo del plan: del 1 de enero de 2024 al 30 de junio"):
        cerrar(datetime.date(2023, 12, 31))
    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        with pytest.raises(TransicionInvalida, match="Solo se cierran días que ya terminaron: hoy es 5 de abril"):
            acciones.cerrar_periodo(plan_pequeno, datetime.date(2024, 4, 5), usuario=coordinador)
    cerrar(MARZO)
    with pytest.raises(TransicionInvalida, match=re.escape(f"{MENSAJE}. Elija una fecha posterior")):
        cerrar(datetime.date(2024, 2, 29))
    assert Cierre.objects.count() == 1


def test_solo_la_coordinacion_cierra_y_reabre(plan_pequeno, delegada_salud, comite):
    for persona in (delegada_salud, comite):
        with pytest.raises(PermissionDenied):
            acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=persona)
        with pytest.raises(PermissionDenied):
            acciones.reabrir_periodo(plan_pequeno, usuario=persona, motivo="Error de digitación")
    assert not Cierre.objects.exists()


def test_reabrir_exige_motivo_y_reabre_el_ultimo_cierre(plan_pequeno, coordinador, meta, salud, delegada_salud, cerrar):
    cerrar(datetime.date(2024, 2, 29))
    cerrar(MARZO)
    with pytest.raises(TransicionInvalida, match="Escriba el motivo de la reapertura"):
        acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="   ")
    assert Cierre.objects.vigentes().count() == 2

    reabierto = acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="  Acta 12 corrige marzo. ")
    assert (reabierto.hasta, reabierto.reabierto_por, reabierto.motivo_reapertura) == (
        MARZO,
        coordinador,
        "Acta 12 corrige marzo.",
    )
    assert reabierto.reemplazado
    # Still closed up to February; March can be changed again.
    assert list(Cierre.objects.vigentes().values_list("hasta", flat=True)) == [datetime.date(2024, 2, 29)]
    acciones.crear(usuario=delegada_salud, datos=datos_accion(meta, salud, MARZO))
    with pytest.raises(PeriodoCerrado):
        acciones.crear(usuario=delegada_salud, datos=datos_accion(meta, salud, datetime.date(2024, 2, 29)))

    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="Revisión de febrero")
    with pytest.raises(TransicionInvalida, match="no tiene ningún periodo cerrado"):
        acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="Otra vez")


def test_un_periodo_reabierto_se_puede_cerrar_de_nuevo(plan_pequeno, coordinador, cerrar):
    primero = cerrar(MARZO)
    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="Faltaba una aprobación")
    segundo = cerrar(MARZO)
    assert primero.pk != segundo.pk
    assert list(Cierre.objects.vigentes()) == [segundo]


def test_cierre_y_reapertura_quedan_en_la_auditoria(client, plan_pequeno, coordinador, comite, cerrar):
    cerrar(MARZO)
    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="El comité pidió corregir la meta 1.2")
    client.force_login(comite)
    respuesta = client.get(reverse("auditoria"), {"tipo": "periodos"})
    texto = respuesta.content.decode()
    assert respuesta.status_code == 200
    assert "Cerró el periodo hasta el 31 de marzo de 2024" in texto
    assert "Reabrió el periodo hasta el 31 de marzo de 2024" in texto
    assert "El comité pidió corregir la meta 1.2" in texto
    assert [e.usuario for e in respuesta.context["entradas"]] == [coordinador, coordinador]


# ---- the pages ----


@pytest.fixture
def carolina(client, coordinador):
    client.force_login(coordinador)
    return client


def test_pagina_de_cierres_muestra_lo_que_se_congela_antes_de_confirmar(
    carolina, plan_pequeno, meta, salud, delegada_salud, coordinador
):
    evidencia_en(meta, salud, delegada_salud, MARZO, Estado.APROBADA, revisor=coordinador)
    evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 2), Estado.ENVIADA)
    evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 3))
    evidencia_en(meta, salud, delegada_salud, ABRIL, Estado.ENVIADA)  # after the date: not frozen

    pagina = carolina.get(reverse("cierres"))
    assert pagina.status_code == 200
    assert "Ningún periodo de este plan está cerrado" in pagina.content.decode()
    previa = carolina.get(reverse("cierres"), {"plan": plan_pequeno.pk, "hasta": "2024-03-31"})
    texto = previa.content.decode()
    assert "Cerrar el plan hasta el 31 de marzo de 2024 (incluido)" in texto
    assert "1 evidencia aprobada entra en el archivo firmado." in texto
    assert "1 evidencia enviada todavía no se ha revisado: quedará congelada sin contar." in texto
    assert "1 en borrador y 0 devueltas quedarán congeladas sin contar." in texto
    assert not Cierre.objects.exists()  # a preview writes nothing


def test_la_previa_explica_una_fecha_que_no_se_puede_cerrar(carolina, plan_pequeno):
    respuesta = carolina.get(reverse("cierres"), {"plan": plan_pequeno.pk, "hasta": "2099-01-31"})
    assert "La fecha de cierre debe estar dentro del periodo del plan" in respuesta.content.decode()
    assert "previa" not in respuesta.context


def test_cerrar_y_reabrir_desde_la_pagina(carolina, plan_pequeno, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        respuesta = carolina.post(
            reverse("cierre_cerrar"), {"plan": plan_pequeno.pk, "hasta": "2024-03-31", "motivo": "Acta 7"}, follow=True
        )
    texto = respuesta.content.decode()
    assert "Periodo cerrado hasta el 31 de marzo de 2024." in texto
    assert f"{MENSAJE}." in texto
    assert "Meses cerrados: de enero de 2024 a marzo de 2024." in texto
    assert "Generando el archivo firmado…" in texto
    cierre = Cierre.objects.get()
    assert (cierre.cerrado_por.username, cierre.motivo, cierre.estado_archivo) == (
        "carolina.coordinadora",
        "Acta 7",
        Cierre.EstadoArchivo.GENERANDO,
    )
    assert carolina.get(reverse("cierre_estado", args=[cierre.pk])).json()["generando"] is True

    sin_motivo = carolina.post(reverse("cierre_reabrir"), {"plan": plan_pequeno.pk, "motivo": "  "}, follow=True)
    assert "Escriba el motivo de la reapertura: queda en la auditoría." in sin_motivo.content.decode()
    assert Cierre.objects.vigentes().exists()

    reabierto = carolina.post(
        reverse("cierre_reabrir"), {"plan": plan_pequeno.pk, "motivo": "Corrección de la meta 1.2"}, follow=True
    )
    assert "Periodo reabierto" in reabierto.content.decode()
    assert not Cierre.objects.vigentes().exists()
    assert Cierre.objects.get().estado_archivo == Cierre.EstadoArchivo.CANCELADO


def test_cerrar_una_fecha_invalida_desde_la_pagina_lo_explica(carolina, plan_pequeno):
    respuesta = carolina.post(reverse("cierre_cerrar"), {"plan": plan_pequeno.pk, "hasta": "31/13/2024"}, follow=True)
    assert "«31/13/2024»: no hay mes 13. Escriba la fecha como dd/mm/aaaa" in respuesta.content.decode()
    assert not Cierre.objects.exists()


@pytest.mark.parametrize("persona", ["delegada_salud", "comite"])
def test_solo_la_coordinacion_usa_la_pagina(client, plan_pequeno, persona, request):
    client.force_login(request.getfixturevalue(persona))
    datos = {"plan": plan_pequeno.pk, "hasta": "2024-03-31", "motivo": "x"}
    assert client.get(reverse("cierres")).status_code == 403
    assert client.post(reverse("cierre_cerrar"), datos).status_code == 403
    assert client.post(reverse("cierre_reabrir"), datos).status_code == 403
    assert not Cierre.objects.exists()


def test_tablero_mis_metas_y_reportes_muestran_los_meses_cerrados(
    client, plan_pequeno, coordinador, delegada_salud, cerrar
):
    cerrar(datetime.date(2024, 3, 15))
    client.force_login(coordinador)
    tablero = client.get(reverse("tablero"), {"corte": "2024-04-30"})
    texto = tablero.content.decode()
    assert "Periodo cerrado." in texto and "El periodo hasta el 15 de marzo de 2024 se cerró" in texto
    assert "Meses cerrados: de enero de 2024 a febrero de 2024." in texto
    filas = {
        f.mes.month: f for f in avance_de(tablero).ejecucion.meses
    }  # the table marks January and February closed and March closed up to the 15th
    assert len(filas) == 6
    assert texto.count('mes-cerrado">cerrado</span>') == 2
    assert "cerrado hasta el 15</span>" in texto

    reportes = client.get(reverse("reportes"))
    assert "El periodo hasta el 15 de marzo de 2024 se cerró" in reportes.content.decode()

    client.force_login(delegada_salud)
    mis_metas = client.get(reverse("mis_metas")).content.decode()
    assert "El periodo hasta el 15 de marzo de 2024 se cerró" in mis_metas
    assert "ya no se pueden registrar, modificar, enviar, revisar ni eliminar" in mis_metas


def test_el_formulario_rechaza_una_fecha_del_periodo_cerrado(client, meta, salud, delegada_salud, cerrar):
    cerrar(MARZO)
    client.force_login(delegada_salud)
    formulario = client.get(reverse("evidencia_crear"))
    assert formulario.context["form"].fields["fecha_actividad"].widget.attrs["data-min"] == "01/04/2024"
    respuesta = client.post(reverse("evidencia_crear"), datos_evidencia(meta, salud, fecha_actividad="2024-03-31"))
    assert respuesta.status_code == 200
    assert respuesta.context["form"].errors["fecha_actividad"][0].startswith(MENSAJE)
    assert not Evidencia.objects.exists()


def test_la_evidencia_cerrada_lo_dice_y_no_ofrece_cambios(client, meta, salud, delegada_salud, coordinador, cerrar):
    borrador = evidencia_en(meta, salud, delegada_salud, MARZO)
    enviada = evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 30), Estado.ENVIADA)
    cerrar(MARZO)
    client.force_login(delegada_salud)
    pagina = client.get(borrador.get_absolute_url())
    texto = pagina.content.decode()
    assert MENSAJE in texto and "esta evidencia ya no se puede modificar" in texto
    assert reverse("evidencia_editar", args=[borrador.pk]) not in texto
    editar = client.get(reverse("evidencia_editar", args=[borrador.pk]), follow=True)
    assert editar.redirect_chain[-1][0] == borrador.get_absolute_url()
    assert MENSAJE in editar.content.decode()
    enviar = client.post(reverse("evidencia_enviar", args=[borrador.pk]), follow=True)
    assert MENSAJE in enviar.content.decode()

    client.force_login(coordinador)
    texto = client.get(enviada.get_absolute_url()).content.decode()
    assert reverse("evidencia_aprobar", args=[enviada.pk]) not in texto
    aprobar = client.post(reverse("evidencia_aprobar", args=[enviada.pk]), CONFIRMAR, follow=True)
    assert MENSAJE in aprobar.content.decode()
    assert Evidencia.objects.get(pk=enviada.pk).estado == Estado.ENVIADA
