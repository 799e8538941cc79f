import random

import pytest

from routing.shield import prefilter
from routing.shield.codepoints import BMP, Table, byte_classes


def _classify(text: str) -> bytes:
    return bytes(95 if c.isalnum() else 1 if ord(c) > 127 else ord(c) for c in text)


def test_a_table_gives_what_its_classification_gives_one_byte_per_character():
    table = Table(byte_classes(_classify))
    rng = random.Random(2)
    pool = [chr(c) for c in range(0x80, 0x3000, 7)] + ["a", " ", "?", "\ud800", "\udfff", "\uffff", "5", "\u0663"]
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        assert table.translate(text) == _classify(text), text


def test_a_character_beyond_the_plane_leaves_the_text_to_the_caller():
    assert Table(byte_classes(_classify)).translate("abc \U0001f600 d\u00e9f") is None
    assert Table(byte_classes(_classify)).translate("\uffff") == b"\x01"


def test_a_classification_that_is_not_one_byte_per_character_is_refused():
    with pytest.raises(ValueError):
        Table(byte_classes(lambda text: text.encode("utf-8"))).build()
    assert len(Table(byte_classes(_classify)).build()) == BMP


def test_the_prefilter_reads_a_text_in_another_script_as_its_regex_does():
    rng = random.Random(4)
    pool = [chr(c) for c in range(0x370, 0x1000)] + ["a", " ", "_", "?", "\ud800", "\u200b", "5", "\u0663", "."]
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(40, 120)))  # dense: the table's path
        assert prefilter.scanned(text) == prefilter._scanned_by_regex(text), text
    assert prefilter.scanned("\u03b1\u03b2 \U0001f600") == prefilter._scanned_by_regex("\u03b1\u03b2 \U0001f600")


def test_a_table_of_bytes_classifies_characters_beyond_the_plane_itself():
    table = Table.of_bytes(_classify)
    for text in ["abc \U0001f600 d\u00e9f", "\U0001d400\U0001d7d9 \U00020000", "\U0001f600"]:
        assert table.translate(text) == _classify(text), text


def _keeps_ascii(text: str) -> bytes:
    return bytes(ord(c) if ord(c) < 128 else 95 if c.isalnum() else 1 for c in text)


def test_a_table_that_keeps_ascii_copies_a_text_with_few_other_characters_without_building():
    table = Table.of_bytes(_keeps_ascii)
    rng = random.Random(5)
    for _ in range(300):
        text = list("What? " + "plain words, digits 123 and marks " * rng.randint(4, 8))  # 1 in 32 or fewer outside
        for _ in range(rng.randint(0, 3)):  # a few outside ASCII: a letter, a quote, an emoji
            text[rng.randrange(len(text))] = rng.choice(["\u00e9", "\u2019", "\U0001f600", "\u0663"])
        assert table.translate("".join(text)) == _keeps_ascii("".join(text))
    assert table._table is None  # every text took the copy-and-look-up path
    assert table.translate("\u00e9\u03b1" * 40) == _keeps_ascii("\u00e9\u03b1" * 40)  # many: the table
    assert table._table is not None
