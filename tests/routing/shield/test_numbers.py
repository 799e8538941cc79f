import random

from routing.shield import numbers, pii


def test_the_bytes_regex_finds_what_the_str_regex_finds_on_digit_soup():
    rng = random.Random(11)
    # ASCII digits and separators, and outside ASCII: digits (Arabic-Indic, fullwidth), a superscript
    # (a digit to isdigit, not to \d), spaces (no-break, em, ideographic, NEL), a word character, a
    # quote, a lone surrogate and characters beyond the BMP (an emoji, a bold digit).
    alphabet = [
        *"0123456789 ()-.+/:\nabAZ_\t\x1c",
        "\u0663", "\uff11", "\u00b2", "\u00a0", "\u2003", "\u3000", "\x85", "\u00e9", "\u2019", "\ud800",
        "\U0001f600", "\U0001d7d9",
    ]  # fmt: skip
    found = 0
    for _ in range(6000):
        size = rng.randint(5, 90)  # mostly digit groups, so that many are long enough to match
        text = "".join(rng.choice("0123456789 -") if rng.random() < 0.7 else rng.choice(alphabet) for _ in range(size))
        expected = [m.span() for m in pii._NUMBER_AHEAD.finditer(text)]
        assert numbers.spans(text) == expected, text
        found += len(expected)
    assert found > 1000


def test_numbers_next_to_characters_outside_ascii_keep_their_boundaries():
    for text, expected in [
        ("call +\u00a0(415) 555-1234", "+\u00a0(415) 555-1234"),  # a no-break space after '+' is \s
        ("x\u00e94155551234", None),  # a word character before: not a number of its own
        ("\u2019(415) 555-1234\u2019", "(415) 555-1234"),  # quotes are no word characters
        ("\U0001f600 4111 1111 1111 1111 \U0001f600", "4111 1111 1111 1111"),
    ]:
        spans = numbers.spans(text)
        assert [text[a:b] for a, b in spans] == ([] if expected is None else [expected]), text
