"""Tier 1 rules: decide only when certain, stay linear on hostile input."""

from __future__ import annotations

import pytest

from routing.classifier.reflex import reflex, strip_binary


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ('Traceback (most recent call last):\n  File "x.py", line 3\nKeyError: 1', "coding"),
        ('Exception in thread "main" java.lang.NullPointerException\n\tat com.acme.App.run(App.java:12)', "coding"),
        ("Please translate this paragraph into Portuguese: we ship tomorrow.", "translation"),
        ("How do you say 'good luck' in Japanese?", "translation"),
        ("Traduce al inglés: buenos días", "translation"),
        ("hello!", "chat"),
        ("thanks", "chat"),
        ("```python\ndef f(x):\n    return x\n```\nwhy does this return None sometimes?", "coding"),
    ],
)
def test_certain_rules_decide_alone(text, task):
    verdict = reflex(text)
    assert verdict.task_type == task and verdict.confidence >= 0.85


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Summarize this article for me", "summarization"),
        ("Extract every invoice number and return them as JSON", "extraction"),
        ("Is this review positive or negative?", "classification"),
        ("Give me 10 ideas for a team offsite", "brainstorming"),
        ("Write a poem about the moon", "creative_writing"),
        ("Solve 3x + 4 = 19 step by step", "reasoning"),
        ("SELECT name FROM users WHERE id = 4 -- why is this slow?", "coding"),
    ],
)
def test_cues_are_hints_not_verdicts(text, hint):
    verdict = reflex(text)
    assert verdict.task_type is None
    assert verdict.hints.get(hint, 0) > 0


def test_translate_in_the_system_prompt_counts():
    assert reflex("Bonjour tout le monde", system="Translate everything the user says into English.").task_type == (
        "translation"
    )


def test_an_empty_prompt_decides_nothing():
    assert reflex("   ").task_type is None and reflex("").signals == ("empty_prompt",)


def test_binary_pastes_are_flagged_and_stripped():
    blob = "QUJD" * 600
    text = f"What is in this file? {blob}"
    assert reflex(text).binary_paste
    stripped, removed = strip_binary(text)
    assert removed and blob not in stripped and "What is in this file?" in stripped


@pytest.mark.parametrize(
    "text",
    ["a" * 1_000_000, "(" * 200_000 + "x", "\u200b" * 500_000, "Translate " + "x " * 300_000, "at " * 300_000],
)
def test_hostile_input_gets_a_verdict(text):
    assert reflex(text) is not None
