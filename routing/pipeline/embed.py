"""Stage "embed": the request's text to one vector, computed once and shared by the semantic
cache and the classifier. Micro-batched across concurrent requests, off the event loop."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from routing.classifier.reflex import strip_binary
from routing.encoders.batcher import EmbeddingBatcher
from routing.encoders.fastembed_encoder import MAX_CHARS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Embedded:
    vector: np.ndarray | None
    truncated: bool  # the text was longer than what the encoder reads
    binary_removed: bool  # base64/binary runs were left out
    failed: bool = False  # the encoder raised: routing goes on with the rules alone
    text: str = ""  # what was embedded


async def embed_prompt(batcher: EmbeddingBatcher | None, text: str) -> Embedded:
    if batcher is None or not text.strip():
        return Embedded(None, False, False)
    cleaned, binary = strip_binary(text)
    cleaned = cleaned.strip()
    if not cleaned:
        return Embedded(None, False, binary)
    try:
        vector = await batcher.embed(cleaned[:MAX_CHARS])
    except Exception:
        logger.exception("embedding failed; classifying with the rules alone")
        return Embedded(None, False, binary, failed=True)
    return Embedded(vector, len(cleaned) > MAX_CHARS, binary, text=cleaned[:MAX_CHARS])
