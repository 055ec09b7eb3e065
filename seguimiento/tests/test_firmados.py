"""Signed documents: archived once when a period is closed, served byte-identical forever, retried when
the job fails, kept (reemplazado) when the period is reopened.

plan_pequeno, closed up to 31 March 2024 on 5 April. The archive job runs in the test (django-tasks'
immediate backend runs it when the closing's on_commit callbacks are executed).
"""

import dataclasses
import datetime
import hashlib
import io
import zoneinfo

import pytest
import time_machine
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from seguimiento import acciones, firmados
from seguimiento.acciones import PeriodoCerrado
from seguimiento.models import Cierre, DocumentoFirmado, Evidencia
from seguimiento.tests.conftest import CONFIRMAR, MARZO, evidencia_en

Estado = Evidencia.Estado
Tipo = DocumentoFirmado.Tipo
EstadoArchivo = Cierre.EstadoArchivo
CINCO_DE_ABRIL = datetime.datetime(2024, 4, 5, 10, 30, tzinfo=zoneinfo.ZoneInfo("America/Bogota"))
SIN_TRABAJADOR = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}


@pytest.fixture
def historia(plan_pequeno, salud, delegada_salud, coordinador):
    """In March: one approved evidence (quantity 3) and one sent, waiting for review."""
    meta = plan_pequeno.metas().get(codigo="1.2")
    aprobada = evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 10))
    acciones.editar(aprobada, usuario=delegada_salud, datos={"cantidad": 3})
    acciones.enviar(aprobada, usuario=delegada_salud)
    acciones.aprobar(aprobada, revisor=coordinador)
    enviada = evidencia_en(meta, salud, delegada_salud, datetime.date(2024, 3, 20), Estado.ENVIADA)
    return {"aprobada": aprobada, "enviada": enviada}


@pytest.fixture
def cerrar(plan_pequeno, coordinador, django_capture_on_commit_callbacks):
    """Close up to 31 March on 5 April and run what the closing enqueued (the archive job)."""

    def cerrar_y_archivar(hasta=MARZO):
        with time_machine.travel(CINCO_DE_ABRIL, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                cierre = acciones.cerrar_periodo(plan_pequeno, hasta, usuario=coordinador)
        cierre.refresh_from_db()
        return cierre

    return cerrar_y_archivar


def descargar(client, documento):
    respuesta = client.get(reverse("firmado_descargar", args=[documento.pk]))
    assert respuesta.status_code == 200, respuesta.content[:300]
    return respuesta.content


def test_cerrar_archiva_los_tres_documentos_con_su_huella_y_sus_cifras(historia, cerrar, plan_pequeno):
    cierre = cerrar()
    assert (cierre.estado_archivo, cierre.intentos, cierre.error) == (EstadoArchivo.LISTO, 1, "")
    documentos = {d.tipo: d for d in cierre.documentos.all()}
    assert sorted(documentos) == sorted(Tipo.values)
    for documento in documentos.values():
        contenido = documento.archivo.open("rb").read()
        assert documento.tamano == len(contenido)
        assert documento.sha256 == hashlib.sha256(contenido).hexdigest()
        assert documento.archivo.name.startswith(f"firmados/{plan_pequeno.pk}/2024-03-31/")
    assert documentos[Tipo.AVANCE].nombre == "informe-avance-municipio-de-prueba-2024-03-31.pdf"
    assert documentos[Tipo.CRONOGRAMA].nombre == "cronograma-municipio-de-prueba-2024-03-31.xlsx"

    avance = PdfReader(documentos[Tipo.AVANCE].archivo.open("rb"))
    assert "Fecha de corte: 31 de marzo de 2024" in avance.pages[0].extract_text()
    verificacion = PdfReader(documentos[Tipo.VERIFICACION].archivo.open("rb"))
    assert "INFORME DE VERIFICACIÓN" in verificacion.pages[0].extract_text()
    libro = load_workbook(io.BytesIO(documentos[Tipo.CRONOGRAMA].archivo.open("rb").read()))
    assert "Cronograma" in libro.sheetnames

    # The figures' summary: meta 1.2 has 3 of 12 approved (the sent one does not count).
    resumen = cierre.resumen
    assert (resumen["corte"], resumen["evidencias_aprobadas"]) == ("2024-03-31", 1)
    metas = {m["codigo"]: m for linea in resumen["lineas"] for e in linea["estrategias"] for m in e["metas"]}
    assert metas["1.2"] == {
        "codigo": "1.2",
        "objetivo": 12,
        "aprobado": 3,
        "aprobado_que_cuenta": 3,
        "avance": "25.0",
        "color": "rojo",
    }
    assert resumen["semaforo"] == {"rojo_menor_que": 60, "verde_desde": 80}


def test_se_archiva_una_sola_vez(historia, cerrar):
    cierre = cerrar()
    antes = list(DocumentoFirmado.objects.values_list("pk", "sha256", "archivo"))
    firmados.ejecutar(cierre.pk)
    firmados.ejecutar(cierre.pk)
    assert list(DocumentoFirmado.objects.values_list("pk", "sha256", "archivo")) == antes


def test_el_documento_firmado_no_cambia_con_aprobaciones_intentadas_ni_al_reabrir(
    client, historia, cerrar, plan_pequeno, coordinador, comite
):
    cierre = cerrar()
    avance = cierre.documentos.get(tipo=Tipo.AVANCE)
    huella = avance.sha256
    client.force_login(comite)
    original = descargar(client, avance)
    assert hashlib.sha256(original).hexdigest() == huella
    enlace = {"plan": plan_pequeno.pk, "corte": "2024-03-31"}
    # The report URL for the closing's date is the archived document, not a new rendering.
    assert client.get(reverse("reporte_avance"), enlace).content == original

    # New approvals in the closed period are refused, in the action and on the page.
    with pytest.raises(PeriodoCerrado):
        acciones.aprobar(historia["enviada"], revisor=coordinador)
    client.force_login(coordinador)
    client.post(reverse("evidencia_aprobar", args=[historia["enviada"].pk]), CONFIRMAR)
    assert Evidencia.objects.get(pk=historia["enviada"].pk).estado == Estado.ENVIADA
    assert descargar(client, avance) == original
    assert client.get(reverse("reporte_avance"), enlace).content == original

    # Reopened and approved: the archive keeps its bytes, marked "reemplazado"; the date's report is live again.
    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="Faltaba aprobar la reunión del 20")
    acciones.aprobar(historia["enviada"], revisor=coordinador)
    assert descargar(client, avance) == original
    assert hashlib.sha256(descargar(client, avance)).hexdigest() == huella
    vivo = client.get(reverse("reporte_avance"), enlace)
    assert vivo.status_code == 200 and vivo.content != original
    lista = client.get(reverse("firmados")).content.decode()
    assert "reemplazado" in lista and "Faltaba aprobar la reunión del 20" in lista

    # Closing again archives anew; the old document is still there, unchanged.
    nuevo = cerrar().documentos.get(tipo=Tipo.AVANCE)
    assert nuevo.sha256 != huella
    assert client.get(reverse("reporte_avance"), enlace).content == descargar(client, nuevo)
    assert descargar(client, avance) == original
    assert DocumentoFirmado.objects.count() == 2 * len(firmados.DOCUMENTOS)


