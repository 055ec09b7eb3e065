"""PDF evidence: refused when it runs, launches or embeds something, or hides HTML; accepted otherwise."""

import base64
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError

from seguimiento.archivos import PDF, revisar_archivo
from seguimiento.formatos import pdf as revision_pdf
from seguimiento.tests.conftest import bytes_pdf, bytes_png, flujo_pdf, subida

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
# Pushes what follows beyond the first kilobyte, which the old check looked at.
RELLENO = b"% " + b"relleno " * 140 + b"\n"


def error_de(contenido, nombre="acta.pdf"):
    with pytest.raises(ValidationError) as error:
        revisar_archivo(subida(nombre, contenido))
    return error.value.error_list[0]


def acepta(contenido):
    return revisar_archivo(subida("acta.pdf", contenido)).tipo == PDF


def pdf_con_flujo_de_objetos(catalogo_extra=b"", objeto_extra=b"<< /Producer (Procesador) >>"):
    """A PDF 1.5 as modern writers make it: the catalog and another object packed in a compressed
    object stream (6), found through a cross-reference stream (8)."""
    catalogo = b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalogo_extra
    empaquetados = [catalogo, objeto_extra]
    cuerpos, posiciones = b"", []
    for cuerpo in empaquetados:
        posiciones.append(len(cuerpos))
        cuerpos += cuerpo + b"\n"
    indice = b"1 %d 7 %d " % (posiciones[0], posiciones[1])
    flujo_objetos = flujo_pdf(indice + cuerpos, diccionario=b"/Type /ObjStm /N 2 /First %d " % len(indice))
    salida = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    normales = {
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: flujo_pdf(b"BT /F1 12 Tf 72 720 Td (Acta) Tj ET"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: flujo_objetos,
    }
    desplazamientos = {}
    for numero, cuerpo in normales.items():
        desplazamientos[numero] = len(salida)
        salida += b"%d 0 obj\n%s\nendobj\n" % (numero, cuerpo)
    tabla = len(salida)
    filas = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff", b"\x02" + (6).to_bytes(4, "big") + b"\x00\x00"]
    filas += [b"\x01" + desplazamientos[n].to_bytes(4, "big") + b"\x00\x00" for n in range(2, 7)]
    filas += [b"\x02" + (6).to_bytes(4, "big") + b"\x00\x01", b"\x01" + tabla.to_bytes(4, "big") + b"\x00\x00"]
    referencias = flujo_pdf(b"".join(filas), diccionario=b"/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R ")
    salida += b"8 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (referencias, tabla)
    return bytes(salida)


def pdf_de_weasyprint():
    """A real PDF as the app's own reports are made: embedded font, a picture, compressed object streams."""
    from weasyprint import HTML as Documento

    foto = base64.b64encode(bytes_png(tamano=(64, 64))).decode()
    parrafo = "Asistentes de la vereda El Carmen. " * 200
    return Documento(string=f'<h1>Acta</h1><img src="data:image/png;base64,{foto}"><p>{parrafo}</p>').write_pdf()


# --- Findings of the security test ---------------------------------------------------------------


def test_rechaza_javascript_en_openaction():
    contenido = bytes_pdf(
        catalogo=b"/OpenAction 6 0 R ", extra=[b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>"]
    )
    error = error_de(contenido)
    assert error.code == "pdf_javascript"
    assert "«acta.pdf» contiene JavaScript" in error.message % error.params


def test_rechaza_html_despues_del_primer_kilobyte():
    contenido = bytes_pdf(extra=[b"<< /Relleno (%s) >>" % (b"x" * 1100)], cola=b"")
    contenido = contenido.replace(b"endobj\nxref", b"endobj\n% " + HTML + b"\nxref", 1)
    assert contenido.index(b"<script") > 1024
    assert error_de(contenido).code == "html"


# --- Scripts, programs, embedded files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("descripcion", "catalogo", "pagina", "extra"),
    [
        (
            "acción de página /AA",
            b"",
            b"/AA << /O 6 0 R >> ",
            [b"<< /S /JavaScript /JS 7 0 R >>", flujo_pdf(b"app.alert(1)")],
        ),
        (
            "árbol de nombres /JavaScript",
            b"/Names << /JavaScript 6 0 R >> ",
            b"",
            [b"<< /Names [(a) 7 0 R] >>", b"<< /S /JavaScript /JS (1) >>"],
        ),
        (
            "acción encadenada con /Next",
            b"/OpenAction << /S /URI /URI (https://x.org) /Next 6 0 R >> ",
            b"",
            [b"<< /S /JavaScript /JS (1) >>"],
        ),
        ("formulario XFA", b"/AcroForm << /Fields [] /XFA 6 0 R >> ", b"", [flujo_pdf(b"<xdp:xdp/>")]),
    ],
    ids=["/AA", "/Names /JavaScript", "/Next", "XFA"],
)
def test_rechaza_javascript_en_cualquier_parte(descripcion, catalogo, pagina, extra):
    assert error_de(bytes_pdf(catalogo=catalogo, pagina=pagina, extra=extra)).code == "pdf_javascript", descripcion


def test_rechaza_javascript_dentro_de_un_flujo_de_objetos_comprimido():
    assert acepta(pdf_con_flujo_de_objetos())
    contenido = pdf_con_flujo_de_objetos(b"/OpenAction 7 0 R ", b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in contenido  # only visible once decompressed
    assert error_de(contenido).code == "pdf_javascript"


@pytest.mark.parametrize(
    "accion",
    [b"<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>", b"<< /S /Launch /Win << /F (calc.exe) >> >>"],
    ids=["/F", "/Win"],
)
def test_rechaza_acciones_que_abren_programas(accion):
    error = error_de(bytes_pdf(catalogo=b"/OpenAction 6 0 R ", extra=[accion]))
    assert error.code == "pdf_lanzar"


@pytest.mark.parametrize(
    ("catalogo", "pagina", "extra"),
    [
        (
            b"/Names << /EmbeddedFiles << /Names [(nota.exe) 6 0 R] >> >> ",
            b"",
            [
                b"<< /Type /Filespec /F (nota.exe) /EF << /F 7 0 R >> >>",
                flujo_pdf(b"MZ", diccionario=b"/Type /EmbeddedFile "),
            ],
        ),
        (
            b"",
            b"/Annots [6 0 R] ",
            [
                b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS 7 0 R >>",
                b"<< /Type /Filespec /F (lista.xlsm) /EF << /F 8 0 R >> >>",
                flujo_pdf(b"PK", diccionario=b"/Type /EmbeddedFile "),
            ],
        ),
    ],
    ids=["adjunto del documento", "anotación con adjunto"],
)
def test_rechaza_archivos_incrustados(catalogo, pagina, extra):
    assert error_de(bytes_pdf(catalogo=catalogo, pagina=pagina, extra=extra)).code == "pdf_adjuntos"


def test_acepta_enlaces_y_destinos():
    contenido = bytes_pdf(
        catalogo=b"/OpenAction [3 0 R /Fit] ",
        pagina=b"/Annots [6 0 R] ",
        extra=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://candelaria.gov.co) >> >>"
        ],
    )
    assert acepta(contenido)


# --- HTML where a browser could find it -------------------------------------------------------


def test_rechaza_html_antes_de_pdf():
    # Readers accept %PDF within the first kilobyte; here the file must start with it.
    error = error_de(HTML + b"\n" + bytes_pdf())
    assert error.code == "tipo"
    assert "no es PDF, JPEG, PNG, DOCX ni XLSX" in error.message % error.params


def test_rechaza_html_despues_del_ultimo_eof():
    assert error_de(bytes_pdf(cola=RELLENO + HTML)).code == "html"


def test_rechaza_html_en_un_flujo_sin_comprimir():
    contenido = bytes_pdf(extra=[b"<< /Relleno (%s) >>" % (b"x" * 1100), flujo_pdf(HTML, comprimido=False)])
    assert error_de(contenido).code == "html"


def test_rechaza_html_en_el_contenido_descomprimido():
    contenido = bytes_pdf(
        pagina=b"/Extra 7 0 R ", extra=[b"<< /Relleno (%s) >>" % (b"x" * 1100), flujo_pdf(b"%% " + HTML)]
    )
    assert b"<script" not in contenido
    assert error_de(contenido).code == "html"


def test_rechaza_html_en_un_texto_del_documento():
    contenido = bytes_pdf(catalogo=b"/Lang (es) /Nota 6 0 R ", extra=[b"<< /T (%s) >>" % (b"x" * 1100)])
    contenido = contenido.replace(b"/T (", b"/T (" + HTML.replace(b"(", b"").replace(b")", b""), 1)
    assert error_de(contenido).code == "html"


def test_no_busca_html_en_los_bytes_de_un_flujo_codificado():
    # ASCII85 text that spells "<html", "<head" and "<meta" decodes to binary bytes with no HTML at all:
    # judging the stream by its raw bytes would refuse a good file.
    crudo = b"<html<head<meta~>"
    decodificado = base64.a85decode(crudo, adobe=True)
    assert b"<" not in decodificado
    contenido = bytes_pdf(
        extra=[
            b"<< /Relleno (%s) >>" % (b"x" * 1100),
            b"<< /Filter /ASCII85Decode /Length %d >>\nstream\n%s\nendstream" % (len(crudo), crudo),
        ],
        pagina=b"/Metadatos 7 0 R ",
    )
    assert contenido.index(b"<html") > 1024
    assert acepta(contenido)


def test_acepta_pdf_real_con_fuentes_incrustadas_e_imagenes():
    contenido = pdf_de_weasyprint()
    recursos = pypdf.PdfReader(io.BytesIO(contenido)).pages[0]["/Resources"]
    assert "/Font" in recursos and "/XObject" in recursos
    assert acepta(contenido)


# --- Broken, protected, too complex -------------------------------------------------------------


def test_rechaza_pdf_danado_con_un_mensaje_claro():
    error = error_de(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n" + b"\x00" * 100)
    assert error.code in ("pdf_danado", "html")
    error = error_de(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    assert error.code == "pdf_danado"
    assert "Ábralo y guárdelo de nuevo como PDF" in error.message


def test_rechaza_pdf_cortado():
    completo = bytes_pdf()
    assert error_de(completo[: len(completo) - 40]).code == "pdf_incompleto"


def cifrado(usuario):
    lector = pypdf.PdfReader(io.BytesIO(bytes_pdf()))
    escritor = pypdf.PdfWriter(clone_from=lector)
    escritor.encrypt(user_password=usuario, owner_password="dueño-del-documento", algorithm="AES-256")
    salida = io.BytesIO()
    escritor.write(salida)
    return salida.getvalue()


def test_pdf_con_contrasena_para_abrirlo_se_rechaza():
    assert error_de(cifrado("clave-secreta")).code == "pdf_protegido"


def test_pdf_cifrado_que_se_abre_sin_contrasena_se_revisa_y_se_acepta():
    # Only printing or copying restricted (common in PDFs from government systems).
    assert acepta(cifrado(""))


def test_el_esfuerzo_esta_acotado(monkeypatch):
    monkeypatch.setattr(revision_pdf, "MAX_OBJETOS", 5)
    assert error_de(bytes_pdf()).code == "pdf_complejo"
    monkeypatch.setattr(revision_pdf, "MAX_OBJETOS", 200_000)
    monkeypatch.setattr(revision_pdf, "MAX_DECODIFICADO", 100)
    grande = bytes_pdf(extra=[flujo_pdf(b"0 0 m 1 1 l S\n" * 100)], pagina=b"/Extra 6 0 R ")
    assert error_de(grande).code == "pdf_complejo"


def test_una_bomba_de_descompresion_se_rechaza_sin_inflarla():
    # 60 MB of zeros in 60 KB: over pypdf's per-stream limit for this check (50 MB).
    contenido = bytes_pdf(pagina=b"/Extra 6 0 R ", extra=[flujo_pdf(b"\x00" * 60_000_000)])
    assert len(contenido) < 100_000
    assert error_de(contenido).code == "pdf_complejo"
