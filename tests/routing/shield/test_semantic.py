"""The shield's vector layer on hand-made vectors (no encoder needed), and its exemplar file."""

import json

import numpy as np

from routing.shield import RULES, Severity
from routing.shield.semantic import (
    BLOCK_MARGIN,
    BLOCK_SIMILARITY,
    EXEMPLARS,
    EXEMPLARS_DIGEST,
    FAMILY_CATEGORY,
    FLAG_SIMILARITY,
    HEAD_BLOCK,
    HEAD_FLAG,
    NEAREST_HEAD_BLOCK,
    NEAREST_HEAD_FLAG,
    ExemplarShield,
    load_exemplars,
)


def unit(*values):
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def toward(target, other, similarity):
    """A unit vector with cosine ``similarity`` to ``target`` (in the plane of ``other``)."""
    orthogonal = other - (other @ target) * target
    orthogonal /= np.linalg.norm(orthogonal)
    return similarity * target + np.sqrt(1 - similarity**2) * orthogonal


ATTACK, BENIGN, ELSEWHERE = unit(1), unit(0, 1), unit(0, 0, 1)
LAYER = ExemplarShield(np.stack([ATTACK, BENIGN]), ["attack", "benign"], ["prompt_extraction", "ai_questions"])


def test_close_to_an_attack_and_far_from_benign_blocks():
    verdict = LAYER.check(toward(ATTACK, ELSEWHERE, BLOCK_SIMILARITY + 0.05))
    assert verdict.severity == Severity.HIGH
    assert (verdict.rule, verdict.category, verdict.family) == (
        "extraction.semantic",
        "prompt_extraction",
        "prompt_extraction",
    )
    assert verdict.rule in RULES


def test_between_the_thresholds_flags():
    verdict = LAYER.check(toward(ATTACK, ELSEWHERE, (FLAG_SIMILARITY + BLOCK_SIMILARITY) / 2))
    assert verdict is not None and verdict.severity == Severity.MEDIUM


def test_as_close_to_a_benign_exemplar_is_not_an_attack():
    both = (ATTACK + BENIGN) / np.linalg.norm(ATTACK + BENIGN)  # equally close to each
    assert LAYER.check(both) is None
    assert BLOCK_MARGIN > 0


class FixedHead:
    """A head that reads every vector with the same attack probability."""

    def __init__(self, probability):
        self.value = probability

    def probability(self, vector):
        return self.value


def test_a_close_exemplar_does_not_block_what_the_head_reads_as_benign():
    # A pasted invite near an injected invite of the same kind: the head, reading every exemplar, disagrees.
    layer = ExemplarShield(np.stack([ATTACK, BENIGN]), ["attack", "benign"], ["indirect_injection", "email_tasks"])
    close = toward(ATTACK, ELSEWHERE, BLOCK_SIMILARITY + 0.05)
    expected = {
        0.5: Severity.HIGH,
        NEAREST_HEAD_BLOCK: Severity.HIGH,
        NEAREST_HEAD_BLOCK - 0.01: Severity.MEDIUM,
        NEAREST_HEAD_FLAG: Severity.MEDIUM,
        NEAREST_HEAD_FLAG - 0.01: None,
    }
    for probability, severity in expected.items():
        layer.head = FixedHead(probability)
        verdict = layer.check(close)
        assert (verdict and verdict.severity) == severity, probability
    layer.head = None  # no head: the nearest exemplar decides alone
    assert layer.check(close).severity == Severity.HIGH


def test_far_from_everything_and_no_vector_pass():
    assert LAYER.check(ELSEWHERE) is None
    assert LAYER.check(None) is None


def spread(axis, dims=16):
    """Exemplars that share ``axis`` but each lean far along another direction (cosine 0.5 to the axis)."""
    eye = np.eye(dims, dtype=np.float32)
    return [0.5 * eye[axis] + 0.866 * sign * eye[k] for k in range(2, dims) for sign in (1, -1)]


def test_the_head_reads_what_the_exemplars_share_where_no_single_one_is_close():
    attacks, benign = spread(0), spread(1)
    layer = ExemplarShield(
        np.stack(attacks + benign), ["attack"] * len(attacks) + ["benign"] * len(benign),
        ["goal_hijacking"] * len(attacks) + ["everyday_tasks"] * len(benign),
    )  # fmt: skip
    common = np.eye(16, dtype=np.float32)
    verdict = layer.check(common[0])
    assert verdict.attack_similarity < FLAG_SIMILARITY  # the nearest exemplar alone would pass it
    assert verdict.attack_probability >= HEAD_FLAG and verdict.category == "prompt_injection"
    assert verdict.severity == (Severity.HIGH if verdict.attack_probability >= HEAD_BLOCK else Severity.MEDIUM)
    assert "head" in verdict.note
    assert layer.check(common[1]) is None  # what the benign exemplars share
    assert layer.check(common[5]) is None  # as near to both sides: undecided, not an attack
    without = ExemplarShield(
        np.stack(attacks + benign), ["attack"] * len(attacks) + ["benign"] * len(benign),
        ["goal_hijacking"] * len(attacks) + ["everyday_tasks"] * len(benign), head=False,
    )  # fmt: skip
    assert without.check(common[0]) is None


def test_the_exemplar_file_is_balanced_and_every_family_maps_to_a_category():
    rows = load_exemplars()
    labels = [r["label"] for r in rows]
    assert set(labels) == {"attack", "benign"}
    assert 0.6 < labels.count("attack") / labels.count("benign") < 1.5
    assert {r["family"] for r in rows if r["label"] == "attack"} <= set(FAMILY_CATEGORY)
    assert len({r["text"] for r in rows}) == len(rows)
    for line in EXEMPLARS.read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["text"].strip()
    assert EXEMPLARS_DIGEST, "the exemplars are part of the ruleset version"


def test_the_fitted_head_is_kept_on_disk_and_read_back_at_the_next_start(tmp_path):
    attacks, benign = spread(0), spread(1)
    rows = (np.stack(attacks + benign), ["attack"] * len(attacks) + ["benign"] * len(benign), ["goal_hijacking"] * 56)
    first = ExemplarShield(*rows, cache_dir=tmp_path)
    (saved,) = tmp_path.glob("shield-head-*.npy")
    again = ExemplarShield(*rows, cache_dir=tmp_path)
    assert np.array_equal(again.head.weights, first.head.weights) and again.head.bias == first.head.bias
    probe = np.eye(16, dtype=np.float32)[0]
    assert again.check(probe) == first.check(probe) == ExemplarShield(*rows).check(probe)

    np.save(saved, np.append(np.zeros(16), 9.0))  # a head that calls everything an attack: read, not refitted
    assert ExemplarShield(*rows, cache_dir=tmp_path).check(np.eye(16, dtype=np.float32)[9]).attack_probability > 0.99
    np.save(saved, np.zeros(3))  # not this head's shape: fitted again, and the file replaced
    assert ExemplarShield(*rows, cache_dir=tmp_path).check(probe) == first.check(probe)
    assert np.load(saved).shape == (17,)
    saved.write_bytes(b"not an array")
    assert ExemplarShield(*rows, cache_dir=tmp_path).check(probe) == first.check(probe)
