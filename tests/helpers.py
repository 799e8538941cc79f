"""Helpers shared by tests: an in-process gateway client, and real server processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
from asgiref.sync import async_to_sync

ROOT = Path(__file__).resolve().parent.parent


def make_gateway(*, spool_dir: Path, limiter=None, upstream_timeout: float = 5.0, registry=None):
    """A gateway app with its own pipeline (no lifespan needed), for in-process tests."""
    from finops.spool import LedgerSpool
    from routing.api.app import build_gateway, default_pipeline
    from routing.pipeline.ledger import Ledger

    pipeline = default_pipeline()
    pipeline.ledger = Ledger(spool=LedgerSpool(spool_dir))
    pipeline.upstream_timeout = upstream_timeout
    if limiter is not None:
        pipeline.limiter = limiter
    if registry is not None:
        pipeline.registry = registry
    return build_gateway(pipeline)


class GatewayClient:
    """Calls the ASGI gateway in-process. ``async_to_sync`` from the test's thread makes the
    gateway's ORM work run back on that thread, inside the test's transaction."""

    def __init__(self, app):
        self.app = app

    @property
    def pipeline(self):
        return self.app.state.pipeline

    def request(self, method: str, path: str, *, key: str | None = None, headers=None, **kwargs) -> httpx.Response:
        sent = dict(headers or {})
        if key is not None:
            sent["Authorization"] = f"Bearer {key}"

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                response = await client.request(method, path, headers=sent, **kwargs)
            # Background work (cache writes, hit counts) runs after the answer; this loop ends with the
            # call, so finish it here, as a server's long-lived loop would.
            await self.pipeline.cache.drain()
            await self.pipeline.registry.aclose()  # and its provider sessions, which belong to this loop
            return response

        return async_to_sync(go)()

    def chat(self, key: str | None, body=None, **kwargs) -> httpx.Response:
        if body is not None and "content" not in kwargs:
            kwargs["json"] = body
        return self.request("POST", "/v1/chat/completions", key=key, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for_processes() -> str:
    """The URL of the database the tests run on, for server and worker processes."""
    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    auth = quote(s["USER"]) + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_processes(),
        "NR_SIMULATOR_LATENCY_SCALE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


class ServerProcess:
    """The real ASGI server (uvicorn, config.asgi) in a subprocess, on the test database."""

    def __init__(self, log_path: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = process_env(**env)
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> ServerProcess:
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed by the process's end
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()  # never leave a half-started server behind
        raise RuntimeError(f"server did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for(predicate, *, timeout: float = 10.0, interval: float = 0.05):
    """Poll until ``predicate()`` is truthy; return its value or fail with the last one."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value
