"""What WeasyPrint may read while it renders a report: the project's static files, nothing else.

WeasyPrint fetches every stylesheet, font and image a document names through a
URL fetcher. The reports contain text typed by delegates (descriptions, file
names, places), so the fetcher is the boundary that keeps a crafted value from
making the server read a local file or reach the network:

* only ``file:`` URLs (no http, https, ftp, data …) and no redirects;
* the path is resolved with ``os.path.realpath`` (``..`` and symlinks followed)
  and must lie under one of the static roots (``settings.STATICFILES_DIRS``);
* any refusal stops the rendering (``fail_on_errors``) instead of silently
  producing a document without its fonts.

Stylesheets are always given to WeasyPrint as ``CSS(string=...)`` (see
``reportes.pdf``), never as URLs, and the reports embed no evidence image.
WeasyPrint ≥ 70 is required (requirements.txt pins 70.0): older releases let
redirects, stylesheet URLs given to ``write_pdf``, attachments and EPS images
bypass a custom fetcher.
"""

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse, path2url

CARPETA_REPORTES = "reportes"  # static/reportes/: the reports' CSS and fonts


class RecursoProhibido(FatalURLFetchingError):
    """A URL the report may not read. Fatal: the PDF is not produced without it."""


def raices_estaticas():
    """Real paths of the folders the reports may read from."""
    return [Path(os.path.realpath(raiz)) for raiz in settings.STATICFILES_DIRS]


def carpeta_reportes():
    """static/reportes/ (the first static root that has it): CSS and fonts of the reports."""
    for raiz in raices_estaticas():
        if (raiz / CARPETA_REPORTES).is_dir():
            return raiz / CARPETA_REPORTES
    raise RuntimeError("No se encontró la carpeta static/reportes/ con la hoja de estilos y las fuentes.")


def url_base():
    """file:// URL of static/reportes/, against which the stylesheet's relative URLs resolve."""
    return path2url(f"{carpeta_reportes()}{os.sep}")


def ruta_permitida(url):
    """The real path of a file:// URL under a static root; RecursoProhibido otherwise."""
    partes = urlsplit(url)
    if partes.scheme.lower() != "file":
        raise RecursoProhibido(f"Los informes solo leen archivos estáticos del proyecto; se rechazó «{url[:200]}».")
    if partes.netloc not in ("", "localhost"):
        raise RecursoProhibido(f"Los informes no leen archivos de otra máquina; se rechazó «{url[:200]}».")
    ruta = Path(os.path.realpath(unquote(partes.path)))
    for raiz in raices_estaticas():
        if ruta.is_relative_to(raiz) and ruta.is_file():
            return ruta
    raise RecursoProhibido(f"El archivo «{unquote(partes.path)[:200]}» no es un archivo estático del proyecto.")


class LectorEstaticos(URLFetcher):
    """URLFetcher that serves files under the static roots and refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True, timeout=1)

    def fetch(self, url, headers=None):
        ruta = ruta_permitida(url)
        tipo = mimetypes.guess_type(ruta.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path2url(str(ruta)), ruta.read_bytes(), {"Content-Type": tipo})
