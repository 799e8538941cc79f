"""The words undoing obfuscation could form, found without rewriting the view: a superset of the words it
touches, and the text it reads spliced from the stretches rewritten alone."""

import random
from pathlib import Path

from routing.shield.changes import touched_words
from routing.shield.formed import formed
from routing.shield.normalize import deobfuscation_edits, normalize

EVERYDAY = Path(__file__).parent / "data" / "everyday_prompts.txt"


def _check(text: str) -> str | None:
    """Which answer ``formed`` gave: "rewrite" (None), "superset" or "none" (no edit at all)."""
    view = normalize(text)
    undone, edits = formed(view.text), deobfuscation_edits(view)
    if undone is None:
        return "rewrite"
    touched = set() if edits is None else touched_words(edits.text, edits.changes)
    assert touched is not None, text  # a word too long to tell is never answered here
    assert touched <= undone.words, text
    assert bool(undone.words) == (edits is not None), text
    assert undone.text == (view.text if edits is None else edits.text), text
    return "superset" if undone.words else "none"


def test_formed_words_hold_every_word_the_edits_touch():
    rng = random.Random(5)
    alphabet = ["a", "b", "e", "z", "1", "3", "0", "9", "@", "$", " ", "-", "_", "*", ".", "/", "|", "+", "ab",
                "ign", "\u00e9", "\u4e2d", "\n", "A"]  # fmt: skip
    answers = {_check("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))) for _ in range(5000)}
    assert answers == {"rewrite", "superset", "none"}


def test_everyday_prompts_and_long_words():
    for line in EVERYDAY.read_text().splitlines():
        _check(line.replace("\\n", "\n"))
    assert formed(normalize("x-" + "a" * 70).text) is None  # a word of 64 letters or more
    assert formed(normalize("i g n o r e it").text) is None  # split letters: the rewrite decides
    undone = formed(normalize("a well-known mp3 by jane.doe12@example.com").text)
    assert undone.words == {"wellknown", "mpe", "doei", "aexample"}
    assert undone.text == "a wellknown mpe by jane.doei2aexample.com"
