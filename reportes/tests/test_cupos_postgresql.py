"""Two workers taking a render slot at the same moment, on two PostgreSQL connections."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from reportes import trabajos
from reportes.models import Informe


@pytest.mark.solo_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dos_trabajadores_a_la_vez_no_pasan_el_limite(plan_pequeno, comite, settings, monkeypatch):
    """A takes the slots' lock and stops before counting; B asks meanwhile: it must wait, then find no slot."""
    settings.REPORTES_EN_PARALELO = 1
    ahora = timezone.now()
    informes = [
        Informe.objects.create(
            plan=plan_pequeno,
            tipo="verificacion",
            corte=datetime.date(2024, 3, n),
            huella=str(n) * 64,
            pedido_por=comite,
            pedido_en=ahora,
            ultima_solicitud=ahora,
        )
        for n in (1, 2)
    ]
    a_tiene_el_cerrojo, soltar_a = threading.Event(), threading.Event()
    original = trabajos._cerrojo_de_cupos
    resultados = {}

    def cerrojo_con_pausa():
        original()
        if threading.current_thread().name == "A":
            a_tiene_el_cerrojo.set()
            assert soltar_a.wait(10)

    monkeypatch.setattr(trabajos, "_cerrojo_de_cupos", cerrojo_con_pausa)

    def trabajador(nombre, informe):
        try:
            resultados[nombre] = trabajos.tomar_cupo(informe.pk, f"tarea-{nombre}")[1]
        finally:
            connection.close()

    a = threading.Thread(target=trabajador, args=("A", informes[0]), name="A")
    b = threading.Thread(target=trabajador, args=("B", informes[1]), name="B")
    a.start()
    assert a_tiene_el_cerrojo.wait(10)
    b.start()
    time.sleep(0.5)  # B reaches the lock and waits on it; without the lock it would count 0 and take a slot
    soltar_a.set()
    a.join(10)
    b.join(10)
    assert resultados == {"A": True, "B": False}
    assert Informe.objects.filter(estado=Informe.Estado.GENERANDO).count() == 1
