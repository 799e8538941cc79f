"""The machinery behind the behavioural rules: keyword-gated regexes matched on a normalised view.

Each pattern names the lower-case substrings one of which must occur for its regex to run at all.
Checking a few dozen substrings with ``in`` costs far less than running every regex over benign
text, which is what keeps a 4 KB prompt under a millisecond. Every regex is written for linear
time: bounded repetitions only, no quantified group that can match the same text two ways.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from wordfreq import top_n_list

from routing.shield.anchors import Anchor, anchor, reach, top_level_branches, windows
from routing.shield.changes import KeyWords, spelled
from routing.shield.findings import Hit
from routing.shield.leads import Leads
from routing.shield.normalize import View
from routing.shield.variants import VariantChecks
from routing.shield.words import WORD_PATTERN, Vocabulary, WordsIn, words_of

logger = logging.getLogger(__name__)

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


def not_after(context: re.Pattern[str], reach: int) -> Accept:
    """An accept function: no match of ``context`` (anchored with ``$``) ends where the pattern's match
    starts, within ``reach`` characters before it ("explain what" before "a DAN prompt")."""
    return lambda view, match, _start: context.search(view.text, max(0, match.start() - reach), match.start()) is None


_WORD_CACHE_SIZE, _LONG_WORD = 65536, 64


def sum_masks(masks: Iterable[int]) -> int:
    total = 0
    for mask in masks:
        total |= mask
    return total


@dataclass(frozen=True, slots=True)
class Pass:
    """What one ``Matcher.scan`` learnt: the words of the text, the patterns' anchored words and the
    patterns whose gate passed (and which therefore have no match unless they reported one)."""

    base: int
    words: set[str] | WordsIn  # WordsIn after a prefiltered pass
    anchored: dict[int, list[str]]
    gated: set[int]
    rules: set[str] | None
    prefiltered: bool = False


@dataclass(frozen=True, slots=True)
class Pattern:
    rule: str
    keys: tuple[tuple[str, ...], ...]
    regex: re.Pattern[str]
    roles: frozenset[str] = UNTRUSTED
    accept: Accept | None = field(default=None, compare=False)
    head: int | None = None  # only the first ``head`` characters of a message are searched
    hint: re.Pattern[str] | None = field(default=None, compare=False)  # what the prefilter reads instead


def pattern(
    rule: str,
    keys: str,
    regex: str,
    roles: frozenset[str] = UNTRUSTED,
    accept: Accept | None = None,
    head: int | None = None,
    hint: str | None = None,
):
    """A pattern gated by ``keys``: groups separated by '&', each a space-separated list of which one
    must occur. A plain lower-case word must occur as a word; anything else ('jailbr*', '<|', with '_'
    for a space) as a substring. A ``hint`` is what the Hyperscan prefilter reads in the regex's place:
    a part every match of the regex ends with (a branch that opens with a common word and a long gap,
    "or … you will die", hinted by what follows the gap: its states stay alive through most prose)."""
    groups = tuple(tuple(k.replace("_", " ") for k in group.split()) for group in keys.split("&"))
    return Pattern(rule, groups, re.compile(regex), roles, accept, head, None if hint is None else re.compile(hint))


class Matcher(VariantChecks):
    """All patterns of the behavioural categories, gated by the words of the text.

    A pattern whose gate passes is searched only around the words that hold one of its anchors
    (see ``anchors``); a word's anchors are looked up once and remembered.
    """

    def __init__(self, patterns: Sequence[Pattern], load_prefilter: Callable | None = None):
        self.patterns = tuple(patterns)
        self._load_prefilter = load_prefilter  # builds a ``prefilter.Prefilter`` over the regexes
        self._prefilter = None
        self._loading: threading.Thread | None = None
        self._loading_pid = 0
        self._lock = threading.Lock()
        self.source = "\n".join(f"{p.rule}|{p.keys}|{p.regex.pattern}|{sorted(p.roles)}" for p in patterns)
        anchors = [anchor(p.regex) if p.accept is None and p.head is None else None for p in self.patterns]
        # A pattern with no anchor of its own may still be an alternation whose branches each have one
        # (or a literal prefix ``re`` skips ahead to): its branches become extra entries after the patterns.
        self._branches: dict[int, list[int]] = {}
        self._branch_regex: dict[int, re.Pattern[str]] = {}
        for number, item in enumerate(self.patterns):
            if item.accept is not None or item.head is not None or item.regex.groups:
                continue
            branches = [re.compile(b, item.regex.flags) for b in top_level_branches(item.regex.pattern)]
            branch_anchors = [anchor(b) for b in branches]
            if len(branches) < 2 or (anchors[number] is not None and None in branch_anchors):
                continue
            for compiled, found in zip(branches, branch_anchors, strict=True):
                self._branch_regex[len(anchors)] = compiled
                self._branches.setdefault(number, []).append(len(anchors))
                anchors.append(found)
        self.anchors: tuple[Anchor | None, ...] = tuple(anchors)
        self._owners: dict[str, int] = {}  # anchor word -> bit mask of the patterns it anchors
        for number, found in enumerate(self.anchors):
            for word in found.words if found else ():
                self._owners[word] = self._owners.get(word, 0) | 1 << number
        self._lengths = sorted({len(w) for w in self._owners})
        self._word_masks: dict[str, int] = {}
        self._plain_words: set[str] = set()  # words known to hold no anchor
        # Each gate group as (its words, its substrings): a group passes when the text's words meet it.
        self._gates = tuple(
            tuple(
                (frozenset(k for k in g if k.isalpha()), tuple(k.rstrip("*") for k in g if not k.isalpha()))
                for g in p.keys
            )
            for p in self.patterns
        )
        gate_words = [key for gate in self._gates for alpha, _ in gate for key in alpha]
        if any(not WORD_PATTERN.fullmatch(key) for key in gate_words):
            raise ValueError("a gate word is lower-case ASCII letters (what words_of and WordsIn find)")
        # The gate words of the five hundred most frequent English ones are in most texts: found by ``find``.
        common = top_n_list("en", 500)
        self._vocabulary = Vocabulary(gate_words, common)
        # The words that key a rule (its gate words and anchors), and those but the most common English ones.
        self.keyed_words = frozenset(gate_words) | frozenset(self._owners)
        self.rule_words = self.keyed_words - frozenset(common)
        self.key_words = KeyWords(
            self.keyed_words,
            [key for p in self.patterns for group in p.keys for key in group if not key.isalpha()],
            {word for p in self.patterns for word in spelled(p.regex)},
            common,
        )
        branch_regexes = [self._branch_regex[i] for i in sorted(self._branch_regex)]  # entries after the patterns
        self._reach = tuple(reach(r) for r in [p.regex for p in self.patterns] + branch_regexes)
        # After the prefilter: where matches can start (and the anchor words they need after that).
        self._leads = Leads([p.regex for p in self.patterns], self.anchors[: len(self.patterns)])

    def prefilter(self, wait: bool = False):
        """The Hyperscan prefilter once it is built (the first call starts building it in the
        background); None until then, or when there is none."""
        if self._prefilter is None and self._load_prefilter is not None:
            with self._lock:
                if self._loading is None or self._loading_pid != os.getpid():  # none yet, or forked since
                    self._loading_pid = os.getpid()
                    self._loading = threading.Thread(target=self._build, name="shield-prefilter", daemon=True)
                    self._loading.start()
            if wait:
                self._loading.join()
        return self._prefilter

    def _build(self) -> None:
        try:
            patterns = self.patterns
            self._prefilter = self._load_prefilter(
                [p.regex for p in patterns], [p.roles for p in patterns], [p.hint or p.regex for p in patterns]
            )
        except Exception:  # the pure-Python matcher gives the same findings, only slower
            logger.exception("the shield's Hyperscan prefilter could not be built")

    def _matches_from(self, number: int, text: str, start: int) -> Iterator[re.Match[str]]:
        """``finditer`` of pattern ``number`` from ``start`` (where the prefilter says its first match can
        start: the same matches), each found by ``Leads`` (a pattern's matches never match empty)."""
        regex = self.patterns[number].regex
        while (match := self._leads.search(number, regex, text, start)) is not None:
            yield match
            start = max(match.end(), match.start() + 1)

    def _mask(self, word: str) -> int:
        """Bit mask of the patterns with an anchor inside ``word`` (remembered for ordinary words)."""
        owners = self._owners
        if len(word) > _LONG_WORD:  # a blob: fewer lookups by anchor than by substring
            return sum_masks(mask for anchor_word, mask in owners.items() if anchor_word in word)
        mask = 0
        for length in self._lengths:
            for start in range(len(word) - length + 1):
                mask |= owners.get(word[start : start + length], 0)
        if len(self._word_masks) >= _WORD_CACHE_SIZE:
            self._word_masks.clear()
        self._word_masks[word] = mask
        return mask

    def _anchored_words(self, words: set[str]) -> dict[int, list[str]]:
        by_pattern: dict[int, list[str]] = {}
        known, plain = self._word_masks, self._plain_words
        for word in words - plain:
            mask = known.get(word)
            if mask is None:
                mask = self._mask(word)
                if not mask:
                    known.pop(word, None)
                    if len(plain) >= 4 * _WORD_CACHE_SIZE:
                        plain.clear()
                    plain.add(word)
            while mask:
                bit = mask & -mask
                by_pattern.setdefault(bit.bit_length() - 1, []).append(word)
                mask ^= bit
        return by_pattern

    def _gate(self, number: int, text: str, words: set[str] | WordsIn) -> bool:
        """Every key group of pattern ``number`` has a word in ``words`` or a substring in ``text``."""
        for alpha, substrings in self._gates[number]:
            # (an empty word set is disjoint: asking would make ``WordsIn`` read the text for nothing)
            if (not alpha or words.isdisjoint(alpha)) and not any(key in text for key in substrings):
                return False
        return True

    def _first(self, number: int, text: str, anchored: dict[int, list[str]]) -> re.Match[str] | None:
        """The first match of pattern ``number`` in ``text``, searched near its anchors only."""
        if number in self._branches:
            # The leftmost match of an alternation starts where its leftmost branch match starts, and
            # there the alternation picks its first branch that matches, as ``match`` does.
            starts = [m.start() for b in self._branches[number] if (m := self._search(b, text, anchored))]
            return self.patterns[number].regex.match(text, min(starts)) if starts else None
        return self._search(number, text, anchored)

    def _search(self, number: int, text: str, anchored: dict[int, list[str]]) -> re.Match[str] | None:
        found = self.anchors[number]
        regex = self._branch_regex[number] if number in self._branch_regex else self.patterns[number].regex
        if found is None:
            return regex.search(text)
        spans = windows(text, anchored.get(number, []), found)
        if sum(end - start for start, end in spans) >= len(text):
            return regex.search(text)
        for start, end in spans:
            match = regex.search(text, start, end)
            if match is not None:
                return match
        return None

    def hits(self, view: View, role: str, original: str, rules: Iterable[str] | None = None) -> list[Hit]:
        """Hits of every pattern that applies to ``role`` (and to ``rules`` when given) on ``view``."""
        return self.scan(view, role, original, rules)[0]

    def scan(self, view: View, role: str, original: str, rules: Iterable[str] | None = None) -> tuple[list[Hit], Pass]:
        """``hits`` plus what the pass learnt about the text (for ``variant_adds_nothing``).

        With the prefilter, only the patterns it names are tried, each searched from where its first
        match can start; without it, every pattern whose gate passes, near its anchor words."""
        text = view.text
        prefilter = self.prefilter()
        if prefilter is not None:
            ends = prefilter.first_ends(text, role)
            numbers: Iterable[int] = sorted(ends)
            words, anchored = WordsIn(text, self._vocabulary), {}

            def first(number: int) -> re.Match[str] | None:
                start = prefilter.start(number, ends[number])
                return self._leads.search(number, self.patterns[number].regex, text, start)
        else:
            numbers = range(len(self.patterns))
            words = words_of(text)
            anchored = self._anchored_words(words)

            def first(number: int) -> re.Match[str] | None:
                return self._first(number, text, anchored)

        wanted = set(rules) if rules is not None else None
        found: list[Hit] = []
        gated: set[int] = set()
        for number in numbers:
            item = self.patterns[number]
            if role not in item.roles or (wanted is not None and item.rule not in wanted):
                continue
            if not self._gate(number, text, words):
                continue
            gated.add(number)
            if item.head is not None and view.base > 0:
                continue
            if item.accept is None and item.head is None:
                matches = [m] if (m := first(number)) is not None else []
            elif item.head is None and prefilter is not None:  # each match found as the first one is
                matches = self._matches_from(number, text, prefilter.start(number, ends[number]))
            else:
                matches = item.regex.finditer(text, 0, item.head or len(text))
            for match in matches:
                start, end = view.original_span(match.start(), match.end())
                if item.accept is not None and not item.accept(view, match, start):
                    continue
                found.append(Hit(item.rule, start, end, original[start:end] if original else match.group()))
                break  # one hit per pattern is enough to report the rule
        return found, Pass(view.base, words, anchored, gated, wanted, prefiltered=prefilter is not None)
