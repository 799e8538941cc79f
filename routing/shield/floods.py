"""Token floods: one short token or a cycle of two or three repeated dozens of times in a row, which
pushes earlier instructions out of a model's attention ("ö ö ö ...", ") ] } ) ] } ...")."""

from __future__ import annotations

import re
from itertools import repeat
from operator import eq

from routing.shield.adversarial import TAIL
from routing.shield.findings import Hit

RULES = ()  # the rule is an injection rule (``injection.token_flood``)

FLOOD = "injection.token_flood"
FLOOD_REPEATS, FLOOD_TOKEN, FLOOD_READ = 40, 4, 6000
# A byte per token: 's' when it is short (one to FLOOD_TOKEN characters), 'L' when not.
_MARKS = bytes(115 if 1 <= n <= FLOOD_TOKEN else 76 for n in range(256))
_SHORT_STRETCH = b"s" * FLOOD_REPEATS
_DIGIT = re.compile(r"[0-9]")  # str.isdigit on ASCII, for a run of tokens at once (see _reached)
# Per cycle length: runs of tokens equal to the one a cycle before, long enough for a flood.
_REPEATED = {cycle: re.compile(b"\x01{%d,}" % (cycle * (FLOOD_REPEATS - 1))) for cycle in (1, 2, 3)}


def _short_runs(tokens: list[str]) -> list[tuple[int, int]]:
    """The stretches of ``FLOOD_REPEATS`` or more short tokens in a row, where every flood lies (each
    repeat is at least one token), found in a byte per token ('s' short, 'L' long) built in C."""
    try:
        lengths = bytes(map(len, tokens))
    except ValueError:  # a token of 256 characters or more: its length is capped (it is long either way)
        lengths = bytes(map(min, map(len, tokens), repeat(255)))
    marks = lengths.translate(_MARKS)
    spans, position = [], marks.find(_SHORT_STRETCH)
    while position != -1:
        end = marks.find(b"L", position)
        end = len(marks) if end == -1 else end
        spans.append((position, end))
        position = marks.find(_SHORT_STRETCH, end)
    return spans


def _flood(tokens: list[str], stretches: list[tuple[int, int]]) -> tuple[int, int, int] | None:
    """(first token, cycle length, repeats) of the first cycle of one to three short tokens repeated
    ``FLOOD_REPEATS`` times in a row, or None. Only the ``stretches`` of short tokens are read: the
    long token before each one ends any repeat.

    For each cycle length, a byte per token says whether it equals the token one cycle before (built
    in C). A run of ``cycle * (FLOOD_REPEATS - 1)`` such tokens without a digit among them is a flood
    (rows of numbers are data: a token with a digit restarts the count); it lasts as long as tokens
    keep equalling the one a cycle before, which is where the run of equal bytes ends."""
    for cycle, repeated in _REPEATED.items():
        need = cycle * (FLOOD_REPEATS - 1)
        for first, last in stretches:
            low = max(cycle, first)
            if last - low < need:
                continue
            same = bytes(map(eq, tokens[low:last], tokens[low - cycle : last - cycle]))
            for run in repeated.finditer(same):
                run_start, run_end = low + run.start(), low + run.end()
                reached = _reached(tokens, run_start, run_end, need)
                if reached is not None:  # the count reached ``need`` at token ``reached``
                    start = reached - need - cycle + 1
                    return start, cycle, (run_end - start) // cycle
    return None


def _reached(tokens: list[str], start: int, end: int, need: int) -> int | None:
    """The first token of ``tokens[start:end]`` at which ``need`` tokens in a row have no digit."""
    joined = "".join(tokens[start:end])
    if joined.isascii() and not _DIGIT.search(joined):  # outside ASCII, isdigit holds more than \d
        return start + need - 1
    count = 0
    for i in range(start, end):
        count = 0 if any(c.isdigit() for c in tokens[i]) else count + 1
        if count >= need:
            return i
    return None


def _token_span(part: str, first: int, last: int, tokens: list[str]) -> tuple[int, int]:
    """Where tokens ``first`` to ``last`` of ``tokens`` (``part.split()``) start and end in ``part``.

    ``str.split`` with ``maxsplit=k`` leaves the text from token ``k`` on (its leading white space
    dropped) as its last item, so that item's length says where token ``k`` starts, in C."""
    rest = part.split(maxsplit=first)[-1]
    start = len(part) - len(rest)
    return start, len(part) - len(rest.split(maxsplit=last - first)[-1]) + len(tokens[last])


def flood_hits(text: str) -> list[Hit]:
    """A finding for a short token or cycle of tokens ("ö ö ö ...", ") ] } ) ] } ...") repeated
    ``FLOOD_REPEATS`` times or more, which pushes earlier instructions out of the model's attention.
    Ruler lines (``=====``) are one token and rows of numbers are data, so neither counts. Reads the
    first ``FLOOD_READ`` and the last ``TAIL`` characters."""
    for base, part in ((0, text[:FLOOD_READ]), (max(FLOOD_READ, len(text) - TAIL), text[FLOOD_READ:][-TAIL:])):
        if len(part) < FLOOD_REPEATS * 2:
            continue
        tokens = part.split()  # the same tokens as _TOKEN finds
        stretches = _short_runs(tokens)
        found = _flood(tokens, stretches) if stretches else None
        if found is not None:
            first, cycle, repeats = found
            start, end = _token_span(part, first, first + cycle * repeats - 1, tokens)
            unit = " ".join(tokens[first : first + cycle])
            return [Hit(FLOOD, base + start, base + end, unit, note=f"{repeats} repeats of a {cycle}-token cycle")]
    return []
