"""Key words broken by one space: "ign ore all prev ious in structions".

A space inside a word the rules are keyed on leaves two pieces no rule reads, and unlike split
letters ("i g n o r e") or inner separators ("ig-nore") nothing marks the break. Every spelling of
every rule word of six letters or more with one space inside is looked for in one Hyperscan pass
over the view (a literal set); where one stands between word boundaries, the view is read again
with those spaces taken out. A spelling whose two halves are both common English words is not
looked for ("in formation", "pass word", "any thing": joining them would read ordinary prose
differently), nor a compound people write apart as often as together ("api key", "Chat GPT"); and
without Hyperscan none is (the literal set is its only finder).
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain

from wordfreq import top_n_list

from routing.shield.candidates import ascii_bytes
from routing.shield.literals import LiteralSet
from routing.shield.normalize import View, absolute_index

SHORTEST, ENGLISH = 6, 5000  # the shortest rule word looked for; the most frequent English words
# Compounds people write apart as often as together ("api key" is everywhere in code questions).
WRITTEN_APART = frozenset({"api key", "api keys", "chat gpt", "pass code", "pass phrase", "key logger", "pre prompt"})


def spellings(rule_words: Collection[str]) -> list[bytes]:
    """Each rule word of ``SHORTEST`` letters or more with one space inside, two letters or more on
    each side, except where both halves are among the ``ENGLISH`` most frequent English words."""
    english = frozenset(top_n_list("en", ENGLISH))
    found = set()
    for word in rule_words:
        if len(word) < SHORTEST or not (word.isascii() and word.isalpha()):
            continue
        for cut in range(2, len(word) - 1):  # two letters or more on each side ("i gnore" is no slip of a key)
            left, right = word[:cut], word[cut:]
            spelling = f"{left} {right}"
            if not (left in english and right in english) and spelling not in WRITTEN_APART:
                found.add(spelling.encode())
    return sorted(found)


class Splits:
    """Finds the rule words broken by one space in a view and joins them."""

    def __init__(self, rule_words: Collection[str]):
        self._spellings = spellings(rule_words)
        self._set = LiteralSet(self._spellings) if LiteralSet.available else None

    def joined(self, view: View) -> View | None:
        """``view`` with the space inside each broken rule word taken out, or None when there is none."""
        if self._set is None:
            return None
        data = ascii_bytes(view.text)
        found = self._set.present(data)
        if not found:
            return None
        spaces = set()
        for literal in found:
            spelling = self._spellings[literal]
            start = data.find(spelling)
            while start != -1:
                end = start + len(spelling)
                if (start == 0 or not data[start - 1 : start].isalpha()) and not data[end : end + 1].isalpha():
                    spaces.add(start + spelling.index(b" "))
                start = data.find(spelling, start + 1)
        if not spaces:
            return None
        index = absolute_index(view)
        pieces = list(zip([-1, *sorted(spaces)], [*sorted(spaces), len(view.text)], strict=True))
        text = "".join([view.text[after + 1 : before] for after, before in pieces])
        return View(text, list(chain.from_iterable(index[after + 1 : before] for after, before in pieces)), 0)
