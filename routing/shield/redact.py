"""Replace the PII and secrets a scan found with typed placeholders ("[EMAIL_1]", "[API_KEY_2]")."""

from __future__ import annotations

from collections.abc import Iterable

from routing.shield.findings import DATA_CATEGORIES, Finding


def redact(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each PII/secret finding replaced; the same value gets the same number.

    Pass the findings of this text only (for ``scan_messages``, those with the message's index).
    Where spans overlap the longest wins, then the earliest.
    """
    spans = sorted(
        {(f.start, f.end, f.kind or f.category.upper()) for f in findings
         if f.category in DATA_CATEGORIES and f.mapped and 0 <= f.start < f.end <= len(text)},
        key=lambda s: (-(s[1] - s[0]), s[0]),
    )  # fmt: skip
    chosen = _disjoint(spans, len(text))
    numbers: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    pieces, position = [], 0
    for start, end, kind in chosen:
        value = text[start:end]
        if (kind, value) not in numbers:
            counts[kind] = counts.get(kind, 0) + 1
            numbers[(kind, value)] = counts[kind]
        pieces += [text[position:start], f"[{kind}_{numbers[(kind, value)]}]"]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _disjoint(spans: list[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """Each span in turn unless it overlaps one kept before it; the kept ones in text order. Which
    characters are taken is marked in a bytearray, so each span costs a search over its own length
    (a megabyte of personal data has tens of thousands of spans: comparing each with every kept one
    took seconds)."""
    taken = bytearray(length)
    kept = []
    for span in spans:
        start, end = span[0], span[1]
        if taken.find(1, start, end) == -1:
            taken[start:end] = b"\x01" * (end - start)
            kept.append(span)
    kept.sort()
    return kept
