"""JPEG and PNG evidence is decoded and written again: what is stored holds the picture and nothing else."""

import hashlib
import io
import struct
import warnings
import zlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from seguimiento.archivos import JPEG, PNG, guardar_archivos, revisar_archivo
from seguimiento.tests.conftest import bytes_jpeg, bytes_pdf, bytes_png, subida

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def foto_con_gps(orientacion=1, tamano=(40, 20)):
    """A phone photo: left half red, right half blue, with where it was taken and what took it."""
    imagen = Image.new("RGB", tamano, "red")
    imagen.paste("blue", (tamano[0] // 2, 0, tamano[0], tamano[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TelefonoDeDaniela"
    exif[ExifTags.Base.Orientation] = orientacion
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (3.0, 24.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (76.0, 20.0, 24.0)
    salida = io.BytesIO()
    imagen.save(
        salida,
        "JPEG",
        quality=95,
        exif=exif,
        comment=b"Vereda El Carmen",
        xmp=b"<x:xmpmeta><lugar>Casa de la familia</lugar></x:xmpmeta>",
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return salida.getvalue()


def guardado(revisado):
    revisado.subido.seek(0)
    return revisado.subido.read()


def abrir(datos):
    imagen = Image.open(io.BytesIO(datos))
    imagen.load()
    return imagen


def mensaje_de(subido):
    with pytest.raises(ValidationError) as error:
        revisar_archivo(subido)
    return " ".join(error.value.messages)


def chunk_png(tipo, datos):
    return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))


def png_que_dice_medir(ancho, alto):
    """A PNG whose header claims a huge picture, with almost no data: a decompression bomb's shape."""
    cabecera = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk_png(b"IHDR", cabecera)
        + chunk_png(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk_png(b"IEND", b"")
    )


# --- Findings of the security test ---------------------------------------------------------------


def test_la_foto_se_guarda_sin_exif_ni_gps_ni_xmp_ni_comentarios():
    original = foto_con_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload has them
    revisado = revisar_archivo(subida("reunión.jpg", original))
    datos = guardado(revisado)
    imagen = abrir(datos)
    assert imagen.format == "JPEG"
    assert not imagen.getexif()
    assert not imagen.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(imagen.info)
    for rastro in (b"TelefonoDeDaniela", b"Vereda El Carmen", b"Casa de la familia", b"Exif", b"GPS"):
        assert rastro not in datos


def test_el_sha256_es_el_del_archivo_guardado_y_el_del_original_queda_aparte(
    almacen_temporal, evidencia_salud, delegada_salud
):
    original = foto_con_gps()
    revisado = revisar_archivo(subida("reunión.jpg", original))
    (ruta,) = guardar_archivos(evidencia_salud, [revisado], usuario=delegada_salud)
    archivo = evidencia_salud.archivos.get()
    en_disco = (almacen_temporal / ruta).read_bytes()
    assert en_disco != original
    assert archivo.sha256 == hashlib.sha256(en_disco).hexdigest()
    assert archivo.tamano == len(en_disco)
    assert archivo.sha256_original == hashlib.sha256(original).hexdigest()


def test_la_orientacion_exif_se_aplica_antes_de_quitarla():
    # Orientation 6: the camera was turned; viewers rotate the picture 90° clockwise to show it.
    imagen = abrir(guardado(revisar_archivo(subida("vertical.jpg", foto_con_gps(orientacion=6)))))
    assert imagen.size == (20, 40)
    assert ExifTags.Base.Orientation not in imagen.getexif()
    rojo, azul = imagen.getpixel((10, 5)), imagen.getpixel((10, 35))
    assert rojo[0] > 200 and rojo[2] < 60  # what was on the left is now on top
    assert azul[2] > 200 and azul[0] < 60


def test_png_con_html_en_un_fragmento_de_texto_despues_de_1_2_kb_se_guarda_sin_el():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "x" * 1200 + HTML.decode())
    info.add_itxt("Description", HTML.decode())
    salida = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(salida, "PNG", pnginfo=info)
    original = salida.getvalue()
    assert original.index(b"<script") > 1024  # beyond what the first-kilobyte check looked at
    datos = guardado(revisar_archivo(subida("foto.png", original)))
    assert b"<script" not in datos and b"<html" not in datos
    assert b"tEXt" not in datos and b"iTXt" not in datos
    assert abrir(datos).getpixel((3, 3)) == (0, 128, 0)


@pytest.mark.parametrize(("nombre", "imagen"), [("foto.png", bytes_png()), ("foto.jpg", bytes_jpeg())])
def test_lo_que_sigue_a_la_imagen_no_se_guarda(nombre, imagen):
    relleno = b"\x00" * 1100
    datos = guardado(revisar_archivo(subida(nombre, imagen + relleno + HTML)))
    assert b"<script" not in datos
    assert HTML not in datos


def test_una_imagen_de_mas_megapixeles_que_el_limite_se_rechaza_sin_decodificarla(settings):
    # 63 MP: between Pillow's warning and its error (50 and 100 MP); the old check silenced the warning.
    mensaje = mensaje_de(subida("enorme.png", png_que_dice_medir(9000, 7000)))
    assert "«enorme.png» tiene más de 50 megapíxeles" in mensaje
    assert "tiene más de 50 megapíxeles" in mensaje_de(subida("bomba.png", png_que_dice_medir(20000, 20000)))


def test_el_limite_de_pillow_es_el_de_las_fotos_de_evidencia_y_su_aviso_es_un_error(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.IMAGEN_MAX_PIXELES == 50_000_000
    # pytest resets warning filters around each test: install them again as the app does at start.
    with warnings.catch_warnings():
        apps.get_app_config("seguimiento").ready()
        with pytest.raises(Image.DecompressionBombWarning):
            Image.open(io.BytesIO(png_que_dice_medir(9000, 7000)))
        assert Image.open(io.BytesIO(bytes_png())).size == (8, 8)


def test_el_limite_de_megapixeles_se_configura(settings):
    settings.IMAGEN_MAX_PIXELES = 1_000_000
    assert "tiene más de 1 megapíxeles" in mensaje_de(subida("foto.png", bytes_png(tamano=(1200, 1000))))
    assert revisar_archivo(subida("foto.png", bytes_png(tamano=(1000, 1000)))).tipo == PNG


# --- Pictures stay right ------------------------------------------------------------------------


def test_jpeg_se_recodifica_con_alta_calidad():
    imagen = Image.effect_mandelbrot((256, 256), (-2, -1.5, 1, 1.5), 60).convert("RGB")
    salida = io.BytesIO()
    imagen.save(salida, "JPEG", quality=95)
    datos = guardado(revisar_archivo(subida("detalle.jpg", salida.getvalue())))
    recodificada = abrir(datos)
    antes, despues = imagen.tobytes(), recodificada.tobytes()
    assert sum(abs(a - b) for a, b in zip(antes, despues, strict=True)) / len(antes) < 3  # lossy, by very little


def test_png_es_identico_en_pixeles_y_conserva_la_transparencia():
    imagen = Image.new("RGBA", (16, 16), (255, 0, 0, 0))
    imagen.paste((0, 0, 255, 255), (0, 0, 8, 16))
    salida = io.BytesIO()
    imagen.save(salida, "PNG")
    recodificada = abrir(guardado(revisar_archivo(subida("logo.png", salida.getvalue()))))
    assert recodificada.mode == "RGBA"
    assert recodificada.tobytes() == imagen.tobytes()


def test_png_con_paleta_conserva_su_color_transparente():
    imagen = Image.new("P", (4, 4), 1)
    imagen.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    salida = io.BytesIO()
    imagen.save(salida, "PNG", transparency=1)
    recodificada = abrir(guardado(revisar_archivo(subida("icono.png", salida.getvalue()))))
    assert recodificada.mode == "P"
    assert recodificada.info["transparency"] == 1


def test_jpeg_cmyk_se_guarda_en_rgb():
    salida = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(salida, "JPEG")
    recodificada = abrir(guardado(revisar_archivo(subida("escaneo.jpg", salida.getvalue()))))
    assert recodificada.mode == "RGB"
    r, g, b = recodificada.getpixel((4, 4))
    assert r > 200 and g < 60 and b < 60


def test_foto_mpo_de_telefono_se_acepta_y_se_guarda_como_jpeg_con_su_primera_imagen():
    principal, vista_previa = Image.new("RGB", (16, 16), "red"), Image.new("RGB", (8, 8), "blue")
    salida = io.BytesIO()
    principal.save(salida, "MPO", save_all=True, append_images=[vista_previa])
    assert Image.open(io.BytesIO(salida.getvalue())).format == "MPO"
    revisado = revisar_archivo(subida("retrato.jpg", salida.getvalue()))
    imagen = abrir(guardado(revisado))
    assert (revisado.tipo, imagen.format, imagen.size) == (JPEG, "JPEG", (16, 16))
    assert getattr(imagen, "n_frames", 1) == 1


def test_un_perfil_de_color_se_aplica_y_no_se_guarda():
    imagen = Image.new("RGB", (8, 8), (200, 100, 50))
    salida = io.BytesIO()
    perfil = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    imagen.save(salida, "PNG", icc_profile=perfil)
    recodificada = abrir(guardado(revisar_archivo(subida("color.png", salida.getvalue()))))
    assert "icc_profile" not in recodificada.info
    assert all(abs(a - b) <= 2 for a, b in zip(recodificada.getpixel((2, 2)), (200, 100, 50), strict=True))


# --- Broken images ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nombre", "imagen"), [("foto.png", bytes_png(tamano=(64, 64))), ("foto.jpg", foto_con_gps(tamano=(64, 64)))]
)
def test_imagen_cortada_se_rechaza_aunque_otro_modulo_permita_cargar_imagenes_truncadas(monkeypatch, nombre, imagen):
    # WeasyPrint (loaded for the reports in the same process) sets this for its own images.
    monkeypatch.setattr("PIL.ImageFile.LOAD_TRUNCATED_IMAGES", True)
    cortada = imagen[: len(imagen) * 3 // 4]
    assert "está dañada" in mensaje_de(subida(nombre, cortada))


def test_jpeg_con_datos_basura_se_rechaza():
    datos = bytes_jpeg()
    inicio_de_datos = datos.index(b"\xff\xda") + 20
    basura = datos[:inicio_de_datos] + b"\xff\x00" * 5 + b"\x12\x34" * 40
    assert "está dañada o no es realmente una imagen JPEG" in mensaje_de(subida("foto.jpg", basura))


def test_la_pagina_de_la_evidencia_dice_que_la_imagen_se_recodifico(client, evidencia_salud, delegada_salud):
    from django.urls import reverse

    guardar_archivos(
        evidencia_salud,
        [revisar_archivo(subida("foto.jpg", foto_con_gps())), revisar_archivo(subida("acta.pdf", bytes_pdf()))],
        usuario=delegada_salud,
    )
    foto = evidencia_salud.archivos.get(nombre_original="foto.jpg")
    client.force_login(delegada_salud)
    html = client.get(reverse("evidencia_detalle", args=[evidencia_salud.pk])).content.decode()
    assert html.count("Imagen recodificada al subirla, sin metadatos") == 1
    assert foto.sha256 in html and foto.sha256_original in html
