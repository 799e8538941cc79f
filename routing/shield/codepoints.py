"""A value per character of a text, looked up in a table over the Basic Multilingual Plane by numpy.

A text in another script has a character outside ASCII every few characters; classifying or folding
them one run at a time in Python (a regex pass, a codec error handler, a cached fold per run) cost
0.1-0.4 ms per 4 KB. numpy reads the text's code points (UTF-32) and indexes a table once: ~15 µs.
A table is built by applying the slow path once to every BMP character, so both agree by
construction; a character beyond the BMP (an emoji) is looked up by the slow path itself when the
table is given it (``beyond``), else the text gets None and the caller's own path.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np

BMP = 0x10000
_TABLES: list[Table] = []


def warm() -> None:
    """Build every table now (10-200 ms each), not on the first text that needs one."""
    for table in _TABLES:
        table.build()


def every_character() -> str:
    """The BMP's characters in order (lone surrogates included), for a classification to read."""
    return "".join(map(chr, range(BMP)))


def byte_classes(classify: Callable[[str], bytes]) -> Callable[[], np.ndarray]:
    """A table maker from a classification that gives one byte per character of a text."""

    def make() -> np.ndarray:
        data = classify(every_character())
        if len(data) != BMP:
            raise ValueError("a classification gives one byte per character")
        return np.frombuffer(data, dtype=np.uint8)

    return make


class Table:
    """``lookup(text)``: the table's value for each character of ``text`` (``translate``: as bytes)."""

    def __init__(self, make: Callable[[], np.ndarray], beyond: Callable[[str], int] | None = None):
        self._make, self._beyond = make, beyond
        self._table: np.ndarray | None = None
        self._lock = threading.Lock()
        _TABLES.append(self)

    def build(self) -> np.ndarray:
        if self._table is None:
            with self._lock:
                if self._table is None:
                    table = self._make()
                    if table.shape != (BMP,):
                        raise ValueError("a table holds one value per BMP character")
                    self._table = table
        return self._table

    @classmethod
    def of_bytes(cls, classify: Callable[[str], bytes]) -> Table:
        """A table of ``classify``'s bytes, which also classifies a character beyond the BMP."""
        return cls(byte_classes(classify), lambda char: classify(char)[0])

    def lookup(self, text: str) -> np.ndarray | None:
        """One value per character of ``text`` (None for a character beyond the BMP without ``beyond``)."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if not points.size or int(points.max()) < BMP:
            return self.build()[points]
        if self._beyond is None:
            return None
        far = points >= BMP
        values = self.build()[np.where(far, 0, points)]
        for position in np.flatnonzero(far).tolist():
            values[position] = self._beyond(text[position])
        return values

    def translate(self, text: str) -> bytes | None:
        """``lookup`` as bytes: one byte per character for a table of bytes."""
        values = self.lookup(text)
        return None if values is None else values.tobytes()
