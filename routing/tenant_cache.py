"""A per-process cache of per-tenant data (policy, provider keys), so requests need no query.

Entries live ``ttl`` seconds at most; the invalidation bus (core.invalidation) drops a tenant's
entry as soon as its data changes, in every process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from core.db import db_sync

T = TypeVar("T")


class PerTenantCache(Generic[T]):
    def __init__(self, ttl: float = 5.0):
        self.ttl = ttl
        self._entries: dict[int, tuple[float, T]] = {}

    def get(self, tenant_id: int) -> T | None:
        entry = self._entries.get(tenant_id)
        if entry is None or time.monotonic() - entry[0] > self.ttl:
            return None
        return entry[1]

    def store(self, tenant_id: int, value: T) -> T:
        self._entries[tenant_id] = (time.monotonic(), value)
        return value

    async def get_or_load(self, tenant_id: int, load: Callable[..., T | None], default: T | None = None) -> T:
        """The cached value, or ``load(tenant_id=…)`` run on the ORM thread (``default`` when it gives None)."""
        cached = self.get(tenant_id)
        if cached is None:
            loaded = await db_sync(load)(tenant_id=tenant_id)
            cached = self.store(tenant_id, loaded if loaded is not None else default)
        return cached

    def forget(self, tenant_id: int | None) -> None:
        self._entries.pop(tenant_id, None)

    def clear(self) -> None:
        self._entries.clear()
