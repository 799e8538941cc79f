"""Every occurrence of a fixed set of byte literals in one pass of Hyperscan.

``candidates.literal_starts`` runs one ``bytes.find`` loop per literal: ten literals over a megabyte
are ten passes (~7 ms here). Hyperscan's literal matcher reads the megabyte once (~1 ms) and reports
each occurrence, overlapping ones included, so the positions are exactly those of the find loops.
``present`` says only which literals occur (each reported once: a callback per literal, not per
occurrence). Where Hyperscan is not installed, ``LiteralSet.available`` is False and callers keep
their own passes.
"""

from __future__ import annotations

from collections.abc import Sequence

from routing.shield.hsdb import AVAILABLE, Compiled, hyperscan


class LiteralSet:
    """``find(data)``: for each literal, the sorted positions where it occurs in ``data``; ``present(data)``:
    the indices of those that occur."""

    available = AVAILABLE

    def __init__(self, literals: Sequence[bytes]):
        if not literals or any(not literal or b"\x00" in literal for literal in literals):
            raise ValueError("a literal set needs non-empty literals without NUL bytes (the binding cuts them there)")
        self.literals = tuple(literals)
        self._lengths = tuple(map(len, self.literals))
        if AVAILABLE:
            # Every occurrence, and each literal's first only.
            self._every = Compiled.of(self.literals, literal=True)
            self._first = Compiled.of(self.literals, hyperscan.HS_FLAG_SINGLEMATCH, literal=True)

    def find(self, data: bytes) -> list[list[int]]:
        found: list[list[int]] = [[] for _ in self.literals]
        if not data:
            return found
        lengths = self._lengths

        def on_match(literal: int, _start: int, end: int, _flags: int, _context: object) -> None:
            found[literal].append(end - lengths[literal])

        self._every.scan(data, on_match)
        for positions in found:
            positions.sort()  # reported by end offset: already in order (timsort checks in one pass)
        return found

    def present(self, data: bytes) -> list[int]:
        """The indices of the literals that occur in ``data``, in the order they are first seen."""
        found: list[int] = []
        if data:
            self._first.scan(data, lambda literal, *_: found.append(literal))
        return found
