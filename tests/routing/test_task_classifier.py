"""Tiers 1 and 2 on the real encoder: the exemplar index and the combination with the rules."""

from __future__ import annotations

import numpy as np
import pytest

from routing.classifier.task_classifier import TaskClassifier, load_exemplars
from routing.classifier.taxonomy import TASK_TYPES
from routing.encoders import shared_encoder, shared_task_classifier


@pytest.fixture(scope="module")
def encoder():
    found = shared_encoder()
    assert found is not None, "the embedding model must load from the installed packages"
    return found


@pytest.fixture(scope="module")
def classifier(encoder):
    return shared_task_classifier()


def classify(classifier, encoder, text):
    return classifier.classify(text=text, vector=encoder.embed([text])[0])


def test_the_encoder_makes_normalised_384d_vectors_and_similar_texts_are_close(encoder):
    vectors = encoder.embed(
        ["How do I reset my password?", "I forgot my password, how can I change it?", "Recommend a good pasta recipe"]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_exemplars_cover_every_task_type():
    counts = dict.fromkeys(TASK_TYPES, 0)
    for row in load_exemplars():
        counts[row["task"]] += 1
        assert 0 <= row["complexity"] <= 1
    assert min(counts.values()) >= 25


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("Write a Go function that merges two sorted slices without allocating twice.", "coding"),
        ("A tank fills in 6 hours and drains in 9. Starting empty with both open, when is it full?", "reasoning"),
        ("Please give me a short recap of the following quarterly update for the board.", "summarization"),
        ("Pull every customer name and phone number out of this CRM export.", "extraction"),
        ("Is this support message about billing, shipping or returns? Answer with one word.", "classification"),
        ("Compose a short story about a lighthouse keeper who finds a message in a bottle.", "creative_writing"),
        ("What are some original ideas for a charity run theme?", "brainstorming"),
        ("Why do leaves change colour in autumn?", "question_answering"),
    ],
)
def test_held_out_phrasings_are_classified(classifier, encoder, text, task):
    result = classify(classifier, encoder, text)
    assert result.task_type == task, result
    assert result.tier == "semantic" and sum(result.probabilities.values()) <= 1.0001


def test_hard_requests_are_more_complex_than_easy_ones(classifier, encoder):
    easy = classify(classifier, encoder, "What is the capital of Peru?")
    hard = classify(
        classifier,
        encoder,
        "Design a distributed, multi-region rate limiter with exactly-once "
        "accounting; prove it never over-admits and analyse the trade-offs.",
    )
    assert hard.complexity > easy.complexity + 0.2


def test_without_a_vector_the_rules_still_answer_with_low_confidence(classifier):
    result = classifier.classify(text="Summarize this meeting transcript", vector=None)
    assert result.task_type == "summarization" and result.confidence < 0.6


def test_without_an_encoder_the_classifier_still_works():
    result = TaskClassifier.build(None).classify(text="hello there, my friend of many years", vector=None)
    assert result.task_type == "chat" and result.tier == "reflex"
