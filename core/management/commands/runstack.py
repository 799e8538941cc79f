"""``make run``: migrate, seed the demo tenant, then run web + Celery worker + beat until Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from io import StringIO

import orjson
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from config import env as E

STOP_TIMEOUT_SECONDS = 10


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run the whole product locally: web server, Celery worker and Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo tenant.")

    def handle(self, *args, host, port, web_workers, no_demo, **options):
        if not _port_free(host, port):
            raise CommandError(f"Port {port} on {host} is in use: stop what runs there or set PORT=<another>.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stderr.write("database migrated")
        demo = None
        if not no_demo:
            out = StringIO()
            call_command("bootstrap_demo", stdout=out)
            demo = orjson.loads(out.getvalue())
        processes = self._start(host, port, web_workers)
        self._announce(host, port, demo)
        self._supervise(processes)

    def _start(self, host: str, port: int, web_workers: int) -> dict[str, subprocess.Popen]:
        python = sys.executable
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.local"),
        }
        commands = {
            "web": [
                python,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                host,
                "--port",
                str(port),
                "--workers",
                str(web_workers),
                "--no-access-log",
                "--loop",
                "uvloop",
                "--http",
                "httptools",
            ],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "worker@%h",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(settings.CELERY_BEAT_SCHEDULE_FILENAME),
            ],
        }
        return {
            name: subprocess.Popen(cmd, env=env, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603
            for name, cmd in commands.items()
        }

    def _announce(self, host: str, port: int, demo: dict | None) -> None:
        url = f"http://{host}:{port}"
        broker = "redis" if E.CELERY_BROKER_URL else "embedded filesystem transport (var/celery)"
        database = "DATABASE_URL" if E.DATABASE_URL else f"embedded PostgreSQL + pgvector ({settings.VAR_DIR / 'pg'})"
        lines = [
            "",
            "NeuralRouting is running.",
            f"  Dashboard:  {url}/",
            f"  API base:   {url}/v1   (OpenAI SDK: base_url='{url}/v1')",
            f"  Database:   {database}",
            f"  Broker:     {broker}",
        ]
        if demo:
            lines += [
                f"  Login:      {demo['login']}  /  {demo['password']}",
                f"  API key:    {demo['api_key']}",
                "",
                "  Try it:",
                f"    curl {url}/v1/chat/completions -H 'Authorization: Bearer {demo['api_key']}' \\",
                "      -H 'Content-Type: application/json' \\",
                '      -d \'{"model": "auto", "messages": [{"role": "user", "content": "Hello"}]}\'',
            ]
        lines += [
            "",
            "Models without provider credentials are answered by the built-in simulator (labelled simulated).",
            "Press Ctrl-C to stop everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _supervise(self, processes: dict[str, subprocess.Popen]) -> None:
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in processes.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with status {proc.returncode}; stopping the others.")
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop(processes)

    def _stop(self, processes: dict[str, subprocess.Popen]) -> None:
        self.stderr.write("stopping web, worker and beat…")
        for proc in processes.values():
            if proc.poll() is None:
                proc.terminate()  # the leader shuts its own children down (Celery's pool, uvicorn's workers)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for proc in processes.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        embedded = settings.NR_EMBEDDED_DB
        if embedded is not None and embedded.started_here:
            from core.embedded_db import stop

            if stop(settings.VAR_DIR):
                self.stderr.write("embedded PostgreSQL stopped")
        self.stderr.write("stopped.")
