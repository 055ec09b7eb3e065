"""A database failure while storing files leaves no file behind (seen in bench/falla.py's restart)."""

from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

from seguimiento.archivos import guardar_archivos, revisar_archivo
from seguimiento.models import ArchivoEvidencia
from seguimiento.tests.conftest import bytes_pdf, bytes_png, subida


def test_si_la_base_falla_a_mitad_no_quedan_archivos_huerfanos(almacen_temporal, evidencia_salud, delegada_salud):
    revisados = [revisar_archivo(subida("foto.png", bytes_png())), revisar_archivo(subida("acta.pdf", bytes_pdf()))]
    guardar_original = ArchivoEvidencia.save
    llamadas = []

    def segunda_falla(self, *args, **kwargs):
        llamadas.append(self)
        if len(llamadas) == 2:
            raise OperationalError("server closed the connection unexpectedly")
        return guardar_original(self, *args, **kwargs)

    with mock.patch.object(ArchivoEvidencia, "save", segunda_falla), pytest.raises(OperationalError):
        guardar_archivos(evidencia_salud, revisados, usuario=delegada_salud)
    assert [p for p in Path(almacen_temporal).rglob("*") if p.is_file()] == []
