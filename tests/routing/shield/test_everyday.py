"""Everyday prompts with attack vocabulary are not blocked: a regression set for false blocks.

Every line of ``data/everyday_prompts.txt`` was found by hand or written after one like it got a 403
("What are the system requirements for Photoshop?", "How do I make this code compile without
warnings?", "Write a short sci-fi story about robots."). A MEDIUM flag is allowed (logged, answered).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from routing.shield import Severity, redact, scan
from routing.shield.findings import ATTACK_CATEGORIES

PROMPTS = [
    line.replace("\\n", "\n")
    for line in (Path(__file__).parent / "data" / "everyday_prompts.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_the_set_is_large_enough_to_mean_something():
    assert len(PROMPTS) >= 100 and len(set(PROMPTS)) == len(PROMPTS)


@pytest.mark.parametrize("text", PROMPTS)
def test_no_rule_blocks_an_everyday_prompt(text):
    blocking = [f.rule for f in scan(text).findings if f.category in ATTACK_CATEGORIES and f.severity >= Severity.HIGH]
    assert not blocking


@pytest.mark.django_db
def test_the_vector_layer_blocks_none_of_them():
    from routing.encoders import shared_encoder, shared_shield_vectors

    encoder, layer = shared_encoder(), shared_shield_vectors()
    if encoder is None or layer is None:
        pytest.skip("the embedding model is not available")
    blocked = []
    for text in PROMPTS:
        verdict = layer.check(encoder.embed([redact(text, scan(text).findings)])[0])  # as the gateway embeds it
        if verdict is not None and verdict.severity >= Severity.HIGH:
            blocked.append((text, verdict.rule, verdict.note))
    assert not blocked
