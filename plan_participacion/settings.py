"""Settings for the Seguimiento al Plan de Participación Ciudadana.

Everything that differs between a laptop and a municipality's server comes
from environment variables; the defaults are for a newcomer's machine
(SQLite file in the repository, DEBUG on).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    valor = os.environ.get(name)
    if valor is None or valor.strip() == "":
        return default
    return valor.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name, default=""):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Defina la variable de entorno SECRET_KEY (obligatoria con DEBUG=False).")
    SECRET_KEY = "solo-desarrollo-no-usar-en-produccion-" + "x" * 30

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Defina ALLOWED_HOSTS (obligatoria con DEBUG=False), p. ej. ALLOWED_HOSTS=participacion.candelaria.gov.co"
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "simple_history",
    "django_tasks",
    # Before django_tasks_db: its db_worker command (with a heartbeat) replaces the original.
    "trabajadores",
    "django_tasks_db",
    "plan_participacion",
    "seguimiento",
    "reportes",
    "equipo",
    "participa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware: static files never reach the rest of the stack.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to a logged-in user are never stored by a browser or proxy; sessions end after
    # SESSION_COOKIE_AGE without activity, not after login.
    "plan_participacion.cache_http.CacheControlPrivado",
    "plan_participacion.sesiones.SesionPorInactividad",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Plan history (django-simple-history) records the request's user as who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # SQLite's "database is locked" (a writer waited past its timeout) becomes a clear 503 page.
    "plan_participacion.base_ocupada.BaseOcupadaMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "plan_participacion.urls"
WSGI_APPLICATION = "plan_participacion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Review queue count in the menu, drafts saved, Spanish texts of the browser's checks.
                "seguimiento.contexto.pagina",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections in production; the health check before each request's
        # first query replaces a connection that PostgreSQL dropped (restart, failover)
        # instead of failing the request. Workers × threads must stay below max_connections.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite lets one writer in at a time. A transaction that starts as a reader and then writes
    # fails at once with "database is locked" when another writer got there first (no waiting:
    # SQLite avoids the deadlock), which was an HTTP 500 under concurrent approvals. IMMEDIATE
    # takes the write lock at BEGIN, where a busy writer is waited for up to `timeout` seconds;
    # WAL lets pages read while someone writes. PostgreSQL rejects these options: SQLite only.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL;",
    }

# Argon2id first (Django's recommended hasher; parameters in plan_participacion/claves.py). A password
# stored with PBKDF2 (the default before) still works and is stored again with Argon2 at its owner's
# next successful login.
PASSWORD_HASHERS = [
    "plan_participacion.claves.Argon2Municipal",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed attempts for one
# username from one IP address, that pair is locked for AXES_COOLOFF_MINUTES.
# Locking the pair, not the username alone, keeps an attacker from locking a
# delegate out from elsewhere. The coordinator can unlock early in the admin
# ("Access attempts") or with `manage.py axes_reset_username USUARIO`.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "seguimiento.views.cuentas.acceso_bloqueado"
# Client IP behind a reverse proxy. By default only REMOTE_ADDR counts, so a
# client cannot dodge the lock by sending its own X-Forwarded-For. Behind N
# reverse proxies that each append to X-Forwarded-For (nginx's
# $proxy_add_x_forwarded_for, a load balancer), set PROXIES_DE_CONFIANZA=N: the
# client is then the N-th address from the right of that header. With no
# setting behind a proxy, every request seems to come from the proxy and the
# lock falls back to the username alone.
PROXIES_DE_CONFIANZA = int(os.environ.get("PROXIES_DE_CONFIANZA", "0"))
AXES_CLIENT_IP_CALLABLE = "seguimiento.cuentas.ip_cliente"

# One store shared by every gunicorn worker and server: the database (`manage.py createcachetable`
# creates its table, as `make run` and the README's installation steps do). The per-process
# local-memory default would let each worker count on its own. Used by the password-reset throttle.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_compartida",
        # Culling past MAX_ENTRIES drops entries in key order, live counters included: keep it high.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Password reset (seguimiento/cuentas.py): requests counted per e-mail address and per client
# address (ip_cliente, as for the login lock) over a sliding window; past either limit the page
# says to wait, whether or not the address belongs to a user.
RESTABLECER_POR_CORREO = int(os.environ.get("RESTABLECER_POR_CORREO", "3"))
RESTABLECER_POR_IP = int(os.environ.get("RESTABLECER_POR_IP", "10"))
RESTABLECER_VENTANA = timedelta(minutes=int(os.environ.get("RESTABLECER_VENTANA_MINUTOS", "60")))

# A session ends after a working day without activity (8 hours by default); each request of a
# logged-in user moves the end forward (plan_participacion/sesiones.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESION_INACTIVIDAD_MINUTOS", str(8 * 60))) * 60

LANGUAGE_CODE = "es-co"
LANGUAGES = [("es", _("Español"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Bogota"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves static files from gunicorn itself. In production the names carry a hash
# of the content (cached for a year) and gzip/brotli copies are made by collectstatic, which
# must run before the server starts. With DEBUG on (laptop, tests) files are served as they
# are in static/, without collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Evidence files, staged plan sheets and report files (plan_participacion/almacen.py): a
    # private folder by default; a private S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set,
    # so that several app servers and workers share them. Credentials: AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY (or the server's instance role), read by boto3 from the environment.
    "privado": (
        {
            "BACKEND": "plan_participacion.almacen.AlmacenS3",
            "OPTIONS": {
                "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "location": os.environ.get("AWS_LOCATION", ""),
                "default_acl": "private",
                "file_overwrite": False,
                "querystring_auth": True,
            },
        }
        if os.environ.get("AWS_STORAGE_BUCKET_NAME")
        else {"BACKEND": "plan_participacion.almacen.AlmacenLocal"}
    ),
}

# Evidence files live outside static/ and outside any URL: they are served
# only through a view that checks who asks (see seguimiento).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "media_privada"))
# Behind nginx, the view checks permissions and answers with X-Accel-Redirect to this
# internal location; nginx then streams the file from PRIVATE_MEDIA_ROOT and no gunicorn
# thread is held by a slow download. Empty: the view streams the file itself.
ARCHIVOS_X_ACCEL_PREFIX = os.environ.get("ARCHIVOS_X_ACCEL_PREFIX", "")
if ARCHIVOS_X_ACCEL_PREFIX and os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    raise ImproperlyConfigured(
        "ARCHIVOS_X_ACCEL_PREFIX sirve archivos de PRIVATE_MEDIA_ROOT; con AWS_STORAGE_BUCKET_NAME los archivos están "
        "en el bucket y los envía la vista: quite una de las dos variables."
    )

# Limits on evidence files, enforced by the evidence form (Django's
# FILE_UPLOAD_* settings only decide memory versus temporary file).
ARCHIVO_MAX_BYTES = int(os.environ.get("ARCHIVO_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCIA_MAX_BYTES = int(os.environ.get("EVIDENCIA_MAX_BYTES", str(50 * 1024 * 1024)))
# Files of an evidence form not saved yet (seguimiento/preparados.py): the checked files of a form
# that had other errors, and uploads in pieces that resume after a dropped connection. On local disk
# (pieces are appended), private like PRIVATE_MEDIA_ROOT; with several app servers, a shared folder.
# Abandoned ones are deleted after PREPARADOS_HORAS. Each piece of an upload is at most
# SUBIDA_TROZO_BYTES; a user keeps at most PREPARADOS_MAX_BYTES waiting at a time.
ARCHIVOS_PREPARADOS_ROOT = os.environ.get("ARCHIVOS_PREPARADOS_ROOT", "")
PREPARADOS_HORAS = int(os.environ.get("PREPARADOS_HORAS", "24"))
SUBIDA_TROZO_BYTES = int(os.environ.get("SUBIDA_TROZO_BYTES", str(1024 * 1024)))
PREPARADOS_MAX_BYTES = int(os.environ.get("PREPARADOS_MAX_BYTES", str(200 * 1024 * 1024)))
# Images are decoded to be written again without metadata: a larger one is refused from its
# header, before decoding (50 MP covers a 48–50 MP phone camera; ~150 MB of memory while re-encoded).
IMAGEN_MAX_PIXELES = int(os.environ.get("IMAGEN_MAX_PIXELES", str(50_000_000)))
# DOCX and XLSX: the sum of the sizes their parts declare once uncompressed (a real XLSX
# compresses about 10:1; a zip bomb 1000:1).
ARCHIVO_MAX_DESCOMPRIMIDO = int(os.environ.get("ARCHIVO_MAX_DESCOMPRIMIDO", str(200 * 1024 * 1024)))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# The Candelaria sheet as exported (byte-identical to the seed): the demo plan.
SEMILLA_CANDELARIA = BASE_DIR / "fixtures" / "seed_candelaria.tsv"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "participacion@localhost")

# Where people open the app, for links in mails sent by tasks (no request to take the host from),
# e.g. https://participacion.candelaria.gov.co. Empty: the mails say where to click instead.
SITIO_URL = os.environ.get("SITIO_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Report jobs (reportes/trabajos.py). A verification report with up to REPORTES_EVIDENCIAS_EN_LINEA
# approved evidences is drawn inside the request; a larger one (every one with 0) is a job that a
# worker of the "informes" queue renders, REPORTES_EVIDENCIAS_POR_PARTE evidences per part.
REPORTES_EVIDENCIAS_EN_LINEA = int(os.environ.get("REPORTES_EVIDENCIAS_EN_LINEA", "200"))
REPORTES_EVIDENCIAS_POR_PARTE = int(os.environ.get("REPORTES_EVIDENCIAS_POR_PARTE", "50"))
# At most this many renders at once across all workers and servers; the other jobs wait queued.
REPORTES_EN_PARALELO = int(os.environ.get("REPORTES_EN_PARALELO", "1"))
# Seconds a job that found every slot taken waits before its task tries again.
REPORTES_ESPERA_SIN_CUPO = int(os.environ.get("REPORTES_ESPERA_SIN_CUPO", "15"))
# Jobs one person may have waiting at once (asking for more answers 429).
REPORTES_PENDIENTES_POR_USUARIO = int(os.environ.get("REPORTES_PENDIENTES_POR_USUARIO", "3"))
# A report file nobody asked for in this many days is deleted (reportes.tasks.limpiar_informes).
REPORTES_DIAS_SIN_PEDIR = int(os.environ.get("REPORTES_DIAS_SIN_PEDIR", "7"))
# A job whose worker died is started again up to this many times, then marked failed.
REPORTES_INTENTOS = int(os.environ.get("REPORTES_INTENTOS", "3"))

# Mail (seguimiento.tasks.enviar_correo, queue "correo"): a failed send is retried up to
# CORREO_INTENTOS times in all, waiting CORREO_ESPERA × attempt seconds before each retry.
CORREO_INTENTOS = int(os.environ.get("CORREO_INTENTOS", "5"))
CORREO_ESPERA = int(os.environ.get("CORREO_ESPERA", "60"))

# /reportes/verificar/ is public: an upload is hashed as it arrives and never kept, and each client
# address may check VERIFICAR_LIMITE documents per VERIFICAR_VENTANA_SEGUNDOS (counted in Django's
# cache: with a cache shared by the processes, the limit holds across all of them).
VERIFICAR_MAX_BYTES = int(os.environ.get("VERIFICAR_MAX_BYTES", str(50 * 1024 * 1024)))
VERIFICAR_LIMITE = int(os.environ.get("VERIFICAR_LIMITE", "20"))
VERIFICAR_VENTANA_SEGUNDOS = int(os.environ.get("VERIFICAR_VENTANA_SEGUNDOS", "600"))

# Menú Participa (/participa/): licence of the open data and how long a proxy may keep a public page.
DATOS_ABIERTOS_LICENCIA = os.environ.get("DATOS_ABIERTOS_LICENCIA", "CC BY 4.0")
DATOS_ABIERTOS_LICENCIA_URL = os.environ.get(
    "DATOS_ABIERTOS_LICENCIA_URL", "https://creativecommons.org/licenses/by/4.0/deed.es"
)
PARTICIPA_MAX_AGE = int(os.environ.get("PARTICIPA_MAX_AGE", "300"))
# Threads of each gunicorn process that may serve /participa/ at once, and how long a visitor waits
# for one before a 503 (Retry-After): anonymous crowds never take the delegates' workers.
PARTICIPA_HILOS = int(os.environ.get("PARTICIPA_HILOS", "1"))
PARTICIPA_ESPERA = float(os.environ.get("PARTICIPA_ESPERA", "2"))

# Background work: django-tasks (the backport of Django 6's django.tasks) on its database
# backend. Web requests only enqueue (in transaction.on_commit); `manage.py db_worker` processes,
# one per queue, do the work: "informes" renders reports, "correo" sends mail, "default" the rest.
COLAS_DE_TAREAS = ["default", "informes", "correo"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": COLAS_DE_TAREAS,
    }
}
# Worker heartbeat (trabajadores/): each db_worker beats every TRABAJADORES_LATIDO seconds; one not
# heard from for TRABAJADORES_AUSENCIA seconds is taken for dead and its RUNNING tasks are reaped
# (marked failed; report jobs re-enqueued) by the rounds every live worker runs every
# TRABAJADORES_VIGILANCIA seconds. /salud/ answers 503 when a queue has no live worker.
TRABAJADORES_LATIDO = int(os.environ.get("TRABAJADORES_LATIDO", "10"))
TRABAJADORES_AUSENCIA = int(os.environ.get("TRABAJADORES_AUSENCIA", "60"))
TRABAJADORES_VIGILANCIA = int(os.environ.get("TRABAJADORES_VIGILANCIA", "60"))
if TRABAJADORES_AUSENCIA < 3 * TRABAJADORES_LATIDO:
    raise ImproperlyConfigured("TRABAJADORES_AUSENCIA debe ser al menos tres veces TRABAJADORES_LATIDO.")

# Importer bounds: a spreadsheet larger than this is refused before parsing.
IMPORTADOR_MAX_BYTES = int(os.environ.get("IMPORTADOR_MAX_BYTES", str(20 * 1024 * 1024)))
IMPORTADOR_MAX_DESCOMPRIMIDO = int(os.environ.get("IMPORTADOR_MAX_DESCOMPRIMIDO", str(100 * 1024 * 1024)))
IMPORTADOR_MAX_FILAS = int(os.environ.get("IMPORTADOR_MAX_FILAS", "20000"))
IMPORTADOR_MAX_COLUMNAS = int(os.environ.get("IMPORTADOR_MAX_COLUMNAS", "300"))

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_SSL_REDIRECT=false and COOKIES_SEGURAS=false only for a production-like run
    # over plain http on 127.0.0.1 (bench/); a real server keeps both (check --deploy warns).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("COOKIES_SEGURAS", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every page (django-csp): no inline script or style, nothing
# from another origin. Templates pass data to scripts with json_script. Evidence file
# responses set their own, stricter policy (django-csp keeps a header already set).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# LOG_FORMAT=json (default with DEBUG off): one JSON object per line on stderr, for
# journald, Docker or any log collector; "texto" for people reading a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "texto" if DEBUG else "json")
if LOG_FORMAT not in {"json", "texto"}:
    raise ImproperlyConfigured("LOG_FORMAT debe ser «json» o «texto».")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "texto": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "plan_participacion.registro.FormatoJSON"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; failures and lockouts are WARNING.
    "loggers": {
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
        # WeasyPrint logs every layout step at INFO; keep its warnings (a refused resource, a bad CSS rule).
        "weasyprint": {"level": os.environ.get("WEASYPRINT_LOG_LEVEL", "WARNING")},
        "fontTools": {"level": "WARNING"},
    },
}
