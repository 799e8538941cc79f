"""The shield's exemplar-vector layer in the shield benchmark: each user prompt embedded the way the
gateway embeds it (binary runs removed, the encoder's character limit), vectors kept on disk
under var/bench (by text) so a re-run does not embed twenty thousand prompts again. Each prompt is
embedded alone, as in the gateway."""

from __future__ import annotations

import hashlib

import numpy as np

from benchmarks.common import ROOT, Progress, django_setup

# One prompt per call, as the gateway embeds them: the int8 encoder's vectors shift a little with
# what else is in a batch (cosine ~0.98 to the same text embedded alone).
BATCH = 1
STORE = ROOT / "var" / "bench" / "shield-vectors-single.npz"


def _encoder():
    django_setup()
    from django.conf import settings

    from routing.encoders import shared_encoder
    from routing.shield import semantic

    encoder = shared_encoder()
    return encoder, semantic.build(encoder, cache_dir=settings.VAR_DIR / "models")


def _embeddable(text: str) -> str:
    """What the gateway embeds: personal data and secrets already replaced by placeholders (the
    default policy), binary runs removed, cut at the encoder's limit."""
    from routing.classifier.reflex import strip_binary
    from routing.encoders.fastembed_encoder import MAX_CHARS
    from routing.shield import redact, scan

    return strip_binary(redact(text, scan(text).findings))[0].strip()[:MAX_CHARS]


def _key(encoder, text: str) -> str:
    return hashlib.sha256(f"{encoder.name}\x1e{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _vectors(encoder, texts: list[str], label: str) -> np.ndarray:
    """Vectors of ``texts``, from the store where an earlier run embedded the same text."""
    stored: dict[str, np.ndarray] = {}
    if STORE.exists():
        with np.load(STORE) as saved:
            stored = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
    keys = [_key(encoder, text) for text in texts]
    missing = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in stored})
    if missing:
        progress = Progress(len(missing), f"embedding {label}")
        for i in range(0, len(missing), BATCH):
            batch = missing[i : i + BATCH]
            embedded = encoder.embed([t.encode("utf-8", "replace").decode() or " " for _, t in batch])
            stored.update(zip([k for k, _ in batch], embedded, strict=True))
            progress.step(len(batch))
        STORE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(STORE, keys=np.array(list(stored)), vectors=np.stack(list(stored.values())))
    return np.stack([stored[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


def verdicts(sets: dict[str, list[tuple[str, str]]], label: str) -> dict[str, list] | None:
    """Per set, the layer's verdict for each sample (None: no finding, or a tool message, which the
    gateway does not embed). None when the encoder or the exemplars are missing."""
    encoder, layer = _encoder()
    if layer is None:
        return None
    wanted = [(name, i, _embeddable(text)) for name, samples in sets.items() for i, (role, text) in enumerate(samples)]
    wanted = [(name, i, text) for name, i, text in wanted if text and sets[name][i][0] == "user"]
    vectors = _vectors(encoder, [text for _, _, text in wanted], label)
    out = {name: [None] * len(samples) for name, samples in sets.items()}
    for (name, i, _), vector in zip(wanted, vectors, strict=True):
        out[name][i] = layer.check(vector)
    return out
