"""Token smuggling by Unicode: invisible and tag characters, bidi overrides, mixed-script words, and
payloads split across string variables ("a='ignore all'; b='instructions'; a+b")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from routing.shield.behaviour import ENCODED, phrases_in_decoded
from routing.shield.candidates import matches_at
from routing.shield.confusables import BIDI_CLASS, INVISIBLE_CLASS, TAG_CLASS
from routing.shield.findings import Hit, Rule, Severity

C = "token_smuggling"
RULES = (
    Rule("smuggling.obfuscated_attack", C, Severity.CRITICAL,
         "An attack phrase is disguised (lookalike letters, invisible characters, leetspeak or split letters)."),
    Rule("smuggling.payload_split", C, Severity.CRITICAL,
         "An attack phrase is split across string variables and reassembled."),
    Rule("smuggling.invisible_chars", C, Severity.MEDIUM, "Invisible (zero-width) characters inside words."),
    Rule("smuggling.tag_chars", C, Severity.MEDIUM, "Unicode tag characters carry hidden text."),
    Rule("smuggling.bidi_override", C, Severity.MEDIUM, "Bidirectional override characters reorder the visible text."),
    Rule("smuggling.mixed_script", C, Severity.LOW, "A word mixes Latin with Cyrillic or Greek lookalike letters."),
)  # fmt: skip

_INVISIBLE_RUN = re.compile(f"[{INVISIBLE_CLASS}]+")
_TAG_RUN = re.compile(f"[{TAG_CLASS}]+")
_BIDI_RUN = re.compile(f"[{BIDI_CLASS}]+")
_LETTERS = re.compile(r"[^\W\d_]{2,40}")
_ASSIGNMENT = re.compile(r"(?<![\w.])([A-Za-z_]\w{0,20})\s{0,3}[:=]\s{0,3}([\"'`])([^\"'`\n]{1,120})\2")
_CONCAT = re.compile(r"(?<![\w.])[A-Za-z_]\w{0,20}(?:\s{0,3}\+\s{0,3}[A-Za-z_]\w{0,20}){1,12}")
_NAME = re.compile(r"[A-Za-z_]\w{0,20}")
_LOOKALIKE = re.compile("[\u0370-\u052f]")
_LATIN = re.compile("[A-Za-z]")
# At least two assignments of a quoted string, each holding one of these.
_ASSIGNED_QUOTE = re.compile(r"[:=]\s{0,3}[\"'`]")
# The name before a position: both regexes above open with a whole word (their lookbehind refuses a
# word character before it, and white space, '+', ':' or '=' follows it), which ends this regex.
_NAME_BEFORE = re.compile(r"[A-Za-z_]\w{0,20}\s{0,3}\Z")
MAX_RUNS = 4096


def invisible_hits(text: str) -> list[Hit]:
    """Zero-width characters next to ASCII letters or digits (not the joiners inside emoji)."""
    count, first = 0, None
    for number, run in enumerate(_INVISIBLE_RUN.finditer(text)):
        if number >= MAX_RUNS:
            break
        start, end = run.span()
        if run.group() == "\u00ad" or (start == 0 and run.group() == "\ufeff"):
            continue
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if (before.isascii() and before.isalnum()) or (after.isascii() and after.isalnum()):
            count += end - start
            first = first or (start, end)
    if first is None:
        return []
    return [Hit("smuggling.invisible_chars", first[0], first[1], "", note=f"{count} invisible characters")]


def tag_hits(text: str, role: str) -> list[Hit]:
    hits = []
    for number, run in enumerate(_TAG_RUN.finditer(text)):
        if number >= MAX_RUNS:
            break
        start, end = run.span()
        if start and text[start - 1] == "\U0001f3f4":
            continue  # subdivision flags (England, Scotland, Wales) are spelled with tags
        hidden = "".join(chr(ord(c) - 0xE0000) for c in run.group()[:4096] if 0x20 <= ord(c) - 0xE0000 < 0x7F)
        inner = phrases_in_decoded(hidden, role) if len(hidden) >= 4 else []
        if inner:
            note = f"tag characters: {', '.join(sorted({h.rule for h in inner}))}"
            hits.append(Hit(ENCODED, start, end, "", note=note))
        elif not hits:
            hits.append(Hit("smuggling.tag_chars", start, end, "", note=f"{len(hidden)} hidden characters"))
    return hits


def bidi_hits(text: str) -> list[Hit]:
    run = _BIDI_RUN.search(text)
    return [Hit("smuggling.bidi_override", run.start(), run.end(), "")] if run else []


def _mixes_scripts(word: str) -> bool:
    """A Latin letter and a Greek or Cyrillic one, each found by a search in C (not a step per character)."""
    return _LATIN.search(word) is not None and _LOOKALIKE.search(word) is not None


def _mixed_words(text: str) -> list[re.Match[str]]:
    """The words (``_LETTERS`` matches, the first 20000) that hold a Latin and a Greek or Cyrillic letter."""
    words = []
    for number, match in enumerate(_LETTERS.finditer(text)):
        if number >= 20000:
            break
        word = match.group()
        if word.isascii():
            continue
        if _mixes_scripts(word):
            words.append(match)
    return words


# Below this length a text has fewer than 20000 words (each takes two letters and, but for a word cut at
# 40 letters, a character after it), so ``_mixed_words`` reads them all.
_ALL_WORDS = 3 * 20000 - 3
_LETTER_RUN = re.compile(r"[^\W\d_]*")


def _mixed_words_around(text: str, lookalikes: list[int]) -> list[re.Match[str]]:
    """``_mixed_words`` of a text shorter than ``_ALL_WORDS`` whose Greek and Cyrillic letters are at
    ``lookalikes``: only the runs of letters around those are split into words (as ``_LETTERS`` splits
    them, from the run's first letter), not every word of the text."""
    backwards = text[::-1]
    words: list[re.Match[str]] = []
    covered = 0
    for position in lookalikes:
        if position < covered:
            continue  # in the run read last
        end = _LETTER_RUN.match(text, position).end()
        if end == position:
            continue  # a mark or sign of those scripts, in no word
        start = len(text) - _LETTER_RUN.match(backwards, len(text) - position).end()  # read leftwards
        covered = end
        for match in _LETTERS.finditer(text, start, end):
            if _mixes_scripts(match.group()):
                words.append(match)
    return words


def mixed_script_hits(text: str) -> list[Hit]:
    if _LOOKALIKE.search(text) is None or _LATIN.search(text) is None:
        return []  # no Cyrillic or Greek letter, or no Latin one: no word can mix scripts
    words = None
    if len(text) < _ALL_WORDS:
        limit = len(text) // 64  # more than this and reading every word costs less
        lookalikes = [m.start() for m in islice(_LOOKALIKE.finditer(text), limit + 1)]
        if len(lookalikes) <= limit:
            words = _mixed_words_around(text, lookalikes)
    if words is None:
        words = _mixed_words(text)
    if not words:
        return []
    severity = Severity.MEDIUM if len(words) >= 2 else Severity.LOW
    first = words[0]
    return [Hit("smuggling.mixed_script", first.start(), first.end(), first.group(), severity=severity,
                note=f"{len(words)} mixed-script word(s)")]  # fmt: skip


def _names_before(text: str, positions: Iterable[int]) -> Iterator[int]:
    """Where the name that ends, but for white space, at each of ``positions`` (ascending) starts. A
    match of _ASSIGNMENT starts there for its ':' or '=', a match of _CONCAT for its first '+' (``re``
    cannot skip ahead to them: they open with a lookbehind). The starts ascend too: the character at
    a position is neither in the next name nor in the white space after it."""
    for position in positions:
        name = _NAME_BEFORE.search(text, max(0, position - 24), position)
        if name is not None:
            yield name.start()


def _pluses(text: str) -> Iterator[int]:
    position = text.find("+")
    while position != -1:
        yield position
        position = text.find("+", position + 1)


def payload_split_hits(text: str, role: str) -> list[Hit]:
    """Reassemble string fragments assigned to variables and concatenated; scan the result."""
    if "+" not in text or ("=" not in text and ":" not in text):
        return []
    first = _ASSIGNED_QUOTE.search(text)
    if first is None or _ASSIGNED_QUOTE.search(text, first.end()) is None:
        return []  # fewer than two assignments
    values: dict[str, str] = {}
    first_start = None
    assignments = _names_before(text, (m.start() for m in _ASSIGNED_QUOTE.finditer(text)))
    for number, match in enumerate(matches_at(_ASSIGNMENT, text, assignments)):
        if number >= 64:
            break
        values[match.group(1)] = match.group(3)
        first_start = match.start() if first_start is None else first_start
    if len(values) < 2:
        return []
    for number, concat in enumerate(matches_at(_CONCAT, text, _names_before(text, _pluses(text)))):
        if number >= 64:
            break
        names = _NAME.findall(concat.group())
        if sum(name in values for name in names) < 2:
            continue
        parts = [values[name] for name in names if name in values]
        for joined in ("".join(parts), " ".join(parts)):
            inner = phrases_in_decoded(joined, role)
            if inner:
                note = f"reassembled: {', '.join(sorted({h.rule for h in inner}))}"
                return [Hit("smuggling.payload_split", first_start, concat.end(), "", note=note)]
    return []
