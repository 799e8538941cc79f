"""What the shield found in texts it read recently, per scope (a tenant), so that a conversation's
earlier turns are not read again.

A chat client sends the whole conversation with every request, and an agent its tool results at
every step: without a memory the shield reads the first turn twenty times over twenty turns, and a
pasted megabyte costs its scan on every later request. What is kept for a text is its hits before
the allow-list — they depend only on the text, how its role is read (``reading``) and the ruleset,
which is this process's own — under a 16-byte BLAKE2b digest of the text (the text itself is not
kept). The scope is part of the key, so one tenant's traffic never answers for another's, nor
tells it by a faster answer what another one sent.

Bounded by entries and by the hits held (a megabyte of personal data gives tens of thousands);
the least recently used go first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

from routing.shield.findings import Hit

MAX_ENTRIES = 8192
MAX_HITS = 100_000

Key = tuple[str, str, bytes]


def digest(text: str) -> bytes:
    """16 bytes that stand for ``text`` (lone surrogates included)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ScanMemory:
    """A bounded, thread-safe map of (scope, reading, digest) -> (hits, truncated)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_hits: int = MAX_HITS):
        self.max_entries, self.max_hits = max_entries, max_hits
        self._entries: OrderedDict[Key, tuple[tuple[Hit, ...], bool]] = OrderedDict()
        self._hits = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def hits_held(self) -> int:
        return self._hits

    def get(self, key: Key) -> tuple[tuple[Hit, ...], bool] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Key, hits: Sequence[Hit], truncated: bool) -> None:
        """Keep ``hits`` for ``key`` unless they alone would fill the memory."""
        if len(hits) > self.max_hits:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._hits -= len(old[0])
            self._entries[key] = (tuple(hits), truncated)
            self._hits += len(hits)
            while len(self._entries) > self.max_entries or self._hits > self.max_hits:
                _, (dropped, _) = self._entries.popitem(last=False)
                self._hits -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._hits = 0
