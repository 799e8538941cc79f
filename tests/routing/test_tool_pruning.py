"""Tool pruning: only the k most relevant tool definitions reach the provider; savings recorded."""

from __future__ import annotations

import pytest

from finops.models import RequestRecord
from tenants.services import policy_update, provider_credential_set


def tool(name: str, description: str) -> dict:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }


TOOLS = [
    tool("get_weather", "Current weather and forecast for a city"),
    tool("send_email", "Send an email message to a recipient"),
    tool("search_flights", "Search flights between two airports on a date"),
    tool("convert_currency", "Convert an amount between currencies at today's rate"),
    tool("create_calendar_event", "Create a meeting in the user's calendar"),
    tool("lookup_stock_price", "Latest stock price for a ticker symbol"),
    tool("translate_text", "Translate text between languages"),
    tool("run_sql_query", "Run a read-only SQL query on the analytics database"),
]


@pytest.fixture
def pruning(tenant, upstream):
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key="sk-x", base_url=upstream.base_url)
    policy_update(tenant=tenant, tool_pruning_top_k=2)
    return upstream


def test_only_the_relevant_tools_are_forwarded_and_savings_recorded(gateway, tenant, api_key, pruning):
    body = {
        "model": "gpt-4o-mini",
        "tools": TOOLS,
        "messages": [{"role": "user", "content": "What will the weather be like in Lisbon tomorrow?"}],
    }
    response = gateway.chat(api_key.key, body)
    assert response.status_code == 200
    sent = [t["function"]["name"] for t in pruning.requests[0]["json"]["tools"]]
    assert len(sent) == 2 and "get_weather" in sent
    assert response.headers["x-neuralrouting-tools-pruned"] == "6"
    info = RequestRecord.objects.for_tenant(tenant).get().decision["tool_pruning"]
    assert info["kept"] == 2 and len(info["removed"]) == 6 and info["input_tokens_saved"] > 50


def test_named_and_already_called_tools_are_always_kept(gateway, api_key, pruning):
    body = {
        "model": "gpt-4o-mini",
        "tools": TOOLS,
        "tool_choice": {"type": "function", "function": {"name": "run_sql_query"}},
        "messages": [
            {"role": "user", "content": "weather in Oslo?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {"id": "1", "type": "function", "function": {"name": "convert_currency", "arguments": "{}"}}
                ],
            },
            {"role": "tool", "tool_call_id": "1", "content": "ok"},
            {"role": "user", "content": "and the weather in Oslo?"},
        ],
    }
    gateway.chat(api_key.key, body)
    sent = {t["function"]["name"] for t in pruning.requests[0]["json"]["tools"]}
    assert {"run_sql_query", "convert_currency"} <= sent


def test_pruning_is_off_by_default(gateway, tenant, api_key, upstream):
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key="sk-x", base_url=upstream.base_url)
    gateway.chat(
        api_key.key, {"model": "gpt-4o-mini", "tools": TOOLS, "messages": [{"role": "user", "content": "weather?"}]}
    )
    assert len(upstream.requests[0]["json"]["tools"]) == len(TOOLS)
