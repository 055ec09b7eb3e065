"""What each accepted format must look like inside, checked on upload: one module per format.

- ``imagenes``: JPEG and PNG are decoded and written again, so only the pixels are stored.
- ``pdf``: parsed with pypdf; refused when it would run or open something, or hides HTML.
- ``office``: DOCX and XLSX are zip packages; refused when they fetch, run or embed something.

Each check raises ValidationError with a message a delegate understands (seguimiento.archivos
turns them into form errors).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What a browser sniffing the bytes would take for an HTML document or a script.
MARCAS_HTML = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)\b|javascript:", re.IGNORECASE
)


def rechazo(mensaje, nombre, code, **params):
    """A refusal of the file «nombre», in the form errors' terms."""
    return ValidationError(mensaje, params={"nombre": nombre, **params}, code=code)


def con_html(nombre):
    return rechazo(_("El archivo «%(nombre)s» contiene código HTML o de script y no se acepta."), nombre, "html")
