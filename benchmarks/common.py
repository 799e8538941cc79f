"""Shared bits of the benchmark scripts: Django set-up, a progress bar on stderr, JSON output."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def django_setup(settings: str = "config.settings.local") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}


class Progress:
    """A one-line progress bar on stderr (stdout stays for the JSON)."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.done, self.started = max(total, 1), label, 0, time.monotonic()

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.done == self.total or self.done % max(self.total // 50, 1) == 0:
            filled = int(30 * self.done / self.total)
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            sys.stderr.write(
                f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} ({rate:.0f}/s)"
            )
            if self.done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(round(p / 100 * len(ordered) + 0.5) - 1, 0)
    return ordered[min(rank, len(ordered) - 1)]


def _fixed_work(words: list[str]) -> int:
    seen: dict[str, int] = {}
    for word in words:
        seen[word] = seen.get(word, 0) + len(word.upper())
    return sum(seen.values())


def jitter(runs: int = 1000) -> dict:
    """The spread the machine alone adds to a timing: the same fixed, deterministic piece of Python
    work (~0.3-0.6 ms: string and dict operations, nothing allocated that outlives it) timed ``runs``
    times. A measured p99 / p50 close to this one's is the machine's noise, not the code's."""
    words = [f"w{i % 997}x{i % 13}" for i in range(4000)]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _fixed_work(words)
        times.append((time.perf_counter() - started) * 1000)
    p50, p99 = percentile(times, 50), percentile(times, 99)
    return {"runs": runs, "p50_ms": round(p50, 3), "p99_ms": round(p99, 3), "p99_over_p50": round(p99 / p50, 2)}


def emit(summary: dict) -> None:
    """The JSON summary, always the last line of stdout."""
    sys.stdout.write(json.dumps(summary, default=str) + "\n")
    sys.stdout.flush()


# How the benchmarks run the gateway: one uvicorn worker with uvloop and httptools, quiet logs.
UVICORN_ARGS = "--no-access-log --loop uvloop --http httptools --log-level warning"


def uvicorn_command(port: int, workers: int = 1) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), *UVICORN_ARGS.split(),
    ]  # fmt: skip


@contextlib.contextmanager
def gateway_server(port: int, workers: int = 1):
    """The gateway in a subprocess (simulated providers answer at once), its URL once /readyz says so."""
    import httpx

    env = {**os.environ, "NR_SIMULATOR_LATENCY_SCALE": "0", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(uvicorn_command(port, workers), cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the gateway did not become ready")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)
