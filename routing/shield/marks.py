"""Where ``normalize.deobfuscate``'s rewrites can apply, read off one class copy of a text by numpy.

Each finder gives exactly the positions its regex in ``normalize`` matches at (``_LEET_NEIGHBOUR``,
``_SPLIT_PAIR``, ``_INNER_SEPARATOR``; the tests hold them to it). A regex that opens with a
character class steps through every character (~50 µs for 4 KB); ``bytes.replace`` on a class copy
(the previous way) costs ~10 µs per call where its pattern is common, as two letters in a row are.
Here the copy has one class byte per character ('a' a letter a-z, 'd' a digit, '@' or '$', 's' a
space or one of ``./|+``, 'x' one of ``-_*``, 'o' anything else, a character outside ASCII included)
and each finder is a few whole-array comparisons and shifts: ~5-10 µs for 4 KB, the copy (~4 µs)
made once for the last text asked about.
"""

from __future__ import annotations

import numpy as np

LEET_REACH = 39  # a leet token is at most 40 characters: its run starts at most this far before a neighbour
_A, _D, _S, _X = b"adsx"
_CLASSES = bytes(
    _A if 97 <= c <= 122
    else _D if chr(c) in "0123456789@$"
    else _S if chr(c) in " ./|+"
    else _X if chr(c) in "-_*"
    else ord("o")
    for c in range(256)
)  # fmt: skip
_last: tuple[str, np.ndarray] = ("", np.zeros(0, np.uint8))


def classes(text: str) -> np.ndarray:
    """One class byte per character of ``text`` (the last text's are kept: the finders share them)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    found = np.frombuffer(text.encode("ascii", "replace").translate(_CLASSES), np.uint8)
    _last = (text, found)
    return found


def _before(mask: np.ndarray) -> np.ndarray:
    """Whether the character before each one is in ``mask`` (False for the first)."""
    shifted = np.zeros_like(mask)
    shifted[1:] = mask[:-1]
    return shifted


def _after(mask: np.ndarray, by: int = 1) -> np.ndarray:
    """Whether the character ``by`` after each one is in ``mask`` (False past the end)."""
    shifted = np.zeros_like(mask)
    if len(mask) > by:
        shifted[: len(mask) - by] = mask[by:]
    return shifted


def _neighbours(text: str) -> np.ndarray:
    kinds = classes(text)
    letters = kinds == _A
    return np.flatnonzero((kinds == _D) & (_before(letters) | _after(letters)))


def leet_neighbours(text: str) -> list[int]:
    """Where ``_LEET_NEIGHBOUR`` matches: a digit, '@' or '$' with a letter just before or after it."""
    return _neighbours(text).tolist()


def leet_starts(text: str) -> list[int]:
    """A sorted superset of the positions ``_LEET_TOKEN`` matches start at: the start of the run of
    letters and digits that holds a neighbour, where that is at most ``LEET_REACH`` before it (a
    token that starts earlier ends before the neighbour)."""
    neighbours = _neighbours(text)
    if not neighbours.size:
        return []
    kinds = classes(text)
    run = (kinds == _A) | (kinds == _D)
    starts = np.flatnonzero(run & ~_before(run))
    own = starts[np.searchsorted(starts, neighbours, "right") - 1]  # every neighbour is in a run
    return np.unique(own[own >= neighbours - LEET_REACH]).tolist()


def split_pair_starts(text: str) -> list[int]:
    """One before where ``_SPLIT_PAIR`` matches: a lone letter, one or two separators, another lone letter."""
    kinds = classes(text)
    letters = kinds == _A
    lone = letters & ~_before(letters) & ~_after(letters)
    separators = (kinds == _S) | (kinds == _X)
    second = _after(lone, 2) | (_after(separators, 2) & _after(lone, 3))
    return np.flatnonzero(lone & _after(separators) & second).tolist()


def inner_separators(text: str) -> list[int]:
    """Where ``_INNER_SEPARATOR`` matches: '-', '_' or '*' between two letters."""
    kinds = classes(text)
    letters = kinds == _A
    return np.flatnonzero((kinds == _X) & _before(letters) & _after(letters)).tolist()
