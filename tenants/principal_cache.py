"""The gateway's in-memory cache of authenticated API keys.

A hit costs a hash and a dict lookup instead of a database query (the ORM alone spends about
1.5 ms of CPU on that query). It is trusted only while the invalidation listener is connected
(``enabled``): revoking a key, disabling a tenant or changing its policy publishes an
invalidation (core.invalidation) that drops the tenant's entries in every process. Entries also
expire after ``ttl`` seconds, and a key's own expiry date is checked on every hit.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.utils import timezone

from core.invalidation import subscribe
from tenants.selectors import Principal

DEFAULT_TTL_SECONDS = 60.0


class PrincipalCache:
    def __init__(self, ttl: float = DEFAULT_TTL_SECONDS, max_entries: int = 100_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self.enabled = False
        self._entries: dict[bytes, tuple[float, Principal]] = {}
        subscribe(self.on_invalidation)

    @staticmethod
    def _digest(authorization: str) -> bytes:
        return hashlib.sha256(authorization.encode("utf-8", "surrogatepass")).digest()

    def get(self, authorization: str | None) -> Principal | None:
        if not self.enabled or not authorization:
            return None
        entry = self._entries.get(self._digest(authorization))
        if entry is None:
            return None
        stored_at, principal = entry
        if time.monotonic() - stored_at > self.ttl or (
            principal.expires_at is not None and principal.expires_at <= timezone.now()
        ):
            self._entries.pop(self._digest(authorization), None)
            return None
        return principal

    def store(self, authorization: str, principal: Principal) -> None:
        if not self.enabled:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[self._digest(authorization)] = (time.monotonic(), principal)

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        self._entries.clear()

    def on_invalidation(self, message: dict[str, Any]) -> None:
        if message.get("topic") != "tenant":
            return
        tenant_id = message.get("tenant_id")
        self._entries = {k: v for k, v in self._entries.items() if v[1].tenant_id != tenant_id}
