"""The shield's entry points: scan one text or a conversation, and get findings safe to store.

Detectors on data (PII, secrets, binary pastes) read the whole original text with cheap, gated
regexes. Behavioural detectors (injection, jailbreak, extraction, smuggling) read a normalised view;
past ``BEHAVIOUR_BUDGET`` characters they read the head, the tail and evenly spaced windows of the
middle, and the result says ``truncated``.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Collection, Sequence
from itertools import compress, count, islice
from operator import attrgetter, eq

from routing.shield import (
    adversarial,
    behaviour,
    binary,
    changes,
    contexts,
    decoding,
    extraction,
    floods,
    formed,
    harmful,
    injection,
    jailbreak,
    limits,
    multilingual,
    normalize,
    offsets,
    pii,
    reversal,
    secrets,
    semantic,
    slugs,
    smuggling,
    splits,
    validators,
)
from routing.shield.candidates import non_ascii_positions
from routing.shield.confusables import BIDI_CLASS, INVISIBLE_CLASS, TAG_CLASS
from routing.shield.excerpt import Excerpts, token
from routing.shield.findings import DATA_CATEGORIES, Finding, Hit, ScanResult, findings_of, rule_table
from routing.shield.memory import ScanMemory, digest
from routing.shield.smuggling import ENCODED
from routing.shield.version import ruleset_version

logger = logging.getLogger(__name__)

_DETECTORS = [behaviour, adversarial, floods, smuggling, decoding, pii, secrets, binary, semantic]
RULES = rule_table([module.RULES for module in _DETECTORS])
# The semantic layer's rules are in the table (allow-lists name them) and its exemplars and
# thresholds are in the version, though it runs in the pipeline where the request's vector is.
# The code of every module that decides a finding is in it too (as tokens: comments and docstrings
# do not count): an accept function, a validator or a detector's logic changes verdicts as surely
# as a regex does (``formed`` too: ``slugs`` reads the stretches it lists). The prefilter and ``leads``
# only choose where ``re`` looks, with the same results.
_DECIDING = [
    changes,
    contexts,
    extraction,
    formed,
    harmful,
    injection,
    jailbreak,
    limits,
    multilingual,
    validators,
    normalize,
    offsets,
    reversal,
    slugs,
    splits,
]
VERSIONED_CODE = [*_DETECTORS, *_DECIDING, sys.modules[__name__]]
RULESET_VERSION = ruleset_version(RULES, _DETECTORS, code=VERSIONED_CODE)

BEHAVIOUR_BUDGET, HEAD, TAIL, SAMPLES, SAMPLE_SIZE = 65536, 32768, 16384, 8, 2048
TRUSTED_ROLES = frozenset({"system", "developer", "assistant"})
TOOL_ROLES = frozenset({"tool", "function", "ipython"})
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_TAG = re.compile(f"[{TAG_CLASS}]")
_UNICODE_DETECTORS = (
    (smuggling.invisible_hits, re.compile(f"[{INVISIBLE_CLASS}]")),
    (smuggling.bidi_hits, re.compile(f"[{BIDI_CLASS}]")),
    (smuggling.mixed_script_hits, re.compile("[\u0370-\u052f]")),
)


def windows(length: int) -> tuple[list[tuple[int, int]], bool]:
    """The spans the behavioural detectors read, and whether that is less than the whole text."""
    if length <= BEHAVIOUR_BUDGET:
        return [(0, length)], False
    spans = [(0, HEAD)]
    middle_start, middle_end = HEAD, length - TAIL
    step = (middle_end - middle_start) // (SAMPLES + 1)
    spans += [(middle_start + step * i, middle_start + step * i + SAMPLE_SIZE) for i in range(1, SAMPLES + 1)]
    spans.append((length - TAIL, length))
    return spans, True


def _behaviour_hits(text: str, role: str, spans: list[tuple[int, int]]) -> list[Hit]:
    hits: list[Hit] = []
    ascii_only = text.isascii()
    for start, end in spans:
        hits += behaviour.scan_window(text, start, end, role)
        window = text[start:end]
        for hit in decoding.encoded_hits(window, role) + smuggling.payload_split_hits(window, role):
            hit.start, hit.end = hit.start + start, hit.end + start
            hits.append(hit)
        if not ascii_only:
            # Each of these needs a non-ASCII character of its own kind: look for one among the few first.
            positions = non_ascii_positions(window)
            rare = "".join(_NON_ASCII_RUN.findall(window) if positions is None else [window[p] for p in positions])
            for detector, needs in _UNICODE_DETECTORS:
                if needs.search(rare) is None:
                    continue
                for hit in detector(window):
                    hit.start, hit.end = hit.start + start, hit.end + start
                    hits.append(hit)
            for hit in smuggling.tag_hits(window, role) if _TAG.search(rare) else ():
                hit.start, hit.end = hit.start + start, hit.end + start
                hits.append(hit)
    hits += floods.flood_hits(text)
    return hits + adversarial.suffix_hits(text, harmful=any(h.rule == harmful.HARMFUL for h in hits))


def _reading(role: str) -> str:
    """How a message of ``role`` is read: "trusted" (data detectors only), "tool" or "user"."""
    role = role.lower()
    return "trusted" if role in TRUSTED_ROLES else "tool" if role in TOOL_ROLES else "user"


def _detect(text: str, reading: str) -> tuple[list[Hit], bool, bool]:
    """(hits, truncated, complete): complete is False when a detector failed."""
    spans, truncated = windows(len(text))
    groups = [lambda: pii.pii_hits(text), lambda: secrets.secret_hits(text), lambda: binary.binary_hits(text)]
    if reading != "trusted":
        groups.append(lambda: _behaviour_hits(text, reading, spans))
    hits: list[Hit] = []
    complete = True
    for group in groups:
        try:
            hits += group()
        except Exception:  # a detector bug must not take the gateway down; the rest still runs
            logger.exception("shield detector failed")
            complete = False
    return hits, truncated, complete


# Hits of recently read texts, per scope (see ``memory``).
MEMORY = ScanMemory(is_data=lambda rule: RULES[rule].category in DATA_CATEGORIES)


def _hits(text: str, reading: str, scope: str | None) -> tuple[list[Hit], bool, bool]:
    """(hits, truncated, reused): from the scope's memory when this text was read there before."""
    if scope is None:
        hits, truncated, _ = _detect(text, reading)
        return hits, truncated, False
    key = (scope, reading, digest(text))
    known = MEMORY.get(key, text)
    if known is not None:
        return known[0], known[1], True
    hits, truncated, complete = _detect(text, reading)
    if complete:  # a failed detector's gap is not remembered
        MEMORY.put(key, text, hits, truncated)
    return hits, truncated, False


