import random
import re

import pytest

from routing.shield.behaviour import MATCHER
from routing.shield.leads import MIN_BRANCHES, Leads, leading_literals
from routing.shield.literals import LiteralSet


def test_leading_literals_of_an_alternation_that_opens_the_pattern():
    assert leading_literals(re.compile(r"(?:how to|write|make)\s+bombs?")) == {"how to", "write", "make"}
    assert leading_literals(re.compile(r"(?<![a-z])(?:steal|forge)(?:ing)?")) == {"steal", "forge"}
    assert leading_literals(re.compile(r"ignore|disregard")) == {"ignore", "disregard"}


def test_no_leading_literals_where_a_branch_opens_otherwise():
    for pattern, flags in [
        (r"(?:how to|[a-z]rite)", 0),  # a class
        (r"(?:how to|go)", 0),  # a literal too short to look for
        (r"(?:how to|write)", re.IGNORECASE),  # case-insensitive: the text's case decides
        (r"(?:how to|(?:a|b)bc)", 0),  # a group
        (r"x(?:how|what)", 0),  # not an alternation first
        (r"(?:h\u00e9llo|write)", 0),  # not ASCII
    ]:
        assert leading_literals(re.compile(pattern, flags)) is None, pattern


@pytest.mark.skipif(not LiteralSet.available, reason="Hyperscan is not installed")
def test_the_behavioural_patterns_that_take_this_path_find_what_search_finds():
    regexes = [p.regex for p in MATCHER.patterns]
    leads = Leads(regexes)
    taken = [n for n in range(len(regexes)) if n in leads]
    assert len(taken) >= 3  # the harmful-request patterns at least
    rng = random.Random(7)
    for number in taken:
        regex, literals = regexes[number], sorted(leading_literals(regexes[number]))
        assert len(literals) >= MIN_BRANCHES
        # Soups of the pattern's own opening words, words it wants after them, filler and non-ASCII.
        words = [*literals, "bomb", "malware", "illegally", "previous", "instructions", "above", "the", "a", "é", "x"]
        words += ["racist", "steal", "hack into", "without getting caught", "text", "rules", "all", "output", "\n"]
        for _ in range(150):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
            for start in (0, rng.randrange(len(text) + 1)):
                found, expected = leads.search(number, regex, text, start), regex.search(text, start)
                assert (found and found.span()) == (expected and expected.span()), (number, text, start)


def test_a_pattern_without_leads_is_searched_as_re_searches():
    regex = re.compile(r"[a-z]+ment")
    leads = Leads([regex])
    assert 0 not in leads
    assert leads.search(0, regex, "a judgement", 0).span() == (2, 11)
