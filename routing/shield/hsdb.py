"""A Hyperscan database in block mode, compiled on first use, with a scratch space per thread.

Several detectors keep a small database of their own (literal sets, the stretches ``formed`` reads,
where a small-letter IBAN can start) beside the prefilter's. A scratch space belongs to one database
and may serve one scan at a time: each thread gets its own, made the first time it scans.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

try:
    import hyperscan
except ImportError:  # no wheel for this platform: callers keep their pure-Python paths
    hyperscan = None

AVAILABLE = hyperscan is not None


class Compiled:
    """``scan(data, on_match)`` with the database ``build()`` returns (called once, by the first scan)."""

    def __init__(self, build: Callable[[], object]):
        self._build = build
        self._database = None
        self._lock = threading.Lock()
        self._local = threading.local()

    @classmethod
    def of(cls, expressions: Sequence[bytes], flags: Sequence[int] | int = 0, literal: bool = False) -> Compiled:
        """A database of ``expressions`` (numbered by position), each with its flags (or all with ``flags``)."""
        every = [flags] * len(expressions) if isinstance(flags, int) else list(flags)

        def build():
            database = hyperscan.Database()
            ids = list(range(len(expressions)))
            database.compile(expressions=list(expressions), ids=ids, flags=every, literal=literal)
            return database

        return cls(build)

    @property
    def database(self):
        if self._database is None:
            with self._lock:
                if self._database is None:
                    self._database = self._build()
        return self._database

    def scan(self, data: bytes, on_match: Callable) -> None:
        """Report every match in ``data`` to ``on_match(expression, start, end, flags, context)``; a
        callback that returns True stops the scan (``hyperscan.ScanTerminated``)."""
        database = self.database
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(database)
        database.scan(data, match_event_handler=on_match, scratch=scratch)
