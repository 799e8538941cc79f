import base64
import os

from routing.shield import Severity, scan


def rules(text):
    return {f.rule: f for f in scan(text).findings}


def test_binary_junk_is_high():
    junk = bytes(range(256)).decode("latin-1") * 20
    assert rules(junk)["binary.control_chars"].severity == Severity.HIGH


def test_long_base64_blob_is_high():
    blob = base64.b64encode(os.urandom(12000)).decode()
    assert rules(f"image: {blob}")["binary.base64_blob"].severity == Severity.HIGH


def test_giant_line_is_flagged_not_blocked():
    assert rules("word " * 30000)["binary.giant_line"].severity == Severity.MEDIUM


def test_ordinary_long_text_is_not_binary():
    text = "A line of prose.\n" * 20000
    assert not [f for f in scan(text).findings if f.category == "binary_paste"]


def test_control_characters_are_counted_as_the_regex_counts_them():
    import random

    from routing.shield.binary import CONTROL, _control_count

    rng = random.Random(41)
    alphabet = ["a", " ", "\n", "\t", "\x00", "\x07", "\x1b", "\x7f", "\ufffd", "\ud800", "\udfff", "é", "?", "中"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert _control_count(text) == len(CONTROL.findall(text)), repr(text)
    dense = "中\x00" * 200 + "\ufffd" * 3
    assert _control_count(dense) == len(CONTROL.findall(dense))
