"""Test settings: the real PostgreSQL (embedded unless DATABASE_URL is set) and a real broker."""

import socket

from config.settings.base import *


def _redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NR_SIMULATOR_LATENCY_SCALE = 0.0

# Celery: the Redis broker on 127.0.0.1:6379 when one is reachable (CI has one), else the
# embedded filesystem transport. Tests start real worker processes against it.
if not E.CELERY_BROKER_URL and _redis_reachable():
    CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = "redis://127.0.0.1:6379/15", {}
