"""Each bad input of the evidence form gives a clear message and writes nothing: no rows, no files."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from seguimiento.models import (
    ArchivoEvidencia,
    ArchivoPreparado,
    CambioEstado,
    Evidencia,
    GrupoValor,
    ParticipacionGrupo,
)
from seguimiento.tests.conftest import bytes_pdf, bytes_png, datos_evidencia, subida


@pytest.fixture
def enviar_formulario(client, plan_pequeno, salud, delegada_salud, almacen_temporal):
    client.force_login(delegada_salud)
    meta = plan_pequeno.metas().get(codigo="1.2")

    def enviar(archivos=(), **cambios):
        datos = datos_evidencia(meta, salud, **cambios)
        if archivos:
            datos["archivos"] = list(archivos)
        respuesta = client.post(reverse("evidencia_crear"), datos)
        assert respuesta.status_code == 200, "un formulario inválido se muestra de nuevo"
        assert Evidencia.objects.count() == 0
        assert CambioEstado.objects.count() == 0
        assert ParticipacionGrupo.objects.count() == 0
        assert ArchivoEvidencia.objects.count() == 0
        # Files that passed the checks wait in preparados/ for the next try; none became an evidence file.
        assert not any(p.is_file() for p in almacen_temporal.rglob("*") if "preparados" not in p.parts)
        html = respuesta.content.decode()
        assert "No se guardó nada" in html
        return html

    return enviar


def test_fecha_futura(enviar_formulario):
    with time_machine.travel(datetime.datetime(2024, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        html = enviar_formulario(fecha_actividad="2024-04-02")
    assert "La fecha de la actividad no puede ser futura (hoy es 20 de marzo de 2024)." in html


def test_fecha_fuera_del_plan(enviar_formulario):
    html = enviar_formulario(fecha_actividad="2023-12-31")
    assert "La fecha debe estar dentro del periodo del plan: del 1 de enero de 2024 al 30 de junio de 2024." in html


def test_fecha_invalida(enviar_formulario):
    assert "«31/02/2024» no existe: febrero de 2024 tiene 29 días." in enviar_formulario(fecha_actividad="31/02/2024")


@pytest.mark.parametrize("cantidad", ["0", "-3"])
def test_cantidad_no_positiva(enviar_formulario, cantidad):
    assert "La cantidad debe ser un número entero positivo: 1 o más." in enviar_formulario(cantidad=cantidad)


def test_cantidad_no_entera(enviar_formulario):
    assert "Introduzca un número entero." in enviar_formulario(cantidad="1.5")


def test_sin_descripcion(enviar_formulario):
    assert "Este campo es obligatorio." in enviar_formulario(descripcion="  ")


def test_sin_medios(enviar_formulario):
    assert "Marque al menos un medio de verificación." in enviar_formulario(medios=[])


def test_medio_inventado(enviar_formulario):
    assert "Escoja una opción válida. fax no es una de las opciones disponibles." in enviar_formulario(medios=["fax"])


def test_suma_por_sexo_supera_el_total(enviar_formulario):
    html = enviar_formulario(mujeres=15, hombres=8)
    assert "La suma de participantes por sexo (23) supera el total de participantes (20)." in html


def test_suma_por_edad_supera_el_total(enviar_formulario):
    html = enviar_formulario(edad_0_17=10, edad_60_mas=11)
    assert "La suma de participantes por edad (41) supera el total de participantes (20)." in html


def test_un_grupo_de_valor_supera_el_total(enviar_formulario):
    jovenes = GrupoValor.objects.get(nombre="Jóvenes")
    html = enviar_formulario(**{f"grupo_{jovenes.pk}": 21})
    assert "«Jóvenes» (21) supera el total de participantes (20)." in html


def test_participantes_negativos(enviar_formulario):
    assert "Asegúrese de que este valor es mayor o igual a 0." in enviar_formulario(mujeres=-1)


def test_enlace_que_no_es_web(enviar_formulario):
    html = enviar_formulario(enlaces="https://candelaria.gov.co/acta\njavascript:alert(1)")
    assert "La línea 2 («javascript:alert(1)») no es una dirección web: debe empezar por https://." in html


def test_demasiados_enlaces(enviar_formulario):
    enlaces = "\n".join(f"https://ejemplo.org/{n}" for n in range(11))
    assert "Escriba como máximo 10 enlaces." in enviar_formulario(enlaces=enlaces)


def test_meta_de_otra_secretaria(enviar_formulario, plan_pequeno, hacienda):
    # Hacienda is responsible for 2.1 but the delegate does not belong to it.
    html = enviar_formulario(secretaria=hacienda.pk)
    assert "Usted no es delegado de esa secretaría. Elija una de la lista." in html


def test_secretaria_propia_que_no_es_responsable_de_la_meta(enviar_formulario, plan_pequeno, hacienda, delegada_salud):
    hacienda.delegados.add(delegada_salud)
    html = enviar_formulario(secretaria=hacienda.pk)
    assert "La Secretaría de Hacienda no es responsable de la meta 1.2. Elija otra meta o secretaría." in html


def test_meta_que_no_es_de_sus_secretarias(enviar_formulario, plan_pequeno, salud):
    from plan_participacion.models import Meta, Secretaria

    otra = Secretaria.objects.create(entidad=plan_pequeno.entidad, nombre="Secretaría de Tránsito")
    meta = Meta.objects.get(codigo="1.1")
    meta.estrategia.responsables.set([otra])
    html = enviar_formulario(meta=meta.pk)
    assert "Esa meta no está a cargo de ninguna de sus secretarías. Elija una de la lista." in html


def test_archivo_de_tipo_no_permitido_no_deja_nada_aunque_otro_sea_valido(enviar_formulario):
    html = enviar_formulario(
        archivos=[subida("acta.pdf", bytes_pdf()), subida("foto.png", b"<html><script>alert(1)</script></html>")]
    )
    assert "El archivo «foto.png» no es PDF, JPEG, PNG, DOCX ni XLSX." in html
    # The good one stays attached for the next try; the bad one is gone.
    assert [p.nombre for p in ArchivoPreparado.objects.all()] == ["acta.pdf"]
    assert "Ya adjuntos" in html and "acta.pdf" in html


def test_archivo_demasiado_grande(enviar_formulario, settings):
    settings.ARCHIVO_MAX_BYTES = 100
    html = enviar_formulario(archivos=[subida("foto.png", bytes_png(tamano=(40, 40)))])
    assert "El archivo «foto.png» pesa" in html
    assert "el máximo por archivo es 100\xa0bytes" in html


def test_evidencia_demasiado_pesada(enviar_formulario, settings):
    settings.EVIDENCIA_MAX_BYTES = 300
    pdf = bytes_pdf()
    html = enviar_formulario(archivos=[subida("a.pdf", pdf), subida("b.pdf", pdf)])
    assert "Los archivos de esta evidencia sumarían" in html
    assert "el máximo por evidencia es 300\xa0bytes" in html


def test_el_limite_por_evidencia_cuenta_los_archivos_ya_guardados(
    client, plan_pequeno, salud, delegada_salud, settings, evidencia_salud
):
    from seguimiento.archivos import guardar_archivos, revisar_archivo

    guardar_archivos(evidencia_salud, [revisar_archivo(subida("a.pdf", bytes_pdf()))], usuario=delegada_salud)
    settings.EVIDENCIA_MAX_BYTES = len(bytes_pdf()) + 10
    client.force_login(delegada_salud)
    datos = datos_evidencia(evidencia_salud.meta, salud, archivos=[subida("b.pdf", bytes_pdf())])
    html = client.post(reverse("evidencia_editar", args=[evidencia_salud.pk]), datos).content.decode()
    assert "Los archivos de esta evidencia sumarían" in html
    assert evidencia_salud.archivos.count() == 1
    # Removing the old file in the same edit makes room for the new one.
    datos["quitar_archivos"] = [evidencia_salud.archivos.get().pk]
    datos["archivos"] = [subida("b.pdf", bytes_pdf())]
    respuesta = client.post(reverse("evidencia_editar", args=[evidencia_salud.pk]), datos)
    assert respuesta.status_code == 302
    assert [a.nombre_original for a in evidencia_salud.archivos.all()] == ["b.pdf"]
