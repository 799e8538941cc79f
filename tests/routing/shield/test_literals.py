import random

import pytest

from routing.shield.candidates import literal_starts
from routing.shield.literals import LiteralSet

pytestmark = pytest.mark.skipif(not LiteralSet.available, reason="Hyperscan is not installed")


def test_every_occurrence_overlapping_ones_included_as_the_find_loops_give():
    literals = [b"aa", b"aaa", b"ab", b"b", b"sk-", b"sk-ant-", b"-?"]
    found = LiteralSet(literals)
    rng = random.Random(3)
    for _ in range(300):
        data = bytes(rng.choice(b"ab-skant?\x00") for _ in range(rng.randint(0, 80)))
        assert found.find(data) == [literal_starts(data, [literal]) for literal in literals], data


def test_empty_data_and_empty_literals():
    assert LiteralSet([b"x", b"yz"]).find(b"") == [[], []]
    for bad in ([b"x", b""], [b"a\x00b"], []):
        with pytest.raises(ValueError):
            LiteralSet(bad)


def test_present_names_the_literals_found_and_no_other():
    rng = random.Random(3)
    literals = [b"ab", b"b", b"abc", b" way ", b"zz"]
    found = LiteralSet(literals)
    for _ in range(300):
        data = bytes(rng.choice(b"abcz wy") for _ in range(rng.randrange(0, 40)))
        every = found.find(data)
        present = found.present(data)
        assert sorted(present) == [i for i, positions in enumerate(every) if positions], data
        assert len(present) == len(set(present))  # each literal once, however often it occurs
