"""Views of a text the behavioural rules match on, each with a map back to the original offsets.

``normalize`` lower-cases, folds NFKD compatibility forms and diacritics, folds Cyrillic/Greek
lookalikes to Latin and strips invisible characters. ``deobfuscate`` additionally undoes leetspeak
("1gn0r3") and letter splitting ("i g n o r e", "ig-nore"). ASCII text takes a fast path: only
lower-casing, which keeps offsets, so no map is built.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from routing.shield.candidates import ascii_bytes, literal_starts, matches_at, non_ascii_positions, runs
from routing.shield.folding import FOLDS, ODD
from routing.shield.folding import fold as _fold
from routing.shield.folding import fold_run as _fold_run
from routing.shield.literals import LiteralSet
from routing.shield.offsets import OffsetMap

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# A token mixing letters with leet digits/symbols: "1gn0r3", "pr3v10us", "@dm1n".
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]{0,39}[a-z])(?=[a-z0-9@$]{0,39}[0-9@$])[a-z0-9@$]{3,40}")
_LEET = str.maketrans("013457@$8", "oieastasb")
# Single letters joined by separators ("i g n o r e", "i.g.n.o.r.e"), or separators inside a word ("ig-nore").
_SPLIT_LETTERS = re.compile(r"(?<![a-z])[a-z](?:[ .\-_*/|+]{1,2}[a-z](?![a-z])){3,40}")
# (?<=[a-z])[\-_*](?=[a-z]), written to open with its character class so ``re`` skips ahead to one.
_INNER_SEPARATOR = re.compile(r"[\-_*](?<=[a-z][\-_*])(?=[a-z])")
_ROT13_HINTS = (
    "vtaber",
    "vafgehpgvba",
    "cebzcg",
    "wnvyoernx",
    "qvfertneq",
    "flfgrz",
    "erirny",
    "ercrng",
    "cergraq",
    "sbetrg",
)


@dataclass(frozen=True, slots=True)
class View:
    """Lower-cased text plus, unless it is an identity map, the original offset of each character
    (an ``OffsetMap`` from ``normalize``, a list from the rewrites of ``deobfuscate``)."""

    text: str
    index: OffsetMap | list[int] | None = None
    base: int = 0

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return self.base + start, self.base + end
        if not self.index or start >= len(self.index):
            return self.base, self.base
        end = max(min(end, len(self.index)), start + 1)
        return self.index[start], self.index[end - 1] + 1


_BY_TABLE = 16  # non-ASCII characters from which a text is folded through the table


def _normalize_by_table(text: str, base: int) -> View | None:
    """``normalize``'s view, every character folded through the table at once and the few that fold
    into other than one character (invisible ones, ligatures, marks) by ``_fold``."""
    codes = FOLDS.lookup(text)
    if codes is None:
        return None
    parts: list[str] = []
    starts, origins, steps = [0], [base], [1]
    length = kept = 0
    for position in np.flatnonzero(codes == ODD).tolist():
        parts.append(codes[kept:position].tobytes().decode("utf-32-le", "surrogatepass"))
        folded = _fold(text[position])
        parts.append(folded)
        length += position - kept
        if folded:  # the characters one original folded into all map back to it
            starts.append(length)
            origins.append(base + position)
            steps.append(0)
            length += len(folded)
        starts.append(length)
        origins.append(base + position + 1)
        steps.append(1)
        kept = position + 1
    parts.append(codes[kept:].tobytes().decode("utf-32-le", "surrogatepass"))
    length += len(text) - kept
    return View("".join(parts), OffsetMap(starts, origins, steps, length), base)


def normalize(text: str, base: int = 0) -> View:
    """The normalised view of ``text`` (offsets in the map are relative to ``base``)."""
    if text.isascii():
        return View(text.lower(), None, base)
    positions = non_ascii_positions(text)
    if positions is None or len(positions) >= _BY_TABLE:
        view = _normalize_by_table(text, base)
        if view is not None:
            return view
    return _normalize_by_runs(text, base, positions)


def _normalize_by_runs(text: str, base: int, positions: list[int] | None) -> View:
    """``normalize``'s view, each run of non-ASCII characters (``positions``, or None for a regex pass)
    folded at once (short runs remembered)."""
    parts: list[str] = []
    # The offset map's pieces: a new one wherever a character folds into other than one character.
    starts, origins, steps = [0], [base], [1]
    length = position = 0
    spans = runs(positions) if positions is not None else [m.span() for m in _NON_ASCII_RUN.finditer(text)]
    for start, end in spans:
        if start > position:
            parts.append(text[position:start].lower())
            length += start - position
        folded, odd = _fold_run(text[start:end])
        parts.append(folded)
        kept = 0  # characters of the run before the next odd one, each folded into one
        for offset, size in odd:
            length += offset - kept
            if size:  # the characters one original folded into all map back to it
                starts.append(length)
                origins.append(base + start + offset)
                steps.append(0)
                length += size
            starts.append(length)
            origins.append(base + start + offset + 1)
            steps.append(1)
            kept = offset + 1
        length += end - start - kept
        position = end
    if position < len(text):
        parts.append(text[position:].lower())
        length += len(text) - position
    return View("".join(parts), OffsetMap(starts, origins, steps, length), base)


def absolute_index(view: View) -> list[int]:
    if view.index is None:
        return list(range(view.base, view.base + len(view.text)))
    return view.index.tolist() if isinstance(view.index, OffsetMap) else view.index


def kept(group: str) -> list[int]:
    """The offsets of what stays of a split-letters match (or an inner separator): its letters, and a
    space where two words meet ("i g n o r e  a l l": a separator with a space in it that differs
    from the one most of the letters are split by)."""
    letters = [i for i, char in enumerate(group) if char.isalpha()]
    gaps = [group[a + 1 : b] for a, b in pairwise(letters)]
    if not gaps:
        return letters
    joint = Counter(gaps).most_common(1)[0][0]
    breaks = [a + 1 + gap.index(" ") for a, gap in zip(letters, gaps, strict=False) if gap != joint and " " in gap]
    return sorted(letters + breaks) if breaks else letters


def _rewrite(view: View, pattern: re.Pattern[str], keep) -> View | None:
    """Rewrite each match of ``pattern`` to its characters at the offsets ``keep`` gives; None when
    nothing matched."""
    matches = list(pattern.finditer(view.text))
    if not matches:
        return None
    index = absolute_index(view)
    parts: list[str] = []
    new_index: list[int] = []
    position = 0
    for match in matches:
        start, end = match.span()
        parts.append(view.text[position:start])
        new_index.extend(index[position:start])
        for offset in keep(match.group()):
            parts.append(view.text[start + offset])
            new_index.append(index[start + offset])
        position = end
    parts.append(view.text[position:])
    new_index.extend(index[position:])
    return View("".join(parts), new_index, 0)


def deobfuscate(view: View) -> View | None:
    """Undo leetspeak and split letters on a normalised view; None when the view has neither."""
    current = view
    changed = False
    if _LEET_TOKEN.search(current.text):
        text = _LEET_TOKEN.sub(lambda m: m.group().translate(_LEET), current.text)
        if text != current.text:
            current, changed = View(text, current.index, current.base), True
    for pattern in (_SPLIT_LETTERS, _INNER_SEPARATOR):
        rewritten = _rewrite(current, pattern, kept)
        if rewritten is not None:
            current, changed = rewritten, True
    return current if changed else None


_ROT13_SET = LiteralSet([hint.encode() for hint in _ROT13_HINTS])


def rot13(view: View) -> View | None:
    """The ROT13 view, only when the text holds a ROT13-encoded trigger word (all looked for in one
    Hyperscan pass over the ASCII copy where it is installed)."""
    if _ROT13_SET.available:
        if not _ROT13_SET.present(ascii_bytes(view.text)):
            return None
    elif not any(hint in view.text for hint in _ROT13_HINTS):
        return None
    return View(codecs.encode(view.text, "rot13"), view.index, view.base)


# Cheap finders for ``deobfuscate``'s rewrites (they open with a character class, so ``re`` skips ahead):
# a leet digit or symbol next to a letter (every leet token holds one within its first 40 characters);
# the first separator after a lone letter that is followed by another lone letter (every split-letters
# match opens one character before one of these).
_LEET_NEIGHBOUR = re.compile(r"[0-9@$](?:(?<=[a-z][0-9@$])|(?=[a-z]))")
_LEET_RUN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789@$"
_SPLIT_PAIR = re.compile(r"[ .\-_*/|+](?<=(?<![a-z])[a-z][ .\-_*/|+])[ .\-_*/|+]?[a-z](?![a-z])")


def _shape(table: bytes):
    """A translation of a text's ASCII copy (a character outside ASCII is '?') to one class byte each."""
    return lambda text: ascii_bytes(text).translate(table)


