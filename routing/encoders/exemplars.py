"""Vectors of a fixed list of exemplar texts, computed once per encoder and kept on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from routing.encoders.base import Encoder

BATCH = 32


def exemplar_vectors(
    encoder: Encoder, texts: list[str], cache_dir: Path | None, *, prefix: str, batch: int = BATCH
) -> np.ndarray:
    """``encoder``'s vectors of ``texts``, read from ``cache_dir`` when the same texts were embedded
    by the same encoder before (a few seconds saved at every start).

    ``batch=1`` embeds each text alone: the int8 encoder quantises its activations per batch, so a
    text's vector moves a little with its batch-mates (adding one line to a list would move every
    vector after it); alone, each vector depends on its own text only."""
    key = "\n".join(texts) + encoder.name + ("" if batch == BATCH else f"|batch={batch}")
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    cached = cache_dir / f"{prefix}-{digest}.npy" if cache_dir else None
    if cached is not None and cached.exists():
        return np.load(cached)
    vectors = np.concatenate([encoder.embed(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.save(cached, vectors)
    return vectors
