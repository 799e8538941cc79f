"""Task type and complexity from the reflex rules and the exemplar index, combined.

The exemplars (``data/task_exemplars.jsonl``) were written for this repository, not taken from
any public benchmark; the public sets in ../shared/data are only used to measure this.
Their vectors are computed once per encoder and kept in ``var/models`` (a few seconds saved at
every start).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from routing.classifier.complexity import heuristic_complexity
from routing.classifier.reflex import ReflexVerdict, reflex, strip_binary
from routing.classifier.semantic import ExemplarIndex
from routing.classifier.taxonomy import INDEX, TASK_TYPES
from routing.encoders.base import Encoder
from routing.encoders.exemplars import exemplar_vectors

logger = logging.getLogger(__name__)

EXEMPLARS = Path(__file__).parent / "data" / "task_exemplars.jsonl"
HINT_WEIGHT = 1.5  # a reflex hint of 1.0 multiplies that type's probability by 2.5 before renormalising


@dataclass(frozen=True)
class TaskScores:
    task_type: str
    confidence: float
    complexity: float
    tier: str  # "reflex" or "semantic"
    probabilities: dict[str, float]
    signals: tuple[str, ...]


def load_exemplars(path: Path = EXEMPLARS) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class TaskClassifier:
    def __init__(self, index: ExemplarIndex | None):
        self.index = index

    @classmethod
    def build(
        cls, encoder: Encoder | None, *, cache_dir: Path | None = None, extra: list[tuple[str, str, float]] = ()
    ) -> TaskClassifier:
        """Fit the index on the exemplars plus ``extra`` (text, task type, complexity) examples."""
        if encoder is None:
            return cls(None)
        rows = load_exemplars() + [{"text": t, "task": k, "complexity": c} for t, k, c in extra]
        texts = [row["text"] for row in rows]
        vectors = exemplar_vectors(encoder, texts, cache_dir, prefix="task-exemplars")
        labels = np.array([INDEX[row["task"]] for row in rows])
        complexity = np.array([row["complexity"] for row in rows], dtype=np.float32)
        return cls(ExemplarIndex.fit(vectors, labels, len(TASK_TYPES), complexity=complexity))

    @staticmethod
    def embeddable_text(text: str) -> tuple[str, bool]:
        """What the encoder should read: binary pastes removed (``True`` when something was removed)."""
        return strip_binary(text)

    def classify(self, *, text: str, system: str = "", vector: np.ndarray | None = None) -> TaskScores:
        verdict = reflex(text, system=system)
        if verdict.task_type is not None:
            return self._from_reflex(verdict, text, vector)
        if self.index is None or vector is None:
            return self._hints_only(verdict, text)
        prediction = self.index.predict(vector)
        probs = prediction.probabilities.copy()
        for task, weight in verdict.hints.items():
            probs[INDEX[task]] *= 1.0 + HINT_WEIGHT * weight
        probs /= probs.sum()
        best = int(probs.argmax())
        task = TASK_TYPES[best]
        complexity = _blend_complexity(prediction.complexity, heuristic_complexity(text, task))
        return TaskScores(task, float(probs[best]), complexity, "semantic", _top(probs), verdict.signals)

    def _from_reflex(self, verdict: ReflexVerdict, text: str, vector: np.ndarray | None) -> TaskScores:
        semantic_complexity = None
        if self.index is not None and vector is not None:
            semantic_complexity = self.index.predict(vector).complexity
        complexity = _blend_complexity(semantic_complexity, heuristic_complexity(text, verdict.task_type))
        return TaskScores(
            verdict.task_type,
            verdict.confidence,
            complexity,
            "reflex",
            {verdict.task_type: verdict.confidence},
            verdict.signals,
        )

    @staticmethod
    def _hints_only(verdict: ReflexVerdict, text: str) -> TaskScores:
        """No vector (empty prompt, or no encoder): the strongest hint, with a low confidence."""
        if verdict.hints:
            task, weight = max(verdict.hints.items(), key=lambda item: item[1])
            confidence = 0.35 + 0.25 * weight
        else:
            task, confidence = "chat", 0.2
        return TaskScores(
            task, confidence, heuristic_complexity(text, task), "reflex", {task: confidence}, verdict.signals
        )


def _blend_complexity(semantic: float | None, heuristic: float) -> float:
    value = heuristic if semantic is None else 0.5 * semantic + 0.5 * heuristic
    return round(min(max(value, 0.0), 1.0), 3)


def _top(probs: np.ndarray, k: int = 3) -> dict[str, float]:
    order = np.argsort(-probs)[:k]
    return {TASK_TYPES[i]: round(float(probs[i]), 4) for i in order}
