import random

import pytest

from routing.shield.literals import LiteralSet
from routing.shield.words import Vocabulary, WordsIn, words_of


def test_words_in_answers_as_the_set_of_words_does():
    rng = random.Random(5)
    alphabet = "abcignore -_'0é\n"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        words, found = words_of(text), WordsIn(text)
        for key in ["ignore", "a", "ab", "gno", "c", "ignoreignore", *list(words)[:3]]:
            assert (key in found) == (key in words), (text, key)
            assert found.isdisjoint([key, "zzz"]) == words.isdisjoint([key, "zzz"])


def test_words_in_answers_the_same_after_it_splits_the_text():
    rng = random.Random(6)
    alphabet = ["way", "always", "away", "plan", "planet", "make", "é", " ", "-", "x", "\n"]
    keys = ["way", "plan", "make", "x", "zzz", "alwaysway", "ma"]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        words, found = words_of(text), WordsIn(text)
        for _ in range(30):  # past FIND_LIMIT words asked: the set answers from then on
            group = rng.sample(keys, rng.randint(1, 4))
            assert found.isdisjoint(group) == words.isdisjoint(group), (text, group)
            assert all((key in found) == (key in words) for key in group)
        assert found._all is not None


@pytest.mark.skipif(not LiteralSet.available, reason="Hyperscan is not installed")
def test_a_vocabulary_finds_its_words_as_the_set_of_words_does():
    rng = random.Random(7)
    vocabulary = Vocabulary(["way", "plan", "make", "a", "ignore", "x"])
    alphabet = ["way", "always", "plan", "planet", "Make", "make", "ignore", "é", " ", "-", "_", "9", "x", "\n", "a"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        assert vocabulary.found_in(text) == vocabulary.known & words_of(text), text


@pytest.mark.parametrize("common", [(), ("way", "x"), ("way", "plan", "make", "x")])
def test_words_in_with_a_vocabulary_answers_as_the_set_of_words_does(common):
    rng = random.Random(8)
    vocabulary = Vocabulary(["way", "plan", "make", "x"], common)
    assert vocabulary.known == {"way", "plan", "make", "x"} - set(common)
    alphabet = ["way", "always", "away", "plan", "planet", "make", "é", " ", "-", "x", "\n"]
    keys = ["way", "plan", "make", "x", "zzz", "alwaysway", "ma", "planet"]  # the last four are not in it
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        words, found = words_of(text), WordsIn(text, vocabulary)
        for _ in range(10):
            group = rng.sample(keys, rng.randint(1, 3))
            assert found.isdisjoint(group) == words.isdisjoint(group), (text, group)
            assert all((key in found) == (key in words) for key in group)


def test_a_vocabulary_word_is_letters_only():
    with pytest.raises(ValueError):
        Vocabulary(["ok", "not-ok"])
