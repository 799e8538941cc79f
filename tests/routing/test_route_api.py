"""POST /api/v1/route: the decision without a model call, in the DESIGN.md contract."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finops.models import RequestRecord

CONTRACT = {
    "decision_id",
    "task_type",
    "complexity",
    "confidence",
    "tier_used",
    "model",
    "provider",
    "mode",
    "cache",
    "shield",
    "alternatives",
    "estimated_cost_usd",
    "baseline_cost_usd",
    "reasons",
}


def route(gateway, key, body, **kwargs):
    return gateway.request("POST", "/api/v1/route", key=key, json=body, **kwargs)


def test_a_decision_has_every_contract_field_and_calls_no_model(gateway, tenant, api_key, upstream):
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "Write a SQL query joining orders and customers by id."}],
    }
    response = route(gateway, api_key.key, body)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert set(doc) >= CONTRACT
    assert doc["task_type"] == "coding" and doc["mode"] == "auto" and doc["simulated"] is True
    assert Decimal(doc["estimated_cost_usd"]) <= Decimal(doc["baseline_cost_usd"])
    assert doc["alternatives"] and doc["reasons"]
    [row] = RequestRecord.objects.for_tenant(tenant)
    assert (row.endpoint, row.status, row.cost_usd, row.task_type) == ("route", "ok", 0, "coding")
    assert str(row.decision_id) == doc["decision_id"] and upstream.requests == []


@pytest.mark.parametrize(
    ("messages", "expect"),
    [
        ([{"role": "user", "content": "   "}], 200),
        ([{"role": "system", "content": "You are terse."}], 200),
        ([{"role": "tool", "tool_call_id": "1", "content": "42"}], 200),
        ([{"role": "user", "content": "héllo 👋 你好 мир مرحبا"}], 200),
        (
            [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}],
            200,
        ),
    ],
)
def test_odd_prompts_still_get_a_decision(gateway, api_key, messages, expect):
    response = route(gateway, api_key.key, {"messages": messages})
    assert response.status_code == expect, response.text


def test_a_one_megabyte_prompt_is_decided_and_the_truncation_is_said(gateway, api_key):
    response = route(gateway, api_key.key, {"messages": [{"role": "user", "content": "lorem ipsum " * 90_000}]})
    assert response.status_code == 200
    assert response.json()["embedding_truncated"] is True


def test_images_need_a_vision_model(gateway, api_key):
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What breed is this dog?"},
                    {"type": "image_url", "image_url": {"url": "https://example.com/dog.png"}},
                ],
            }
        ]
    }
    doc = route(gateway, api_key.key, body).json()
    from routing.catalog import catalog_load

    assert catalog_load().get(doc["model"]).supports_vision


def test_bad_input_is_a_400_with_a_ledger_row(gateway, tenant, api_key):
    response = route(gateway, api_key.key, None, content=b"{broken")
    assert response.status_code == 400
    assert RequestRecord.objects.for_tenant(tenant).get().endpoint == "route"


def test_the_route_api_needs_a_key(gateway):
    assert route(gateway, None, {"messages": []}).status_code == 401
