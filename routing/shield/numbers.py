"""Digit groups (PII's ``NUMBER`` candidates) found by a bytes regex over a class copy of the text.

``NUMBER`` opens with ``[+(\\d]``; in a ``str`` pattern ``\\d`` is a Unicode category, so ``re`` tests
every character of the text with a category lookup (~25 ns each: ~0.1 ms per 4 KB before the first
match is tried). The same regex over bytes tests a bitmap. Every class the regex reads (``\\d``,
``\\w``, ``\\s``, a few ASCII punctuation marks) is kept in a copy of the text with one byte per
character: ASCII as itself, and a character outside ASCII as '0' when it is a digit (``\\d``), 'a'
when it is another word character (``\\w``), '\\x1c' when it is white space (``\\s``, and not the
space the digit groups allow) and '?' otherwise. Each character answers every class test of the
regex as the original does, so the matches are the same, at the same offsets. The copy comes from a
code-point table (``codepoints``) built with ``re`` itself (a character beyond the BMP, an emoji,
is classified by ``re`` on its own).
"""

from __future__ import annotations

import re

from routing.shield.codepoints import Table

_NON_ASCII_CLASS = re.compile(r"(?=[^\x00-\x7f])(?:(\d)|(\w)|(\s)|.)", re.DOTALL)


def _classes(text: str) -> bytes:
    def one(match: re.Match[str]) -> str:
        digit, word, space = match.groups()
        return "0" if digit else "a" if word else "\x1c" if space else "?"

    return _NON_ASCII_CLASS.sub(one, text).encode("ascii")


_CLASSES = Table.of_bytes(_classes)
_WORD, _SPACE = rb"A-Za-z0-9_", rb" \t\n\r\x0b\x0c\x1c-\x1f"  # ``\w`` and ``\s`` of a str pattern, on ASCII
# pii._NUMBER_AHEAD, class for class.
NUMBER_BYTES = re.compile(
    rb"[+(0-9](?<![" + _WORD + rb"\-.+/:].)(?:(?<=\+)[" + _SPACE + rb"]?\(?[0-9]|(?<=\()[0-9]|(?<=[0-9]))"
    rb"[0-9 \-.()]{7,28}[0-9](?![" + _WORD + rb"\-/:]|\.[0-9])"
)


def classes(text: str) -> bytes:
    """The class copy of ``text`` (via ``codepoints``: ASCII as itself, the rest looked up)."""
    return _CLASSES.translate(text)


def spans(text: str) -> list[tuple[int, int]]:
    """``[m.span() for m in pii._NUMBER_AHEAD.finditer(text)]``."""
    return [match.span() for match in NUMBER_BYTES.finditer(classes(text))]
