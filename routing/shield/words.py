"""The words of a text as the behavioural gates see them: maximal runs of the letters a-z (a character
outside ASCII is never a letter)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from routing.shield.candidates import ascii_bytes
from routing.shield.literals import LiteralSet

WORD_PATTERN = re.compile(r"[a-z]+")
_NOT_A_LETTER = bytes(c if 97 <= c <= 122 else 32 for c in range(256))


def words_of(text: str) -> set[str]:
    """``set(WORD_PATTERN.findall(text))``, by bytes operations (a character outside ASCII is never a letter)."""
    return set(ascii_bytes(text).translate(_NOT_A_LETTER).decode("ascii").split())


class Vocabulary:
    """``words & words_of(text)`` for a fixed set of ``words``, from one Hyperscan literal pass over a
    copy of the text with every character but a-z made a space, where a word occurs as a word exactly
    where the word between two spaces occurs (one callback per word found: ~20 µs for 4 KB, where
    ``words_of`` splits the text into its hundreds of words in ~55 µs). Without Hyperscan, None.

    Words in ``common`` (found in most texts: a callback each for nothing) are left out: ``known``
    says which words the pass answers for, and ``WordsIn`` finds the others itself."""

    def __init__(self, words: Iterable[str], common: Collection[str] = ()):
        self.words = tuple(sorted(set(words) - set(common)))
        self.known = frozenset(self.words)
        if any(not WORD_PATTERN.fullmatch(word) for word in self.words):
            raise ValueError("a vocabulary word is lower-case ASCII letters")
        available = LiteralSet.available
        self._set = LiteralSet([f" {word} ".encode() for word in self.words]) if available and self.words else None
        self.available = available

    def found_in(self, text: str) -> frozenset[str] | None:
        if not self.words:
            return frozenset()
        if self._set is None:
            return None
        data = b" " + ascii_bytes(text).translate(_NOT_A_LETTER) + b" "
        return frozenset(self.words[index] for index in self._set.present(data))


class WordsIn:
    """``words_of(text)`` for membership tests only, each answered by ``str.find`` and remembered: a
    prefiltered pass asks about the gate words of the two or three patterns Hyperscan names, far
    fewer than the words of a prompt (splitting 4 KB into a set cost ~0.1 ms). A word that occurs
    inside many others ("way" in "always") costs a step per occurrence, so past ``FIND_LIMIT`` words
    asked the text is split into its set after all. With a ``vocabulary`` (a matcher's gate words),
    its one pass answers for the words it knows from the first question on; ``find`` for the rest."""

    __slots__ = ("_all", "_asked", "_found", "_known", "_text", "_vocabulary")
    FIND_LIMIT = 40

    def __init__(self, text: str, vocabulary: Vocabulary | None = None):
        self._text, self._known, self._asked = text, {}, 0
        self._vocabulary = vocabulary if vocabulary is not None and vocabulary.available else None
        self._all: set[str] | None = None  # every word of the text (without a vocabulary, past the limit)
        self._found: frozenset[str] | None = None  # the vocabulary's words in the text

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` (lower-case ASCII letters) occurs with no letter a-z right before or after it."""
        if self._all is not None:
            return word in self._all
        if self._found is not None and word in self._vocabulary.known:
            return word in self._found
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
        vocabulary = self._vocabulary
        if vocabulary is not None:
            if self._found is None:
                self._found = vocabulary.found_in(self._text)
            if not self._found.isdisjoint(words):
                return False
            return not any(word in self for word in words if word not in vocabulary.known)
        if self._all is None:
            self._asked += len(words)
            if self._asked <= self.FIND_LIMIT:
                return not any(word in self for word in words)
            self._all = words_of(self._text)
        return self._all.isdisjoint(words)
