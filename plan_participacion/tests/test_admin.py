import pytest
from django.contrib import admin
from django.urls import reverse

from conftest import crear_usuario
from plan_participacion.models import Entidad, Estrategia, Membresia, Plan, Secretaria

MODELOS = [
    m
    for m in admin.site._registry
    if m._meta.app_label == "plan_participacion" and m not in (Entidad, Membresia)  # those: administrador
]


def nombre(modelo):
    return f"admin:{modelo._meta.app_label}_{modelo._meta.model_name}"


@pytest.fixture
def otra_entidad_con_plan(db):
    """Pradera's plan and secretaría: a coordinator of another entity must not reach them in the admin."""
    pradera = Entidad.objects.create(nombre="Municipio de Pradera")
    plan = Plan.objects.create(
        entidad=pradera,
        municipio="Municipio de Pradera",
        titulo="Plan de Pradera",
        mes_inicio="2024-01-01",
        mes_fin="2024-12-01",
    )
    Secretaria.objects.create(entidad=pradera, nombre="Secretaría de Gobierno de Pradera")
    return plan


@pytest.fixture
def administrador(db):
    return crear_usuario("ana.administradora", "Administrador", is_staff=True, first_name="Ana")


@pytest.mark.parametrize("modelo", MODELOS, ids=lambda m: m._meta.model_name)
def test_coordinador_administra_el_plan(client, coordinador, plan_pequeno, modelo):
    client.force_login(coordinador)
    lista = client.get(reverse(f"{nombre(modelo)}_changelist"), {"q": "1"})
    assert lista.status_code == 200
    objeto = modelo.objects.visible_para(coordinador).first()
    assert client.get(reverse(f"{nombre(modelo)}_change", args=[objeto.pk])).status_code == 200
    assert client.get(reverse(f"{nombre(modelo)}_add")).status_code == 200


def test_el_admin_de_un_coordinador_solo_muestra_su_entidad(client, coordinador, plan_pequeno, otra_entidad_con_plan):
    client.force_login(coordinador)
    planes = client.get(reverse(f"{nombre(Plan)}_changelist"))
    assert list(planes.context["cl"].result_list) == [plan_pequeno]
    assert "Pradera" not in planes.content.decode()  # not in the list, nor in the filters
    assert client.get(reverse(f"{nombre(Plan)}_change", args=[otra_entidad_con_plan.pk])).status_code == 302
    secretarias = client.get(reverse(f"{nombre(Secretaria)}_changelist")).context["cl"].result_list
    assert {s.entidad_id for s in secretarias} == {plan_pequeno.entidad_id}
    formulario = client.get(reverse(f"{nombre(Estrategia)}_add")).context["adminform"].form
    assert "Pradera" not in str(list(formulario.fields["responsables"].queryset))
    assert list(formulario.fields["objetivo"].queryset.values_list("linea__plan", flat=True).distinct()) == [
        plan_pequeno.pk
    ]
    # Their entity is read-only for them; they cannot create another.
    entidades = client.get(reverse(f"{nombre(Entidad)}_changelist")).context["cl"].result_list
    assert [e.nombre for e in entidades] == ["Municipio de Prueba"]
    assert client.get(reverse(f"{nombre(Entidad)}_add")).status_code == 403


def test_el_administrador_crea_entidades_y_asigna_personas(
    client, administrador, coordinador, plan_pequeno, otra_entidad_con_plan
):
    client.force_login(administrador)
    respuesta = client.post(
        reverse(f"{nombre(Entidad)}_add"), {"nombre": "Municipio de Florida", "codigo_dane": "76275", "nit": ""}
    )
    assert respuesta.status_code == 302
    florida = Entidad.objects.get(nombre="Municipio de Florida")
    assert florida.clave == "florida"
    assert Plan.objects.visible_para(administrador).count() == 2  # every entity's plans
    respuesta = client.post(
        reverse(f"{nombre(Membresia)}_change", args=[coordinador.membresia.pk]),
        {"usuario": coordinador.pk, "entidad": florida.pk},
    )
    assert respuesta.status_code == 302
    coordinador.refresh_from_db()
    assert coordinador.membresia.entidad == florida


def test_un_codigo_dane_o_un_nit_mal_escrito_se_explica(client, administrador):
    client.force_login(administrador)
    respuesta = client.post(
        reverse(f"{nombre(Entidad)}_add"), {"nombre": "Municipio de Florida", "codigo_dane": "7627", "nit": "89.13"}
    )
    errores = respuesta.context["adminform"].form.errors
    assert errores["codigo_dane"] == ["Escriba el código DIVIPOLA: 2 dígitos (departamento) o 5 (municipio)."]
    assert errores["nit"][0].startswith("Escriba el NIT con solo dígitos")
    assert not Entidad.objects.filter(nombre="Municipio de Florida").exists()


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
