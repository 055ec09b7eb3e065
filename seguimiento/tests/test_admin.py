"""Admin: evidence is shown read-only with its files, participation and history; catalogs are editable."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conftest import CLAVE
from seguimiento import acciones
from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.models import GrupoValor, Semaforo
from seguimiento.tests.conftest import bytes_pdf, subida


@pytest.fixture
def admin_client_(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", CLAVE))
    return client


def test_evidencia_se_ve_con_archivos_participacion_e_historial(admin_client_, evidencia_salud, delegada_salud):
    guardar_archivos(evidencia_salud, [revisar_archivo(subida("acta.pdf", bytes_pdf()))], usuario=delegada_salud)
    acciones.enviar(evidencia_salud, usuario=delegada_salud)
    html = admin_client_.get(reverse("admin:seguimiento_evidencia_change", args=[evidencia_salud.pk])).content.decode()
    archivo = evidencia_salud.archivos.get()
    assert f'href="{reverse("archivo_descargar", args=[archivo.pk])}">acta.pdf</a>' in html
    assert archivo.sha256 in html
    assert "Borrador creado." in html
    assert 'name="estado"' not in html  # states change only through seguimiento.acciones


def test_evidencia_no_se_crea_ni_borra_desde_el_admin(admin_client_, evidencia_salud):
    assert admin_client_.get(reverse("admin:seguimiento_evidencia_add")).status_code == 403
    assert (
        admin_client_.get(reverse("admin:seguimiento_evidencia_delete", args=[evidencia_salud.pk])).status_code == 403
    )


def test_lista_de_evidencias_en_el_admin(admin_client_, evidencia_salud):
    respuesta = admin_client_.get(reverse("admin:seguimiento_evidencia_changelist"), {"estado__exact": "borrador"})
    assert respuesta.status_code == 200
    assert "1.2 · Secretaría de Salud" in respuesta.content.decode()


def test_grupos_de_valor_se_editan(admin_client_):
    respuesta = admin_client_.post(
        reverse("admin:seguimiento_grupovalor_add"), {"nombre": "Población LGBTIQ+", "orden": 10, "activo": "on"}
    )
    assert respuesta.status_code == 302
    assert GrupoValor.objects.filter(nombre="Población LGBTIQ+").exists()


def test_semaforo_tiene_una_sola_fila(admin_client_):
    url = reverse("admin:seguimiento_semaforo_add")
    assert admin_client_.post(url, {"rojo_menor_que": 50, "verde_desde": 90}).status_code == 302
    assert admin_client_.get(url).status_code == 403
    assert Semaforo.actual().verde_desde == 90


def test_coordinacion_ve_evidencias_en_el_admin(client, coordinador, evidencia_salud):
    client.force_login(coordinador)
    url = reverse("admin:seguimiento_evidencia_change", args=[evidencia_salud.pk])
    assert client.get(url).status_code == 200
