"""Tenant routes (custom intents): which of a tenant's named routes a request matches, if any.

A route is learned from example utterances. Examples without a route are *negatives*: things
that must match no route; they become an extra "none" class. With two classes or more, a
hybrid head (``hybrid.py``: n-grams and sentence vectors, one logistic regression), optionally
blended with nearest-neighbour votes, picks the route, and a per-route probability threshold
decides whether to accept it. The thresholds are fitted on
cross-validated predictions to maximise each route's F1, so a route learns how sure it has to
be. With a single class there is nothing to learn a boundary from: cosine similarity to the
route's nearest example must reach ``DEFAULT_SIMILARITY``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.classifier.hybrid import HybridHead

NONE = -1
DEFAULT_SIMILARITY = 0.5  # all-MiniLM: paraphrases sit around 0.5-0.8, unrelated texts below 0.2
SIMILARITY_FLOOR = 0.35  # below this cosine to every example, nothing matches, whatever the head says
FOLDS = 5
KNN_WEIGHTS = (0.0, 0.3)  # blends tried by cross-validation
# Negatives are usually few next to a route's examples, while out-of-scope requests are common in
# traffic: they weigh more in training, and no route is accepted below this confidence whatever its
# fitted threshold. Both chosen on CLINC150's validation split (never on a test split).
NEGATIVE_WEIGHT = 5.0
MIN_CONFIDENCE = 0.3


@dataclass(frozen=True)
class RouteMatch:
    route_id: int
    name: str
    score: float  # the accepted probability (or similarity, for a lone route)
    similarity: float  # cosine to the route's nearest example
    threshold: float


@dataclass(frozen=True)
class FittedThreshold:
    threshold: float
    f1: float | None  # None when there was nothing to fit on


class RouteIndex:
    def __init__(
        self,
        *,
        route_ids: list[int],
        names: list[str],
        vectors: np.ndarray,
        labels: np.ndarray,
        head: HybridHead | None,
        thresholds: list[FittedThreshold],
        knn_weight: float = 0.0,
    ):
        self.route_ids = route_ids
        self.names = names
        self.vectors = vectors
        self.labels = labels  # position in route_ids, or NONE
        self.head = head
        self.thresholds = thresholds
        self.knn_weight = knn_weight
        self._members = [np.flatnonzero(labels == position) for position in range(len(route_ids))]

    @property
    def empty(self) -> bool:
        return not self.route_ids or not (self.labels != NONE).any()

    @property
    def classes(self) -> int:
        return len(self.route_ids) + (1 if (self.labels == NONE).any() else 0)

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        probs = self.head.probabilities(texts, vectors)
        if self.knn_weight:
            targets = np.where(self.labels == NONE, len(self.route_ids), self.labels)
            probs = (1 - self.knn_weight) * probs + self.knn_weight * knn_votes(
                vectors, self.vectors, targets, self.classes
            )
        return probs

    def match(self, vector: np.ndarray, text: str) -> RouteMatch | None:
        if self.empty:
            return None
        if self.head is None:  # a lone route: similarity alone
            position = 0
            similarity = float((self.vectors[self._members[0]] @ vector).max())
            score = similarity
        else:
            probs = self.probabilities([text], vector[None, :])[0]
            position = int(probs.argmax())
            if position >= len(self.route_ids):  # the "none" class won
                return None
            similarity = float((self.vectors[self._members[position]] @ vector).max())
            score = float(probs[position])
        threshold = self.thresholds[position].threshold
        if self.head is not None:
            threshold = max(threshold, MIN_CONFIDENCE)
        if score < threshold or similarity < SIMILARITY_FLOOR:
            return None
        return RouteMatch(self.route_ids[position], self.names[position], score, similarity, threshold)


def knn_votes(
    queries: np.ndarray, vectors: np.ndarray, targets: np.ndarray, classes: int, k: int = 7, sharpness: float = 20.0
) -> np.ndarray:
    sims = queries @ vectors.T
    k = min(k, sims.shape[1])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    top_sims = np.take_along_axis(sims, top, axis=1)
    votes = np.exp((top_sims - top_sims.max(axis=1, keepdims=True)) * sharpness)
    out = np.zeros((len(queries), classes), dtype=np.float32)
    np.add.at(out, (np.arange(len(queries))[:, None], targets[top]), votes)
    return out / out.sum(axis=1, keepdims=True)


def _best_f1(scores: np.ndarray, positive: np.ndarray, predicted: np.ndarray) -> FittedThreshold:
    """The threshold on ``scores`` that maximises F1 of "predicted and above the threshold".

    Every threshold between the highest score that should be refused and the lowest one that
    should be accepted gives the same F1; the midpoint of that gap generalises best.
    """
    candidates = np.unique(np.concatenate([[0.0], scores[predicted]]))
    total_positive = int(positive.sum())
    f1s = []
    for t in candidates:
        chosen = predicted & (scores >= t)
        tp = int((chosen & positive).sum())
        fp = int((chosen & ~positive).sum())
        f1s.append(2 * tp / (2 * tp + fp + (total_positive - tp)) if total_positive else 0.0)
    f1s = np.array(f1s)
    best = float(f1s.max())
    plateau = np.flatnonzero(f1s >= best - 1e-9)
    high = float(candidates[plateau.max()])
    below = candidates[: plateau.min()]
    low = float(below.max()) if len(below) else 0.0
    return FittedThreshold((low + high) / 2, best)


def fit_route_index(
    *, route_ids: list[int], names: list[str], texts: list[str], vectors: np.ndarray, labels: np.ndarray
) -> RouteIndex:
    """Fit the route index on labelled examples (``labels``: position in ``route_ids``, or NONE).

    Cross-validated predictions choose whether nearest-neighbour votes help (they do on some
    sets, not others) and fit each route's threshold; the final head is fitted on everything.
    """
    vectors = vectors.astype(np.float32)
    n_routes = len(route_ids)
    classes = n_routes + (1 if (labels == NONE).any() else 0)
    common = {"route_ids": route_ids, "names": names, "vectors": vectors, "labels": labels}
    if n_routes == 0 or len(labels) == 0:
        return RouteIndex(**common, head=None, thresholds=[])
    if classes < 2:
        return RouteIndex(**common, head=None, thresholds=[FittedThreshold(DEFAULT_SIMILARITY, None)])
    targets = np.where(labels == NONE, n_routes, labels)
    weights = np.where(labels == NONE, NEGATIVE_WEIGHT, 1.0)
    held = _held_out(texts, vectors, targets, classes, weights)
    knn_weight = max(KNN_WEIGHTS, key=lambda w: (_blend(held, w).argmax(axis=1) == targets).mean())
    held_probs = _blend(held, knn_weight)
    predicted_class = held_probs.argmax(axis=1)
    thresholds = []
    for position in range(n_routes):
        positive = targets == position
        if positive.sum() < 2:
            thresholds.append(FittedThreshold(0.5, None))
            continue
        thresholds.append(_best_f1(held_probs[:, position], positive, predicted_class == position))
    head = HybridHead.fit(texts, vectors, targets, classes, sample_weight=weights)
    return RouteIndex(**common, head=head, thresholds=thresholds, knn_weight=knn_weight)


def _blend(held: tuple[np.ndarray, np.ndarray], weight: float) -> np.ndarray:
    head, knn = held
    return (1 - weight) * head + weight * knn


def _held_out(
    texts: list[str], vectors: np.ndarray, targets: np.ndarray, classes: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold head probabilities and nearest-neighbour votes for every example."""
    rng = np.random.default_rng(0)
    order = rng.permutation(len(targets))
    head_probs = np.full((len(targets), classes), 1.0 / classes, dtype=np.float32)
    knn = np.full((len(targets), classes), 1.0 / classes, dtype=np.float32)
    folds = min(FOLDS if len(targets) <= 5000 else 3, len(targets))
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        if len(np.unique(targets[train])) < 2:
            continue
        head = HybridHead.fit(
            [texts[i] for i in train], vectors[train], targets[train], classes, sample_weight=weights[train]
        )
        head_probs[test] = head.probabilities([texts[i] for i in test], vectors[test])
        knn[test] = knn_votes(vectors[test], vectors[train], targets[train], classes)
    return head_probs, knn


def dump_index(index: RouteIndex) -> bytes:
    """The fitted head as bytes (nothing when the index has no head)."""
    return index.head.dump() if index.head is not None else b""


def load_route_index(
    *,
    route_ids: list[int],
    names: list[str],
    vectors: np.ndarray,
    labels: np.ndarray,
    head: bytes,
    thresholds: list[dict],
    knn_weight: float = 0.0,
) -> RouteIndex:
    """Rebuild a fitted index from its stored head and the examples' stored vectors (no fitting)."""
    fitted = [FittedThreshold(t["threshold"], t.get("f1")) for t in thresholds]
    return RouteIndex(
        route_ids=route_ids,
        names=names,
        vectors=vectors.astype(np.float32),
        labels=labels,
        head=HybridHead.load(head) if head else None,
        thresholds=fitted,
        knn_weight=knn_weight,
    )
