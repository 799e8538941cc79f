"""The process-wide encoder and task classifier, loaded once and shared by every request."""

from __future__ import annotations

import functools
import logging

logger = logging.getLogger(__name__)


@functools.cache
def shared_encoder():
    """The configured encoder, or ``None`` if it cannot load (routing then runs on the reflex tier
    alone, and /readyz says so)."""
    from django.conf import settings

    from routing.encoders.fastembed_encoder import FastEmbedEncoder, resolve_model_folder

    try:
        if settings.NR_EMBEDDING_MODEL:
            return FastEmbedEncoder(model_name=settings.NR_EMBEDDING_MODEL)
        folder = resolve_model_folder(
            var_dir=settings.VAR_DIR,
            model_dir=settings.NR_EMBEDDING_MODEL_DIR,
            quantization=settings.NR_EMBEDDING_QUANTIZATION,
        )
        return FastEmbedEncoder(folder=folder)
    except Exception:
        logger.exception("the embedding model could not be loaded; classification falls back to rules")
        return None


@functools.cache
def shared_shield_vectors():
    """The shield's vector layer for the shared encoder (``None`` without one)."""
    from django.conf import settings

    from routing.shield import semantic

    try:
        return semantic.build(shared_encoder(), cache_dir=settings.VAR_DIR / "models")
    except Exception:
        logger.exception("the shield's exemplar vectors could not be built; the rules run alone")
        return None


@functools.cache
def shared_task_classifier():
    from django.conf import settings

    from routing.classifier.task_classifier import TaskClassifier

    return TaskClassifier.build(shared_encoder(), cache_dir=settings.VAR_DIR / "models")
