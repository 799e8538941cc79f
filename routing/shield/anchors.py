"""Required words of a regex, so it is searched only in windows around them instead of everywhere.

Python's ``re`` has no fast scan for a pattern that opens with an alternation of words: it tries the
alternation at every position, which is what made a 4 KB prompt cost milliseconds. ``anchor`` reads
the parsed pattern and finds a set of lower-case letter runs one of which every match must contain,
plus how far a match can reach before and after it. A run of letters only ever occurs inside a word
of ``[a-z]+``, so the words of a text say where a match could be. Searching the merged windows
finds the same first match as searching the whole text: every match lies inside one window, and a
window stretches ``margin`` past the longest match so lookaheads read the same characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from re import _constants as sre  # the parsed tree is the only place the structure is known
from re import _parser as parser

from wordfreq import word_frequency

_LETTER_RUN = re.compile(r"[a-z]+")
# Words so common that a window around each of them would cover most of a prompt.
_COMMON = frozenset({
    "a", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "do", "for", "from", "has",
    "have", "he", "her", "his", "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "now", "of", "on",
    "or", "our", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "to", "was", "we", "were", "what", "when", "which", "who", "will", "with", "would", "you", "your", "all",
    "also", "just", "only", "one", "out", "up", "use",
})  # fmt: skip
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_LOOKAROUNDS = (sre.ASSERT, sre.ASSERT_NOT)


@dataclass(frozen=True, slots=True)
class Anchor:
    """Every match contains one of ``words`` starting at most ``before`` characters after the match
    start and ending the match at most ``after`` characters after that word's start."""

    words: frozenset[str]
    before: int
    after: int
    margin: int


def _cost(words: frozenset[str]) -> float:
    """How much of a text the windows around ``words`` are expected to cover: how often each occurs in
    English (``wordfreq``; a word fragment it does not know by its length), so a pattern is searched
    around its rare words ("steal", "hack") rather than its common ones ("make", "write")."""
    return sum(
        1.0 if w in _COMMON or len(w) <= 2 else 100 * word_frequency(w, "en") + 0.001 * 0.6 ** len(w) for w in words
    )


def _better(best, candidate):
    if best is None:
        return candidate
    return min(best, candidate, key=lambda c: (_cost(c[0]), c[1] + c[2]))


def _max_width(items, state) -> int:
    width = parser.SubPattern(state, list(items)).getwidth()[1]
    if width >= parser.MAXREPEAT:
        raise ValueError("unbounded")
    return width


def _inner(op, av, state):
    if op is sre.SUBPATTERN:
        return None if av[1] or av[2] else _required(av[3], state)
    if op is sre.ATOMIC_GROUP:
        return _required(av, state)
    if op is sre.BRANCH:
        options = [_required(branch, state) for branch in av[1]]
        if any(o is None for o in options):
            return None
        return frozenset().union(*(o[0] for o in options)), max(o[1] for o in options), max(o[2] for o in options)
    if op in _REPEATS and av[0] >= 1:
        found = _required(av[2], state)
        if found is not None:  # the word may sit in any repetition: bound by the whole repeat
            width = _max_width([(op, av)], state)
            return found[0], width, width
    return None


def _required(items, state):
    """(words, before, after) for a sequence of parsed items, or None when nothing is required."""
    items = list(items)
    widths = [_max_width([item], state) for item in items]
    total = sum(widths)
    best = None
    index = 0
    while index < len(items):
        op, av = items[index]
        offset = sum(widths[:index])
        if op is sre.LITERAL:
            end = index
            while end < len(items) and items[end][0] is sre.LITERAL:
                end += 1
            literal = "".join(chr(code) for _, code in items[index:end])
            for run in _LETTER_RUN.finditer(literal):
                start = offset + run.start()
                best = _better(best, (frozenset({run.group()}), start, total - start))
            index = end
            continue
        inner = _inner(op, av, state)
        if inner is not None:
            best = _better(best, (inner[0], offset + inner[1], inner[2] + total - offset - widths[index]))
        index += 1
    return best


def _lookaround_width(items, state) -> int:
    widest = 0
    for op, av in items:
        if op in _LOOKAROUNDS:
            widest = max(widest, _max_width(av[1], state))
        for child in _children(op, av):
            widest = max(widest, _lookaround_width(child, state))
    return widest


def _children(op, av):
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is sre.BRANCH:
        return av[1]
    if op in _REPEATS:
        return [av[2]]
    if op in _LOOKAROUNDS:
        return [av[1]]
    if op is sre.ATOMIC_GROUP:
        return [av]
    return []


def anchor(regex: re.Pattern[str]) -> Anchor | None:
    """The words to search near for ``regex``, or None when it must be searched everywhere."""
    if regex.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE):
        return None
    try:
        tree = parser.parse(regex.pattern, regex.flags)
        found = _required(tree, tree.state)
        margin = _lookaround_width(tree, tree.state) + 2
    except ValueError:
        return None
    if found is None or any(w in _COMMON or len(w) <= 2 for w in found[0]):
        return None
    return Anchor(found[0], found[1], found[2], margin)


def reach(regex: re.Pattern[str]) -> tuple[int, int] | None:
    """(longest match, how far lookarounds and word boundaries read past it), or None when unbounded."""
    try:
        tree = parser.parse(regex.pattern, regex.flags)
        return _max_width(tree, tree.state), _lookaround_width(tree, tree.state) + 2
    except ValueError:
        return None


def windows(text: str, words: list[str], found: Anchor) -> list[tuple[int, int]]:
    """Merged spans of ``text`` around every occurrence of ``words`` (the words holding an anchor)."""
    spans = []
    for word in words:
        position = text.find(word)
        while position != -1:
            spans.append((max(0, position - found.before), position + len(word) + found.after + found.margin))
            position = text.find(word, position + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def top_level_branches(regex: str) -> list[str]:
    """The alternatives of ``regex`` split at its top-level ``|`` (one item when there is none)."""
    branches, depth, in_class, escaped, start = [], 0, False, False, 0
    for position, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]" or regex[position - 1] == "["
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(regex[start:position])
            start = position + 1
    return [*branches, regex[start:]]