def test_mientras_se_genera_el_corte_del_cierre_lo_dice(client, historia, plan_pequeno, coordinador, comite, settings):
    settings.TASKS = SIN_TRABAJADOR
    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        cierre = acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador)
    client.force_login(comite)
    enlace = {"plan": plan_pequeno.pk, "corte": "2024-03-31"}
    for nombre in ("reporte_avance", "reporte_verificacion", "reporte_cronograma"):
        respuesta = client.get(reverse(nombre), enlace)
        assert respuesta.status_code == 202
        assert "Se está generando el archivo firmado." in respuesta.content.decode()
    assert "Generando el archivo firmado…" in client.get(reverse("firmados")).content.decode()

    firmados.ejecutar(cierre.pk)
    respuesta = client.get(reverse("reporte_cronograma"), enlace)
    assert respuesta.status_code == 200
    assert respuesta.content == cierre.documentos.get(tipo=Tipo.CRONOGRAMA).archivo.open("rb").read()


def test_otro_corte_dentro_del_periodo_cerrado_se_calcula_de_los_datos_congelados(
    client, historia, cerrar, plan_pequeno, comite
):
    cerrar()
    client.force_login(comite)
    respuesta = client.get(reverse("reporte_cronograma"), {"plan": plan_pequeno.pk, "corte": "2024-03-15"})
    assert respuesta.status_code == 200
    assert not DocumentoFirmado.objects.filter(sha256=hashlib.sha256(respuesta.content).hexdigest()).exists()
    hoja = load_workbook(io.BytesIO(respuesta.content))["Metas e indicadores"]
    fila = next(f for f in hoja.iter_rows(values_only=True) if any(str(v).startswith("1.2") for v in f if v))
    assert 3 in fila  # meta 1.2's approved quantity, as frozen by the closing


