"""Stage 2, classify: task type and complexity in tiers (reflex → semantic → cognitive).

The cognitive tier runs only when the tenant turned it on and the first two tiers are less
confident than the tenant's threshold; its cost is added to the request's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace

from routing.classifier.cognitive import VERIFY_BELOW, classify_messages, parse_answer, verify_messages
from routing.classifier.task_classifier import TaskClassifier, TaskScores
from routing.pipeline.embed import Embedded
from routing.providers.base import Usage
from tenants.selectors import PolicySnapshot

# (messages) -> (assistant content, usage) from the tenant's router model
RouterCall = Callable[[list[dict]], Awaitable[tuple[str | None, Usage]]]


@dataclass(frozen=True)
class Classification:
    task_type: str
    complexity: float
    confidence: float
    tier_used: str
    probabilities: dict[str, float]
    signals: tuple[str, ...] = ()
    truncated: bool = False
    router_usage: tuple[Usage, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "task_type": self.task_type,
            "complexity": self.complexity,
            "confidence": round(self.confidence, 4),
            "tier_used": self.tier_used,
            "probabilities": self.probabilities,
            "signals": list(self.signals),
            "embedding_truncated": self.truncated,
        }


async def classify(
    *,
    classifier: TaskClassifier,
    text: str,
    system: str,
    embedded: Embedded,
    policy: PolicySnapshot,
    router_call: RouterCall | None,
) -> Classification:
    scores = classifier.classify(text=text, system=system, vector=embedded.vector)
    result = _from_scores(scores, embedded)
    if (
        policy.cognitive_enabled
        and router_call is not None
        and result.confidence < policy.cognitive_threshold
        and text.strip()
    ):
        result = await _ask_router(result, text, router_call)
    return result


def _from_scores(scores: TaskScores, embedded: Embedded) -> Classification:
    signals = scores.signals + (("binary_paste_removed",) if embedded.binary_removed else ())
    signals += ("encoder_failed",) if embedded.failed else ()
    return Classification(
        scores.task_type,
        scores.complexity,
        scores.confidence,
        scores.tier,
        scores.probabilities,
        signals,
        embedded.truncated,
    )


async def _ask_router(result: Classification, text: str, router_call: RouterCall) -> Classification:
    content, usage = await router_call(classify_messages(text))
    answer = parse_answer(content)
    usages = (usage,)
    if answer.task_type is None:
        return replace(result, signals=(*result.signals, "router_unparseable"), router_usage=usages)
    task, confidence, tier = answer.task_type, answer.confidence, "cognitive"
    if confidence < VERIFY_BELOW:
        candidates = list(dict.fromkeys([answer.task_type, *result.probabilities]))[:2]
        content, usage = await router_call(verify_messages(text, candidates))
        usages += (usage,)
        verified = parse_answer(content, tuple(candidates))
        if verified.task_type is not None:
            task, confidence, tier = verified.task_type, max(verified.confidence, confidence), "cognitive_verified"
    complexity = answer.complexity if answer.complexity is not None else result.complexity
    return Classification(
        task,
        round(0.5 * complexity + 0.5 * result.complexity, 3),
        confidence,
        tier,
        {task: round(confidence, 4)},
        result.signals,
        result.truncated,
        usages,
    )
