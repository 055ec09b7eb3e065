import pytest
from django.contrib import admin
from django.urls import reverse

MODELOS = [m for m in admin.site._registry if m._meta.app_label == "plan_participacion"]


@pytest.mark.parametrize("modelo", MODELOS, ids=lambda m: m._meta.model_name)
def test_coordinador_administra_el_plan(client, coordinador, plan_pequeno, modelo):
    client.force_login(coordinador)
    nombre = f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}"
    lista = client.get(reverse(f"{nombre}_changelist"), {"q": "1"})
    assert lista.status_code == 200
    objeto = modelo.objects.first()
    assert client.get(reverse(f"{nombre}_change", args=[objeto.pk])).status_code == 200
    assert client.get(reverse(f"{nombre}_add")).status_code == 200


def test_admin_en_espanol(client, coordinador, plan_pequeno):
    client.force_login(coordinador)
    html = client.get(reverse("admin:plan_participacion_estrategia_change", args=[plan_pequeno.estrategias()[0].pk]))
    texto = html.content.decode()
    assert "Programación mensual" in texto
    assert "Metas" in texto


def test_comite_no_entra_al_admin(client, comite):
    client.force_login(comite)
    respuesta = client.get(reverse("admin:index"))
    assert respuesta.status_code == 302
