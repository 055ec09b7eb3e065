"""Personas and a small hand-written plan shared by every test module."""

import datetime
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from plan_participacion.models import (
    Entidad,
    Estrategia,
    Indicador,
    LineaAccion,
    Membresia,
    Meta,
    Objetivo,
    Plan,
    ProgramacionMensual,
    Secretaria,
)

CLAVE = "clave-de-prueba-123"

EN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def motor_de_la_base():
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


def pytest_collection_modifyitems(config, items):
    """Tests marked solo_postgresql are deselected on SQLite (not skipped): the count of what ran stays honest."""
    if motor_de_la_base() == "postgresql":
        return
    deseleccionados = [item for item in items if item.get_closest_marker("solo_postgresql")]
    if deseleccionados:
        config.hook.pytest_deselected(items=deseleccionados)
        items[:] = [item for item in items if not item.get_closest_marker("solo_postgresql")]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: CI must check everything it claims to check."""
    resultado = yield
    informe = resultado.get_result()
    if EN_CI and informe.skipped and not hasattr(informe, "wasxfail"):
        motivo = informe.longrepr[2] if isinstance(informe.longrepr, tuple) else str(informe.longrepr)
        informe.outcome = "failed"
        informe.longrepr = f"Prueba omitida con CI=true (en CI nada se omite): {motivo}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database gets the shared cache's table too (CACHES), as `make run` and the README's
    installation do with `manage.py createcachetable`."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def tareas_inmediatas(settings):
    """Unit tests run enqueued tasks at once in the same process (django-tasks' immediate backend).

    Tasks are enqueued in transaction.on_commit, so inside a test's transaction they run only when
    the test captures the callbacks (django_capture_on_commit_callbacks(execute=True)).
    """
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.COLAS_DE_TAREAS,
        }
    }


@pytest.fixture
def cola_de_mentira(settings):
    """Enqueued tasks are kept, not run (django-tasks' dummy backend): a test counts them and runs them itself."""
    from django_tasks import default_task_backend

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": settings.COLAS_DE_TAREAS}
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def cola_en_la_base(settings):
    """The real queue: django-tasks-db's table, worked by `call_command("db_worker", batch=True)`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.COLAS_DE_TAREAS}}


def crear_usuario(username, grupo=None, *, entidad=None, **extra):
    usuario = User.objects.create_user(username=username, password=CLAVE, **extra)
    if grupo:
        usuario.groups.add(Group.objects.get(name=grupo))
    if entidad:
        Membresia.objects.create(usuario=usuario, entidad=entidad)
    return usuario


@pytest.fixture
def entidad(db):
    """The entity every persona below works for, and the owner of plan_pequeno and its secretarías."""
    return Entidad.objects.create(nombre="Municipio de Prueba", codigo_dane="76999")


@pytest.fixture
def entidad_candelaria(db):
    """The seed's municipio, for the tests that import the Candelaria sheet from the browser."""
    return Entidad.objects.create(nombre="Municipio de Candelaria", codigo_dane="76130")


@pytest.fixture
def coordinadora_candelaria(entidad_candelaria):
    """Catalina coordinates Candelaria: the seed is her entity's sheet, so she may import it."""
    return crear_usuario(
        "catalina.candelaria",
        "Coordinador",
        entidad=entidad_candelaria,
        first_name="Catalina",
        last_name="Vélez",
        is_staff=True,
    )


@pytest.fixture
def coordinador(entidad):
    return crear_usuario(
        "carolina.coordinadora",
        "Coordinador",
        entidad=entidad,
        first_name="Carolina",
        last_name="Ríos",
        is_staff=True,
    )


@pytest.fixture
def comite(entidad):
    return crear_usuario("camilo.comite", "Comité", entidad=entidad, first_name="Camilo", last_name="Mejía")


@pytest.fixture
def salud(entidad):
    return Secretaria.objects.create(entidad=entidad, nombre="Secretaría de Salud Pública y Seguridad Social")


@pytest.fixture
def hacienda(entidad):
    return Secretaria.objects.create(entidad=entidad, nombre="Secretaría de Hacienda")


@pytest.fixture
def plan_pequeno(entidad, salud, hacienda):
    """Two strategies, three metas, a schedule of 6 activities from Jan to Jun 2024."""
    plan = Plan.objects.create(
        entidad=entidad,
        municipio="Municipio de Prueba",
        titulo="Cronograma de plan de acción de prueba",
        codigo_formato="54-PSC-FT-743",
        version="1",
        mes_inicio=datetime.date(2024, 1, 1),
        mes_fin=datetime.date(2024, 6, 1),
    )
    linea = LineaAccion.objects.create(plan=plan, numero=1, nombre="Condiciones institucionales")
    objetivo = Objetivo.objects.create(linea=linea, texto="Fortalecer las condiciones institucionales.")
    e1 = Estrategia.objects.create(objetivo=objetivo, numero=1, texto="Realizar el diagnóstico.")
    e2 = Estrategia.objects.create(objetivo=objetivo, numero=2, texto="Convocar a la ciudadanía.")
    e1.responsables.set([salud])
    e2.responsables.set([salud, hacienda])
    m11 = Meta.objects.create(
        estrategia=e1, codigo="1.1", orden=1, texto="Un (1) documento anual.", cantidad_objetivo=1
    )
    m12 = Meta.objects.create(estrategia=e1, codigo="1.2", orden=2, texto="Doce (12) reuniones.", cantidad_objetivo=12)
    m21 = Meta.objects.create(
        estrategia=e2,
        codigo="2.1",
        orden=1,
        texto="Dos (2) convocatorias de cada secretaría.",
        cantidad_objetivo=2,
        por_secretaria=True,
    )
    for meta in (m11, m12, m21):
        Indicador.objects.create(meta=meta, codigo=f"{meta.codigo}.1", texto=f"Número de {meta.texto}")
    for estrategia, mes, cantidad in [(e1, 1, 1), (e1, 3, 2), (e2, 2, 1), (e2, 3, 1), (e2, 6, 1)]:
        ProgramacionMensual.objects.create(estrategia=estrategia, mes=datetime.date(2024, mes, 1), cantidad=cantidad)
    return plan


@pytest.fixture
def delegada_salud(entidad, salud):
    """Daniela reports for the Secretaría de Salud."""
    usuaria = crear_usuario("daniela.salud", "Delegado", entidad=entidad, first_name="Daniela", last_name="Gómez")
    salud.delegados.add(usuaria)
    return usuaria


@pytest.fixture
def delegado_hacienda(entidad, hacienda):
    """Hernán reports for the Secretaría de Hacienda; he must never see Salud's evidence."""
    usuario = crear_usuario("hernan.hacienda", "Delegado", entidad=entidad, first_name="Hernán", last_name="Pérez")
    hacienda.delegados.add(usuario)
    return usuario
