"""django-tasks-db's ``db_worker`` with a heartbeat: same options, same behaviour, plus trabajadores.latido.

This app comes before django_tasks_db in INSTALLED_APPS, so ``manage.py db_worker``
(and ``call_command("db_worker")``) is this command. The worker records itself in
trabajadores.Trabajador, beats from a thread while it runs (not with --batch, which
exits when the queue is empty), runs one round of the reaper when it starts, and
removes its row when it stops cleanly. With --reload (the default under DEBUG) the
autoreloader's parent only supervises: the child it starts is the one that beats.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from trabajadores.latido import Latido, despedir, registrar
from trabajadores.vigilancia import vigilar


class Command(db_worker.Command):
    help = "Trabajador de tareas (django-tasks-db) con latido y recogida de tareas de trabajadores perdidos."

    def handle(self, *args, **options):
        supervisor = options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if supervisor:
            return super().handle(*args, **options)
        worker_id, colas = options["worker_id"], options["queue_name"]
        registrar(worker_id, colas)
        latido = None
        try:
            vigilar()
            if not options["batch"]:
                latido = Latido(worker_id, colas).iniciar()
            return super().handle(*args, **options)
        finally:
            if latido is not None:
                latido.detener()
            despedir(worker_id)
