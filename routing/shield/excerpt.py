"""Short, safe context around a finding: PII and secrets masked, invisible characters spelled out."""

from __future__ import annotations

CONTEXT, MAX_BODY = 40, 120


def _visible(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def _visible_ends(text: str) -> str:
    """``_visible(text)`` with the middle left out when only its ends can reach the excerpt.

    Every character renders as at least one, so the first and last ``2 * CONTEXT + MAX_BODY``
    characters already fill both ends of a shortened excerpt (a finding may span megabytes).
    """
    keep = 2 * CONTEXT + MAX_BODY
    if len(text) <= 2 * keep:
        return _visible(text)
    return _visible(text[:keep]) + "\0" + _visible(text[-keep:])


def excerpt(text: str, start: int, end: int, masks: list[tuple[int, int, str]]) -> str:
    """``text`` around ``[start, end)`` with every masked span inside it replaced by ``[KIND]``."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    low, high = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    pieces, position = [], low
    for mask_start, mask_end, kind in masks:
        if mask_end <= low or mask_start >= high:
            continue
        if mask_start > position:
            pieces.append(_visible_ends(text[position:mask_start]))
        if mask_end > position:
            pieces.append(f"[{kind or 'REDACTED'}]")
            position = mask_end
    if position < high:
        pieces.append(_visible_ends(text[position:high]))
    joined = "".join(pieces)
    if len(joined) > 2 * CONTEXT + MAX_BODY:
        joined = joined[: CONTEXT + MAX_BODY // 2] + " … " + joined[-(CONTEXT + MAX_BODY // 2) :]
    return ("…" if low > 0 else "") + joined + ("…" if high < len(text) else "")
