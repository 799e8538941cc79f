"""Every occurrence of a fixed set of byte literals in one pass of Hyperscan.

``candidates.literal_starts`` runs one ``bytes.find`` loop per literal: ten literals over a megabyte
are ten passes (~7 ms here). Hyperscan's literal matcher reads the megabyte once (~1 ms) and reports
each occurrence, overlapping ones included, so the positions are exactly those of the find loops.
``present`` says only which literals occur (each reported once: a callback per literal, not per
occurrence). Where Hyperscan is not installed, ``LiteralSet.available`` is False and callers keep
their own passes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

try:
    import hyperscan
except ImportError:  # no wheel for this platform: callers fall back to their find loops
    hyperscan = None


class LiteralSet:
    """``find(data)``: for each literal, the sorted positions where it occurs in ``data``; ``present(data)``:
    the indices of those that occur."""

    available = hyperscan is not None

    def __init__(self, literals: Sequence[bytes]):
        if not literals or any(not literal or b"\x00" in literal for literal in literals):
            raise ValueError("a literal set needs non-empty literals without NUL bytes (the binding cuts them there)")
        self.literals = tuple(literals)
        self._lengths = tuple(map(len, self.literals))
        self._databases: dict[bool, object] = {}  # single -> compiled database
        self._local = threading.local()
        self._lock = threading.Lock()

    def _compiled(self, single: bool = False):
        """The database reporting every occurrence, or (``single``) each literal's first only."""
        database = self._databases.get(single)
        if database is None:
            with self._lock:
                database = self._databases.get(single)
                if database is None:
                    database = hyperscan.Database()
                    database.compile(
                        expressions=list(self.literals),
                        ids=list(range(len(self.literals))),
                        flags=[hyperscan.HS_FLAG_SINGLEMATCH if single else 0] * len(self.literals),
                        literal=True,
                    )
                    self._databases[single] = database
        return database

    def _scratch(self, database):
        scratches = getattr(self._local, "scratches", None)
        if scratches is None:
            scratches = self._local.scratches = {}
        scratch = scratches.get(id(database))
        if scratch is None:
            scratch = scratches[id(database)] = hyperscan.Scratch(database)
        return scratch

    def find(self, data: bytes) -> list[list[int]]:
        found: list[list[int]] = [[] for _ in self.literals]
        if not data:
            return found
        lengths = self._lengths

        def on_match(literal: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found[literal].append(end - lengths[literal])

        database = self._compiled()
        database.scan(data, match_event_handler=on_match, scratch=self._scratch(database))
        for positions in found:
            positions.sort()  # reported by end offset: already in order (timsort checks in one pass)
        return found

    def present(self, data: bytes) -> list[int]:
        """The indices of the literals that occur in ``data``, in the order they are first seen."""
        found: list[int] = []
        if data:
            database = self._compiled(single=True)
            database.scan(
                data, match_event_handler=lambda literal, *_: found.append(literal), scratch=self._scratch(database)
            )
        return found
