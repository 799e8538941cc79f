"""Stage 4: the cheapest capable, healthy model, by mode, with reasons and a fallback chain."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from core.errors import ApplicationError
from routing.catalog import catalog_load
from routing.health import HealthBoard
from routing.pipeline.rules import parse_rules
from routing.pipeline.select import (
    Classified,
    RequestFacts,
    RoutingPolicy,
    estimated_cost,
    expected_quality,
    required_quality,
    select_model,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return catalog_load()


def decide(
    catalog,
    *,
    task="chat",
    complexity=0.2,
    confidence=0.95,
    probabilities=None,
    mode="auto",
    requested="auto",
    facts=None,
    health=None,
    disabled=frozenset(),
    rules=(),
):
    return select_model(
        decision_id=uuid.uuid4(),
        requested=requested,
        classified=Classified(task, complexity, confidence, probabilities or {task: confidence}),
        facts=facts or RequestFacts(prompt_tokens=50),
        policy=RoutingPolicy(mode, "gpt-4o-mini", frozenset(disabled), tuple(rules)),
        catalog=catalog,
        health=health or HealthBoard(),
    )


def test_auto_takes_the_cheapest_model_that_meets_the_bar(catalog):
    decision = decide(catalog, task="coding", complexity=0.6)
    bar = required_quality("coding", 0.6)
    chosen = decision.model
    assert expected_quality(chosen, "coding") >= bar
    facts = RequestFacts(prompt_tokens=50)
    chosen_cost = estimated_cost(chosen, facts, "coding")
    cheaper = [m for m in catalog.models() if estimated_cost(m, facts, "coding") < chosen_cost]
    assert all(expected_quality(m, "coding") < bar for m in cheaper)
    assert decision.band == "specialist" and len(decision.alternatives) == 4


def test_harder_requests_get_stronger_models(catalog):
    easy = decide(catalog, task="reasoning", complexity=0.1).model
    hard = decide(catalog, task="reasoning", complexity=0.95).model
    assert expected_quality(hard, "reasoning") > expected_quality(easy, "reasoning")


def test_quality_mode_takes_the_best_and_cost_mode_the_cheapest(catalog):
    best = decide(catalog, task="coding", mode="quality").model
    assert best.name == max(catalog.models(), key=lambda m: expected_quality(m, "coding")).name
    cheapest = decide(catalog, task="chat", mode="cost").model
    assert cheapest.name == "llama-3.1-8b"


def test_speed_mode_prefers_the_lowest_latency(catalog):
    health = HealthBoard()
    for _ in range(10):
        health.record("google", "gemini-2.0-flash", ok=True, latency_ms=40)
    assert decide(catalog, mode="speed", health=health).model.name == "gemini-2.0-flash"


def test_low_confidence_goes_to_the_tenants_default(catalog):
    decision = decide(catalog, task="coding", confidence=0.4)
    assert decision.model.name == "gpt-4o-mini" and decision.band == "low_confidence"


def test_the_category_band_meets_every_likely_type(catalog):
    decision = decide(
        catalog, task="chat", complexity=0.5, confidence=0.7, probabilities={"chat": 0.7, "reasoning": 0.25}
    )
    assert decision.band == "category"
    assert expected_quality(decision.model, "reasoning") >= required_quality("reasoning", 0.5)


def test_capabilities_and_context_windows_are_respected(catalog):
    big = decide(catalog, facts=RequestFacts(prompt_tokens=300_000))
    assert big.model.context_window >= 300_000
    vision = decide(catalog, facts=RequestFacts(prompt_tokens=50, needs_vision=True))
    assert vision.model.supports_vision
    assert all(catalog.get(name).supports_vision for name in vision.alternatives)
    tools = decide(catalog, facts=RequestFacts(prompt_tokens=50, needs_tools=True))
    assert tools.model.supports_tools and tools.model.name != "deepseek-reasoner"


def test_nothing_capable_is_a_clear_400(catalog):
    with pytest.raises(ApplicationError) as caught:
        decide(catalog, facts=RequestFacts(prompt_tokens=5_000_000))
    assert (caught.value.status, caught.value.code) == (400, "no_capable_model")


def test_disabled_models_are_never_chosen_and_explicitly_refused(catalog):
    decision = decide(catalog, mode="cost", disabled={"llama-3.1-8b"})
    assert decision.model.name != "llama-3.1-8b" and "llama-3.1-8b" not in decision.alternatives
    with pytest.raises(ApplicationError) as caught:
        decide(catalog, requested="llama-3.1-8b", disabled={"llama-3.1-8b"})
    assert (caught.value.status, caught.value.code) == (403, "model_disabled")


def test_an_open_circuit_moves_a_model_to_the_back(catalog):
    first = decide(catalog, mode="cost").model
    health = HealthBoard()
    for _ in range(5):
        health.record(first.provider_slug, first.name, ok=False, latency_ms=5, kind="status")
    decision = decide(catalog, mode="cost", health=health)
    assert decision.model.name != first.name
    assert any("circuit open" in reason for reason in decision.reasons)


def test_explicit_models_are_honoured_but_not_beyond_their_context(catalog):
    assert decide(catalog, requested="claude-opus-4").model.name == "claude-opus-4"
    with pytest.raises(ApplicationError) as caught:
        decide(catalog, requested="deepseek-chat", facts=RequestFacts(prompt_tokens=100_000))
    assert caught.value.code == "context_length_exceeded"


def test_custom_rules_apply_in_order(catalog):
    rules = parse_rules(
        [
            {"name": "vip", "when": {"end_user": "vip-*"}, "then": {"model": "claude-sonnet-4"}},
            {"when": {"task_type": ["coding"]}, "then": {"tier": "premium"}},
            {"when": {"prompt_tokens_gte": 1000}, "then": {"max_price_per_mtok": "0.2"}},
        ]
    )
    vip = decide(catalog, mode="custom", rules=rules, facts=RequestFacts(prompt_tokens=10, end_user="vip-42"))
    assert vip.model.name == "claude-sonnet-4"
    coding = decide(catalog, mode="custom", rules=rules, task="coding")
    assert coding.model.tier == "premium"
    capped = decide(catalog, mode="custom", rules=rules, facts=RequestFacts(prompt_tokens=2000))
    assert (3 * capped.model.input_price_per_mtok + capped.model.output_price_per_mtok) / 4 <= Decimal("0.2")
    plain = decide(catalog, mode="custom", rules=rules)
    assert any("no custom rule matched" in r for r in plain.reasons)


@pytest.mark.parametrize(
    "rules",
    [
        [{"then": {}}],
        [{"then": {"model": "x", "tier": "premium"}}],
        [{"when": {"task_type": ["cooking"]}, "then": {"tier": "economy"}}],
        [{"when": {"complexity_gte": 2}, "then": {"tier": "economy"}}],
        "not a list",
    ],
)
def test_bad_rules_are_a_400(rules):
    with pytest.raises(ApplicationError) as caught:
        parse_rules(rules)
    assert caught.value.status == 400 and caught.value.param == "custom_rules"
