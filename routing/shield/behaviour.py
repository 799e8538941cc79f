"""The behavioural detectors (injection, jailbreak, extraction) run over every view of a text.

The plain normalised view catches the phrases; the deobfuscated and ROT13 views catch the same
phrases hidden by leetspeak, split letters or rotation, and a phrase that only matched because
normalisation removed lookalikes or invisible characters is reported as smuggling too.
"""

from __future__ import annotations

import unicodedata

from routing.shield import extraction, harmful, injection, jailbreak, multilingual
from routing.shield.changes import touched_words
from routing.shield.findings import Hit, Rule, Severity
from routing.shield.formed import Formed, formed
from routing.shield.normalize import (
    View,
    _fold,
    deobfuscate,
    deobfuscation_edits,
    normalize,
    rot13,
)
from routing.shield.patterns import Matcher, Pass
from routing.shield.reversal import reversed_view, unreversed
from routing.shield.slugs import spaced
from routing.shield.splits import Splits

try:
    from routing.shield import prefilter
except ImportError:  # no Hyperscan wheel for this platform: the pure-Python matcher alone
    prefilter = None

MATCHER = Matcher(
    injection.PATTERNS + jailbreak.PATTERNS + harmful.PATTERNS + extraction.PATTERNS + multilingual.PATTERNS,
    load_prefilter=prefilter.load if prefilter else None,
)
RULES: tuple[Rule, ...] = injection.RULES + jailbreak.RULES + harmful.RULES + extraction.RULES
SOURCE = MATCHER.source  # every behavioural regex, for the ruleset version
# Weak signals that only frame a request (fiction, role-play, "for research", a mention of DAN or of
# jailbreaking): found in the deobfuscated view alone, they are no disguised attack. A harmful request
# is, even though it is LOW on its own ("m4k3 4 80m8").
FRAMING = frozenset(
    {harmful.FRAME, harmful.DISCLAIMER, "jailbreak.roleplay", "jailbreak.jailbreak_word", "jailbreak.dan_name"}
)
SPLITS = Splits(MATCHER.keyed_words)  # rule words broken by one space
OBFUSCATED = "smuggling.obfuscated_attack"
ENCODED = "smuggling.encoded_attack"


def escalate(hits: list[Hit]) -> list[Hit]:
    """Weak signals that occur together make one stronger finding."""
    weak = [h for h in hits if h.rule in jailbreak.WEAK_RULES]
    distinct = sorted({h.rule for h in weak})
    if len(distinct) >= 2:
        first = min(weak, key=lambda h: h.start)
        severity = Severity.HIGH if len(distinct) >= 3 else Severity.MEDIUM
        hits.append(Hit("jailbreak.combined", first.start, first.end, first.matched, severity=severity,
                        note=f"signals: {', '.join(distinct)}"))  # fmt: skip
    return hits


def escalate_all(hits: list[Hit]) -> list[Hit]:
    """Every combination rule: weak jailbreak signals, then framed harmful requests."""
    return harmful.escalate(escalate(hits))


def phrases(view: View, role: str, original: str) -> list[Hit]:
    """Behavioural hits on one view, weak signals escalated."""
    return escalate_all(MATCHER.hits(view, role, original))


def _folded(span: str) -> bool:
    """Whether ``span`` reads differently once folded for a reason other than a language's own letters:
    an invisible character, a fullwidth or mathematical letter, a Cyrillic or Greek letter inside a
    word with Latin ones ("ign\u043ere"). Accented Latin letters ("précédentes"), kana that lose their
    voicing mark and words wholly in Cyrillic or Greek (Russian, folded letter by letter to what it
    looks like) are how people write."""
    if span.isascii():
        return False
    return any(_disguises(word) for word in span.split() if not word.isascii())


