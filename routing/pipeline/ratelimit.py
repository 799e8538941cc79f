"""Per-API-key request limits (fixed one-minute windows).

With ``REDIS_URL`` set, the counters live in Redis and every web process shares them. Without
it (the embedded default, one web process) they live in process memory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from redis.exceptions import RedisError

from core.errors import ApplicationError

WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Admission:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int) -> Admission: ...

    async def aclose(self) -> None: ...


def _window(now: float) -> tuple[int, int]:
    window = int(now // WINDOW_SECONDS)
    return window, int((window + 1) * WINDOW_SECONDS - now) or 1


class LocalRateLimiter:
    def __init__(self, clock=time.time):
        self.clock = clock
        self._counts: dict[str, tuple[int, int]] = {}

    async def hit(self, key: str, limit: int) -> Admission:
        window, reset = _window(self.clock())
        seen_window, count = self._counts.get(key, (window, 0))
        count = count + 1 if seen_window == window else 1
        self._counts[key] = (window, count)
        if len(self._counts) > 100_000:
            self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        return Admission(count <= limit, limit, max(limit - count, 0), reset)

    async def aclose(self) -> None:
        return None


class RedisRateLimiter:
    def __init__(self, url: str, clock=time.time, prefix: str = "nr:rl"):
        import redis.asyncio as redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.clock = clock
        self.prefix = prefix

    async def hit(self, key: str, limit: int) -> Admission:
        window, reset = _window(self.clock())
        name = f"{self.prefix}:{key}:{window}"
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.incr(name)
            pipe.expire(name, WINDOW_SECONDS + 5)
            count, _ = await pipe.execute()
        return Admission(count <= limit, limit, max(limit - count, 0), reset)

    async def aclose(self) -> None:
        await self.client.aclose()


async def admit(limiter: RateLimiter, *, key: str, limit: int) -> Admission | None:
    """Count one request; raise 429 past the limit. ``limit == 0`` means unlimited.

    If the limiter's store is unreachable the request goes through: an outage of Redis must
    not take the gateway down with it.
    """
    if limit <= 0:
        return None
    try:
        admission = await limiter.hit(key, limit)
    except (OSError, RedisError):
        return None
    if not admission.allowed:
        raise ApplicationError(
            f"Rate limit reached: {limit} requests per minute for this API key. Retry in {admission.reset_seconds}s.",
            status=429,
            code="rate_limit_exceeded",
            headers={"Retry-After": str(admission.reset_seconds), **limit_headers(admission)},
        )
    return admission


def limit_headers(admission: Admission | None) -> dict[str, str]:
    if admission is None:
        return {}
    return {
        "X-RateLimit-Limit-Requests": str(admission.limit),
        "X-RateLimit-Remaining-Requests": str(admission.remaining),
        "X-RateLimit-Reset-Requests": f"{admission.reset_seconds}s",
    }