def test_un_trabajo_que_falla_se_reintenta(historia, cerrar, monkeypatch):
    fallas = []
    original = firmados.DOCUMENTOS[1].generar

    def falla_una_vez(plan, corte):
        if not fallas:
            fallas.append(1)
            raise OSError("disco lleno")
        return original(plan, corte)

    documentos = list(firmados.DOCUMENTOS)
    documentos[1] = dataclasses.replace(documentos[1], generar=falla_una_vez)
    monkeypatch.setattr(firmados, "DOCUMENTOS", tuple(documentos))
    cierre = cerrar()
    assert fallas == [1]
    assert (cierre.estado_archivo, cierre.intentos, cierre.error) == (EstadoArchivo.LISTO, 2, "")
    assert cierre.documentos.count() == len(firmados.DOCUMENTOS)


def test_si_falla_siempre_lo_muestra_y_la_coordinacion_lo_reintenta(
    client, historia, cerrar, monkeypatch, coordinador, django_capture_on_commit_callbacks
):
    def roto(plan, corte):
        raise OSError("disco lleno")

    buenos = firmados.DOCUMENTOS
    monkeypatch.setattr(firmados, "DOCUMENTOS", tuple(dataclasses.replace(d, generar=roto) for d in buenos))
    cierre = cerrar()
    assert (cierre.estado_archivo, cierre.intentos) == (EstadoArchivo.FALLIDO, firmados.INTENTOS)
    assert cierre.error == "OSError: disco lleno"
    assert not cierre.documentos.exists()
    client.force_login(coordinador)
    pagina = client.get(reverse("cierres")).content.decode()
    assert "No se pudo generar el archivo firmado." in pagina and "disco lleno" in pagina
    assert "Volver a intentarlo" in pagina

    monkeypatch.setattr(firmados, "DOCUMENTOS", buenos)
    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("cierre_reintentar", args=[cierre.pk]), follow=True)
    assert "Se volvió a pedir el archivo firmado" in respuesta.content.decode()
    cierre.refresh_from_db()
    assert (cierre.estado_archivo, cierre.error, cierre.documentos.count()) == (
        EstadoArchivo.LISTO,
        "",
        len(firmados.DOCUMENTOS),
    )


def test_reabrir_antes_de_archivar_no_archiva_datos_que_ya_pueden_cambiar(
    historia, plan_pequeno, coordinador, settings
):
    settings.TASKS = SIN_TRABAJADOR
    with time_machine.travel(CINCO_DE_ABRIL, tick=False):
        cierre = acciones.cerrar_periodo(plan_pequeno, MARZO, usuario=coordinador)
    acciones.reabrir_periodo(plan_pequeno, usuario=coordinador, motivo="Cerrado por error")
    firmados.ejecutar(cierre.pk)
    cierre.refresh_from_db()
    assert cierre.estado_archivo == EstadoArchivo.CANCELADO
    assert not DocumentoFirmado.objects.exists()
    with pytest.raises(acciones.TransicionInvalida, match="se reabrió"):
        acciones.reintentar_archivo(cierre, usuario=coordinador)


def test_un_archivo_alterado_en_el_disco_no_se_entrega(client, historia, cerrar, comite, caplog):
    documento = cerrar().documentos.get(tipo=Tipo.AVANCE)
    with open(documento.archivo.path, "r+b") as archivo:
        archivo.seek(100)
        byte = archivo.read(1)
        archivo.seek(100)
        archivo.write(bytes([byte[0] ^ 1]))
    client.force_login(comite)
    respuesta = client.get(reverse("firmado_descargar", args=[documento.pk]))
    assert respuesta.status_code == 500
    assert "ya no coincide con la huella SHA-256" in respuesta.content.decode()
    assert "no coincide con su SHA-256 archivado" in caplog.text


def test_el_archivo_firmado_no_se_borra(historia, cerrar, plan_pequeno):
    cierre = cerrar()
    with pytest.raises(ProtectedError):
        cierre.delete()
    with pytest.raises(ProtectedError):
        plan_pequeno.delete()
    assert DocumentoFirmado.objects.count() == len(firmados.DOCUMENTOS)


def test_la_lista_de_firmados_para_el_comite(client, historia, cerrar, comite, delegada_salud, plan_pequeno):
    client.force_login(comite)
    vacia = client.get(reverse("firmados"))
    assert "Todavía no se ha cerrado ningún periodo" in vacia.content.decode()
    cierre = cerrar()
    texto = client.get(reverse("firmados")).content.decode()
    for documento in cierre.documentos.all():
        assert documento.sha256 in texto
        assert documento.get_absolute_url() in texto
    assert "Corte al 31 de marzo de 2024" in texto
    assert "Avance del plan:" in texto
    resumen = client.get(reverse("firmado_resumen", args=[cierre.pk]))
    assert resumen.json()["corte"] == "2024-03-31"
    client.force_login(delegada_salud)
    assert client.get(reverse("firmados")).status_code == 403
    assert client.get(reverse("firmado_descargar", args=[cierre.documentos.first().pk])).status_code == 403
