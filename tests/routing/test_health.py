"""Circuit breakers: open after failures, one trial after the cool-down, closed on success."""

from __future__ import annotations

from routing.health import COOLDOWN_SECONDS, FAILURES_TO_OPEN, HealthBoard, SharedHealth


class Clock:
    now = 1000.0

    def __call__(self):
        return self.now


def fail(board, n, model="m", kind="status"):
    for _ in range(n):
        board.record("p", model, ok=False, latency_ms=10, kind=kind)


def test_consecutive_failures_open_the_circuit_and_a_trial_closes_it():
    clock = Clock()
    board = HealthBoard(clock=clock)
    fail(board, FAILURES_TO_OPEN - 1)
    assert board.state("p", "m") == "closed"
    fail(board, 1)
    assert board.state("p", "m") == "open" and not board.available("p", "m")
    clock.now += COOLDOWN_SECONDS + 1
    assert board.state("p", "m") == "half_open"
    assert board.available("p", "m") and not board.available("p", "m"), "exactly one trial at a time"
    board.record("p", "m", ok=True, latency_ms=10)
    assert board.state("p", "m") == "closed"


def test_a_failed_trial_reopens():
    clock = Clock()
    board = HealthBoard(clock=clock)
    fail(board, FAILURES_TO_OPEN)
    clock.now += COOLDOWN_SECONDS + 1
    assert board.available("p", "m")
    fail(board, 1)
    assert board.state("p", "m") == "open"


def test_connection_failures_count_against_the_whole_provider():
    board = HealthBoard(clock=Clock())
    fail(board, FAILURES_TO_OPEN, model="a", kind="connect")
    assert board.state("p", "b") == "open"
    fail(board, FAILURES_TO_OPEN, model="x", kind="status")
    assert board.state("q", "x") == "closed"


def test_a_high_error_rate_opens_even_without_a_streak():
    board = HealthBoard(clock=Clock())
    for _ in range(6):
        board.record("p", "m", ok=True, latency_ms=5)
        fail(board, 1)
        board.record("p", "m", ok=False, latency_ms=5, kind="status")
    assert board.state("p", "m") == "open"


def test_p95_comes_from_traffic_then_from_the_shared_view():
    board = HealthBoard(clock=Clock())
    assert board.p95_ms("p", "m") is None
    board.load_shared({("p", "m"): SharedHealth(p95_ms=250.0, requests=40)})
    assert board.p95_ms("p", "m") == 250.0
    for latency in range(1, 21):
        board.record("p", "m", ok=True, latency_ms=latency)
    assert board.p95_ms("p", "m") == 20


def test_a_failing_probe_opens_the_provider():
    board = HealthBoard(clock=Clock())
    board.load_shared({("p", "*"): SharedHealth(probe_ok=False)})
    assert board.state("p", "any-model") == "open"
