"""Pastes that would choke a model: binary junk, a huge base64 blob, one giant line.

All three checks are cheap on megabytes: control characters are counted on a bounded sample, base64
runs are found by 4 KB blocks without whitespace, and only texts longer than the line limit are split.
"""

from __future__ import annotations

import re

from routing.shield.candidates import ascii_bytes, non_ascii_positions
from routing.shield.findings import Hit, Rule, Severity

C = "binary_paste"
RULES = (
    Rule("binary.control_chars", C, Severity.HIGH, "Binary data: many control or replacement characters."),
    Rule("binary.base64_blob", C, Severity.HIGH, "A very long base64 run without whitespace."),
    # Flagged, not blocked: minified JSON or a long log line is odd, not an attack (the model's context
    # window and the request size limit decide whether it fits).
    Rule("binary.giant_line", C, Severity.MEDIUM, "A single line of enormous length."),
)

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
BASE64_BLOCK = re.compile(r"[A-Za-z0-9+/=_\-]+")
SAMPLE, BLOCK, BASE64_LIMIT, LINE_LIMIT = 65536, 4096, 8192, 100_000


def _sample(text: str) -> str:
    if len(text) <= SAMPLE:
        return text
    third = SAMPLE // 3
    middle = len(text) // 2
    return text[:third] + text[middle : middle + third] + text[-third:]


# CONTROL's ASCII characters as 1, the rest as 0; and the ones outside ASCII.
_ASCII_CONTROL = bytes(int(c < 128 and CONTROL.match(chr(c)) is not None) for c in range(256))
_WIDE_CONTROL = re.compile("[\ufffd\ud800-\udfff]")


def _control_count(text: str) -> int:
    """``len(CONTROL.findall(text))``: the ASCII ones counted in the ASCII copy, the others (replacement
    characters and lone surrogates, never ASCII) among the characters outside ASCII."""
    count = ascii_bytes(text).translate(_ASCII_CONTROL).count(1)
    if text.isascii():
        return count
    positions = non_ascii_positions(text)
    if positions is None:
        return count + len(_WIDE_CONTROL.findall(text))
    return count + sum(1 for position in positions if (c := text[position]) == "\ufffd" or "\ud800" <= c <= "\udfff")


def control_hits(text: str) -> list[Hit]:
    sample = _sample(text)
    count = _control_count(sample)
    if count >= 16 and count >= 0.1 * len(sample):
        first = CONTROL.search(text)
        start = first.start() if first else 0
        return [Hit("binary.control_chars", start, min(len(text), start + 64), "", note=f"{count / len(sample):.0%}")]
    return []


def base64_hits(text: str) -> list[Hit]:
    """A run of ``BASE64_LIMIT``+ base64 characters contains a whole aligned block without whitespace."""
    if len(text) < BASE64_LIMIT:
        return []
    for offset in range(0, len(text) - BLOCK + 1, BLOCK):
        block = text[offset : offset + BLOCK]
        if " " in block or "\n" in block or "\t" in block or "\r" in block:
            continue
        if not BASE64_BLOCK.fullmatch(block):
            continue
        start = offset
        while start > 0 and BASE64_BLOCK.fullmatch(text[start - 1]):
            start -= 1
            if offset - start > BLOCK:
                break
        run = BASE64_BLOCK.match(text, offset)
        end = run.end() if run else offset + BLOCK
        if end - start >= BASE64_LIMIT:
            return [Hit("binary.base64_blob", start, end, "", note=f"{end - start} characters")]
    return []


def giant_line_hits(text: str) -> list[Hit]:
    if len(text) <= LINE_LIMIT:
        return []
    # A line longer than LINE_LIMIT holds a whole aligned block of half that without a line break: when
    # every block has one, no line needs walking (a megabyte has tens of thousands of them).
    half = LINE_LIMIT // 2
    if all(text.find("\n", block, block + half) != -1 for block in range(0, len(text) - half + 1, half)):
        return []
    position = 0
    while position <= len(text):
        newline = text.find("\n", position)
        end = len(text) if newline == -1 else newline
        if end - position > LINE_LIMIT:
            return [Hit("binary.giant_line", position, end, "", note=f"{end - position} characters")]
        if newline == -1:
            break
        position = newline + 1
    return []


def binary_hits(text: str) -> list[Hit]:
    return control_hits(text) + base64_hits(text) + giant_line_hits(text)
