"""Phrases written as one slug: words joined by hyphens or underscores instead of spaces.

"ignore-all-previous-instructions" or "reveal_your_system_prompt" reads as the phrase it spells, yet
every rule wants white space between its words, and undoing inner separators (``deobfuscate``) reads
"ig-nore" as one word: "ignoreallpreviousinstructions". A slug is three or more words joined by the
same separator ('-' or '_'); one that holds two different words the rules are keyed on, and in which,
spaced, a rule may match (the Hyperscan prefilter says), is read again with a space for each
separator, in a window of its line around it ("step-by-step" holds one such word,
"estimate_prompt_tokens" two, but no rule matches "estimate prompt tokens"). A slug that is part of a name in
code or an address is no phrase: one after a '.', '/' or '\\' ("rules.stay_in_character",
"/blog/ignore-previous-instructions"), or before a call, an assignment or a further part of a name
("ignore_previous_instructions(", "ignore_previous_instructions = False", "reveal-system-prompt.md").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from routing.shield.candidates import ascii_bytes
from routing.shield.normalize import View

# Each byte as its class: a letter or digit 'a', '-' and '_' themselves, any other byte ' ' (what ends
# a slug). A slug holds two separators of one kind with a word between them: found from the first
# separator (``re`` finds a literal first byte fast), then widened to its stretch.
_CLASSES = bytes(97 if chr(c).isascii() and chr(c).isalnum() else c if chr(c) in "-_" else 32 for c in range(256))
_TWO_SEPARATORS = (re.compile(rb"-a+-"), re.compile(rb"_a+_"))
_WORDS = re.compile(r"[a-z0-9]+")
_NAME_BEFORE = frozenset(b"./\\")
_NAME_AFTER = frozenset(b"(=")
KEYED, CONTEXT = 2, 200  # distinct rule words a slug needs; characters of its line read on each side


def _stretches(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ``data`` with two separators of one kind between words (when
    ``formed`` did not list the stretches: a text with split letters or a very long word)."""
    shape = data.translate(_CLASSES)
    found: set[tuple[int, int]] = set()
    for pattern in _TWO_SEPARATORS:
        for match in pattern.finditer(shape):
            end = shape.find(b" ", match.end())
            found.add((shape.rfind(b" ", 0, match.start()) + 1, len(shape) if end == -1 else end))
    return sorted(found)


def _separator(slug: str) -> str | None:
    """The separator a stretch joins its words with, when it is a slug (two of one kind)."""
    return "-" if slug.count("-") >= 2 else "_" if slug.count("_") >= 2 else None


def _in_a_name(data: bytes, start: int, end: int) -> bool:
    """Whether the slug at ``data[start:end]`` is part of a name in code, a path or an address."""
    if start > 0 and data[start - 1] in _NAME_BEFORE:
        return True
    after = data[end : end + 2]
    if after[:1] == b" ":  # "name = value"
        after = data[end : end + 8].lstrip(b" ")[:1]
    return bool(after) and (after[0] in _NAME_AFTER or (after[0] in _NAME_BEFORE and after[1:].isalnum()))


def _window(view: View, start: int, end: int) -> View:
    """The part of ``view`` from ``start`` to ``end``, its offsets still those of the original text."""
    if view.index is None:
        return View(view.text[start:end], None, view.base + start)
    index = view.index if isinstance(view.index, list) else view.index.tolist()
    return View(view.text[start:end], index[start:end], 0)


def spaced(
    view: View,
    stretches: list[tuple[int, int]] | None,
    rule_words: Collection[str],
    may_match: Callable[[str], bool],
) -> list[View]:
    """A window of ``view`` around each slug that reads as a phrase, its separators read as spaces.
    ``stretches``: where the view's stretches with an inner separator or a leet candidate are
    (``formed``'s, a superset of its slugs), or None to find them here; ``may_match``: whether a
    rule may match in a text (the spaced slug alone)."""
    data = ascii_bytes(view.text)
    text = view.text
    windows: list[View] = []
    reached = 0
    for start, end in _stretches(data) if stretches is None else stretches:
        slug = text[start:end]
        separator = _separator(slug)
        if separator is None or start < reached or _in_a_name(data, start, end):
            continue
        words = slug.replace(separator, " ")
        if len(rule_words & set(_WORDS.findall(slug))) < KEYED or not may_match(words):
            continue
        low = max(text.rfind("\n", 0, start) + 1, start - CONTEXT, reached)
        high = text.find("\n", end)
        high = min(len(text) if high == -1 else high, end + CONTEXT)
        window = _window(view, low, high)
        windows.append(View(window.text.replace(slug, words), window.index, window.base))
        reached = high
    return windows
