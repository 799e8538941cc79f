"""Anthropic and Gemini adapters against local servers speaking those wire formats over HTTP,
through the whole gateway: translation both ways, streaming, usage, errors."""

from __future__ import annotations

import json

import pytest

from finops.models import RequestRecord
from tenants.services import provider_credential_set

SECRET = "sk-provider-secret-abcdef"
CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "What's the weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
        ],
    },
    {"role": "tool", "tool_call_id": "call_1", "content": "18C and sunny"},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "And this picture?"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBOR"}},
        ],
    },
]
CITY = {"type": "object", "properties": {"city": {"type": "string"}}}
TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather for a city", "parameters": CITY}}
]


@pytest.fixture(params=["anthropic", "google"])
def provider(request, tenant, upstream):
    slug = request.param
    base = upstream.anthropic_base_url if slug == "anthropic" else upstream.gemini_base_url
    provider_credential_set(tenant=tenant, provider_slug=slug, api_key=SECRET, base_url=base)
    model = "claude-3-5-haiku" if slug == "anthropic" else "gemini-2.0-flash"
    return slug, model, upstream


def events(response):
    return [
        json.loads(line[6:])
        for line in response.text.split("\n")
        if line.startswith("data: ") and line != "data: [DONE]"
    ]


def test_a_conversation_with_tools_and_images_is_translated(gateway, tenant, api_key, provider):
    slug, model, upstream = provider
    response = gateway.chat(
        api_key.key,
        {
            "model": model,
            "messages": CONVERSATION,
            "max_tokens": 50,
            "temperature": 0.3,
            "stop": ["END"],
            "tools": TOOLS,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["choices"][0]["message"]["content"] == "Hello from the fake upstream."
    assert body["usage"]["completion_tokens"] == 7
    sent = upstream.requests[0]
    if slug == "anthropic":
        assert sent["path"] == "/v1/messages"
        assert sent["headers"]["x-api-key"] == SECRET and sent["headers"]["anthropic-version"]
        payload = sent["json"]
        assert payload["system"] == "Be brief." and payload["max_tokens"] == 50 and payload["stop_sequences"] == ["END"]
        roles = [m["role"] for m in payload["messages"]]
        assert roles == ["user", "assistant", "user"], "tool results ride in a user turn"
        blocks = [b["type"] for b in payload["messages"][2]["content"]]
        assert blocks == ["tool_result", "text", "image"]
        assert payload["messages"][1]["content"][0] == {
            "type": "tool_use",
            "id": "call_1",
            "name": "get_weather",
            "input": {"city": "Paris"},
        }
        assert payload["tools"][0]["input_schema"]["properties"]["city"]["type"] == "string"
        assert body["usage"]["prompt_tokens"] > 2, "cached input tokens are billed as input"
    else:
        assert sent["path"] == "/v1beta/models/gemini-2.0-flash:generateContent"
        assert sent["headers"]["x-goog-api-key"] == SECRET
        payload = sent["json"]
        assert payload["systemInstruction"]["parts"][0]["text"] == "Be brief."
        assert payload["generationConfig"] == {"temperature": 0.3, "maxOutputTokens": 50, "stopSequences": ["END"]}
        assert [c["role"] for c in payload["contents"]] == ["user", "model", "user"]
        assert payload["contents"][1]["parts"][0]["functionCall"] == {"name": "get_weather", "args": {"city": "Paris"}}
        response_part = payload["contents"][2]["parts"][0]["functionResponse"]
        assert response_part == {"name": "get_weather", "response": {"result": "18C and sunny"}}
        assert payload["contents"][2]["parts"][2]["inlineData"]["mimeType"] == "image/png"
    [row] = RequestRecord.objects.for_tenant(tenant)
    assert (row.provider, row.simulated, row.output_tokens) == (slug, False, 7)


def test_tool_calls_come_back_in_the_openai_shape(gateway, api_key, provider):
    _, model, _ = provider
    response = gateway.chat(
        api_key.key, {"model": model, "messages": CONVERSATION[:2], "tools": TOOLS, "tool_choice": "required"}
    )
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather" and json.loads(call["function"]["arguments"]) == {"city": "Paris"}


def test_json_mode_is_carried_over(gateway, api_key, provider):
    slug, model, upstream = provider
    gateway.chat(
        api_key.key, {"model": model, "messages": CONVERSATION[:2], "response_format": {"type": "json_object"}}
    )
    payload = upstream.requests[0]["json"]
    if slug == "anthropic":
        assert "JSON" in payload["system"]
    else:
        assert payload["generationConfig"]["responseMimeType"] == "application/json"


def test_streams_are_translated_with_usage(gateway, tenant, api_key, provider):
    slug, model, upstream = provider
    response = gateway.chat(
        api_key.key,
        {"model": model, "messages": CONVERSATION[:2], "stream": True, "stream_options": {"include_usage": True}},
    )
    chunks = events(response)
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text.strip() == "Hello from the fake upstream."
    assert chunks[-1]["usage"]["completion_tokens"] == 5
    if slug == "google":
        assert upstream.requests[0]["query"] == {"alt": "sse"}
    [row] = RequestRecord.objects.for_tenant(tenant)
    assert row.output_tokens == 5 and row.stream


def test_provider_errors_are_mapped_and_never_leak_the_key(gateway, tenant, api_key, provider):
    _, model, upstream = provider
    upstream.behaviour = "status:529" if provider[0] == "anthropic" else "status:503"
    response = gateway.chat(api_key.key, {"model": model, "messages": CONVERSATION[:2]})
    assert response.status_code == 502 and SECRET not in response.text


def test_a_broken_stream_ends_with_an_error_event(gateway, api_key, provider):
    _, model, upstream = provider
    upstream.behaviour = "break_stream"
    response = gateway.chat(api_key.key, {"model": model, "messages": CONVERSATION[:2], "stream": True})
    assert events(response)[-1]["error"]["code"] == "upstream_error"
