"""The shield's second layer: the request's sentence vector against attack and benign exemplars.

The rules catch what has a surface pattern; fluent paraphrases ("as a novelist, have the chemist
walk the reader through the synthesis") have none. The gateway embeds the last user message once
anyway (for the semantic cache and the classifier), so comparing that vector with a few hundred
exemplars costs one small matrix product and no model call of its own.

The exemplars (``data/semantic_exemplars.jsonl``) were written for this repository, not taken
from any public benchmark: attacks by family (persona jailbreaks, fiction or pretext around a
harmful request, prompt and secret extraction, instruction override, ...) and benign near misses
that share their vocabulary (dark fiction, security education, questions about AI, password
help, ...). Two readings of the same vectors, either of which is enough:

- *nearest exemplar*: the nearest attack exemplar is close in absolute terms and clearly closer
  than the nearest benign one (catches near-copies of a written attack), unless the head puts the
  prompt clearly on the benign side (a pasted document of the same kind as an injected one);
- *head*: a logistic regression fitted on the exemplars (attack against benign) puts the prompt on
  the attack side with high probability. It weighs every exemplar at once, so it generalises past
  the written wording (fluent paraphrases, long templates whose nearest exemplar is only roughly
  alike) where one nearest neighbour does not.

Thresholds were chosen on the dev split of the shield benchmark only.

This module only does arithmetic on vectors; the encoder lives in ``routing.encoders`` and the
exemplar vectors are computed once per encoder (see :func:`build`).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from routing.shield.findings import Rule, Severity

EXEMPLARS = Path(__file__).parent / "data" / "semantic_exemplars.jsonl"
EXEMPLARS_DIGEST = hashlib.sha256(EXEMPLARS.read_bytes()).hexdigest()[:16] if EXEMPLARS.exists() else ""

BLOCK_SIMILARITY, BLOCK_MARGIN = 0.60, 0.05
FLAG_SIMILARITY, FLAG_MARGIN = 0.57, 0.04
# The head: its regularisation, and the attack probabilities that flag and block.
HEAD_C, HEAD_FLAG, HEAD_BLOCK = 4.0, 0.85, 0.98
# The least attack probability at which the nearest exemplar may still block or flag: a pasted
# document next to a question ("Meeting notes ... Summarise the main points") can sit near an
# injected document of the same kind (its topic is most of its vector) while the head, reading every
# exemplar at once, puts it clearly on the benign side (0.01-0.04).
NEAREST_HEAD_BLOCK, NEAREST_HEAD_FLAG = 0.10, 0.05

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
    attack_probability: float | None = None  # the head's, when it has one

    @property
    def note(self) -> str:
        head = "" if self.attack_probability is None else f", head {self.attack_probability:.2f}"
        return (
            f"nearest attack exemplar ({self.family}) {self.attack_similarity:.2f}, "
            f"nearest benign {self.benign_similarity:.2f}{head}"
        )


@dataclass(frozen=True)
class Head:
    """A linear attack-against-benign classifier over unit vectors."""

    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, vectors: np.ndarray, is_attack: np.ndarray) -> Head | None:
        """Fitted on the exemplars (None unless both labels are present). Deterministic (L-BFGS)."""
        if is_attack.all() or not is_attack.any():
            return None
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=HEAD_C, max_iter=3000).fit(vectors, is_attack)
        return cls(model.coef_[0].astype(np.float32), float(model.intercept_[0]))

    @classmethod
    def cached(cls, vectors: np.ndarray, is_attack: np.ndarray, cache_dir: Path | None) -> Head | None:
        """``fit``, read from ``cache_dir`` when the same vectors, labels, regularisation and scikit-learn
        were fitted before (a start then neither fits nor imports scikit-learn: ~2 s saved here)."""
        if cache_dir is None:
            return cls.fit(vectors, is_attack)
        digest = hashlib.sha256(vectors.tobytes() + is_attack.tobytes())
        digest.update(f"{HEAD_C}|{metadata.version('scikit-learn')}".encode())
        path = cache_dir / f"shield-head-{digest.hexdigest()[:16]}.npy"
        try:
            saved = np.load(path)
            if saved.shape == (vectors.shape[1] + 1,):
                return cls(saved[:-1].astype(np.float32), float(saved[-1]))
        except (OSError, ValueError, EOFError):
            pass  # none yet, or unreadable: fitted again
        head = cls.fit(vectors, is_attack)
        if head is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                temporary = path.with_suffix(f".{os.getpid()}.npy")
                np.save(temporary, np.append(head.weights.astype(np.float64), head.bias))
                temporary.replace(path)
            except OSError:
                pass  # a read-only disk: fitted at every start
        return head

    def probability(self, unit_vector: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(self.weights @ unit_vector) + self.bias))))


def load_exemplars(path: Path = EXEMPLARS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class ExemplarShield:
    """Attack and benign exemplar vectors (unit length), and the verdict for one request vector."""

    def __init__(
        self,
        vectors: np.ndarray,
        labels: list[str],
        families: list[str],
        *,
        head: bool = True,
        cache_dir: Path | None = None,
    ):
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        attack = np.array([label == "attack" for label in labels])
        self.attacks = vectors[attack]
        self.benign = vectors[~attack]
        self.families = [f for f, is_attack in zip(families, attack, strict=True) if is_attack]
        self.head = Head.cached(vectors, attack, cache_dir) if head else None

    def _similarities(self, vector: np.ndarray) -> tuple[float, float, str]:
        """(nearest attack similarity, nearest benign similarity, nearest attack family) of a unit vector."""
        attack = self.attacks @ vector
        best = int(attack.argmax())
        benign = float((self.benign @ vector).max()) if len(self.benign) else 0.0
        return float(attack[best]), benign, self.families[best]

    def check(self, vector: np.ndarray | None) -> Verdict | None:
        """A verdict when ``vector`` reads like an attack, else None."""
        if vector is None or not len(self.attacks):
            return None
        vector = _unit(vector)
        attack, benign, family = self._similarities(vector)
        margin = attack - benign
        probability = self.head.probability(vector) if self.head is not None else None
        head = probability if probability is not None else 0.0
        # Without a head the nearest exemplar decides alone.
        unopposed = 1.0 if probability is None else head
        if (attack >= BLOCK_SIMILARITY and margin >= BLOCK_MARGIN and unopposed >= NEAREST_HEAD_BLOCK) or (
            head >= HEAD_BLOCK
        ):
            severity = Severity.HIGH
        elif (attack >= FLAG_SIMILARITY and margin >= FLAG_MARGIN and unopposed >= NEAREST_HEAD_FLAG) or (
            head >= HEAD_FLAG
        ):
            severity = Severity.MEDIUM
        else:
            return None
        category = FAMILY_CATEGORY.get(family, "jailbreak")
        return Verdict(CATEGORY_RULE[category], category, severity, family, attack, benign, probability)


def _unit(vector: np.ndarray) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32)
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def build(encoder, *, cache_dir: Path | None = None) -> ExemplarShield | None:
    """The exemplar shield for ``encoder`` (None without an encoder or exemplars)."""
    if encoder is None or not EXEMPLARS.exists():
        return None
    from routing.encoders.exemplars import exemplar_vectors

    rows = load_exemplars()
    # Each alone, as the gateway embeds a request: no exemplar's vector depends on its neighbours in the file.
    vectors = exemplar_vectors(encoder, [r["text"] for r in rows], cache_dir, prefix="shield-exemplars", batch=1)
    return ExemplarShield(vectors, [r["label"] for r in rows], [r["family"] for r in rows], cache_dir=cache_dir)
