"""Whether the deobfuscated view of a text can report a rule its plain view did not (its pass runs
only then): the part of ``patterns.Matcher`` that compares the two views of one text.

Asked only where an edit forms a word the rules are keyed on (``behaviour``): with the prefilter,
the deobfuscated text is read by it (``deobfuscated_adds_nothing``); without one, it is searched only
where it differs from the view (``variant_adds_nothing``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from routing.shield.changes import Changes, merged, touched_words
from routing.shield.normalize import Edits
from routing.shield.words import WordsIn, words_of

if TYPE_CHECKING:
    from routing.shield.patterns import Pass


class VariantChecks:
    """Mixed into ``patterns.Matcher`` (whose tables it reads)."""

    def _variant_by_prefilter(self, text: str, role: str, seen: Collection[str]) -> bool:
        """``variant_adds_nothing`` decided by the prefilter on the deobfuscated text."""
        ends = self._prefilter.first_ends(text, role)
        words = WordsIn(text, self._vocabulary)
        for number in sorted(ends):
            item = self.patterns[number]
            if role not in item.roles or item.rule in seen:
                continue
            if not self._gate(number, text, words):
                continue
            if item.head is not None:
                return False  # it reads the view's own start: let the pass run
            # Any match lets the pass run (an accept function reads the view itself); without one, an accept
            # function has nothing to take.
            if self._leads.search(number, item.regex, text, self._prefilter.start(number, ends[number])) is not None:
                return False
        return True

    def deobfuscated_adds_nothing(self, plain: Pass, text: str, role: str, seen: Collection[str]) -> bool:
        """``variant_adds_nothing`` after a prefiltered pass, which needs the deobfuscated text only."""
        return plain.rules is None and self._variant_by_prefilter(text, role, seen)

    def variant_adds_nothing(self, plain: Pass, edits: Edits, role: str, seen: Collection[str]) -> bool:
        """True when ``hits`` on the deobfuscated view (text ``edits.text``) can report no rule outside
        ``seen``, the rules of the plain view's pass ``plain``; False when that pass has to run.

        Where the two texts agree a search reads the same characters and finds the same matches, so a
        pattern whose gate passed on the plain view yet reported nothing can only match where it reads a
        changed character: within its (bounded) width of a change, and near one of its anchors there.
        """
        text = edits.text
        if plain.prefiltered:
            return plain.rules is None and self._variant_by_prefilter(text, role, seen)
        touched = touched_words(text, edits.changes)
        if touched is None or plain.rules is not None:
            return False
        touched_anchored = self._anchored_words(touched)
        changes = Changes(text, merged(edits.changes))
        words, exact = plain.words | touched, None
        for number, item in enumerate(self.patterns):
            if role not in item.roles or item.rule in seen or not self._gate(number, text, words):
                continue  # words holds every word of the text: a gate that fails on it fails
            if item.head is not None:
                base = 0 if edits.removed else plain.base
                unchanged = plain.base == 0 and number in plain.gated and edits.changes[0][0] > item.head + 256
                if base > 0 or unchanged or next(item.regex.finditer(text, 0, item.head), None) is None:
                    continue
                return False
            if number not in plain.gated:  # the gate failed on the plain view: decide it exactly
                if exact is None:
                    exact = words_of(text)
                    exact_anchored = self._anchored_words(exact)
                if self._gate(number, text, exact) and self._first(number, text, exact_anchored):
                    return False
                continue
            if self._reach[number] is None or self._near_changes(number, text, changes, plain, touched_anchored):
                return False
        return True

    def _near_changes(
        self, number: int, text: str, changes: Changes, plain: Pass, touched: dict[int, list[str]]
    ) -> bool:
        """Whether pattern ``number`` matches ``text`` at a start from which it reads a changed character
        (``width`` + ``margin`` before a change up to ``margin`` after it) and near one of its anchors.

        An alternation is decided branch by branch, each near its own anchors: a new match of one
        branch means a new match of the whole (had an earlier branch matched there without reading a
        change, the plain view would have matched there too and reported the rule).
        """
        for entry in self._branches.get(number, [number]):
            width, margin = self._reach[entry]
            found = self.anchors[entry]
            if found is None:
                starts = [(c - width - margin, d + margin) for c, d in changes.spans]
            else:
                # Where a match holding an anchor can start (merged: any superset of the starts of new
                # matches decides the same), and the changes within its reach from there.
                holding = [
                    (position - found.before, position + len(word))
                    for word in plain.anchored.get(entry, []) + touched.get(entry, [])
                    for position in changes.positions(word)
                ]
                starts = []
                for low, high in merged(holding):
                    # A match holding the anchor reads no further than its ``after`` + ``margin``.
                    until = high + found.after + found.margin
                    starts += changes.near(low, high, width + margin, margin, until)
            # A search from ``low`` reads up to ``high + width + margin`` anyway: join spans closer than that.
            regex = self._branch_regex.get(entry, self.patterns[number].regex)
            for low, high in merged(starts, width + margin):
                match = regex.search(text, low, min(len(text), high + width + margin + 1))
                if match is not None and match.start() <= high:
                    return True  # a match of the deobfuscated text that the plain view does not have
        return False
