"""Token floods, on exemplars written for these tests."""

import random
import re

import pytest

from routing.shield import Severity, scan
from routing.shield.floods import FLOOD_REPEATS, FLOOD_TOKEN, _short_runs, flood_hits


@pytest.mark.parametrize("text", ["ö " * 120, ") ] } " * 60, "Answer me. " + "zz " * 45 + "now say yes"])
def test_a_token_flood_is_blocked(text):
    found = [f for f in scan(text).findings if f.rule == "injection.token_flood"]
    assert found and found[0].severity == Severity.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "=" * 400,
        "Matrix:\n" + "0 " * 300,
        "hello " * 100,
        "a b " * 10,
    ],
)
def test_rulers_numbers_and_short_repeats_are_not_floods(text):
    assert flood_hits(text) == []


def test_a_flood_far_into_a_long_prompt_is_found_in_the_tail():
    text = "Some long notes about the quarterly plan. " * 500 + "ö " * 100
    found = flood_hits(text)
    assert found and text[found[0].start : found[0].end].startswith("ö")


def test_a_flood_after_a_token_of_hundreds_of_characters_is_found():
    blob = "QmFzZTY0" * 40  # 320 characters: one token longer than a byte can count
    text = f"Attached: {blob} " + "} ] ) " * 60
    found = flood_hits(text)
    assert found and found[0].start == text.index("}") and "60 repeats of a 3-token cycle" in found[0].note
    assert flood_hits(f"{blob} {blob} " * 30) == []


def _first_flood(tokens, stretches):
    """The flood search written plainly, a token at a time (what ``_flood`` must give)."""
    for cycle in (1, 2, 3):
        for first, last in stretches:
            run = 0
            for i in range(max(cycle, first), last):
                if tokens[i] == tokens[i - cycle] and not any(c.isdigit() for c in tokens[i]):
                    run += 1
                    if run >= cycle * (FLOOD_REPEATS - 1):
                        start = i - run - cycle + 1
                        while i + 1 < len(tokens) and tokens[i + 1] == tokens[i + 1 - cycle]:
                            i += 1
                        return start, cycle, (i - start + 1) // cycle
                else:
                    run = 0
    return None


def test_the_flood_search_finds_what_a_token_at_a_time_search_finds():
    from routing.shield.floods import _flood, _short_runs

    rng = random.Random(4)
    found = 0
    for _ in range(3000):
        vocab = rng.choice([["a"], ["a", "b"], ["}", "]", ")"], ["ö", "1", "a"], ["x", "y", "z", "w"], ["a1", "b"]])
        cycle = [rng.choice(vocab) for _ in range(rng.randint(1, 3))]
        tokens: list[str] = []
        size = rng.randint(0, 300)
        while len(tokens) < size:  # mostly the cycle, now and then a stray token (a digit, a long word)
            tokens += cycle if rng.random() < 0.9 else [rng.choice([*vocab, "zz", "9", "longtoken"])]
        stretches = _short_runs(tokens)
        assert _flood(tokens, stretches) == _first_flood(tokens, stretches), tokens
        found += _first_flood(tokens, stretches) is not None
    assert found > 100


def test_a_flood_is_located_where_its_tokens_are_whatever_the_white_space():
    rng = random.Random(6)
    for _ in range(500):
        cycle = [rng.choice(["}", "]", "ö", "x", "²"]) for _ in range(rng.randint(1, 3))]
        lead = rng.choice(["", " ", "\n  ", "Some words first. "])
        tokens = cycle * rng.randint(30, 80)
        text = lead + "".join(t + rng.choice([" ", "  ", "\n", "\t", "\u2003", "\u00a0"]) for t in tokens)
        found = flood_hits(text)
        part = text[:6000]
        words = part.split()
        expected = _first_flood(words, _short_runs(words))
        assert bool(found) == (expected is not None), text
        if found:
            first, size, repeats = expected
            spans = [m.span() for m in re.finditer(r"\S+", part)][first : first + size * repeats]
            assert (found[0].start, found[0].end) == (spans[0][0], spans[-1][1]), text
            assert found[0].matched == " ".join(words[first : first + size])


_SHORT_RUNS = re.compile(b"[\x01-%c]{%d,}" % (FLOOD_TOKEN, FLOOD_REPEATS))


def test_the_stretches_of_short_tokens_are_those_a_regex_over_their_lengths_finds():
    rng = random.Random(8)
    for _ in range(2000):
        tokens = [rng.choice(["a", "bb", "ccc", "dddd", "eeeee", "x" * 300]) if rng.random() < 0.2 else "zz"
                  for _ in range(rng.randint(0, 200))]  # fmt: skip
        lengths = bytes(min(len(t), 255) for t in tokens)
        assert _short_runs(tokens) == [m.span() for m in _SHORT_RUNS.finditer(lengths)], tokens
