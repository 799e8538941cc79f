"""The words of a text as the behavioural gates see them: maximal runs of the letters a-z (a character
outside ASCII is never a letter)."""

from __future__ import annotations

import re
from collections.abc import Collection

WORD_PATTERN = re.compile(r"[a-z]+")
_NOT_A_LETTER = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def words_of(text: str) -> set[str]:
    """``set(WORD_PATTERN.findall(text))``, by bytes operations (a character outside ASCII is never a letter)."""
    return set(text.encode("ascii", "replace").translate(_NOT_A_LETTER).decode("ascii").split())


class WordsIn:
    """``words_of(text)`` for membership tests only, each answered by ``str.find`` and remembered: a
    prefiltered pass asks about the gate words of the two or three patterns Hyperscan names, far
    fewer than the words of a prompt (splitting 4 KB into a set cost ~0.1 ms). A word that occurs
    inside many others ("way" in "always") costs a step per occurrence, so past ``FIND_LIMIT`` words
    asked the text is split into its set after all (a large gate group then costs ~0.1 ms, not ~0.4)."""

    __slots__ = ("_all", "_asked", "_known", "_text")
    FIND_LIMIT = 40

    def __init__(self, text: str):
        self._text, self._known, self._all, self._asked = text, {}, None, 0

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` (lower-case ASCII letters) occurs with no letter a-z right before or after it."""
        if self._all is not None:
            return word in self._all
        found = self._known.get(word)
        if found is None:
            text, size = self._text, len(word)
            position, found = text.find(word), False
            while position != -1:
                end = position + size
                if (position == 0 or not "a" <= text[position - 1] <= "z") and (
                    end == len(text) or not "a" <= text[end] <= "z"
                ):
                    found = True
                    break
                position = text.find(word, position + 1)
            self._known[word] = found
        return found

    def isdisjoint(self, words: Collection[str]) -> bool:
        if self._all is None:
            self._asked += len(words)
            if self._asked <= self.FIND_LIMIT:
                return not any(word in self for word in words)
            self._all = words_of(self._text)
        return self._all.isdisjoint(words)
