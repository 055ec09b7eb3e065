"""Personas of the team pages: a coordinator of Municipio de Prueba and a delegate of another entity."""

import pytest

from conftest import crear_usuario
from plan_participacion.models import Entidad, Secretaria


@pytest.fixture(autouse=True)
def hash_rapido(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def pradera(db):
    return Entidad.objects.create(nombre="Municipio de Pradera")


@pytest.fixture
def gobierno_pradera(pradera):
    return Secretaria.objects.create(entidad=pradera, nombre="Secretaría de Gobierno")


@pytest.fixture
def delegado_pradera(pradera, gobierno_pradera):
    """Pablo reports for Pradera: Municipio de Prueba's coordinator must never reach him."""
    usuario = crear_usuario("pablo.pradera", "Delegado", entidad=pradera, first_name="Pablo", last_name="Rojas")
    gobierno_pradera.delegados.add(usuario)
    return usuario
