"""Search a pattern that opens with an alternation of words only where one of those words occurs.

Python's ``re`` tries an alternation at every position: ``(?:how to|steps to|write|make|...)`` costs
a fraction of a microsecond per character, and a harmful-request pattern searched from where the
prefilter says its first match may end read 150-350 µs of a 4 KB prompt. Every match of such a
pattern starts with the literal that opens one of its branches, so one Hyperscan pass over the text
lists every place a match can start (all patterns' literals at once), and ``match`` is tried there,
in order (``candidates.matches_at``): the same first match as ``search``.

Only patterns whose every branch opens with a literal of ``MIN_LENGTH`` or more ASCII characters,
``MIN_BRANCHES`` branches or more, take this path (``re`` already skips ahead to a single literal).
Without Hyperscan the search is ``re``'s own.

Such a pattern's openers are common words ("how to", "write", "make"); what it wants after them
(its ``anchors.Anchor``: "bomb", "malware", ...) is rare. Every match holds an anchor word at most
``before`` characters after its start, so the same pass finds those words too and an opener is tried
only where one follows within that reach (a 4 KB prompt with a dozen openers and no anchor word
cost ~40 µs a search, now a few).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from re import _constants as sre  # the parsed tree is the only place the structure is known
from re import _parser as parser

from routing.shield.anchors import Anchor
from routing.shield.candidates import ascii_bytes, matches_at
from routing.shield.literals import LiteralSet

MIN_LENGTH, MIN_BRANCHES = 3, 10
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)


def leading_literals(regex: re.Pattern[str]) -> frozenset[str] | None:
    """The literals every match of ``regex`` starts with (one per branch of the alternation it opens
    with, after any lookaround, the pattern's or a branch's), or None when a branch opens with anything
    else or a short literal."""
    if regex.flags & re.IGNORECASE:
        return None
    items = [item for item in parser.parse(regex.pattern, regex.flags) if item[0] not in _ZERO_WIDTH]
    if not items:
        return None
    op, av = items[0]
    if op is sre.SUBPATTERN and not av[1] and not av[2] and len(av[3]) == 1:  # (?:a|b) as a whole
        op, av = av[3][0]
    if op is not sre.BRANCH:
        return None
    literals = set()
    for branch in av[1]:
        run = []
        for item_op, item_av in branch:
            if item_op in _ZERO_WIDTH and not run:
                continue  # "(?<!his )plan to": the match still starts at the literal, where ``match`` checks it
            if item_op is not sre.LITERAL:
                break
            run.append(chr(item_av))
        literal = "".join(run)
        if len(literal) < MIN_LENGTH or not literal.isascii():
            return None
        literals.add(literal)
    return frozenset(literals)


class Leads:
    """For the patterns (by number) that open with many literals: their first match from a position."""

    def __init__(self, regexes: Sequence[re.Pattern[str]], anchors: Sequence[Anchor | None] = ()):
        """``anchors``: each pattern's (by number), where it has one."""
        self._literals: list[bytes] = []
        self._of: dict[int, list[int]] = {}  # pattern number -> its literals' indices
        self._reach: dict[int, tuple[list[int], int]] = {}  # pattern number -> (its anchor words' indices, before)
        index: dict[str, int] = {}

        def indices(words) -> list[int]:
            for word in sorted(words):
                if word not in index:
                    index[word] = len(self._literals)
                    self._literals.append(word.encode("ascii"))
            return sorted(index[word] for word in words)

        for number, regex in enumerate(regexes):
            literals = leading_literals(regex)
            if literals is None or len(literals) < MIN_BRANCHES:
                continue
            self._of[number] = indices(literals)
            found = anchors[number] if number < len(anchors) else None
            if found is not None:
                self._reach[number] = (indices(found.words), found.before)
        self._set = LiteralSet(self._literals) if self._literals and LiteralSet.available else None
        self._last: tuple[str, list[list[int]]] = ("", [])

    def __contains__(self, number: int) -> bool:
        return self._set is not None and number in self._of

    def _positions(self, text: str) -> list[list[int]]:
        """Each literal's positions in ``text`` (the last text's are kept: a pass asks for several
        patterns); a literal is ASCII, so it occurs in the one-byte-per-character copy where it
        occurs in the text."""
        last = self._last
        if last[0] is text:
            return last[1]
        found = self._set.find(ascii_bytes(text))
        self._last = (text, found)
        return found

    def search(self, number: int, regex: re.Pattern[str], text: str, start: int) -> re.Match[str] | None:
        """``regex.search(text, start)`` for pattern ``number``."""
        if number not in self:
            return regex.search(text, start)
        positions = self._positions(text)
        starts = sorted({p for literal in self._of[number] for p in positions[literal] if p >= start})
        if number in self._reach and starts:
            words, before = self._reach[number]
            marks = sorted({p for word in words for p in positions[word] if p >= starts[0]})
            # A match from ``s`` holds an anchor word that starts in [s, s + before].
            starts = [s for s in starts if (k := bisect_left(marks, s)) < len(marks) and marks[k] <= s + before]
        return next(matches_at(regex, text, starts), None)