def _allowed(hit: Hit, allow_rules: set[str], allow_literals: set[str]) -> bool:
    rule = RULES[hit.rule]
    if rule.id in allow_rules or rule.category in allow_rules:
        return True
    return bool(allow_literals) and hit.matched.strip().casefold() in allow_literals


_NAMES = frozenset(RULES) | {r.category for r in RULES.values()}  # what an allow-list entry may name


def _split_allow(allow: Collection[str]) -> tuple[set[str], set[str]]:
    rules = {a for a in allow if a in _NAMES}
    return rules, {a.strip().casefold() for a in allow if a not in _NAMES}


# Findings come in (start, -severity, rule) order: each rule's place in that order but for the start.
_RANK = {rule.id: rank for rank, rule in enumerate(sorted(RULES.values(), key=lambda r: (-r.severity, r.id)))}
# Each rule's (category, severity, explanation, kind), what its findings are made of.
_FIELDS = {rule.id: (rule.category, rule.severity, rule.explanation, rule.kind) for rule in RULES.values()}
_START = attrgetter("start")
# What a data rule's hits are masked as in excerpts: (kind, token).
_MASKS = {rule.id: (rule.kind, token(rule.kind)) for rule in RULES.values() if rule.category in DATA_CATEGORIES}


def _findings(text: str, hits: list[Hit], message: int) -> list[Finding]:
    """One finding per distinct (rule, start, end), in text order; each makes its excerpt when read."""
    excerpts = Excerpts(text, lambda: sorted((h.start, h.end, *_MASKS[h.rule]) for h in hits if h.rule in _MASKS))
    ordered = sorted(hits, key=_START)
    starts = list(map(_START, ordered))
    tied = list(compress(count(), map(eq, starts, islice(starts, 1, None))))  # hit i starts with hit i + 1
    if tied:
        ordered = _settled(ordered, tied)
    return findings_of(ordered, _FIELDS, excerpts, message)


def _settled(ordered: list[Hit], tied: list[int]) -> list[Hit]:
    """Hits in text order with those that start together by severity, then rule (stable sorts: as they
    came among equals), each (rule, start, end) once (a copy starts with the first). ``tied``: where a
    hit starts with the next one."""
    settled, done, k = [], 0, 0
    while k < len(tied):
        first = last = tied[k]
        while k + 1 < len(tied) and tied[k + 1] == last + 1:
            k, last = k + 1, last + 1
        k += 1
        group = sorted(ordered[first : last + 2], key=lambda h: _RANK[h.rule])
        seen: set[tuple[str, int]] = set()
        settled += ordered[done:first]
        settled += [h for h in group if not ((key := (h.rule, h.end)) in seen or seen.add(key))]
        done = last + 2
    return settled + ordered[done:]


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def scan_messages(
    texts: Sequence[tuple[str, str]], *, allow: Collection[str] = (), scope: str | None = None
) -> ScanResult:
    """Scan each (role, text) of a conversation; findings carry the index of their message.

    User and tool content get every detector (tool results are where indirect injection arrives);
    system, developer and assistant content only the data detectors (PII, secrets, binary). With a
    ``scope`` (the tenant), a text read before in that scope is not read again (``memory``).
    """
    started = time.perf_counter()
    allow_rules, allow_literals = _split_allow(allow)
    findings: list[Finding] = []
    truncated = False
    reused = 0
    for message, (role, raw) in enumerate(texts):
        text = _as_text(raw)
        hits, cut, known = _hits(text, _reading(_as_text(role) or "user"), scope)
        truncated |= cut
        reused += known
        if allow_rules or allow_literals:
            hits = [h for h in hits if not _allowed(h, allow_rules, allow_literals)]
        findings += _findings(text, hits, message)
    return ScanResult(tuple(findings), (time.perf_counter() - started) * 1000, truncated, reused)


def scan(text: str, *, allow: Collection[str] = ()) -> ScanResult:
    """Scan one user message."""
    return scan_messages([("user", text)], allow=allow)


__all__ = ["ENCODED", "RULES", "RULESET_VERSION", "scan", "scan_messages"]
