"""Production settings: refuses to start with development secrets."""

from django.core.exceptions import ImproperlyConfigured

from config import env as E
from config.settings.base import *

if E.SECRET_KEY == E.DEV_SECRET_KEY or len(E.SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 32 characters in production.")
if E.DEV_FIELD_ENCRYPTION_KEY in E.FIELD_ENCRYPTION_KEY:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set to your own Fernet key(s) in production.")
if E.DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not E.DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL with pgvector >= 0.8 in production.")

DEBUG = False
SESSION_COOKIE_SECURE = E.env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = E.env.int("SECURE_HSTS_SECONDS", default=0)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "servestatic.storage.CompressedManifestStaticFilesStorage"},
}
SERVESTATIC_USE_FINDERS = False
