"""Stage "embed": the request's text to one vector, computed once and shared by the semantic
cache and the classifier. Micro-batched across concurrent requests, off the event loop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.classifier.reflex import strip_binary
from routing.encoders.batcher import EmbeddingBatcher
from routing.encoders.fastembed_encoder import MAX_CHARS


@dataclass(frozen=True)
class Embedded:
    vector: np.ndarray | None
    truncated: bool  # the text was longer than what the encoder reads
    binary_removed: bool  # base64/binary runs were left out


async def embed_prompt(batcher: EmbeddingBatcher | None, text: str) -> Embedded:
    if batcher is None or not text.strip():
        return Embedded(None, False, False)
    cleaned, binary = strip_binary(text)
    cleaned = cleaned.strip()
    if not cleaned:
        return Embedded(None, False, binary)
    return Embedded(await batcher.embed(cleaned[:MAX_CHARS]), len(cleaned) > MAX_CHARS, binary)
