# ruff: noqa: RUF001 -- this table is made of lookalike characters on purpose
"""Common Cyrillic and Greek letters that look like Latin ones, and the characters that render as nothing.

A compact hand-written subset of Unicode's confusables.txt: the lookalikes seen in homoglyph attacks
on English text. Everything else is left to NFKD (full-width forms, ligatures, math alphabets).
"""

from __future__ import annotations

_PAIRS = {
    # Cyrillic lower case
    "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "г": "r", "ѕ": "s", "т": "t",
    "у": "y", "ү": "y", "х": "x", "ѡ": "w", "ԝ": "w", "ь": "b", "п": "n", "и": "u",
    # Cyrillic upper case
    "А": "a", "В": "b", "С": "c", "Е": "e", "Ё": "e", "Н": "h", "І": "i", "Ї": "i", "Ј": "j", "К": "k",
    "М": "m", "О": "o", "Р": "p", "Ѕ": "s", "Т": "t", "У": "y", "Х": "x", "Ү": "y", "Ԛ": "q", "Ԝ": "w",
    # Greek lower case
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j", "μ": "u",
    # Greek upper case
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Latin lookalikes NFKD keeps
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʏ": "y", "ʀ": "r", "ɪ": "i", "ᴀ": "a", "ᴇ": "e",
    "ᴏ": "o", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z", "ł": "l", "ø": "o", "đ": "d",
}  # fmt: skip
CONFUSABLES: dict[str, str] = _PAIRS

# Code points that render as nothing (or only steer rendering) and are stripped before matching.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space/joiners, LRM/RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidi isolates and deprecated format characters
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # zero-width no-break space / BOM
    (0xFFA0, 0xFFA0),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),  # tag characters
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
INVISIBLE_CLASS = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _INVISIBLE_RANGES)
BIDI_CLASS = "\\u202a-\\u202e\\u2066-\\u2069"
TAG_CLASS = "\\U000e0000-\\U000e007f"


def is_invisible(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _INVISIBLE_RANGES)
