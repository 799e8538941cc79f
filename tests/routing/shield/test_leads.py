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
    # A lookbehind opening a branch: the match still starts at the literal ("plan to", not "his plan to").
    assert leading_literals(re.compile(r"(?:how to|(?<!his )plan to|write)\s+bombs?")) == {"how to", "plan to", "write"}


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
    anchors = MATCHER.anchors[: len(regexes)]
    plain, anchored = Leads(regexes), Leads(regexes, anchors)
    taken = [n for n in range(len(regexes)) if n in plain]
    assert len(taken) >= 3  # the harmful-request patterns at least
    assert sum(anchors[n] is not None for n in taken) >= 3  # and they have anchor words to wait for
    rng = random.Random(7)
    for number in taken:
        regex, literals = regexes[number], sorted(leading_literals(regexes[number]))
        assert len(literals) >= MIN_BRANCHES
        # Soups of the pattern's own opening words, words it wants after them, filler (long runs of it,
        # which put an anchor word near or beyond its reach) and non-ASCII.
        wanted = sorted(anchors[number].words)[:12] if anchors[number] else []
        words = [*literals, *wanted, "bomb", "malware", "illegally", "previous", "instructions", "the", "a", "é"]
        words += ["racist", "steal", "hack into", "without getting caught", "text", "rules", "output", "\n"]
        words += ["his", "her", "their", "villain's"]  # before "plan to": the branches' lookbehinds
        words += ["plain words of filler " * 4, "x" * 90]
        for _ in range(150):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
            for start in (0, rng.randrange(len(text) + 1)):
                expected = regex.search(text, start)
                for leads in (plain, anchored):
                    found = leads.search(number, regex, text, start)
                    assert (found and found.span()) == (expected and expected.span()), (number, text, start)


def test_a_pattern_without_leads_is_searched_as_re_searches():
    regex = re.compile(r"[a-z]+ment")
    leads = Leads([regex])
    assert 0 not in leads
    assert leads.search(0, regex, "a judgement", 0).span() == (2, 11)
