"""Stage 4, select: the cheapest capable, healthy model for the request, by the tenant's mode.

- Capable: context window (prompt tokens + the answer's budget), tools, JSON mode, images,
  not disabled by the tenant. Explicit ``model`` names are honoured as overrides.
- Confidence bands on the classification: ≥ 0.85 choose for the predicted task type (specialist);
  ≥ 0.60 choose for every likely type at once (the category) with a fallback; below, the
  tenant's default model.
- Modes: ``auto`` the cheapest model whose expected quality for the task meets a bar that rises
  with complexity; ``cost`` the cheapest capable model above a quality floor; ``speed`` the lowest
  recent p95 latency; ``quality`` the best expected quality; ``custom`` the tenant's ordered rules.
- Open circuit breakers push a model to the back of the line, never out of it.
Every decision carries its reasons and the ranked alternatives (the fallback chain).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from core.errors import ApplicationError
from routing.catalog import Catalog, CatalogModel
from routing.health import HealthBoard
from routing.pipeline.context import Decision
from routing.pipeline.rules import Rule, Then, matches

AUTO = "auto"
SPECIALIST_CONFIDENCE = 0.85
CATEGORY_CONFIDENCE = 0.60
QUALITY_FLOOR = 0.55
ALTERNATIVES = 4
DEFAULT_QUALITY = 0.7
EXPECTED_OUTPUT_TOKENS = {
    "coding": 500,
    "reasoning": 400,
    "summarization": 200,
    "extraction": 150,
    "classification": 20,
    "creative_writing": 450,
    "brainstorming": 350,
    "translation": 250,
    "question_answering": 250,
    "chat": 80,
}
_PER_MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class RequestFacts:
    prompt_tokens: int
    max_output_tokens: int | None = None
    needs_tools: bool = False
    needs_json: bool = False
    needs_vision: bool = False
    end_user: str = ""
    api_key_prefix: str = ""
    route: str | None = None


@dataclass(frozen=True)
class Classified:
    task_type: str
    complexity: float
    confidence: float
    probabilities: dict[str, float]


@dataclass(frozen=True)
class RouteTarget:
    """A matched tenant route and where it sends the request (one of model, tier, mode)."""

    name: str
    score: float
    threshold: float
    model: str = ""
    tier: str = ""
    mode: str = ""


@dataclass(frozen=True)
class RoutingPolicy:
    mode: str
    default_model: str
    disabled_models: frozenset[str] = frozenset()
    rules: tuple[Rule, ...] = ()


def required_quality(task_type: str, complexity: float) -> float:
    """The bar a model's expected quality must meet: from 0.55 for trivial requests up to 0.90."""
    bump = 0.03 if task_type in ("coding", "reasoning") else 0.0
    return min(0.55 + 0.35 * complexity + bump, 0.93)


def expected_quality(model: CatalogModel, task_type: str) -> float:
    return float(model.quality.get(task_type, DEFAULT_QUALITY)) if model.quality else DEFAULT_QUALITY


def output_budget(facts: RequestFacts, task_type: str) -> int:
    return facts.max_output_tokens or EXPECTED_OUTPUT_TOKENS.get(task_type, 250)


def estimated_cost(model: CatalogModel, facts: RequestFacts, task_type: str) -> Decimal:
    tokens_out = output_budget(facts, task_type)
    return (
        Decimal(facts.prompt_tokens) * model.input_price_per_mtok + Decimal(tokens_out) * model.output_price_per_mtok
    ) / _PER_MILLION


def blended_price(model: CatalogModel) -> Decimal:
    """Price per 1M tokens at a typical 3:1 input:output mix."""
    return (3 * model.input_price_per_mtok + model.output_price_per_mtok) / 4


def incapable_because(model: CatalogModel, facts: RequestFacts, task_type: str) -> str | None:
    if facts.prompt_tokens + min(output_budget(facts, task_type), model.max_output_tokens) > model.context_window:
        return "context window too small"
    if facts.needs_tools and not model.supports_tools:
        return "no tool calling"
    if facts.needs_json and not model.supports_json:
        return "no JSON mode"
    if facts.needs_vision and not model.supports_vision:
        return "no image input"
    return None


