"""Tier 2, semantic: the request's vector against labelled exemplars.

Two views of the same exemplars are blended: the nearest neighbours (their similarity-weighted
votes) and a softmax head trained on all of them. The blend's temperature is fitted by
cross-validation on the exemplars so that the top probability can be read as a confidence.
The same class serves the ten task types (exemplars written for this repository) and a
tenant's own routes (their example utterances).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.classifier.head import SoftmaxHead, fit_softmax, softmax

NEIGHBOURS = 7
KNN_SHARPNESS = 20.0  # votes are exp(similarity * sharpness)
KNN_WEIGHT = 0.4
TEMPERATURES = (0.5, 0.6, 0.75, 0.9, 1.0, 1.2, 1.5, 2.0)


@dataclass(frozen=True)
class SemanticPrediction:
    probabilities: np.ndarray
    best: int
    confidence: float
    neighbour_similarity: float  # cosine of the nearest exemplar
    complexity: float | None


class ExemplarIndex:
    def __init__(
        self,
        vectors: np.ndarray,
        labels: np.ndarray,
        classes: int,
        head: SoftmaxHead,
        complexity: np.ndarray | None = None,
        temperature: float = 1.0,
    ):
        self.vectors = vectors.astype(np.float32)
        self.labels = labels
        self.classes = classes
        self.head = head
        self.complexity = complexity
        self.temperature = temperature

    @classmethod
    def fit(
        cls,
        vectors: np.ndarray,
        labels: np.ndarray,
        classes: int,
        *,
        complexity: np.ndarray | None = None,
        sample_weight: np.ndarray | None = None,
        calibrate: bool = True,
        steps: int = 300,
    ) -> ExemplarIndex:
        head = fit_softmax(vectors, labels, classes, sample_weight=sample_weight, steps=steps)
        index = cls(vectors, labels, classes, head, complexity)
        if calibrate and len(labels) >= 20:
            index.temperature = _fit_temperature(vectors, labels, classes, steps=steps)
        return index

    def _blend(self, vectors: np.ndarray, exclude_self: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        sims = vectors @ self.vectors.T
        if exclude_self:
            np.fill_diagonal(sims, -1.0)
        k = min(NEIGHBOURS, sims.shape[1])
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top_sims = np.take_along_axis(sims, top, axis=1)
        votes = np.exp((top_sims - top_sims.max(axis=1, keepdims=True)) * KNN_SHARPNESS)
        knn = np.zeros((len(vectors), self.classes), dtype=np.float32)
        np.add.at(knn, (np.arange(len(vectors))[:, None], self.labels[top]), votes)
        knn /= knn.sum(axis=1, keepdims=True)
        blended = (1 - KNN_WEIGHT) * self.head.probabilities(vectors) + KNN_WEIGHT * knn
        return blended, top, top_sims

    def predict_many(self, vectors: np.ndarray) -> np.ndarray:
        blended, _, _ = self._blend(vectors)
        return _sharpen(blended, self.temperature)

    def predict(self, vector: np.ndarray) -> SemanticPrediction:
        blended, top, top_sims = self._blend(vector[None, :])
        probs = _sharpen(blended, self.temperature)[0]
        best = int(probs.argmax())
        complexity = None
        if self.complexity is not None:
            weights = np.exp((top_sims[0] - top_sims[0].max()) * KNN_SHARPNESS)
            complexity = float((self.complexity[top[0]] * weights).sum() / weights.sum())
        return SemanticPrediction(probs, best, float(probs[best]), float(top_sims[0].max()), complexity)


def _sharpen(probs: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(np.log(np.clip(probs, 1e-9, 1.0)) / temperature)


def _fit_temperature(vectors: np.ndarray, labels: np.ndarray, classes: int, *, steps: int, folds: int = 5) -> float:
    """The temperature that minimises held-out negative log-likelihood (k-fold over the exemplars)."""
    rng = np.random.default_rng(0)
    order = rng.permutation(len(labels))
    held_probs = np.zeros((len(labels), classes), dtype=np.float32)
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        head = fit_softmax(vectors[train], labels[train], classes, steps=steps)
        index = ExemplarIndex(vectors[train], labels[train], classes, head)
        held_probs[test], _, _ = index._blend(vectors[test])
    best, best_nll = 1.0, float("inf")
    for temperature in TEMPERATURES:
        probs = _sharpen(held_probs, temperature)
        nll = -float(np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-9, 1)).mean())
        if nll < best_nll:
            best, best_nll = temperature, nll
    return best
