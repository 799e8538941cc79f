"""A small learned head in numpy: multinomial logistic regression on sentence vectors.

Full-batch Adam on the cross-entropy with L2; a few hundred steps fit the task exemplars in
milliseconds and a 10,000-example intent set in seconds. No torch, no scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class SoftmaxHead:
    weights: np.ndarray  # (dim, classes)
    bias: np.ndarray  # (classes,)
    temperature: float = 1.0

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        return vectors @ self.weights + self.bias

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return softmax(self.logits(vectors) / self.temperature)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def fit_softmax(
    vectors: np.ndarray,
    labels: np.ndarray,
    classes: int,
    *,
    l2: float = 1e-4,
    steps: int = 300,
    learning_rate: float = 0.05,
    sample_weight: np.ndarray | None = None,
    seed: int = 0,
) -> SoftmaxHead:
    """Fit ``labels`` (ints in [0, classes)) from ``vectors`` (n, dim)."""
    n, dim = vectors.shape
    rng = np.random.default_rng(seed)
    weights = rng.normal(0, 0.01, (dim, classes)).astype(np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    onehot = np.zeros((n, classes), dtype=np.float32)
    onehot[np.arange(n), labels] = 1.0
    weight = (sample_weight if sample_weight is not None else np.ones(n, dtype=np.float32)).astype(np.float32)
    weight = weight / weight.sum()
    state = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        probs = softmax(vectors @ weights + bias)
        error = (probs - onehot) * weight[:, None]
        grad_w = vectors.T @ error + l2 * weights
        grad_b = error.sum(axis=0)
        for i, (param, grad) in enumerate(((weights, grad_w), (bias, grad_b))):
            m, v = state[2 * i], state[2 * i + 1]
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            param -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return SoftmaxHead(weights=weights, bias=bias)
