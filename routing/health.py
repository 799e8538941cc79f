"""Provider availability: per-process circuit breakers and latency from live traffic.

Every provider call reports here. A (provider, model) pair whose last calls keep failing is
*open* for a cool-down: the router routes around it, then lets one trial call through
(*half-open*) and closes again on success. Connection failures and timeouts count against the
whole provider, since they rarely spare its other models. Shared, slower signals come from the
database (the ledger's recent error rates and latencies, and the Celery health probes) and are
merged in with :meth:`HealthBoard.load_shared`.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

WINDOW = 50
FAILURES_TO_OPEN = 5
ERROR_RATE_TO_OPEN = 0.5
MIN_CALLS_FOR_RATE = 10
COOLDOWN_SECONDS = 30.0
PROVIDER_WIDE = "*"


@dataclass
class _Stats:
    outcomes: deque = field(default_factory=lambda: deque(maxlen=WINDOW))  # (ok, latency_ms, rate_limited)
    consecutive_failures: int = 0
    opened_at: float | None = None
    trial_in_flight: bool = False

    def error_rate(self) -> float:
        if not self.outcomes:
            return 0.0
        return sum(1 for ok, _, _ in self.outcomes if not ok) / len(self.outcomes)

    def p95_ms(self) -> float | None:
        latencies = sorted(lat for ok, lat, _ in self.outcomes if ok)
        if len(latencies) < 5:
            return None
        return latencies[min(int(0.95 * len(latencies)), len(latencies) - 1)]


@dataclass(frozen=True)
class SharedHealth:
    """What the database says about a (provider, model): probe result and recent traffic."""

    probe_ok: bool | None = None
    error_rate: float | None = None
    p95_ms: float | None = None
    requests: int = 0


class HealthBoard:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self._stats: dict[tuple[str, str], _Stats] = {}
        self._shared: dict[tuple[str, str], SharedHealth] = {}

    def _get(self, provider: str, model: str) -> _Stats:
        return self._stats.setdefault((provider, model), _Stats())

    def record(
        self, provider: str, model: str, *, ok: bool, latency_ms: float, kind: str = "", rate_limited: bool = False
    ) -> None:
        keys = [(provider, model)]
        if not ok and kind in ("connect", "timeout"):
            keys.append((provider, PROVIDER_WIDE))
        if ok:
            keys.append((provider, PROVIDER_WIDE))
        for key in keys:
            stats = self._get(*key)
            stats.outcomes.append((ok, latency_ms, rate_limited))
            stats.trial_in_flight = False
            if ok:
                stats.consecutive_failures = 0
                stats.opened_at = None
                continue
            stats.consecutive_failures += 1
            too_many = stats.consecutive_failures >= FAILURES_TO_OPEN
            too_often = len(stats.outcomes) >= MIN_CALLS_FOR_RATE and stats.error_rate() >= ERROR_RATE_TO_OPEN
            if too_many or too_often or stats.opened_at is not None:
                stats.opened_at = self.clock()

    def _state_of(self, stats: _Stats | None) -> str:
        if stats is None or stats.opened_at is None:
            return "closed"
        if self.clock() - stats.opened_at < COOLDOWN_SECONDS:
            return "open"
        return "half_open"

    def state(self, provider: str, model: str) -> str:
        """``closed`` (healthy), ``open`` (route around it) or ``half_open`` (one trial allowed)."""
        states = [self._state_of(self._stats.get(key)) for key in ((provider, model), (provider, PROVIDER_WIDE))]
        if "open" in states:
            return "open"
        shared = self._shared.get((provider, model)) or self._shared.get((provider, PROVIDER_WIDE))
        if shared is not None and shared.probe_ok is False and "half_open" not in states:
            return "open"
        return "half_open" if "half_open" in states else "closed"

    def available(self, provider: str, model: str) -> bool:
        """May a call go to this model now? Half-open lets exactly one trial through at a time."""
        state = self.state(provider, model)
        if state == "closed":
            return True
        if state == "open":
            return False
        stats = self._get(provider, model)
        if stats.trial_in_flight:
            return False
        stats.trial_in_flight = True
        return True

    def p95_ms(self, provider: str, model: str) -> float | None:
        local = self._stats.get((provider, model))
        value = local.p95_ms() if local else None
        if value is None:
            shared = self._shared.get((provider, model))
            value = shared.p95_ms if shared else None
        return value

    def load_shared(self, shared: dict[tuple[str, str], SharedHealth]) -> None:
        self._shared = dict(shared)

    def snapshot(self) -> list[dict]:
        rows = []
        for (provider, model), stats in sorted(self._stats.items()):
            rows.append(
                {
                    "provider": provider,
                    "model": model,
                    "state": self._state_of(stats),
                    "calls": len(stats.outcomes),
                    "error_rate": round(stats.error_rate(), 3),
                    "p95_ms": stats.p95_ms(),
                }
            )
        return rows
