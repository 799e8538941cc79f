"""A value per character of a text, looked up in a table over the Basic Multilingual Plane by numpy.

A text in another script has a character outside ASCII every few characters; classifying or folding
them one run at a time in Python (a regex pass, a codec error handler, a cached fold per run) cost
0.1-0.4 ms per 4 KB. numpy reads the text's code points (UTF-32) and indexes a table once: ~15 µs.
A table is built by applying the slow path once to every BMP character, so both agree by
construction. The slow path for one character (``one``), when the table is given it, answers for a
character beyond the BMP (an emoji; without it such a text gets None and the caller's own path) and,
in a table of bytes that keeps ASCII as itself, for each character of a text that has few outside
ASCII (copying the text and looking those up costs less than reading every code point).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from routing.shield.candidates import ascii_bytes, non_ascii_positions

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

    def __init__(
        self, make: Callable[[], np.ndarray], one: Callable[[str], int] | None = None, *, ascii_kept: bool = False
    ):
        self._make, self._one, self._ascii_kept = make, one, ascii_kept
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
        """A table of ``classify``'s bytes, with ``classify`` (remembered) for one character."""
        ascii_kept = classify("".join(map(chr, range(128)))) == bytes(range(128))
        return cls(
            byte_classes(classify), lru_cache(maxsize=4096)(lambda char: classify(char)[0]), ascii_kept=ascii_kept
        )

    def lookup(self, text: str) -> np.ndarray | None:
        """One value per character of ``text`` (None for a character beyond the BMP without ``one``)."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if not points.size or int(points.max()) < BMP:
            return self.build()[points]
        if self._one is None:
            return None
        far = points >= BMP
        values = self.build()[np.where(far, 0, points)]
        for position in np.flatnonzero(far).tolist():
            values[position] = self._one(text[position])
        return values

    def translate(self, text: str) -> bytes | None:
        """``lookup`` as bytes: one byte per character for a table of bytes."""
        if self._ascii_kept and self._one is not None:
            if text.isascii():
                return text.encode("ascii")
            positions = non_ascii_positions(text)
            if positions is not None:  # few outside ASCII: each looked up
                data = bytearray(ascii_bytes(text))
                for position in positions:
                    data[position] = self._one(text[position])
                return bytes(data)
        values = self.lookup(text)
        return None if values is None else values.tobytes()
