"""Run a regex only where a match can start, with the same matches ``finditer`` would give.

Python's ``re`` cannot skip ahead for a pattern that opens with a lookbehind, an alternation or a
case-insensitive word, so ``finditer`` tries it at every position of a megabyte. When a cheap pass
(``str.find`` of a literal, a regex that opens with a character class) lists every position a match
can start at, trying ``match`` there, in order and past the previous match, yields exactly the
matches of ``finditer``: it, too, takes the leftmost match at or after the previous one's end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def matches_at(regex: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)``, given a sorted superset of the positions its matches start at.

    Only for regexes that cannot match the empty string."""
    last = 0
    for start in starts:
        if start < last:
            continue
        match = regex.match(text, start)
        if match is not None:
            yield match
            last = match.end()


def literal_starts(text: str | bytes, literals: Iterable[str] | Iterable[bytes], offset: int = 0) -> list[int]:
    """Sorted positions ``offset`` characters before each occurrence of any of ``literals``."""
    found = set()
    for literal in literals:
        position = text.find(literal)
        while position != -1:
            if position >= offset:
                found.add(position - offset)
            position = text.find(literal, position + 1)
    return sorted(found)


def regex_starts(finder: re.Pattern[str], text: str) -> list[int]:
    """Start positions of the (non-overlapping) matches of ``finder``."""
    return [m.start() for m in finder.finditer(text)]


# Characters a case-insensitive ``re`` equates with an ASCII letter although ``str.lower`` does not
# (U+0130 is also the only character whose lower case is two characters long).
_ODD_CASE = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


def lowered(text: str) -> str:
    """``text`` lower-cased offset for offset, so a case-insensitive ASCII word of ``text`` is found
    at the same place in it."""
    if not text.isascii():
        for odd, plain in _ODD_CASE.items():
            if odd in text:
                text = text.replace(odd, plain)
    return text.lower()


def folded_matches(regex: re.Pattern[str], text: str, low: str, words: Iterable[str]) -> Iterator[re.Match]:
    """``regex.finditer(text)`` for a case-insensitive regex whose matches open with one of ``words``
    (lower case); ``low`` is ``lowered(text)``."""
    return matches_at(regex, text, literal_starts(low, words))


# Case-insensitive ``re`` equates these (and only these) non-ASCII characters with an ASCII letter.
_FOLDS = {**_ODD_CASE, "\u212a": "k"}


_RECENT = 4  # the original text, its normalised view, the deobfuscated view and one more


class _Recent:
    """A value per text for the last ``_RECENT`` texts, found by the identity of the text, so a new
    text never gets another's. The tuple is replaced whole: threads at worst miss."""

    __slots__ = ("_items", "_make")

    def __init__(self, make):
        self._items: tuple = ()
        self._make = make

    def __call__(self, text: str):
        items = self._items
        for known, value in items:
            if known is text:
                return value
        value = self._make(text)
        self._items = ((text, value), *items[: _RECENT - 1])
        return value


_recent_ascii = _Recent(lambda text: text.encode("ascii", "replace"))


def ascii_bytes(text: str) -> bytes:
    """One byte per character of ``text``, '?' for every non-ASCII one: an ASCII literal occurs in it
    exactly where it occurs in ``text``, and ``bytes`` searches are much faster than ``str`` ones.

    The copies of the last few texts are kept (the detectors and the views' finders each ask for
    them: a megabyte costs a few milliseconds to encode)."""
    return _recent_ascii(text)


def lowered_bytes(text: str) -> bytes:
    """One byte per character of ``text``, lower-cased as ``lowered`` is: a lower-case ASCII word occurs
    in it exactly where it occurs in ``lowered(text)`` (each character ``re`` folds to an ASCII letter
    is that letter, every other non-ASCII one a '?')."""
    data = ascii_bytes(text)
    if text.isascii():
        return data.lower()
    folded = None
    for odd, plain in _FOLDS.items():
        position = text.find(odd)
        while position != -1:
            if folded is None:
                folded = bytearray(data)
            folded[position] = ord(plain)
            position = text.find(odd, position + 1)
    return (data if folded is None else bytes(folded)).lower()


def non_ascii_positions(text: str) -> list[int] | None:
    """The positions of the characters of ``text`` outside ASCII, in order; None when there may be more
    than one per 32 characters (a regex pass is then cheaper than a step per character).

    Read off ``text.encode("ascii", "replace")``: a '?' there stands for a character outside ASCII
    unless ``text`` holds a '?' at that place; most prose has a handful (quotes, dashes). The last few
    texts' answers are kept, as their ASCII copies are (normalisation, the Unicode detectors and the
    code-point tables each ask about the same text); callers only read the list."""
    return _recent_positions(text)


def _non_ascii_positions(text: str) -> list[int] | None:
    data = ascii_bytes(text)
    if data.count(b"?") > len(text) >> 5:
        return None
    positions = []
    position = data.find(b"?")
    while position != -1:
        if text[position] != "?":
            positions.append(position)
        position = data.find(b"?", position + 1)
    return positions


_recent_positions = _Recent(_non_ascii_positions)


def runs(positions: list[int]) -> list[tuple[int, int]]:
    """The maximal runs of consecutive ``positions`` (sorted), as spans."""
    spans: list[tuple[int, int]] = []
    for position in positions:
        if spans and spans[-1][1] == position:
            spans[-1] = (spans[-1][0], position + 1)
        else:
            spans.append((position, position + 1))
    return spans
