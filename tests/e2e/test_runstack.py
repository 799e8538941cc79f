"""`make run`'s command: migrate, seed the demo, start web + worker + beat, stop them on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import httpx
import psutil
import pytest

from tests.helpers import ROOT, free_port, process_env

pytestmark = pytest.mark.e2e


def test_runstack_serves_the_demo_and_stops_everything_on_ctrl_c(django_db_setup, tmp_path):
    port = free_port()
    log_path = tmp_path / "runstack.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--port", str(port)],
            cwd=ROOT,
            env=process_env(NR_VAR_DIR=str(tmp_path / "var")),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 90
            while "Press Ctrl-C" not in log_path.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log_path.read_text()
                time.sleep(0.2)
            output = log_path.read_text()
            key = re.search(r"API key:\s+(nr-\S+)", output).group(1)
            assert "demo@neuralrouting.local" in output and f"http://127.0.0.1:{port}/" in output
            children = psutil.Process(proc.pid).children()
            assert len(children) == 3, "web, worker and beat"

            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90  # the web process loads the embedding model first
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            response = httpx.post(
                f"{url}/v1/chat/completions",
                headers={"Authorization": f"Bearer {key}"},
                json={"model": "auto", "messages": [{"role": "user", "content": "hi"}]},
                timeout=30,
            )
            assert response.status_code == 200
            assert httpx.get(f"{url}/login/").status_code == 200

            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=30) == 0
            assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
        finally:
            if proc.poll() is None:
                for child in psutil.Process(proc.pid).children(recursive=True):
                    child.kill()  # never leave a worker or server holding the test database
                proc.kill()
    assert "stopped." in log_path.read_text()
