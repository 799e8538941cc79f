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
