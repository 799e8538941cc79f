"""Short, safe context around a finding: PII and secrets masked, invisible characters spelled out."""

from __future__ import annotations

CONTEXT, MAX_BODY = 40, 120
_KEEP = 2 * CONTEXT + MAX_BODY
# ASCII's non-printable characters (the C0 controls and DEL), spelled out as ``_visible`` does.
_ASCII_VISIBLE = {code: f"\\u{code:04x}" for code in [*range(32), 127]}


def _visible(text: str) -> str:
    if text.isascii():
        return text if text.isprintable() else text.translate(_ASCII_VISIBLE)
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


def _piece(piece: str) -> str:
    if len(piece) > 2 * _KEEP:
        return _visible_ends(piece)
    return piece if piece.isascii() and piece.isprintable() else _visible(piece)


def excerpt(text: str, start: int, end: int, masks: list[tuple[int, int, str]]) -> str:
    """``text`` around ``[start, end)`` with every masked span inside it replaced by ``[KIND]``."""
    length = len(text)
    start, end = max(0, min(start, length)), max(0, min(end, length))
    low, high = max(0, start - CONTEXT), min(length, end + CONTEXT)
    pieces, position = [], low
    for mask_start, mask_end, kind in masks:
        if mask_end <= low or mask_start >= high:
            continue
        if mask_start > position:
            pieces.append(_piece(text[position:mask_start]))
        if mask_end > position:
            pieces.append(f"[{kind or 'REDACTED'}]")
            position = mask_end
    if position < high:
        pieces.append(_piece(text[position:high]))
    joined = "".join(pieces)
    if len(joined) > _KEEP:
        joined = joined[: CONTEXT + MAX_BODY // 2] + " … " + joined[-(CONTEXT + MAX_BODY // 2) :]
    return ("…" if low > 0 else "") + joined + ("…" if high < length else "")
