"""The verification report drawn in parts: one document, numbered across parts, metas continued, no repetition."""

import io
import re

from pypdf import PdfReader

from reportes import verificacion
from reportes.informes import pdf_verificacion
from reportes.tests.conftest import CORTE
from seguimiento.avance import avance_plan
from seguimiento.models import Evidencia
from seguimiento.tests.datos_avance import multiplicar


def test_un_informe_en_varias_partes_es_un_solo_documento(historia_candelaria, settings):
    settings.REPORTES_EVIDENCIAS_POR_PARTE = 3
    diagnostico = historia_candelaria["evidencias"]["1.1"]
    multiplicar([diagnostico], 8)  # meta 1.1: 8 approved evidences → three parts for it alone
    plan = historia_candelaria["plan"]
    lector = PdfReader(io.BytesIO(pdf_verificacion(plan, CORTE)))
    paginas = [re.sub(r"[^\S\n]+", " ", p.extract_text()) for p in lector.pages]
    total = len(paginas)
    for numero, texto in enumerate(paginas, start=1):
        assert f"Página {numero} de {total}" in texto  # one numbering across every part
        assert "MUNICIPIO DE CANDELARIA" in texto and "INFORME DE VERIFICACIÓN" in texto
    todo = "\n".join(paginas)
    assert todo.count("Meta 1.1.") == 3  # its first run and two continuations
    assert todo.count("Meta 1.1. (continuación)") == 2
    assert todo.count("Informe de verificación de evidencias") == 1  # the title block, in the first part only
    assert todo.count("ELABORÓ") == 1 and "ELABORÓ" in paginas[-1]
    assert re.search(r"Evidencias aprobadas: 11 · Archivos: 2", todo)
    plano = re.sub(r"\s+", " ", todo)
    for pk in Evidencia.objects.filter(meta=diagnostico.meta).values_list("pk", flat=True):
        assert len(re.findall(rf"15/11/2022 · {pk} ", plano)) == 1  # every evidence once
    assert todo.count("Total aprobado") == 4  # metas 1.1, 1.2, 3.1 and 5.3: one total row each, at its end
    assert lector.metadata.title == "Informe de verificación · Municipio de Candelaria"


def test_las_partes_no_terminan_en_un_titulo(historia_candelaria):
    plan = historia_candelaria["plan"]
    avance = avance_plan(plan, CORTE)
    ids = {historia_candelaria["evidencias"]["1.1"].meta_id: list(range(5))}
    partes = verificacion.partes(avance, ids, 2)
    assert [p.evidencias for p in partes] == [2, 2, 1]
    for parte in partes[:-1]:
        assert parte.piezas[-1][0] == "meta"
    trozos = [pieza for parte in partes for tipo, pieza in parte.piezas if tipo == "meta" and pieza.ids]
    assert [(t.ids, t.continuacion, t.cierra) for t in trozos] == [
        ([0, 1], False, False),
        ([2, 3], True, False),
        ([4], True, True),
    ]
