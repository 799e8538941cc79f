import random

from routing.shield.words import WordsIn, words_of


def test_words_in_answers_as_the_set_of_words_does():
    rng = random.Random(5)
    alphabet = "abcignore -_'0é\n"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        words, found = words_of(text), WordsIn(text)
        for key in ["ignore", "a", "ab", "gno", "c", "ignoreignore", *list(words)[:3]]:
            assert (key in found) == (key in words), (text, key)
            assert found.isdisjoint([key, "zzz"]) == words.isdisjoint([key, "zzz"])