def _table(**classes: str) -> bytes:
    return bytes(next((ord(k) for k, chars in classes.items() if chr(c) in chars), ord("o")) for c in range(256))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Each finder below gives exactly the positions a regex above matches at, read off such a copy with
# ``bytes.find`` (a regex opening with a class steps through every character: ~50 µs for 4 KB).
_leet_shape = _shape(_table(a=_LETTERS, d="0123456789@$"))
_inner_shape = _shape(_table(a=_LETTERS, x="-_*"))


# The same classes as bit masks over a whole text, one byte per character (``int.from_bytes``,
# little-endian, so shifting left by 8 puts each character's bits where the next one's are): a letter
# 0x01, a leet digit or symbol 0x02, a split-letters separator 0x04. A shift or an ``&`` over 4 KB is
# one C loop (~1 µs), where ``bytes.replace`` of a pair of common classes ("aa") is ~10 µs.
_BITS = bytes((97 <= c <= 122) | (chr(c) in "0123456789@$") << 1 | (chr(c) in " .-_*/|+") << 2 for c in range(256))


def _bits(text: str) -> tuple[int, int, int]:
    """(``text``'s class bits, the 0x01 bit of each of its bytes, its length)."""
    size = len(text)
    return int.from_bytes(ascii_bytes(text).translate(_BITS), "little"), int.from_bytes(b"\1" * size, "little"), size


