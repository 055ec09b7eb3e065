import pytest
from django.urls import reverse


def test_plan_requiere_sesion(client, plan_pequeno):
    respuesta = client.get(reverse("plan_vigente"))
    assert respuesta.status_code == 302
    assert reverse("login") in respuesta["Location"]


def test_plan_sin_planes_explica_como_cargarlo(client, coordinador):
    client.force_login(coordinador)
    respuesta = client.get(reverse("plan_vigente"))
    assert "Todavía no hay un plan cargado" in respuesta.content.decode()


def test_plan_muestra_jerarquia_y_cronograma(client, comite, plan_pequeno, django_assert_max_num_queries):
    client.force_login(comite)
    # 11 for session, user and plan, plus 2 for the permissions the menu checks (cached for the request).
    with django_assert_max_num_queries(14):
        respuesta = client.get(reverse("plan_vigente"))
    html = respuesta.content.decode()
    assert respuesta.status_code == 200
    for texto in [
        "Condiciones institucionales",
        "Realizar el diagnóstico.",
        "1.2",
        "Doce (12) reuniones.",
        "Secretaría de Hacienda",
        "por secretaría",
        "Indicador 2.1.1",
    ]:
        assert texto in html
    cronograma = respuesta.context["cronograma"]
    assert [f["total"] for f in cronograma["filas"]] == [3, 3]
    assert cronograma["totales_mes"] == [1, 1, 3, 0, 0, 1]
    assert cronograma["total"] == 6


@pytest.mark.django_db
def test_plan_inexistente_es_404(client, comite):
    client.force_login(comite)
    assert client.get(reverse("plan_detalle", args=[999])).status_code == 404
