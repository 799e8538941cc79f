from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from config.settings.test import _redis_reachable
from core.errors import ApplicationError
from routing.pipeline.ratelimit import LocalRateLimiter, RedisRateLimiter, admit


class Clock:
    def __init__(self, now: float = 1_000_020.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def hits(limiter, key: str, limit: int, n: int) -> list[bool]:
    async def run():
        results = []
        for _ in range(n):
            try:
                await admit(limiter, key=key, limit=limit)
                results.append(True)
            except ApplicationError as error:
                assert error.status == 429 and "Retry-After" in error.headers
                results.append(False)
        return results

    return async_to_sync(run)()


def test_the_local_limiter_counts_per_key_per_minute():
    clock = Clock()
    limiter = LocalRateLimiter(clock=clock)
    assert hits(limiter, "a", 2, 3) == [True, True, False]
    assert hits(limiter, "b", 2, 1) == [True]
    clock.now += 60
    assert hits(limiter, "a", 2, 1) == [True], "a new window starts every minute"


def test_zero_means_unlimited():
    assert hits(LocalRateLimiter(), "a", 0, 50) == [True] * 50


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis server on 127.0.0.1:6379 (CI has one)")
def test_the_redis_limiter_is_shared_and_windowed():
    import uuid

    clock = Clock()
    key = f"test-{uuid.uuid4().hex}"

    def limiter():
        return RedisRateLimiter("redis://127.0.0.1:6379/15", clock=clock)

    assert hits(limiter(), key, 2, 2) == [True, True]
    assert hits(limiter(), key, 2, 1) == [False], "a second process sees the same count"
    clock.now += 60
    assert hits(limiter(), key, 2, 1) == [True]


def test_an_unreachable_redis_lets_traffic_through():
    assert hits(RedisRateLimiter("redis://127.0.0.1:1/0"), "a", 1, 3) == [True, True, True]
