"""Test settings: the real PostgreSQL (embedded unless DATABASE_URL is set) and a real broker."""

import os
import socket
import uuid

from config.settings.base import *


def _redis_reachable(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


# Two test runs on one database server at once (several checkouts, or parallel work) each set their own
# NR_TEST_DB_SUFFIX so that they never create or drop each other's test database.
if os.environ.get("NR_TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"]["NAME"] += "_" + os.environ["NR_TEST_DB_SUFFIX"]

ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NR_SIMULATOR_LATENCY_SCALE = 0.0

# Celery: the Redis broker on 127.0.0.1:6379 when one is reachable (CI has one), else the
# embedded filesystem transport. Tests start real worker processes against it.
if not E.CELERY_BROKER_URL and _redis_reachable():
    CELERY_BROKER_URL, CELERY_BROKER_TRANSPORT_OPTIONS = "redis://127.0.0.1:6379/15", {}

# A queue of this test run's own, shared with the worker and beat processes the tests start
# (they inherit the environment), so that concurrent test runs never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault("NR_CELERY_QUEUE", f"nr-test-{uuid.uuid4().hex[:8]}")
