"""A per-process cache of per-tenant data (policy, provider keys), so requests need no query.

Entries live ``ttl`` seconds at most; the invalidation bus (core.invalidation) drops a tenant's
entry as soon as its data changes, in every process.
"""

from __future__ import annotations

import time
from typing import Generic, TypeVar

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

    def forget(self, tenant_id: int | None) -> None:
        self._entries.pop(tenant_id, None)

    def clear(self) -> None:
        self._entries.clear()
