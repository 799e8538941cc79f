"""The one place that reads the process environment.

Every setting that can come from the environment is read here, with its development default,
so that the README, ``.env.example`` and the settings modules agree. ``.env`` in the project
root is loaded when present (real environment variables win).
"""

from __future__ import annotations

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A placeholder that production refuses: anything equal to it is "unset".
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105
# Fernet key used only in development and tests; production must set FIELD_ENCRYPTION_KEY.
DEV_FIELD_ENCRYPTION_KEY = "Zm9yLWRldmVsb3BtZW50LW9ubHktMzItYnl0ZXMhISE="

VAR_DIR = Path(env("NR_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASE_URL = env("DATABASE_URL", default="")
DATABASE_POOL_MAX = env.int("DATABASE_POOL_MAX", default=20)
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_QUEUE = env("NR_CELERY_QUEUE", default="celery")
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[DEV_FIELD_ENCRYPTION_KEY])
EMBEDDING_MODEL_DIR = env("EMBEDDING_MODEL_DIR", default="")
EMBEDDING_MODEL = env("EMBEDDING_MODEL", default="")
EMBEDDING_QUANTIZATION = env("EMBEDDING_QUANTIZATION", default="dynamic")
EMBEDDING_BATCH = env.int("EMBEDDING_BATCH", default=1)
PUBLIC_URL = env("NR_PUBLIC_URL", default="http://127.0.0.1:8000")
MAX_REQUEST_BYTES = env.int("NR_MAX_REQUEST_BYTES", default=1_572_864)
UPSTREAM_TIMEOUT_SECONDS = env.float("NR_UPSTREAM_TIMEOUT_SECONDS", default=60.0)
SIMULATOR_LATENCY_SCALE = env.float("NR_SIMULATOR_LATENCY_SCALE", default=1.0)
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
ROLLUP_EVERY_SECONDS = env.float("NR_ROLLUP_EVERY_SECONDS", default=300.0)
PROBE_EVERY_SECONDS = env.float("NR_PROBE_EVERY_SECONDS", default=60.0)

# Deployment-wide provider credentials; a tenant's own credentials (bring your own key) win.
PROVIDER_ENV = {
    "openai": (env("OPENAI_API_KEY", default=""), env("OPENAI_BASE_URL", default="")),
    "anthropic": (env("ANTHROPIC_API_KEY", default=""), env("ANTHROPIC_BASE_URL", default="")),
    "google": (env("GEMINI_API_KEY", default=""), env("GEMINI_BASE_URL", default="")),
    "deepseek": (env("DEEPSEEK_API_KEY", default=""), env("DEEPSEEK_BASE_URL", default="")),
    "mistral": (env("MISTRAL_API_KEY", default=""), env("MISTRAL_BASE_URL", default="")),
    "groq": (env("GROQ_API_KEY", default=""), env("GROQ_BASE_URL", default="")),
}