def _ones_at(value: int, size: int) -> list[int]:
    """The positions of the bytes of ``value`` (each 0 or 1) that are 1."""
    return literal_starts(value.to_bytes(size, "little"), (b"\1",))


def _leet_neighbours(text: str) -> list[int]:
    """Where ``_LEET_NEIGHBOUR`` matches: a digit, '@' or '$' with a letter just before or after it."""
    bits, ones, size = _bits(text)
    letters = bits & ones
    return _ones_at(bits >> 1 & ones & (letters << 8 | letters >> 8), size)


def _split_pair_starts(text: str) -> list[int]:
    """One before where ``_SPLIT_PAIR`` matches: a lone letter, one or two separators, another lone letter."""
    bits, ones, size = _bits(text)
    letters = bits & ones
    lone = letters & ~(letters << 8 | letters >> 8)  # no letter before or after it
    separators = bits >> 2 & ones
    return _ones_at(lone & separators >> 8 & (lone >> 16 | separators >> 16 & lone >> 24), size)


def _inner_separators(text: str) -> list[int]:
    """Where ``_INNER_SEPARATOR`` matches: '-', '_' or '*' between two letters."""
    shape = b"o" + _inner_shape(text) + b"o"  # no letter before the first character or after the last
    return [p - 1 for p in literal_starts(shape, (b"x",)) if shape[p - 1] == shape[p + 1] == 97]


def _without_inner_separators(text: str, positions: list[int]) -> str:
    """``_INNER_SEPARATOR.sub("", text)``, given where it matches (``_inner_separators``)."""
    if not positions:
        return text
    bounds = [-1, *positions, len(text)]
    return "".join(text[bounds[k] + 1 : bounds[k + 1]] for k in range(len(bounds) - 1))


@dataclass(frozen=True, slots=True)
class Edits:
    """What ``deobfuscate`` would change: the deobfuscated text (``deobfuscate(view).text``), the spans
    of it that differ from the view or border a removed character, and whether characters were removed
    (the deobfuscated view then carries its own offset map and base 0)."""

    text: str
    changes: list[tuple[int, int]]
    removed: bool


def _leet_starts(text: str) -> list[int]:
    """A sorted superset of the positions ``_LEET_TOKEN`` matches start at (the starts of letter-digit
    runs), read in the class copy: a run starts after the last 'o' before its neighbour."""
    shape = _leet_shape(text)
    starts = set()
    for position in _leet_neighbours(text):
        low = position - 39 if position > 39 else 0
        start = shape.rfind(b"o", low, position) + 1 or low
        if start == low and low > 0 and shape[low - 1] != 111:  # 'o'
            continue  # the run starts further back: its token ends before this character
        starts.add(start)
    return sorted(starts)


def _removing(text: str, matches, changes: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` without what ``kept`` drops of ``matches``, and ``changes`` moved to the new offsets
    plus one span per match (widened by one so that it also covers the joins)."""
    parts, removed, spans, position = [], [], [], 0
    for match in matches:
        start, end = match.span()
        offsets = kept(match.group())
        if len(offsets) == end - start:
            continue
        new_start = start - len(removed)
        parts += [text[position:start], "".join(text[start + i] for i in offsets)]
        removed += sorted(set(range(start, end)).difference(start + i for i in offsets))
        spans.append((new_start - 1, new_start + len(offsets) + 1))
        position = end
    if not removed:
        return text, changes
    parts.append(text[position:])
    moved = [(c - bisect_left(removed, c), d - bisect_left(removed, d)) for c, d in changes]
    return "".join(parts), sorted(moved + spans)


def _dropping(text: str, positions: list[int], changes: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``_removing`` for matches of one character that keep nothing (inner separators, at ``positions``)."""
    if not positions:
        return text, changes
    moved = [(c - bisect_left(positions, c), d - bisect_left(positions, d)) for c, d in changes]
    joins = [(p - k - 1, p - k + 1) for k, p in enumerate(positions)]
    return _without_inner_separators(text, positions), sorted(moved + joins)


def deobfuscation_edits(view: View) -> Edits | None:
    """``deobfuscate(view)``'s text and where it differs, without building offset maps; None when
    ``deobfuscate`` returns None."""
    text, changes = _leet_swapped(view.text)
    before = len(changes)
    text, changes = _removing(text, matches_at(_SPLIT_LETTERS, text, _split_pair_starts(text)), changes)
    removed = len(changes) > before
    count = len(changes)
    text, changes = _dropping(text, _inner_separators(text), changes)
    removed |= len(changes) > count
    if not changes:
        return None
    return Edits(text, changes, removed)


def _leet_swapped(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its leetspeak tokens swapped for letters, and the spans that changed (a swap keeps
    the length, so the spans hold in both texts)."""
    changes: list[tuple[int, int]] = []
    parts, position = [], 0
    for match in matches_at(_LEET_TOKEN, text, _leet_starts(text)):
        token = match.group()
        swapped = token.translate(_LEET)
        if swapped != token:
            parts += [text[position : match.start()], swapped]
            changes.append(match.span())
            position = match.end()
    return ("".join(parts) + text[position:] if parts else text), changes
