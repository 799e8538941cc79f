"""Which words undoing leetspeak and inner separators could form in a view, without rewriting it.

The deobfuscated check first asks whether an edit forms a word the rules are keyed on
(``changes.KeyWords``). Nearly every text has some edit (a hyphenated compound, an address, "3rd",
"mp3") and almost none forms such a word, yet rewriting a 4 KB view to find out costs ~0.1 ms.

Leet tokens and inner separators are local: each lies inside a *stretch* (a run of letters, digits,
'@', '$' and the separators '-', '_' and '*') and reads the same on the stretch alone as in the
text (``_LEET_TOKEN``'s lookbehind sees no stretch character before a stretch; an inner separator
needs a letter on each side). One Hyperscan pass finds the stretches that hold a candidate; each is
deobfuscated on its own, and its words are a superset of the words the edits touch in it; the
rewritten stretches spliced into the text are the deobfuscated text (what the prefilter reads next,
where a key word is formed: ~0.1 ms less than the rewrite). Split letters ("i g n o r e") span
spaces: a text with four lone letters in a row (rare) gets ``None``, the answer when Hyperscan is not
installed too, and the caller rewrites the view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from routing.shield.candidates import ascii_bytes
from routing.shield.hsdb import AVAILABLE, Compiled, hyperscan
from routing.shield.normalize import _INNER_SEPARATOR, _LEET, _LEET_TOKEN

_SPLIT_RUN = 2  # the expression whose first match ends the scan
_EXPRESSIONS = (
    rb"[a-z][0-9@$]|[0-9@$][a-z]",  # every leet token holds a letter next to a digit, '@' or '$'
    rb"[a-z][\-_*][a-z]",
    # How every split-letters match opens: four lone letters, each one or two separators apart ("u.s." or
    # "it's a" is no candidate).
    rb"(?:^|[^a-z])[a-z](?:[ .\-_*/|+]{1,2}[a-z]){3}(?:[^a-z]|$)",
)
_STRETCH = bytes(115 if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789@$-_*" else 32 for c in range(256))
_WORDS = re.compile(r"[a-z]+")
_DATABASE = Compiled.of(_EXPRESSIONS, [0, 0, hyperscan.HS_FLAG_SINGLEMATCH]) if AVAILABLE else None


@dataclass(frozen=True, slots=True)
class Formed:
    """What undoing the obfuscation of a view would do: a superset of the words its edits touch, and the
    text it would read (``deobfuscation_edits(view).text``; the view's own text when nothing changes)."""

    words: set[str]
    text: str
    stretches: list[tuple[int, int]]  # where the stretches that hold a candidate are (``slugs`` reads them)


def formed(text: str) -> Formed | None:
    """``Formed`` for a view with ``text``, or None when that takes the rewrite itself."""
    if _DATABASE is None:
        return None
    data = ascii_bytes(text)
    ends: list[int] = []

    def found(expression: int, _start: int, end: int, _flags: int, _context: object) -> bool | None:
        if expression == _SPLIT_RUN:
            return True  # stops the scan
        ends.append(end - 1)
        return None

    try:
        _DATABASE.scan(data, found)
    except hyperscan.ScanTerminated:
        return None  # a split-letters candidate
    if not ends:
        return Formed(set(), text, [])
    shape = data.translate(_STRETCH)
    spans, reached = [], -1
    for position in sorted(ends):
        if position < reached:
            continue  # in the stretch read last
        start = shape.rfind(b" ", 0, position) + 1
        reached = shape.find(b" ", position)
        reached = len(shape) if reached == -1 else reached
        spans.append((start, reached))
    # All at once: a line break is no stretch character, so each line is rewritten as if alone.
    joined = "\n".join([text[start:end] for start, end in spans])
    rewritten = _INNER_SEPARATOR.sub("", _LEET_TOKEN.sub(lambda m: m.group().translate(_LEET), joined))
    if rewritten == joined:
        return Formed(set(), text, spans)
    parts, position = [], 0
    for (start, end), after in zip(spans, rewritten.split("\n"), strict=True):
        if len(after) != end - start or after != text[start:end]:
            parts += [text[position:start], after]
            position = end
    words = set(_WORDS.findall(" ".join(parts[1::2])))
    # ``touched_words`` cannot tell a word of 64 letters or more: nor is it told here.
    if any(len(word) >= 64 for word in words):
        return None
    return Formed(words, "".join(parts) + text[position:], spans)
