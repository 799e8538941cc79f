"""What the shield found in texts it read recently, per scope (a tenant), so that a conversation's
earlier turns are not read again.

A chat client sends the whole conversation with every request, and an agent its tool results at
every step: without a memory the shield reads the first turn twenty times over twenty turns, and a
pasted megabyte costs its scan on every later request. What is kept for a text is its hits before
the allow-list — they depend only on the text, how its role is read (``reading``) and the ruleset,
which is this process's own — under a 16-byte BLAKE2b digest of the text (the text itself is not
kept). The scope is part of the key, so one tenant's traffic never answers for another's, nor
tells it by a faster answer what another one sent.

No secret or personal data outlives its request here: a hit whose match is the text at its span
is kept without it (rule, span, severity and note), and the next request's text gives it back; a
text with a personal-data or secret hit that cannot be rebuilt that way is not kept at all.
Bounded by entries and by the hits held (a megabyte of personal data gives tens of thousands);
the least recently used go first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from routing.shield.findings import Hit

MAX_ENTRIES = 8192
MAX_HITS = 100_000

Key = tuple[str, str, bytes]


def digest(text: str) -> bytes:
    """16 bytes that stand for ``text`` (lone surrogates included)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ScanMemory:
    """A bounded, thread-safe map of (scope, reading, digest) -> (hits, truncated). ``is_data(rule)``
    says whether a rule finds personal data or secrets."""

    def __init__(self, is_data: Callable[[str], bool], max_entries: int = MAX_ENTRIES, max_hits: int = MAX_HITS):
        self.is_data = is_data
        self.max_entries, self.max_hits = max_entries, max_hits
        # Each hit with whether its match is the text at its span (and was left out).
        self._entries: OrderedDict[Key, tuple[tuple[tuple[Hit, bool], ...], bool]] = OrderedDict()
        self._hits = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def hits_held(self) -> int:
        return self._hits

    def get(self, key: Key, text: str) -> tuple[list[Hit], bool] | None:
        """The hits kept for ``key``, each with what it matched in ``text`` (the text ``key`` digests)."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
        kept, truncated = found
        hits = [
            Hit(h.rule, h.start, h.end, text[h.start : h.end], h.mapped, h.severity, h.note) if spanned else h
            for h, spanned in kept
        ]
        return hits, truncated

    def put(self, key: Key, text: str, hits: Sequence[Hit], truncated: bool) -> bool:
        """Keep ``hits`` of ``text`` for ``key`` without what they matched; False (nothing kept) when a
        personal-data or secret hit's match is not the text at its span, or the hits alone would
        fill the memory."""
        if len(hits) > self.max_hits:
            return False
        kept = []
        for hit in hits:
            if text[hit.start : hit.end] == hit.matched:
                kept.append((Hit(hit.rule, hit.start, hit.end, "", hit.mapped, hit.severity, hit.note), True))
            elif self.is_data(hit.rule):
                return False
            else:  # what a behavioural rule matched elsewhere (an empty match, a decoded phrase)
                kept.append((hit, False))
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._hits -= len(old[0])
            self._entries[key] = (tuple(kept), truncated)
            self._hits += len(kept)
            while len(self._entries) > self.max_entries or self._hits > self.max_hits:
                _, (dropped, _) = self._entries.popitem(last=False)
                self._hits -= len(dropped)
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._hits = 0
