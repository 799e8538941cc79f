"""Provider outages: the same request moves on to the next candidate, silently, within its deadline."""

from __future__ import annotations

import pytest

from finops.models import RequestRecord
from finops.pricing import price
from routing.catalog import catalog_load
from tenants.services import policy_update, provider_credential_set

BODY = {"model": "auto", "messages": [{"role": "user", "content": "hello there, tell me about tea"}]}


@pytest.fixture
def openai_first(tenant, upstream):
    """Route the tenant's traffic to gpt-4o-mini first (a custom rule), served by the fake provider."""
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key="sk-x", base_url=upstream.base_url)
    policy_update(tenant=tenant, mode="custom", custom_rules=[{"when": {}, "then": {"model": "gpt-4o-mini"}}])
    return upstream


def only_row(tenant):
    [row] = RequestRecord.objects.for_tenant(tenant)
    return row


def test_a_failing_provider_is_replaced_by_the_next_candidate(gateway, tenant, api_key, openai_first):
    openai_first.behaviour = "status:503"
    response = gateway.chat(api_key.key, BODY)

    assert response.status_code == 200, response.text
    served = response.headers["x-neuralrouting-model"]
    assert served != "gpt-4o-mini"
    row = only_row(tenant)
    assert row.status == "ok" and row.attempts == 2 and row.model_name == served
    assert row.decision["attempts"][0] == {
        "model": "gpt-4o-mini",
        "provider": "openai",
        "error": "upstream_error",
        "ms": row.decision["attempts"][0]["ms"],
    }
    assert row.decision["served_by_fallback"] == served
    assert row.decision["model"] == "gpt-4o-mini", "the decision still says what was chosen"


def test_a_stream_falls_back_before_its_first_byte(gateway, tenant, api_key, openai_first):
    openai_first.behaviour = "status:500"
    response = gateway.chat(api_key.key, {**BODY, "stream": True})
    assert response.status_code == 200
    assert response.text.rstrip().endswith("data: [DONE]")
    assert only_row(tenant).attempts == 2


def test_the_clients_own_mistakes_are_not_retried_elsewhere(gateway, tenant, api_key, openai_first):
    openai_first.behaviour = "status:400"
    response = gateway.chat(api_key.key, BODY)
    assert response.status_code == 400
    assert only_row(tenant).attempts == 1


def test_an_explicit_model_is_not_silently_replaced(gateway, tenant, api_key, openai_first):
    openai_first.behaviour = "status:503"
    response = gateway.chat(api_key.key, {**BODY, "model": "gpt-4o-mini"})
    assert response.status_code == 502
    assert only_row(tenant).attempts == 1


def test_after_repeated_failures_the_open_circuit_is_skipped(gateway, tenant, api_key, openai_first):
    openai_first.behaviour = "status:503"
    no_cache = {"Cache-Control": "no-store"}  # each request must reach the router, not the answer cache
    for _ in range(5):
        assert gateway.chat(api_key.key, BODY, headers=no_cache).status_code == 200
    calls_before = len(openai_first.requests)
    response = gateway.chat(api_key.key, BODY, headers=no_cache)
    assert response.status_code == 200
    assert len(openai_first.requests) == calls_before, "the failing provider was not called again"
    last = RequestRecord.objects.for_tenant(tenant).order_by("-created_at").first()
    assert any("circuit open" in reason for reason in last.decision["reasons"])


def test_cognitive_tier_asks_the_router_model_and_charges_for_it(gateway, tenant, api_key):
    policy_update(tenant=tenant, cognitive_enabled=True, cognitive_threshold=0.99)
    response = gateway.chat(api_key.key, {**BODY, "messages": [{"role": "user", "content": "Summarize: tea is nice"}]})
    assert response.status_code == 200
    row = only_row(tenant)
    assert row.tier_used.startswith("cognitive")
    assert row.task_type == "summarization"
    calls = row.decision["router_calls"]
    assert calls[0]["model"] == "gpt-4o-mini" and calls[0]["input_tokens"] > 0
    catalog = catalog_load()
    answer = price(catalog.get(row.model_name), input_tokens=row.input_tokens, output_tokens=row.output_tokens)
    router = sum(
        price(catalog.get(c["model"]), input_tokens=c["input_tokens"], output_tokens=c["output_tokens"]) for c in calls
    )
    assert row.cost_usd == answer + router > answer, "the router call is charged to the request"
    assert row.decision["classification"]["tier_used"] == row.tier_used
