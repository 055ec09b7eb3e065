"""JPEG and PNG evidence: decoded and written again, so that only the picture is stored.

Photos of participants (often minors or victims) carry where and when they were taken (EXIF
with GPS), the phone, sometimes a thumbnail of the uncropped picture; PNG text chunks and any
bytes after the image can carry anything, HTML included. Writing the decoded pixels again keeps
none of that: no EXIF, GPS, XMP, comments or text chunks, nothing after the image data. The
picture is first turned upright by its EXIF orientation (which is then dropped) and its colours
converted to sRGB when it has a colour profile, so it looks the same as before.

JPEG is written again at quality CALIDAD_JPEG: re-encoding a JPEG is lossy (slightly, at that
quality); PNG is lossless. The SHA-256 kept and shown is that of the stored file.

Decoding is bounded first: an image over settings.IMAGEN_MAX_PIXELES is refused from its header,
before any pixel is decoded (Pillow's DecompressionBombWarning is an error, see apps.py).
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

from seguimiento.formatos import rechazo

JPEG = "image/jpeg"
PNG = "image/png"
# Content type → Pillow formats that may hold it. MPO is how Pillow names a phone's JPEG that
# carries a second picture (a preview, a depth map): the first picture is the photo.
FORMATOS = {JPEG: ("JPEG", "MPO"), PNG: ("PNG",)}
NOMBRES = {JPEG: "JPEG", PNG: "PNG"}
CALIDAD_JPEG = 92
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _danada(nombre, tipo):
    return rechazo(
        _("La imagen «%(nombre)s» está dañada o no es realmente una imagen %(formato)s."),
        nombre,
        "imagen_invalida",
        formato=NOMBRES[tipo],
    )


def _demasiado_grande(nombre):
    return rechazo(
        _(
            "La imagen «%(nombre)s» tiene más de %(maximo)s megapíxeles. Redúzcala (por ejemplo, "
            "compártala desde el teléfono en tamaño «grande» en vez de «original») y súbala de nuevo."
        ),
        nombre,
        "imagen_muy_grande",
        maximo=f"{settings.IMAGEN_MAX_PIXELES / 1_000_000:g}",
    )


def _a_srgb(imagen):
    """The picture in sRGB, so that dropping its colour profile does not change how it looks."""
    perfil = imagen.info.get("icc_profile")
    if not perfil or imagen.mode not in ("RGB", "RGBA", "CMYK"):
        return imagen
    try:
        origen = ImageCms.ImageCmsProfile(io.BytesIO(perfil))
        return ImageCms.profileToProfile(imagen, origen, SRGB, outputMode="RGBA" if imagen.mode == "RGBA" else "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # An unusable profile: keep the pixels as they are (the colours may shift a little).
        return imagen


def _derecha(imagen):
    """Turned as its EXIF orientation says; a photo whose EXIF cannot be read is kept as it is."""
    try:
        return ImageOps.exif_transpose(imagen)
    except Exception:  # Broken EXIF is common in phone photos; it is dropped anyway.
        return imagen


def recodificar(subido, tipo, nombre):
    """The bytes to store for an uploaded JPEG or PNG: its pixels only, written again.

    Raises ValidationError when it is not a readable image of that type or is too large.
    """
    subido.seek(0)
    datos = subido.read()
    try:
        imagen = Image.open(io.BytesIO(datos), formats=[NOMBRES[tipo]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _demasiado_grande(nombre) from error
    except Exception as falla:  # Pillow raises many kinds of errors on hostile input.
        raise _danada(nombre, tipo) from falla
    with imagen:
        if imagen.format not in FORMATOS[tipo]:
            raise _danada(nombre, tipo)
        if imagen.width * imagen.height > settings.IMAGEN_MAX_PIXELES:
            raise _demasiado_grande(nombre)
        try:
            contenido = _escribir(imagen, tipo) if _completa(datos, tipo) else None
        except Exception as falla:
            raise _danada(nombre, tipo) from falla
    if contenido is None:
        raise _danada(nombre, tipo)
    return contenido


def _completa(datos, tipo):
    """Whether the image data is all there. Pillow cannot be trusted to say so: WeasyPrint, loaded
    in the same process for the reports, sets ImageFile.LOAD_TRUNCATED_IMAGES, and a truncated
    upload would then be stored with its missing part painted grey."""
    if tipo == PNG:
        with Image.open(io.BytesIO(datos), formats=["PNG"]) as imagen:
            imagen.verify()  # every chunk up to IEND, with its checksum
        return True
    # JPEG: walk the segments to the first scan; its data must end with an EOI marker (the
    # compressed data cannot hold FF D9: a 0xFF there is always followed by 00 or a restart code).
    posicion = 2
    while posicion + 4 <= len(datos) and datos[posicion] == 0xFF:
        marcador = datos[posicion + 1]
        if marcador == 0xFF:
            posicion += 1
        elif marcador == 0xDA:
            return datos.find(b"\xff\xd9", posicion) >= 0
        elif 0xD0 <= marcador <= 0xD7 or marcador == 0x01:
            posicion += 2
        else:
            posicion += 2 + int.from_bytes(datos[posicion + 2 : posicion + 4], "big")
    return False


def _escribir(imagen, tipo):
    imagen.load()
    transparencia = imagen.info.get("transparency")
    limpia = _a_srgb(_derecha(imagen))
    if tipo == JPEG and limpia.mode not in ("L", "RGB"):
        limpia = limpia.convert("RGB")
    if limpia is imagen:
        limpia = imagen.copy()
    # Nothing of the original's metadata goes to the encoder (PNG falls back to info for some).
    limpia.info = {}
    salida = io.BytesIO()
    if tipo == JPEG:
        limpia.save(salida, "JPEG", quality=CALIDAD_JPEG, optimize=True)
    else:
        opciones = (
            {"transparency": transparencia} if transparencia is not None and limpia.mode in ("P", "L", "RGB") else {}
        )
        limpia.save(salida, "PNG", **opciones)
    return salida.getvalue()
