"""The OpenAI-compatible endpoint, in process: answers, headers and exactly one ledger row."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from finops.models import RequestRecord
from finops.pricing import price
from routing.catalog import catalog_load

HELLO = {"model": "auto", "messages": [{"role": "user", "content": "Summarise the benefits of caching."}]}


def rows(tenant):
    return list(RequestRecord.objects.for_tenant(tenant).order_by("created_at", "id"))


def test_auto_is_routed_by_task_and_recorded_with_exact_cost(gateway, tenant, api_key):
    response = gateway.chat(api_key.key, HELLO)

    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion"
    assert body["choices"][0]["message"]["content"].startswith("[simulated]")
    assert body["system_fingerprint"] == "neuralrouting-simulator"
    assert response.headers["x-neuralrouting-task-type"] == "summarization"
    assert response.headers["x-neuralrouting-simulated"] == "true"
    chosen = response.headers["x-neuralrouting-model"]

    [row] = rows(tenant)
    catalog = catalog_load()
    usage = body["usage"]
    tokens = {"input_tokens": usage["prompt_tokens"], "output_tokens": usage["completion_tokens"]}
    expected = price(catalog.get(chosen), **tokens)
    baseline = price(catalog.baseline, **tokens)
    assert row.status == "ok" and row.http_status == 200
    assert row.model_name == chosen and row.provider == "simulator" and row.simulated
    assert (row.task_type, row.tier_used, row.attempts) == ("summarization", "semantic", 1)
    assert 0 <= row.complexity <= 1 and 0 < row.confidence <= 1
    assert (row.input_tokens, row.output_tokens) == (usage["prompt_tokens"], usage["completion_tokens"])
    assert row.cost_usd == expected and row.baseline_cost_usd == baseline
    assert row.savings_usd == baseline - expected > 0
    assert str(row.decision_id) == response.headers["x-neuralrouting-decision-id"]
    assert Decimal(response.headers["x-neuralrouting-cost"]) == expected
    assert Decimal(response.headers["x-neuralrouting-savings"]) == baseline - expected
    assert row.api_key_id == api_key.api_key.pk
    assert row.decision["mode"] == "auto" and row.decision["alternatives"]
    assert row.decision["classification"]["task_type"] == "summarization"


def test_an_explicit_catalog_model_is_honoured(gateway, tenant, api_key):
    response = gateway.chat(api_key.key, {**HELLO, "model": "claude-sonnet-4"})
    assert response.status_code == 200
    assert response.headers["x-neuralrouting-model"] == "claude-sonnet-4"
    assert rows(tenant)[0].model_name == "claude-sonnet-4"


def test_provider_slash_model_names_work(gateway, api_key):
    response = gateway.chat(api_key.key, {**HELLO, "model": "openai/gpt-4.1-nano"})
    assert response.headers["x-neuralrouting-model"] == "gpt-4.1-nano"


def test_the_baseline_model_saves_nothing(gateway, tenant, api_key):
    gateway.chat(api_key.key, {**HELLO, "model": "gpt-4o"})
    [row] = rows(tenant)
    assert row.cost_usd == row.baseline_cost_usd and row.savings_usd == 0


def test_the_end_user_comes_from_the_user_field_or_the_header(gateway, tenant, api_key):
    gateway.chat(api_key.key, {**HELLO, "user": "alice@customer"})
    gateway.chat(api_key.key, HELLO, headers={"X-User-Id": "bob"})
    assert [r.end_user for r in rows(tenant)] == ["alice@customer", "bob"]


def _events(response) -> list[str]:
    return [line[6:] for line in response.text.split("\n") if line.startswith("data: ")]


def test_streaming_sends_chunks_then_done_and_records_one_row(gateway, tenant, api_key):
    response = gateway.chat(api_key.key, {**HELLO, "stream": True})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response)
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert not any("usage" in c for c in chunks), "usage only when the client asks for it"
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text.startswith("[simulated]")
    [row] = rows(tenant)
    assert row.stream and row.status == "ok" and row.output_tokens > 0 and row.cost_usd > 0


def test_streaming_with_include_usage_ends_with_usage_and_our_cost(gateway, tenant, api_key):
    body = {**HELLO, "stream": True, "stream_options": {"include_usage": True}}
    events = _events(gateway.chat(api_key.key, body))
    usage_chunk = json.loads(events[-2])
    assert usage_chunk["choices"] == []
    [row] = rows(tenant)
    assert usage_chunk["usage"]["completion_tokens"] == row.output_tokens
    assert Decimal(usage_chunk["neuralrouting"]["cost_usd"]) == row.cost_usd
    assert usage_chunk["neuralrouting"]["decision_id"] == str(row.decision_id)


def test_models_lists_the_catalog_and_auto(gateway, api_key):
    response = gateway.request("GET", "/v1/models", key=api_key.key)
    assert response.status_code == 200
    ids = [m["id"] for m in response.json()["data"]]
    assert ids[0] == "auto" and "gpt-4o" in ids and "claude-sonnet-4" in ids
    gpt4o = next(m for m in response.json()["data"] if m["id"] == "gpt-4o")
    assert gpt4o["neuralrouting"]["baseline"] is True
    assert gpt4o["neuralrouting"]["input_price_per_mtok"] == "2.500000"


def test_models_needs_a_key(gateway):
    response = gateway.request("GET", "/v1/models")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_api_key"


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [("/v1/nothing", "GET", 404), ("/v1/chat/completions", "GET", 405)],
)
def test_unknown_endpoints_and_methods_answer_in_the_openai_shape(gateway, path, method, status):
    response = gateway.request(method, path)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"message", "type", "code", "param"}
