"""Where private files live: evidence files, staged plan sheets and report files.

``STORAGES["privado"]`` (settings.py) chooses the backend from the environment:

* by default ``AlmacenLocal``, a folder (PRIVATE_MEDIA_ROOT) outside static/;
* with ``AWS_STORAGE_BUCKET_NAME`` set, ``AlmacenS3``: a private bucket of any
  S3-compatible service (django-storages), so that several app servers and
  workers share the files.

Neither has public URLs: files are only sent by views that check who asks, with
their security headers. Presigned S3 URLs would skip both, so ``url()`` refuses.
``almacen_privado`` looks the backend up on every call, so tests (and the
settings fixture) can switch it.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

ALIAS = "privado"
SIN_URL = "Los archivos privados no tienen URL pública: se sirven con una vista que comprueba el permiso."


class AlmacenLocal(FileSystemStorage):
    """PRIVATE_MEDIA_ROOT, read on every use (not when the module loads): tests point it at a temporary folder.

    Files 640 and folders 750: the owner (the app) writes, its group (www-data, for nginx's X-Accel
    location) reads, nobody else.
    """

    def __init__(self, **opciones):
        opciones.setdefault("file_permissions_mode", 0o640)
        opciones.setdefault("directory_permissions_mode", 0o750)
        super().__init__(base_url=None, **opciones)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(SIN_URL)


class AlmacenS3(S3Storage):
    """A private bucket: objects are read through the application, never through a (presigned) URL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(SIN_URL)


def almacen():
    """The configured private storage backend (one instance per process)."""
    return storages[ALIAS]


def es_local():
    return isinstance(almacen(), FileSystemStorage)


@deconstructible(path="seguimiento.models.AlmacenPrivado")
class AlmacenPrivado(Storage):
    """The storage that FileFields and the code use: every call goes to STORAGES["privado"].

    Its deconstruction keeps the path that migrations already name, so switching
    between a folder and a bucket changes no migration.
    """

    def open(self, name, mode="rb"):
        return almacen().open(name, mode)

    def save(self, name, content, max_length=None):
        return almacen().save(name, content, max_length=max_length)

    def delete(self, name):
        return almacen().delete(name)

    def exists(self, name):
        return almacen().exists(name)

    def size(self, name):
        return almacen().size(name)

    def listdir(self, path):
        return almacen().listdir(path)

    def path(self, name):
        return almacen().path(name)

    def url(self, name):
        raise ValueError(SIN_URL)

    def get_modified_time(self, name):
        return almacen().get_modified_time(name)

    def get_available_name(self, name, max_length=None):
        return almacen().get_available_name(name, max_length=max_length)

    def get_valid_name(self, name):
        return almacen().get_valid_name(name)

    def generate_filename(self, filename):
        return almacen().generate_filename(filename)


almacen_privado = AlmacenPrivado()
