"""Short, safe context around a finding: PII and secrets masked, invisible characters spelled out."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

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


def token(kind: str) -> str:
    """What a masked span of ``kind`` shows as ("[EMAIL]"): printable ASCII, so spelling out leaves it be."""
    return f"[{kind or 'REDACTED'}]"


def excerpt(text: str, start: int, end: int, masks: list[tuple[int, int, str, str]]) -> str:
    """``text`` around ``[start, end)`` with every masked span inside it replaced by its token.

    ``masks`` are (start, end, kind, token), sorted. Each piece is spelled out alone when the window is
    long (a piece may be long enough to leave its middle out), else the joined text at once.
    """
    length = len(text)
    start = 0 if start < 0 else length if start > length else start
    end = 0 if end < 0 else length if end > length else end
    low = start - CONTEXT if start > CONTEXT else 0
    high = end + CONTEXT if end + CONTEXT < length else length
    pieces, position = [], low
    for mask_start, mask_end, _, shown in masks:
        if mask_end <= low or mask_start >= high:
            continue
        if mask_start > position:
            pieces.append(text[position:mask_start])
        if mask_end > position:
            pieces.append(shown)
            position = mask_end
    if position < high:
        pieces.append(text[position:high])
    if high - low > 2 * _KEEP:
        joined = "".join(map(_piece, pieces))
    else:
        joined = "".join(pieces)
        if not joined.isascii():
            joined = "".join([p if p.isprintable() else _visible(p) for p in pieces])
        elif not joined.isprintable():
            joined = joined.translate(_ASCII_VISIBLE)
    if len(joined) > _KEEP:
        joined = joined[: CONTEXT + MAX_BODY // 2] + " … " + joined[-(CONTEXT + MAX_BODY // 2) :]
    return ("…" if low > 0 else "") + joined + ("…" if high < length else "")


class Excerpts:
    """What the findings of one text make their excerpts from when first asked (``Finding.excerpt``):
    the text and its masked spans, (start, end, kind, token) sorted, listed by ``masks`` when the
    first excerpt is made (a megabyte of personal data has tens of thousands; most scans are never
    asked for an excerpt). The masks an excerpt can reach are found by bisection (all of them
    would make many findings quadratic)."""

    __slots__ = ("_masks", "masks", "reach", "starts", "text")

    def __init__(self, text: str, masks: Callable[[], list[tuple[int, int, str, str]]]):
        self.text, self._masks = text, masks
        self.masks: list[tuple[int, int, str, str]] | None = None

    def _prepare(self) -> list[tuple[int, int, str, str]]:
        masks = self.masks = self._masks()
        self._masks = None  # what listed them (the hits) is no longer needed
        self.starts = [mask[0] for mask in masks]
        self.reach = CONTEXT + max((mask[1] - mask[0] for mask in masks), default=0)
        return masks

    def excerpt_for(self, start: int, end: int) -> str:
        masks = self.masks if self.masks is not None else self._prepare()
        if masks:
            length = len(self.text)
            low = 0 if start < 0 else length if start > length else start
            high = 0 if end < 0 else length if end > length else end
            masks = masks[bisect_left(self.starts, low - self.reach) : bisect_left(self.starts, high + CONTEXT)]
        return excerpt(self.text, start, end, masks)
