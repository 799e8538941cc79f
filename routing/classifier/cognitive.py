"""Tier 3, cognitive: ask a cheap router LLM, only when the other tiers are unsure.

Off by default, on per tenant (``Policy.cognitive_enabled``), used below the tenant's threshold
(default 0.60). The first prompt asks for the task type; if the model is itself unsure (its
confidence below 0.7), a second, verification prompt asks it to choose between the router's two
best candidates. The router call goes through the provider layer like any other (the simulator
answers it offline), and its tokens are charged to the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson

from routing.classifier.taxonomy import TASK_TYPES

MARKER = "neuralrouting-router"
EXCERPT_CHARS = 1500
VERIFY_BELOW = 0.7

CLASSIFY_PROMPT = (
    f"You are a request router ({MARKER}:classify). Classify the user's request into exactly one task type "
    f"from this list: {', '.join(TASK_TYPES)}. Also rate how demanding it is from 0 (trivial) to 1 (expert "
    'work). Reply with JSON only: {"task_type": "...", "complexity": 0.0, "confidence": 0.0}'
)
VERIFY_PROMPT = (
    f"You are a request router ({MARKER}:verify). Which of these task types fits the user's request better: "
    '{candidates}? Reply with JSON only: {{"task_type": "...", "confidence": 0.0}}'
)


@dataclass(frozen=True)
class RouterAnswer:
    task_type: str | None
    complexity: float | None
    confidence: float


def classify_messages(text: str) -> list[dict]:
    return [{"role": "system", "content": CLASSIFY_PROMPT}, {"role": "user", "content": text[:EXCERPT_CHARS]}]


def verify_messages(text: str, candidates: list[str]) -> list[dict]:
    prompt = VERIFY_PROMPT.format(candidates=" or ".join(candidates))
    return [{"role": "system", "content": prompt}, {"role": "user", "content": text[:EXCERPT_CHARS]}]


_JSON_OBJECT = re.compile(r"\{[^{}]{0,2000}\}")


def parse_answer(content: str | None, allowed: tuple[str, ...] = TASK_TYPES) -> RouterAnswer:
    """Read the model's JSON (tolerating prose around it); anything unusable is "no answer"."""
    match = _JSON_OBJECT.search(content or "")
    if match is None:
        return RouterAnswer(None, None, 0.0)
    try:
        data = orjson.loads(match.group(0))
    except orjson.JSONDecodeError:
        return RouterAnswer(None, None, 0.0)
    task = str(data.get("task_type", "")).strip().lower().replace(" ", "_")
    if task not in allowed:
        return RouterAnswer(None, None, 0.0)
    complexity = _unit(data.get("complexity"))
    return RouterAnswer(task, complexity, _unit(data.get("confidence")) or 0.5)


def _unit(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return min(max(number, 0.0), 1.0)
