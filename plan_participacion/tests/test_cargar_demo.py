import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from plan_participacion.models import Meta, Plan


@pytest.mark.django_db
def test_cargar_demo_es_idempotente(capsys, settings):
    settings.DEBUG = True
    call_command("cargar_demo")
    call_command("cargar_demo")
    salida = capsys.readouterr().out
    assert "Plan importado" in salida
    assert "ya está cargado" in salida
    assert Plan.objects.count() == 1
    assert Meta.objects.count() == 28
    roles = {u.username: [g.name for g in u.groups.all()] for u in User.objects.all()}
    assert roles["coordinadora"] == ["Coordinador"]
    assert roles["comite"] == ["Comité"]
    assert roles["delegada.salud"] == ["Delegado"]
    salud = User.objects.get(username="delegada.salud").secretarias.get()
    assert salud.nombre == "Secretaría de Salud Pública y Seguridad Social"
    assert salud.estrategias.count() == 6


@pytest.mark.django_db
def test_cargar_demo_no_corre_en_produccion(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=False"):
        call_command("cargar_demo")
    assert not Plan.objects.exists()