def _latency_ms(model: CatalogModel, facts: RequestFacts, task_type: str, health: HealthBoard) -> float:
    observed = health.p95_ms(model.provider_slug, model.name)
    if observed is not None:
        return observed
    return model.ttft_ms + output_budget(facts, task_type) * 1000 / max(model.output_tokens_per_second, 1)


def _requirements(classified: Classified) -> tuple[dict[str, float], str]:
    """The quality each task type needs: the predicted one (specialist), or every likely one (category)."""
    if classified.confidence >= SPECIALIST_CONFIDENCE:
        return {classified.task_type: required_quality(classified.task_type, classified.complexity)}, "specialist"
    likely = {t for t, p in classified.probabilities.items() if p >= 0.15} | {classified.task_type}
    return {t: required_quality(t, classified.complexity) for t in likely}, "category"


def _rank(
    models: list[CatalogModel],
    *,
    mode: str,
    classified: Classified,
    facts: RequestFacts,
    health: HealthBoard,
    needs: dict[str, float],
) -> tuple[list[CatalogModel], str]:
    task = classified.task_type

    def cost(m):
        return estimated_cost(m, facts, task)

    def quality(m):
        return min(expected_quality(m, t) for t in needs)

    def meets(m):
        return all(expected_quality(m, t) >= bar for t, bar in needs.items())

    if mode == "quality":
        return sorted(models, key=lambda m: (-quality(m), cost(m))), "highest expected quality"
    if mode == "speed":
        fast = sorted(models, key=lambda m: (quality(m) < QUALITY_FLOOR, _latency_ms(m, facts, task, health)))
        return fast, "lowest p95 latency"
    if mode == "cost":
        cheap = sorted(models, key=lambda m: (quality(m) < QUALITY_FLOOR, cost(m)))
        return cheap, f"cheapest above the quality floor {QUALITY_FLOOR:.2f}"
    meeting = sorted((m for m in models if meets(m)), key=cost)
    rest = sorted((m for m in models if not meets(m)), key=lambda m: (-quality(m), cost(m)))
    wanted = ", ".join(f"{t} ≥ {b:.2f}" for t, b in sorted(needs.items()))
    why = f"cheapest with expected quality {wanted}" if meeting else f"none reaches {wanted}: best quality"
    return meeting + rest, why


def _apply_rule(rule: Rule, models: list[CatalogModel], catalog: Catalog) -> tuple[list[CatalogModel], str]:
    action = rule.then
    label = (
        rule.name if rule.name.startswith("route ") else (f"custom rule {rule.name!r}" if rule.name else "custom rule")
    )
    if action.model:
        chosen = [m for m in models if m.name == action.model]
        if chosen:
            return chosen + [m for m in models if m.name != action.model], f"{label} → {action.model}"
        return models, f"{label} → {action.model} (not capable or disabled; routed by auto)"
    if action.tier:
        in_tier = [m for m in models if m.tier == action.tier]
        return in_tier + [m for m in models if m.tier != action.tier], f"{label} → tier {action.tier}"
    capped = [m for m in models if blended_price(m) <= action.max_price_per_mtok]
    rest = [m for m in models if blended_price(m) > action.max_price_per_mtok]
    return capped + rest, f"{label} → price ≤ ${action.max_price_per_mtok}/1M tokens"


