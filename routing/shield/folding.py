"""How one character outside ASCII reads to the behavioural rules: its fold (NFKD, marks dropped,
lookalikes to Latin, lower case; '' when invisible), one at a time, a run at a time, or all of a
text's at once through a code-point table (``codepoints``) of each character's fold when it is one
character (``ODD`` when it is none or several)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np

from routing.shield.codepoints import BMP, Table
from routing.shield.confusables import CONFUSABLES, is_invisible


@lru_cache(maxsize=8192)
def fold(char: str) -> str:
    """The Latin-ish lower-case string one non-ASCII character stands for ('' when invisible)."""
    if is_invisible(char):
        return ""
    if char in CONFUSABLES:
        return CONFUSABLES[char]
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = "".join(CONFUSABLES.get(c, c) for c in kept).lower()
    return out if out else ("" if decomposed != char else char)


def _folded_run(run: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A run of non-ASCII characters folded, and the (offset in the run, length folded to) of each of
    its characters that folds into other than one character."""
    outs = [fold(char) for char in run]
    return "".join(outs), tuple((offset, len(out)) for offset, out in enumerate(outs) if len(out) != 1)


_SHORT_RUN = 64
_folded_short_run = lru_cache(maxsize=16384)(_folded_run)  # short runs repeat: words, symbols


def fold_run(run: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    return _folded_short_run(run) if len(run) <= _SHORT_RUN else _folded_run(run)


ODD = 0xFFFFFFFF  # in the fold table: a character that folds into other than one character


def _fold_codes() -> np.ndarray:
    """Each BMP character's fold as one code point (ASCII lower-cased, as ``normalize`` does), or ODD."""
    uncached = fold.__wrapped__  # not through its cache: sixty-five thousand characters would flush it
    codes = [ord(chr(c).lower()) for c in range(128)]
    codes += [ord(out) if len(out := uncached(chr(c))) == 1 else ODD for c in range(128, BMP)]
    return np.array(codes, dtype=np.uint32)


def _fold_code(char: str) -> int:
    """One character's fold as one code point, or ODD (the table's ``one``, for a character beyond the BMP)."""
    out = fold(char)
    return ord(out) if len(out) == 1 else ODD


FOLDS = Table(_fold_codes, _fold_code)
