"""Where a deobfuscated text differs from its view: the merged changed spans, the words they touch and
where words occur (for ``Matcher.variant_adds_nothing``, the pure-Python matcher's variant check), and
whether the words an edit forms are ones the rules are keyed on (``KeyWords``)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from re import _constants as sre  # the parsed tree is the only place a regex's literals are listed
from re import _parser as parser

_WORDS = re.compile(r"[a-z]+")
_LONG_WORDS = re.compile(r"[a-z]{3,}")


class Changes:
    """The merged changed spans of a deobfuscated text, and where words occur in it (found once)."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.text, self.spans = text, spans
        self._lows, self._highs = [c for c, _ in spans], [d for _, d in spans]
        self._found: dict[str, list[int]] = {}

    def positions(self, word: str) -> list[int]:
        found = self._found.get(word)
        if found is None:
            found, position = [], self.text.find(word)
            while position != -1:
                found.append(position)
                position = self.text.find(word, position + 1)
            self._found[word] = found
        return found

    def near(self, low: int, high: int, before: int, after: int, until: int) -> list[tuple[int, int]]:
        """``[low, high]`` intersected with each change that starts by ``until`` widened by ``before`` and
        ``after`` (found by bisection: widening keeps the changes sorted and apart). A match holding an
        anchor ends by a known distance past it, so a change further on is not read by one from here."""
        first, stop = bisect_left(self._highs, low - after), bisect_right(self._lows, min(high + before, until))
        pieces = []
        for c, d in self.spans[first:stop]:
            start, end = max(low, c - before, 0), min(high, d + after)
            if start <= end:
                pieces.append((start, end))
        return pieces


def merged(spans: list[tuple[int, int]], gap: int = 1) -> list[tuple[int, int]]:
    """Sorted closed intervals (clipped at 0), those less than ``gap`` apart joined."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        low = max(0, low)
        if merged and low <= merged[-1][1] + gap:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def touched_words(text: str, changes: list[tuple[int, int]]) -> set[str] | None:
    """The words of ``text`` that overlap or touch a change (None when one runs on too far to tell)."""
    words: set[str] = set()
    for start, end in merged(changes):
        before = text[max(0, start - 64) : start]
        after = text[end : end + 64]
        low = start - (len(before) - len(before.rstrip(_LETTERS)))
        high = end + (len(after) - len(after.lstrip(_LETTERS)))
        if (low == start - 64 and low > 0 and text[low - 1] in _LETTERS) or (
            high == end + 64 and high < len(text) and text[high] in _LETTERS
        ):
            return None
        words.update(_WORDS.findall(text, low, high))
    return words


def spelled(regex: re.Pattern[str]) -> set[str]:
    """The runs of three or more letters a-z in the literals of ``regex``, in every branch, group,
    repeat and lookaround: the words it spells out ("ignore", "previous", "instruct" of "instruct(?:ions)?")."""
    found: set[str] = set()

    def walk(items) -> None:
        run: list[str] = []
        for op, av in items:
            if op is sre.LITERAL:
                run.append(chr(av))
                continue
            found.update(_LONG_WORDS.findall("".join(run)))
            run = []
            if op is sre.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op is sre.SUBPATTERN:
                walk(av[3])
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(av[1])
        found.update(_LONG_WORDS.findall("".join(run)))

    walk(parser.parse(regex.pattern, regex.flags))
    return found


class KeyWords:
    """The words the behavioural rules are keyed on: every gate word and every anchor that is a whole
    word, every word a rule spells out but the most common English ones (``spelled``: "the" and "does"
    are in most texts), every gate key of letters alone read anywhere in a word ("jailbr" of
    "jailbr*"), and the runs of three or more letters of every other key ("sys" of "<<sys>>"). Undoing
    an obfuscation matters only where it forms one of these ("ig-nore" -> "ignore", "sys-tem" ->
    "system"); a hyphenated compound ("step-by-step"), a snake_case name or an address
    ("jane@example" -> "janeaexample") forms none, and nearly every text has some of those."""

    def __init__(
        self, words: Iterable[str], keys: Iterable[str], spelled: Iterable[str] = (), common: Collection[str] = ()
    ):
        stems = [key.rstrip("*") for key in keys]
        self.inner = tuple(sorted({s for s in stems if s.isascii() and s.isalpha()}))
        runs = {run for s in stems if s not in self.inner for run in _LONG_WORDS.findall(s)}
        words = {w for w in words if w.isascii() and w.isalpha()}
        self.words = frozenset(words | runs | (set(spelled) - set(common)))

    def formed_by(self, touched: Collection[str] | None) -> bool:
        """Whether ``touched`` (``touched_words`` of an edited text; None: unknown) holds a key word."""
        if touched is None or not self.words.isdisjoint(touched):
            return True
        joined = "\n".join(touched)
        return any(stem in joined for stem in self.inner)
