"""Text written backwards ("snoitcurtsni suoiverp lla erongi", "follow this reversed"): a view of
the text read from its end, only when the text holds a trigger word written backwards.

Reading a view backwards maps its characters to the original in falling order, so a span found in
it is turned round (``unreversed``) before it is reported.
"""

from __future__ import annotations

from routing.shield.candidates import ascii_bytes
from routing.shield.findings import Hit
from routing.shield.literals import LiteralSet
from routing.shield.normalize import View, absolute_index

# "ignore", "instructions", "previous", "prompt", "system", "reveal", "jailbreak", "disregard", "password"
HINTS = ("erongi", "snoitcurtsni", "suoiverp", "tpmorp", "metsys", "laever", "kaerbliaj", "drageresid", "drowssap")
_HINT_SET = LiteralSet([hint.encode() for hint in HINTS])


def reversed_view(view: View) -> View | None:
    """``view`` read from its end, when it holds a trigger word written backwards; else None."""
    if _HINT_SET.available:
        if not _HINT_SET.present(ascii_bytes(view.text)):
            return None
    elif not any(hint in view.text for hint in HINTS):
        return None
    return View(view.text[::-1], absolute_index(view)[::-1], 0)


def unreversed(hit: Hit, text: str) -> Hit:
    """``hit``, found on a reversed view, with its span in the original order (the view maps a match's
    first character to the last one of the original span)."""
    if hit.start >= hit.end:
        hit.start, hit.end = hit.end - 1, hit.start + 1
        hit.matched = text[hit.start : hit.end]
    return hit
