"""Settings shared by every environment. Values come from ``config.env`` only."""

from __future__ import annotations

from datetime import timedelta

import dj_database_url

from config import env as E

BASE_DIR = E.BASE_DIR
VAR_DIR = E.VAR_DIR
SECRET_KEY = E.SECRET_KEY
DEBUG = E.DEBUG
ALLOWED_HOSTS = E.ALLOWED_HOSTS
CSRF_TRUSTED_ORIGINS = E.CSRF_TRUSTED_ORIGINS

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "django_celery_results",
    "core",
    "tenants",
    "routing",
    "finops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servestatic.middleware.ServeStaticMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tenants.middleware.CurrentTenantMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "tenants.context_processors.current_tenant",
            ],
        },
    },
]


NR_EMBEDDED_DB = None  # the embedded server, when DATABASE_URL is unset


def _database() -> dict:
    global NR_EMBEDDED_DB
    if E.DATABASE_URL:
        db = dj_database_url.parse(E.DATABASE_URL)
    else:
        from core.embedded_db import ensure_running

        NR_EMBEDDED_DB = ensure_running(VAR_DIR)
        db = NR_EMBEDDED_DB.database_settings()
    # A psycopg pool per process: the ASGI server runs ORM calls on several threads.
    db.setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": E.DATABASE_POOL_MAX, "timeout": 10}
    db["CONN_MAX_AGE"] = 0
    db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}"
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "finops:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVESTATIC_USE_FINDERS = True
SERVESTATIC_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tenants.api_auth.TenantWritePermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.errors.drf_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NeuralRouting API",
    "DESCRIPTION": (
        "OpenAI-compatible LLM gateway with cost routing. The completion endpoints live under "
        "`/v1/` (OpenAI wire format); management endpoints under `/api/v1/`."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "routing.api.openapi.add_gateway_paths",
    ],
}
API_KEY_CUSTOM_HEADER = "HTTP_AUTHORIZATION"

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "celery"


def filesystem_transport_options(folder) -> dict:
    """Options of Celery's filesystem transport: producers and workers share one folder."""
    queue, processed, control = folder / "queue", folder / "processed", folder / "control"
    for path in (queue, processed, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        # kombu's default is ./control, relative to whatever directory the process started in.
        "control_folder": str(control),
        "store_processed": False,
        "polling_interval": 0.1,
    }


def celery_broker() -> tuple[str, dict]:
    """Redis when configured; otherwise the filesystem transport (a real worker, no server)."""
    if E.CELERY_BROKER_URL and not E.CELERY_BROKER_URL.startswith("filesystem://"):
        return E.CELERY_BROKER_URL, {}
    return "filesystem://", filesystem_transport_options(CELERY_BROKER_DIR)


CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = celery_broker()
CELERY_RESULT_BACKEND = "django-db"
CELERY_TASK_DEFAULT_QUEUE = E.CELERY_QUEUE
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "finops-rollup-daily-usage": {
        "task": "finops.tasks.rollup_daily_usage",
        "schedule": timedelta(seconds=E.ROLLUP_EVERY_SECONDS),
    },
    "routing-cache-maintenance": {
        "task": "routing.tasks.cache_maintenance",
        "schedule": timedelta(seconds=300),
    },
    "routing-probe-providers": {
        "task": "routing.tasks.probe_providers",
        "schedule": timedelta(seconds=E.PROBE_EVERY_SECONDS),
    },
}

# --- NeuralRouting ------------------------------------------------------------------------
NR_PUBLIC_URL = E.PUBLIC_URL
NR_MAX_REQUEST_BYTES = E.MAX_REQUEST_BYTES
NR_UPSTREAM_TIMEOUT_SECONDS = E.UPSTREAM_TIMEOUT_SECONDS
NR_SIMULATOR_LATENCY_SCALE = E.SIMULATOR_LATENCY_SCALE
NR_PROVIDER_ENV = E.PROVIDER_ENV
NR_EMBEDDING_MODEL_DIR = E.EMBEDDING_MODEL_DIR
NR_EMBEDDING_MODEL = E.EMBEDDING_MODEL
NR_EMBEDDING_QUANTIZATION = E.EMBEDDING_QUANTIZATION
NR_EMBEDDING_BATCH = max(1, E.EMBEDDING_BATCH)
NR_REDIS_URL = E.REDIS_URL
FIELD_ENCRYPTION_KEYS = E.FIELD_ENCRYPTION_KEY

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": E.LOG_LEVEL},
    "loggers": {
        "pgserver": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
