"""Whole-array steps over a boolean mask with one entry per character of a text (numpy)."""

from __future__ import annotations

import numpy as np


def before(mask: np.ndarray) -> np.ndarray:
    """Whether the character before each one is in ``mask`` (False for the first)."""
    shifted = np.zeros_like(mask)
    shifted[1:] = mask[:-1]
    return shifted


def after(mask: np.ndarray, by: int = 1) -> np.ndarray:
    """Whether the character ``by`` after each one is in ``mask`` (False past the end)."""
    shifted = np.zeros_like(mask)
    if len(mask) > by:
        shifted[: len(mask) - by] = mask[by:]
    return shifted


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the maximal runs of True in ``mask``, in order."""
    return np.flatnonzero(mask & ~before(mask)), np.flatnonzero(mask & ~after(mask)) + 1
