"""The shield's second layer: the request's sentence vector against attack and benign exemplars.

The rules catch what has a surface pattern; fluent paraphrases ("as a novelist, have the chemist
walk the reader through the synthesis") have none. The gateway embeds the last user message once
anyway (for the semantic cache and the classifier), so comparing that vector with a few hundred
exemplars costs one small matrix product and no model call of its own.

The exemplars (``data/semantic_exemplars.jsonl``) were written for this repository, not taken
from any public benchmark: attacks by family (persona jailbreaks, fiction or pretext around a
harmful request, prompt and secret extraction, instruction override, ...) and benign near misses
that share their vocabulary (dark fiction, security education, questions about AI, password
help, ...). A prompt is an attack when its nearest attack exemplar is close in absolute terms and
clearly closer than its nearest benign exemplar. Thresholds were chosen on the dev split only.

This module only does arithmetic on vectors; the encoder lives in ``routing.encoders`` and the
exemplar vectors are computed once per encoder (see :func:`build`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routing.shield.findings import Rule, Severity

EXEMPLARS = Path(__file__).parent / "data" / "semantic_exemplars.jsonl"
EXEMPLARS_DIGEST = hashlib.sha256(EXEMPLARS.read_bytes()).hexdigest()[:16] if EXEMPLARS.exists() else ""

BLOCK_SIMILARITY, BLOCK_MARGIN = 0.60, 0.05
FLAG_SIMILARITY, FLAG_MARGIN = 0.57, 0.04

FAMILY_CATEGORY = {
    "persona_jailbreak": "jailbreak",
    "fiction_harm": "jailbreak",
    "pretext_harm": "jailbreak",
    "emotional_manipulation": "jailbreak",
    "authority_claim": "jailbreak",
    "refusal_suppression": "jailbreak",
    "instruction_override": "prompt_injection",
    "goal_hijacking": "prompt_injection",
    "indirect_injection": "prompt_injection",
    "prompt_extraction": "prompt_extraction",
    "secret_extraction": "prompt_extraction",
    "obfuscated_request": "token_smuggling",
}
CATEGORY_RULE = {
    "jailbreak": "jailbreak.semantic",
    "prompt_injection": "injection.semantic",
    "prompt_extraction": "extraction.semantic",
    "token_smuggling": "smuggling.semantic",
}
_WHAT = {
    "jailbreak": "a jailbreak",
    "prompt_injection": "a prompt injection",
    "prompt_extraction": "a system-prompt or secret extraction",
    "token_smuggling": "an obfuscated request",
}
RULES = tuple(
    Rule(rule, category, Severity.HIGH, f"Reads like {_WHAT[category]} (nearest written exemplars, by meaning).")
    for category, rule in CATEGORY_RULE.items()
)


@dataclass(frozen=True)
class Verdict:
    rule: str
    category: str
    severity: Severity
    family: str  # the nearest attack exemplar's family
    attack_similarity: float
    benign_similarity: float

    @property
    def note(self) -> str:
        return (
            f"nearest attack exemplar ({self.family}) {self.attack_similarity:.2f}, "
            f"nearest benign {self.benign_similarity:.2f}"
        )


def load_exemplars(path: Path = EXEMPLARS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class ExemplarShield:
    """Attack and benign exemplar vectors (unit length), and the verdict for one request vector."""

    def __init__(self, vectors: np.ndarray, labels: list[str], families: list[str]):
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        attack = np.array([label == "attack" for label in labels])
        self.attacks = vectors[attack]
        self.benign = vectors[~attack]
        self.families = [f for f, is_attack in zip(families, attack, strict=True) if is_attack]

    def similarities(self, vector: np.ndarray) -> tuple[float, float, str]:
        """(nearest attack similarity, nearest benign similarity, nearest attack family)."""
        vector = np.asarray(vector, dtype=np.float32)
        vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        attack = self.attacks @ vector
        best = int(attack.argmax())
        benign = float((self.benign @ vector).max()) if len(self.benign) else 0.0
        return float(attack[best]), benign, self.families[best]

    def check(self, vector: np.ndarray | None) -> Verdict | None:
        """A verdict when ``vector`` reads like an attack, else None."""
        if vector is None or not len(self.attacks):
            return None
        attack, benign, family = self.similarities(vector)
        margin = attack - benign
        if attack >= BLOCK_SIMILARITY and margin >= BLOCK_MARGIN:
            severity = Severity.HIGH
        elif attack >= FLAG_SIMILARITY and margin >= FLAG_MARGIN:
            severity = Severity.MEDIUM
        else:
            return None
        category = FAMILY_CATEGORY.get(family, "jailbreak")
        return Verdict(CATEGORY_RULE[category], category, severity, family, attack, benign)


def build(encoder, *, cache_dir: Path | None = None) -> ExemplarShield | None:
    """The exemplar shield for ``encoder`` (None without an encoder or exemplars)."""
    if encoder is None or not EXEMPLARS.exists():
        return None
    from routing.encoders.exemplars import exemplar_vectors

    rows = load_exemplars()
    vectors = exemplar_vectors(encoder, [r["text"] for r in rows], cache_dir, prefix="shield-exemplars")
    return ExemplarShield(vectors, [r["label"] for r in rows], [r["family"] for r in rows])
