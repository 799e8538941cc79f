"""The decision as a JSON document: the body of ``POST /api/v1/route`` (DESIGN.md contract)."""

from __future__ import annotations

from typing import Any

from finops.pricing import price
from routing.catalog import Catalog
from routing.pipeline.context import RoutingContext
from routing.pipeline.prompt import prompt_view
from routing.pipeline.select import RequestFacts, output_budget


def _money(value) -> str:
    return format(value.normalize(), "f") if value else "0"


def decision_document(ctx: RoutingContext, catalog: Catalog, *, simulated: bool) -> dict[str, Any]:
    decision, classification = ctx.decision, ctx.classification
    # The estimate the model was selected with (counting a megabyte's tokens again cost milliseconds).
    tokens = ctx.prompt_tokens if ctx.prompt_tokens is not None else prompt_view(ctx.raw or {}).prompt_tokens
    facts = RequestFacts(prompt_tokens=tokens, max_output_tokens=ctx.request.output_limit)
    estimate = {"input_tokens": tokens, "output_tokens": output_budget(facts, classification.task_type)}
    return {
        "decision_id": str(ctx.decision_id),
        "task_type": classification.task_type,
        "complexity": classification.complexity,
        "confidence": round(classification.confidence, 4),
        "tier_used": classification.tier_used,
        "probabilities": classification.probabilities,
        "model": decision.model.name,
        "provider": decision.model.provider_slug,
        "simulated": simulated,
        "mode": decision.mode,
        "band": decision.band,
        "alternatives": list(decision.alternatives),
        "reasons": list(decision.reasons),
        "signals": list(classification.signals),
        "embedding_truncated": classification.truncated,
        "estimated_tokens": estimate,
        "estimated_cost_usd": _money(price(decision.model, **estimate)),
        "baseline_cost_usd": _money(price(catalog.baseline, **estimate)),
        "cache": {"outcome": ctx.cache_outcome, "similarity": ctx.cache_similarity},
        "shield": ctx.shield.as_dict() if ctx.shield is not None else None,
    }
