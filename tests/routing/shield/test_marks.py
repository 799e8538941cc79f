"""The deobfuscation finders against the regexes they stand for, on random text."""

import random

from routing.shield import marks
from routing.shield import normalize as n
from routing.shield.candidates import matches_at


def test_the_finders_give_the_positions_their_regexes_match_at():

    rng = random.Random(7)
    alphabet = "ab z1@$ .-_*/|+Aé?\n"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert marks.leet_neighbours(text) == [m.start() for m in n._LEET_NEIGHBOUR.finditer(text)], text
        assert marks.split_pair_starts(text) == [m.start() - 1 for m in n._SPLIT_PAIR.finditer(text)], text
        assert marks.inner_separators(text) == [m.start() for m in n._INNER_SEPARATOR.finditer(text)], text
        assert n._without_inner_separators(text) == n._INNER_SEPARATOR.sub("", text), text


def test_leet_candidates_give_the_tokens_the_regex_finds():
    rng = random.Random(8)
    # Runs of letters and digits up to and past the regex's 40 characters, broken by spaces,
    # punctuation, capitals and characters outside ASCII.
    pieces = ["a", "b", "1", "0", "@", "$", "x" * 38, "7" * 20, " ", ".", "A", "\u00e9", "_", "ab12", "h4x0r"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        found = [m.span() for m in matches_at(n._LEET_TOKEN, text, marks.leet_starts(text))]
        assert found == [m.span() for m in n._LEET_TOKEN.finditer(text)], text


def test_the_class_copy_is_kept_for_the_last_text_only():
    text = "ab-cd 1x"
    first = marks.classes(text)
    assert marks.classes(text) is first
    assert marks.classes("ab-cd 1y") is not first
    assert bytes(first) == b"aaxaasda"
    assert bytes(marks.classes("é.A@")) == b"osod"