def select_model(
    *,
    decision_id: uuid.UUID,
    requested: str,
    classified: Classified,
    facts: RequestFacts,
    policy: RoutingPolicy,
    catalog: Catalog,
    health: HealthBoard,
    route: RouteTarget | None = None,
) -> Decision:
    requested = (requested or AUTO).strip()
    if requested.lower() != AUTO:
        return _explicit(decision_id, requested, facts, policy, catalog, classified)

    reasons: list[str] = [
        f"task {classified.task_type} (confidence {classified.confidence:.2f}, complexity {classified.complexity:.2f})"
    ]
    candidates = [
        m
        for m in catalog.models()
        if m.name not in policy.disabled_models and incapable_because(m, facts, classified.task_type) is None
    ]
    if not candidates:
        raise ApplicationError(
            "No enabled model can serve this request (context length, tools, JSON or image input).",
            status=400,
            code="no_capable_model",
        )
    needs, band = _requirements(classified)
    mode = policy.mode if policy.mode in ("auto", "cost", "speed", "quality", "custom") else "auto"
    if route is not None:
        reasons.append(f"route {route.name!r} matched (score {route.score:.2f} ≥ {route.threshold:.2f})")
        mode = route.mode or mode
    ranked, why = _rank(
        candidates,
        mode="auto" if mode == "custom" else mode,
        classified=classified,
        facts=facts,
        health=health,
        needs=needs,
    )
    rule = None
    if mode == "custom":
        rule = next(
            (
                r
                for r in policy.rules
                if matches(
                    r,
                    task_type=classified.task_type,
                    complexity=classified.complexity,
                    end_user=facts.end_user,
                    api_key_prefix=facts.api_key_prefix,
                    prompt_tokens=facts.prompt_tokens,
                    route=route.name if route else None,
                )
            ),
            None,
        )
    if rule is not None:
        ranked, why = _apply_rule(rule, ranked, catalog)
    elif route is not None and (route.model or route.tier):
        action = Then(model=route.model or None, tier=route.tier or None)
        ranked, why = _apply_rule(Rule(name=f"route {route.name}", then=action), ranked, catalog)
        band = "route"
    elif mode == "custom":
        why = f"no custom rule matched; {why}"
    elif route is None and classified.confidence < CATEGORY_CONFIDENCE:
        band = "low_confidence"
        default = next((m for m in ranked if m.name == policy.default_model), None)
        if default is not None:
            ranked = [default] + [m for m in ranked if m is not default]
            why = f"confidence below {CATEGORY_CONFIDENCE:.2f}: the tenant's default model"
    reasons.append(f"band {band}" if mode != "custom" else "mode custom")
    reasons.append(f"mode {mode}: {why}")

    healthy: list[CatalogModel] = []
    unhealthy: list[CatalogModel] = []
    for m in ranked:  # one pass (``m not in healthy`` compared every field of every model)
        (unhealthy if health.state(m.provider_slug, m.name) == "open" else healthy).append(m)
    if unhealthy and healthy and unhealthy[0] is ranked[0]:
        reasons.append(f"{ranked[0].name} skipped: its provider is failing (circuit open)")
    ordered = healthy + unhealthy
    return Decision(
        decision_id=decision_id,
        model=ordered[0],
        mode=mode,
        reasons=tuple(reasons),
        alternatives=tuple(m.name for m in ordered[1 : 1 + ALTERNATIVES]),
        band=band,
        fallbacks=tuple(ordered[1 : 1 + ALTERNATIVES]),
    )


def _explicit(
    decision_id, requested: str, facts: RequestFacts, policy: RoutingPolicy, catalog: Catalog, classified: Classified
) -> Decision:
    model = catalog.get(requested)
    if model is None and "/" in requested:
        provider, _, name = requested.partition("/")
        candidate = catalog.get(name)
        if candidate is not None and candidate.provider_slug == provider:
            model = candidate
    if model is None:
        raise ApplicationError(
            f"The model '{requested[:100]}' does not exist or is not enabled. GET /v1/models lists the models "
            "you can use, or send model 'auto'.",
            status=404,
            code="model_not_found",
            param="model",
        )
    if model.name in policy.disabled_models:
        raise ApplicationError(
            f"The model '{model.name}' is disabled for this account.", status=403, code="model_disabled", param="model"
        )
    if facts.prompt_tokens > model.context_window:
        raise ApplicationError(
            f"This request has about {facts.prompt_tokens:,} prompt tokens; {model.name} accepts "
            f"{model.context_window:,}.",
            status=400,
            code="context_length_exceeded",
            param="messages",
        )
    return Decision(
        decision_id=decision_id,
        model=model,
        mode="explicit",
        reasons=(
            f"explicit model override: {model.name}",
            f"task {classified.task_type} (confidence {classified.confidence:.2f})",
        ),
        band="explicit",
    )
