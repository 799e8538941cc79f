import pytest

from routing.shield.patterns import Matcher, pattern


def test_a_gate_word_outside_lower_case_ascii_is_refused():
    with pytest.raises(ValueError, match="gate word"):
        Matcher([pattern("injection.x", "ignoré", r"ignoré")])
