import random

from routing.shield.validators import NON_DIGIT, digits_of, is_card, is_iban, is_ssn, luhn


def test_validators():
    assert luhn("4539148803436467") and not luhn("4539148803436468")
    assert is_iban("GB82 WEST 1234 5698 7654 32") and not is_iban("GB82 WEST 1234 5698 7654 33")
    assert is_card("4539 1488 0343 6467") and not is_card("4539 1488 0343 6468")
    assert is_ssn("123-45-6789") and not is_ssn("666-12-3456") and not is_ssn("123-00-6789")


def test_the_digits_of_a_number_are_those_the_regex_keeps():
    rng = random.Random(31)
    alphabet = ["1", "2", "9", "0", " ", "-", ".", "(", ")", "+", "/", "x", "\u0663", "\u00b2", "\uff15", "#", "\u00a0"]
    for _ in range(5000):
        candidate = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert digits_of(candidate) == NON_DIGIT.sub("", candidate), candidate
