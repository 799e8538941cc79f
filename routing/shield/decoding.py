"""Instructions hidden in base64, hex or URL encoding: find bounded candidate blobs, decode them and re-scan.

Decoding is bounded three ways: at most ``MAX_CANDIDATES`` blobs per text, ``MAX_BLOB`` characters
of each, ``MAX_DECODED`` bytes in total, and ``MAX_DEPTH`` levels of nesting; a blob that still
decodes to another blob below the last level is reported as nested encoding.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from routing.shield.behaviour import phrases_in_decoded
from routing.shield.candidates import ascii_bytes, literal_starts, matches_at
from routing.shield.findings import Hit, Rule, Severity

RULES = (
    Rule("smuggling.encoded_attack", "token_smuggling", Severity.CRITICAL,
         "An attack phrase is hidden in encoded text (base64, hex, URL encoding, ROT13 or tag characters)."),
    Rule("smuggling.nested_encoding", "token_smuggling", Severity.MEDIUM,
         "Text is encoded several times over, deeper than the shield decodes."),
)  # fmt: skip

MAX_CANDIDATES, MAX_BLOB, MAX_DECODED, MAX_DEPTH = 24, 16384, 65536, 3
B64_RUN = re.compile(r"(?<![A-Za-z0-9+/_\-=])[A-Za-z0-9+/_\-]{20,}={0,2}")
HEX_RUN = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]?){12,}|(?:\\x[0-9A-Fa-f]{2}){8,}")
# Percent-encoded text ("%69%67%6E%6F%72%65", "ignore%20all%20previous"): three escapes or more, with
# at most sixteen plain URL characters before each (bounded, so the regex stays linear).
PCT_RUN = re.compile(r"(?:[A-Za-z0-9._~+\-]{0,16}%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+\-]{0,16}")
_PCT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")

# Candidates are found in bytes copies of the text: one with each base64 character a 'b' (every other
# character a space), where B64_RUN needs twenty 'b' in a row; one with each hex digit, space and colon
# an 'h', where a hex run needs 24 in a row (twelve pairs); one with each hex digit an 'h' (spaces and
# colons themselves), where a hex run starts at an 'h' after none.
_B64_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-"
_AS_B64 = bytes(98 if c in _B64_CHARS else 32 for c in range(256))
_AS_HEX_RUN = bytes(104 if c in b"0123456789ABCDEFabcdef :" else 46 for c in range(256))
_HEX_RUN_BYTES = b"h" * 24
_HEX_STRETCH = re.compile(rb"h{24,}")
_AS_HEX = bytes(104 if c in b"0123456789ABCDEFabcdef" else c if c in b" :" else 46 for c in range(256))
_HEX_DIGITS_START = re.compile(rb"(?<!h)h")
_B64_RUN_BYTES = b"b" * 20
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]")


def _b64_matches(text: str, shape: bytes):
    """``B64_RUN.finditer(text)``: a match starts where a run of twenty base64 characters or more starts
    in the bytes shape (the first twenty 'b' from the end of the last run), unless an '=' precedes it."""
    position = shape.find(_B64_RUN_BYTES)
    while position != -1:
        match = B64_RUN.match(text, position)
        if match is not None:
            yield match
            position = match.end()
        else:
            position = shape.find(b" ", position)
            if position == -1:
                return
        position = shape.find(_B64_RUN_BYTES, position)


def _hex_matches(text: str):
    """``HEX_RUN.finditer(text)``, tried only where a match can start: at a ``\\x``, or where a run of
    hex digits starts inside a stretch of 24 or more hex digits, spaces and colons (as twelve pairs
    and their separators make)."""
    data = ascii_bytes(text)
    starts = literal_starts(data, (b"\\x",))
    runs = data.translate(_AS_HEX_RUN)
    if _HEX_RUN_BYTES in runs:
        digits = data.translate(_AS_HEX)
        for stretch in _HEX_STRETCH.finditer(runs):
            starts += [m.start() for m in _HEX_DIGITS_START.finditer(digits, *stretch.span())]
    return matches_at(HEX_RUN, text, sorted(set(starts)))


def _candidates(regex: re.Pattern[str], text: str):
    if regex is HEX_RUN:
        return _hex_matches(text)
    if regex is PCT_RUN:
        return PCT_RUN.finditer(text) if _PCT_ESCAPE.search(text) else iter(())  # not "20% more"
    # A run of twenty base64 characters is in a token (no white space) of twenty or more.
    shape = ascii_bytes(text).translate(_AS_B64)
    return _b64_matches(text, shape) if _B64_RUN_BYTES in shape else iter(())


@dataclass
class _Budget:
    candidates: int = MAX_CANDIDATES
    decoded: int = MAX_DECODED


def _printable_text(raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(text) < 8:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    letters = sum(1 for c in text if c.isalpha())
    return text if printable >= 0.9 * len(text) and letters >= 0.3 * len(text) else None


def _decode_b64(blob: str) -> str | None:
    blob = blob.rstrip("=")
    blob = blob[: len(blob) - len(blob) % 4] if len(blob) % 4 == 1 else blob
    padded = blob + "=" * (-len(blob) % 4)
    altchars = b"-_" if ("-" in blob or "_" in blob) else None
    try:
        return _printable_text(base64.b64decode(padded, altchars=altchars, validate=False))
    except (binascii.Error, ValueError):
        return None


def _decode_hex(blob: str) -> str | None:
    digits = _NOT_HEX.sub("", blob.replace("\\x", ""))
    try:
        return _printable_text(bytes.fromhex(digits[: len(digits) - len(digits) % 2]))
    except ValueError:
        return None


def _decode_pct(blob: str) -> str | None:
    return _printable_text(unquote_to_bytes(blob.replace("+", " ")))


def decoded_blobs(text: str, budget: _Budget | None = None) -> list[tuple[int, int, str, str]]:
    """(start, end, encoding, decoded text) for each candidate blob of ``text`` that decodes to text."""
    budget = budget or _Budget()
    found = []
    for regex, name, decode in (
        (B64_RUN, "base64", _decode_b64),
        (HEX_RUN, "hex", _decode_hex),
        (PCT_RUN, "url-encoding", _decode_pct),
    ):
        for match in _candidates(regex, text):
            if budget.candidates <= 0 or budget.decoded <= 0:
                return found
            blob = match.group()[: min(MAX_BLOB, budget.decoded * 2)]
            if name == "base64" and (blob.isdigit() or (blob.isalpha() and (blob.islower() or blob.isupper()))):
                continue  # a number or a plain word, not an encoding
            budget.candidates -= 1
            decoded = decode(blob)
            if decoded is not None:
                budget.decoded -= len(decoded)
                found.append((match.start(), match.end(), name, decoded))
    return found


def encoded_hits(text: str, role: str) -> list[Hit]:
    """Hits for attack phrases found in decoded blobs of ``text`` (spans are the blobs in ``text``)."""
    hits: list[Hit] = []
    budget = _Budget()
    for start, end, name, decoded in decoded_blobs(text, budget):
        chain, depth, current = [name], 1, decoded
        while True:
            inner = phrases_in_decoded(current, role)
            if inner:
                rules = sorted({h.rule for h in inner})
                hits.append(Hit("smuggling.encoded_attack", start, end, text[start:end],
                                note=f"{' in '.join(reversed(chain))}: {', '.join(rules)}"))  # fmt: skip
                break
            nested = decoded_blobs(current, budget)
            if not nested:
                break
            if depth >= MAX_DEPTH:
                hits.append(Hit("smuggling.nested_encoding", start, end, text[start:end], note=f"{depth}+ levels"))
                break
            chain.append(nested[0][2])
            current = " ".join(item[3] for item in nested)
            depth += 1
    return hits
