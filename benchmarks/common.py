"""Shared bits of the benchmark scripts: Django set-up, a progress bar on stderr, JSON output."""

from __future__ import annotations

import json
import os
import platform
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


def emit(summary: dict) -> None:
    """The JSON summary, always the last line of stdout."""
    sys.stdout.write(json.dumps(summary, default=str) + "\n")
    sys.stdout.flush()
