"""Replace the PII and secrets a scan found with typed placeholders ("[EMAIL_1]", "[API_KEY_2]")."""

from __future__ import annotations

from collections.abc import Iterable

from routing.shield.findings import DATA_CATEGORIES, Finding


def redact(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each PII/secret finding replaced; the same value gets the same number.

    Pass the findings of this text only (for ``scan_messages``, those with the message's index).
    Where spans overlap the longest wins, then the earliest (then the kind first in name order).
    """
    labels: dict[tuple[str, str], str] = {}
    counts: dict[str, int] = {}
    pieces: list[str] = []
    append, position = pieces.append, 0
    for start, end, kind in _chosen(text, findings):
        key = (kind, text[start:end])
        label = labels.get(key)
        if label is None:  # a megabyte of contact data repeats its values: each label is made once
            counts[kind] = number = counts.get(kind, 0) + 1
            label = labels[key] = f"[{kind}_{number}]"
        append(text[position:start])
        append(label)
        position = end
    append(text[position:])
    return "".join(pieces)


def _chosen(text: str, findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """The (start, end, kind) spans to replace, in text order, none overlapping another. Spans that
    overlap (directly or through others) form a cluster, settled on its own: which span of it is kept
    depends only on the kept spans it overlaps, all in its cluster. Most spans are alone (tens of
    thousands in a megabyte of personal data: ordering all of them by length cost ~7 ms)."""
    length = len(text)
    spans = sorted(
        {(f.start, f.end, f.kind or f.category.upper()) for f in findings
         if f.category in DATA_CATEGORIES and f.mapped and 0 <= f.start < f.end <= length}
    )  # fmt: skip
    chosen: list[tuple[int, int, str]] = []
    cluster: list[tuple[int, int, str]] = []
    reach = -1
    for span in spans:
        if span[0] >= reach and cluster:
            chosen += cluster if len(cluster) == 1 else _disjoint(cluster)
            cluster = []
        cluster.append(span)
        reach = max(reach, span[1])
    if cluster:
        chosen += cluster if len(cluster) == 1 else _disjoint(cluster)
    return chosen


def _disjoint(cluster: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Longest first, then earliest: each span unless it overlaps one kept before it; the kept ones in
    text order (a cluster is a few spans: each is compared with those kept)."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(cluster, key=lambda s: (s[0] - s[1], s[0], s[2])):
        if all(span[1] <= other[0] or span[0] >= other[1] for other in kept):
            kept.append(span)
    return sorted(kept)