def _disguises(word: str) -> bool:
    latin_letters = any("a" <= c <= "z" or "A" <= c <= "Z" for c in word)
    for char in word:
        folded = _fold(char)
        if char.isascii() or folded == char.lower() or (char.isalpha() and folded and not folded.isascii()):
            continue
        name = unicodedata.name(char, "")
        if name.startswith("LATIN ") and char.isalpha():
            continue  # an accented letter
        if name.startswith(("CYRILLIC ", "GREEK ")) and not latin_letters:
            continue  # a word of that script
        return True
    return False


def _deobfuscation_may_add(view: View, undone: Formed | None, state: Pass, role: str, seen: set[str]) -> bool:
    """Whether the deobfuscated pass could report a rule the plain one did not (it runs only then).
    Only where undoing the obfuscation forms a word the rules are keyed on (``KeyWords``: most texts
    have a hyphenated compound or an address and no more); then, after a prefiltered pass, as told by
    the deobfuscated text alone (spliced from the stretches ``formed`` rewrote, where it could tell);
    the pure-Python matcher also needs where it differs from the view. ``undone``: what ``formed``
    tells of the view (None: only the rewrite can tell)."""
    if undone is not None:  # the cheap answer first: nearly always no key word
        if not MATCHER.key_words.formed_by(undone.words):
            return False
        if state.prefiltered:
            return not MATCHER.deobfuscated_adds_nothing(state, undone.text, role, seen)
    edits = deobfuscation_edits(view)
    if edits is None or not MATCHER.key_words.formed_by(touched_words(edits.text, edits.changes)):
        return False
    if state.prefiltered:
        return not MATCHER.deobfuscated_adds_nothing(state, edits.text, role, seen)
    return not MATCHER.variant_adds_nothing(state, edits, role, seen)


def _may_match(text: str, role: str) -> bool:
    """Whether a behavioural rule may match ``text`` read in ``role`` (always, without the prefilter)."""
    prefilter = MATCHER.prefilter()
    return prefilter is None or bool(prefilter.first_ends(text, role))


def scan_window(text: str, start: int, end: int, role: str) -> list[Hit]:
    """Behavioural and obfuscation hits for ``text[start:end]`` (offsets stay relative to ``text``)."""
    view = normalize(text[start:end], base=start)
    plain, state = MATCHER.scan(view, role, text)
    hits = escalate_all(plain)
    found = list(hits)
    if view.index is not None:
        for hit in hits:
            if _folded(text[hit.start : hit.end]):
                found.append(Hit(OBFUSCATED, hit.start, hit.end, hit.matched, note="lookalike or invisible characters"))
    seen = {h.rule for h in hits}
    variants = []
    undone = formed(view.text)
    if _deobfuscation_may_add(view, undone, state, role, seen):
        variants.append((deobfuscate(view), OBFUSCATED, "leetspeak or split letters"))
    stretches = None if undone is None else undone.stretches
    for window in spaced(view, stretches, MATCHER.rule_words, lambda words: _may_match(words, role)):
        variants.append((window, OBFUSCATED, "words joined by separators"))
    variants.append((SPLITS.joined(view), OBFUSCATED, "words split by a space"))
    variants.append((rot13(view), ENCODED, "ROT13"))
    variants.append((reversed_view(view), ENCODED, "reversed text"))
    for variant, rule, note in variants:
        if variant is None:
            continue
        read = MATCHER.hits(variant, role, text)
        if note == "reversed text":
            read = [unreversed(hit, text) for hit in read]
        extra = [h for h in escalate_all(read) if h.rule not in seen and h.rule != "jailbreak.combined"]
        for hit in extra:
            seen.add(hit.rule)
            found.append(hit)
            if hit.rule not in FRAMING:  # "sci-fi" reads "scifi" there: a fiction frame, not a disguise
                found.append(Hit(rule, hit.start, hit.end, hit.matched, note=f"{note} ({hit.rule})"))
    return found


def phrases_in_decoded(decoded: str, role: str) -> list[Hit]:
    """Behavioural hits inside text recovered from an encoding (spans refer to ``decoded``)."""
    view = normalize(decoded)
    hits = phrases(view, role, decoded)
    variant = deobfuscate(view)
    if variant is not None:
        hits += phrases(variant, role, decoded)
    return hits
