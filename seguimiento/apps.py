import warnings

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SeguimientoConfig(AppConfig):
    name = "seguimiento"
    verbose_name = _("Seguimiento")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from PIL import Image

        # Evidence images are decoded to be written again (seguimiento/formatos/imagenes.py). Pillow
        # only warns between its limit and twice it: here anything over the limit is an error, and
        # the limit is what evidence photos need, not Pillow's ~179 megapixels.
        Image.MAX_IMAGE_PIXELS = settings.IMAGEN_MAX_PIXELES
        warnings.simplefilter("error", Image.DecompressionBombWarning)
