"""The machinery behind the behavioural rules: keyword-gated regexes matched on a normalised view.

Each pattern names the lower-case substrings one of which must occur for its regex to run at all.
Checking a few dozen substrings with ``in`` costs far less than running every regex over benign
text, which is what keeps a 4 KB prompt under a millisecond. Every regex is written for linear
time: bounded repetitions only, no quantified group that can match the same text two ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from routing.shield.findings import Hit
from routing.shield.normalize import View

USER, TOOL, SYSTEM, ASSISTANT = "user", "tool", "system", "assistant"
UNTRUSTED = frozenset({USER, TOOL})
TOOL_ONLY = frozenset({TOOL})

# Building blocks (all bounded).
WORD = "[a-z0-9'\u2019\\-]{1,24}"


def gap(words: int) -> str:
    """Up to ``words`` arbitrary words between two parts of a phrase (lazy, bounded)."""
    return rf"(?:\s{{1,3}}{WORD}){{0,{words}}}?\s{{1,3}}"


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


Accept = Callable[[View, "re.Match[str]", int], bool]


_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Pattern:
    rule: str
    keys: tuple[tuple[str, ...], ...]
    regex: re.Pattern[str]
    roles: frozenset[str] = UNTRUSTED
    accept: Accept | None = field(default=None, compare=False)
    head: int | None = None  # only the first ``head`` characters of a message are searched


def pattern(
    rule: str,
    keys: str,
    regex: str,
    roles: frozenset[str] = UNTRUSTED,
    accept: Accept | None = None,
    head: int | None = None,
):
    """A pattern gated by ``keys``: groups separated by '&', each a space-separated list of which one
    must occur. A plain lower-case word must occur as a word; anything else ('jailbr*', '<|', with '_'
    for a space) as a substring."""
    groups = tuple(tuple(k.replace("_", " ") for k in group.split()) for group in keys.split("&"))
    return Pattern(rule, groups, re.compile(regex), roles, accept, head)


class Matcher:
    """All patterns of the behavioural categories, gated by the words of the text."""

    def __init__(self, patterns: Sequence[Pattern]):
        self.patterns = tuple(patterns)
        self.source = "\n".join(f"{p.rule}|{p.keys}|{p.regex.pattern}|{sorted(p.roles)}" for p in patterns)

    @staticmethod
    def _gate(item: Pattern, text: str, words: set[str], memo: dict[str, bool]) -> bool:
        for group in item.keys:
            for key in group:
                if key not in memo:
                    memo[key] = key in words if key.isalpha() else key.rstrip("*") in text
                if memo[key]:
                    break
            else:
                return False
        return True

    def hits(self, view: View, role: str, original: str, rules: Iterable[str] | None = None) -> list[Hit]:
        """Hits of every pattern that applies to ``role`` (and to ``rules`` when given) on ``view``."""
        text = view.text
        words = set(_WORDS.findall(text))
        memo: dict[str, bool] = {}
        wanted = set(rules) if rules is not None else None
        found: list[Hit] = []
        for item in self.patterns:
            if role not in item.roles or (wanted is not None and item.rule not in wanted):
                continue
            if not self._gate(item, text, words, memo):
                continue
            if item.head is not None and view.base > 0:
                continue
            for match in item.regex.finditer(text, 0, item.head or len(text)):
                start, end = view.original_span(match.start(), match.end())
                if item.accept is not None and not item.accept(view, match, start):
                    continue
                found.append(Hit(item.rule, start, end, original[start:end] if original else match.group()))
                break  # one hit per pattern is enough to report the rule
        return found
