"""gunicorn settings, read from environment variables (see README, «Producción»).

    gunicorn plan_participacion.wsgi            # picks up this file from the working directory
    GUNICORN_WORKERS=3 GUNICORN_THREADS=4 GUNICORN_BIND=127.0.0.1:8000 gunicorn plan_participacion.wsgi

Each worker process runs GUNICORN_THREADS threads, and each thread keeps its own PostgreSQL
connection open (CONN_MAX_AGE): workers × threads per server, plus the management commands,
must stay below PostgreSQL's max_connections (100 by default) summed over every app server.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# gunicorn's guidance: (2 × cores) + 1 workers.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# Threads let a worker keep answering while another request waits on PostgreSQL or on an upload.
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A 50 MB evidence upload over a slow municipal link; nginx buffers the body first, so this is generous.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Seconds an idle client connection stays open. A client that reuses a connection just as the
# server closes it gets a connection error, so a proxy or client keeping connections longer
# than this must retry (nginx opens a new upstream connection per request by default).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# gunicorn 23+ opens a control socket in the home directory; not used here, and two servers
# on one host would fight over it.
control_socket_disable = True
# Recycle workers now and then (with jitter, so they do not all restart together).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Load the app once in the master: workers fork with Django already imported (less memory, faster start).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "si", "sí", "on"}
# Workers' heartbeat files: in memory, so a slow disk cannot make the master think a worker hung.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm") else None)
# nginx sets X-Forwarded-Proto; trust it only from the proxy's address.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log: time in µs (%(D)s) to spot slow pages; "-" is stderr, where the app's logs go too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s"'

_debug = os.environ.get("DEBUG", "true").strip().lower() in {"1", "true", "yes", "si", "sí", "on"}
if os.environ.get("LOG_FORMAT", "texto" if _debug else "json") == "json":
    # The same one-line JSON as the app (plan_participacion.registro): the access line is its "mensaje".
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "plan_participacion.registro.FormatoJSON"}},
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            # GUNICORN_ACCESS_LOG: "-" is stderr, a path is a file, empty turns the access log off.
            "acceso": (
                {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
                if accesslog in (None, "-")
                else {"class": "logging.FileHandler", "formatter": "json", "filename": accesslog}
            ),
        },
        "loggers": {
            "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {
                "level": "INFO" if accesslog else "CRITICAL",
                "handlers": ["acceso"],
                "propagate": False,
            },
        },
        "root": {"level": "INFO", "handlers": ["console"]},
    }


def when_ready(server):
    """With preload_app the master has loaded Django: warm up, before the workers fork, what each
    worker would otherwise load on its first requests (URLconf and views, translations, compiled
    templates), so the first users after a deploy do not wait for it."""
    if not preload_app:
        return
    from pathlib import Path

    from django.conf import settings
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every urls and views module
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Mis metas")
    plantillas = Path(settings.BASE_DIR) / "templates"
    for ruta in sorted(plantillas.rglob("*.html")):
        try:
            get_template(str(ruta.relative_to(plantillas)))
        except TemplateSyntaxError:
            server.log.exception("Plantilla con errores: %s", ruta)
    # Everything loaded so far lives as long as the process: out of the garbage collector's sight,
    # its full collections no longer walk Django, the URLconf and the templates (about a fifth of
    # the dashboard's CPU on a plan of 300 metas, bench/escala.py), and forked workers share those
    # pages of memory instead of copying them.
    gc.freeze()
