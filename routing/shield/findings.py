"""The shield's vocabulary: severities, rules, the raw hits detectors return and the findings callers see."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

CATEGORIES = (
    "prompt_injection",
    "jailbreak",
    "prompt_extraction",
    "token_smuggling",
    "pii",
    "secret",
    "binary_paste",
)
# Categories that describe an attack on the model (as opposed to data the user should not send).
ATTACK_CATEGORIES = frozenset({"prompt_injection", "jailbreak", "prompt_extraction", "token_smuggling"})
# Detectors on these categories run on the original text, so their spans are exact.
DATA_CATEGORIES = frozenset({"pii", "secret"})


class Severity(enum.IntEnum):
    """How sure and how bad: the gateway blocks HIGH and CRITICAL, flags MEDIUM and logs LOW."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the rule table; ``id`` is stable and shown to tenants."""

    id: str
    category: str
    severity: Severity
    explanation: str
    kind: str = ""


@dataclass(slots=True)
class Hit:
    """What a detector reports before the engine masks and filters it.

    ``start``/``end`` are offsets in the original text when ``mapped``; ``matched`` is the text the
    allow-list compares against (never stored in a :class:`Finding`).
    """

    rule: str
    start: int
    end: int
    matched: str
    mapped: bool = True
    severity: Severity | None = None
    note: str = ""


class Finding:
    """One finding a caller sees. Immutable; compares and hashes by its fields.

    ``excerpt`` (safe context around the span, see ``excerpt.py``) is made the first time it is
    read: a megabyte of personal data gives tens of thousands of findings, of which a caller shows a
    few. Until then the slot holds what makes it (an object with ``excerpt_for(start, end)``).
    """

    __slots__ = ("_excerpt", "category", "end", "explanation", "kind", "mapped", "message", "rule", "severity", "start")
    FIELDS = ("category", "rule", "severity", "start", "end", "explanation", "excerpt", "kind", "message", "mapped")

    category: str
    rule: str
    severity: Severity
    start: int
    end: int
    explanation: str
    kind: str
    message: int
    mapped: bool

    def __init__(self, category, rule, severity, start, end, explanation, excerpt, kind="", message=0, mapped=True):
        values = (category, rule, severity, start, end, explanation, excerpt, kind, message, mapped)
        for name, value in zip(_SLOT_OF_FIELD, values, strict=True):
            object.__setattr__(self, name, value)

    @property
    def excerpt(self) -> str:
        value = self._excerpt
        if not isinstance(value, str):
            value = value.excerpt_for(self.start, self.end)
            _set_excerpt(self, value)
        return value

    def __setattr__(self, name, value):
        raise AttributeError(f"a Finding is immutable (cannot set {name})")

    def _fields(self) -> tuple:
        return (self.category, self.rule, self.severity, self.start, self.end, self.explanation, self.excerpt,
                self.kind, self.message, self.mapped)  # fmt: skip

    def __eq__(self, other):
        return self._fields() == other._fields() if isinstance(other, Finding) else NotImplemented

    def __hash__(self):
        return hash(self._fields())

    def __reduce__(self):  # copy and pickle (the default would set the slots through __setattr__)
        return Finding, self._fields()

    def __repr__(self):
        shown = ", ".join(f"{name}={value!r}" for name, value in zip(self.FIELDS, self._fields(), strict=True))
        return f"Finding({shown})"


_SLOT_OF_FIELD = tuple("_excerpt" if name == "excerpt" else name for name in Finding.FIELDS)
_set_excerpt = Finding._excerpt.__set__


class _Unsealed(Finding):
    """A finding while ``findings_of`` fills it in: the same slots, without the immutability guard, so
    each field is a plain slot store (a megabyte of personal data makes tens of thousands of findings;
    ``Finding.__init__`` costs ~3 µs, a descriptor call per field ~0.9 µs in all, this ~0.35 µs)."""

    __slots__ = ()
    __setattr__ = object.__setattr__


def findings_of(hits: Iterable[Hit], fields: dict[str, tuple], excerpt, message: int) -> list[Finding]:
    """A ``Finding`` per hit, in order: its rule's (category, severity, explanation, kind) from ``fields``,
    the hit's own severity and note over them; ``excerpt`` is what makes each excerpt. Each object is
    built as an ``_Unsealed`` and becomes a ``Finding`` (same layout) once full (the loop is written out:
    a call per finding cost a third of the time for a megabyte of personal data)."""
    findings: list[Finding] = []
    append, new = findings.append, object.__new__
    for hit in hits:
        rule = hit.rule
        category, severity, explanation, kind = fields[rule]
        if hit.severity is not None:
            severity = hit.severity
        if hit.note:
            explanation += f" ({hit.note})"
        finding = new(_Unsealed)
        finding.category = category
        finding.rule = rule
        finding.severity = severity
        finding.start = hit.start
        finding.end = hit.end
        finding.explanation = explanation
        finding._excerpt = excerpt
        finding.kind = kind
        finding.message = message
        finding.mapped = hit.mapped
        finding.__class__ = Finding
        append(finding)
    return findings


@dataclass(frozen=True)
class ScanResult:
    findings: tuple[Finding, ...]
    elapsed_ms: float
    truncated: bool = False
    reused: int = 0  # messages answered from the scope's memory (``memory``), not read again

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def by_category(self, category: str | None = None) -> dict[str, tuple[Finding, ...]] | tuple[Finding, ...]:
        """All findings grouped by category, or the findings of one ``category``."""
        if category is not None:
            return tuple(f for f in self.findings if f.category == category)
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.category, []).append(finding)
        return {name: tuple(items) for name, items in grouped.items()}

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity >= severity)


def rule_table(groups: Iterable[Iterable[Rule]]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for group in groups:
        for rule in group:
            if rule.id in table:
                raise ValueError(f"duplicate shield rule {rule.id}")
            if rule.category not in CATEGORIES:
                raise ValueError(f"unknown category {rule.category} for {rule.id}")
            table[rule.id] = rule
    return table
