"""The built-in simulator: deterministic, realistic, and labelled."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync

from routing.providers.base import Credentials, ProviderRequest
from routing.providers.simulator import FINGERPRINT, SimulatorAdapter
from routing.tokens import estimate_text_tokens

SIM = SimulatorAdapter(latency_scale=0)


def request(content: str = "Tell me about the ocean", model: str = "gpt-4o-mini", **params) -> ProviderRequest:
    return ProviderRequest(
        model=model,
        messages=[{"role": "user", "content": content}],
        params=params,
        credentials=Credentials("", ""),
        timeout=5,
    )


def complete(req):
    return async_to_sync(SIM.complete)(req)


def collect(req):
    async def run():
        return [chunk async for chunk in SIM.stream(req)]

    return async_to_sync(run)()


def test_the_same_request_gets_the_same_answer_and_another_does_not():
    first, again = complete(request()), complete(request())
    other = complete(request("Something entirely different about databases"))
    text = first.body["choices"][0]["message"]["content"]
    assert text == again.body["choices"][0]["message"]["content"]
    assert text != other.body["choices"][0]["message"]["content"]


def test_answers_are_labelled_and_counted():
    result = complete(request())
    message = result.body["choices"][0]["message"]["content"]
    assert message.startswith("[simulated] gpt-4o-mini")
    assert result.body["system_fingerprint"] == FINGERPRINT
    assert result.usage.output_tokens == estimate_text_tokens(message)
    assert result.body["usage"]["total_tokens"] == result.usage.input_tokens + result.usage.output_tokens


def test_max_tokens_truncates_with_finish_reason_length():
    result = complete(request(max_tokens=5))
    assert result.body["choices"][0]["finish_reason"] == "length"
    assert result.usage.output_tokens <= 5


def test_json_mode_returns_json_that_follows_the_schema():
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "rank": {"type": "integer"}}}
    result = complete(request(response_format={"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}))
    value = json.loads(result.body["choices"][0]["message"]["content"])
    assert set(value) == {"city", "rank"} and isinstance(value["rank"], int)


def test_a_required_tool_is_called_with_arguments_for_its_schema():
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    ]
    result = complete(request(tools=tools, tool_choice="required"))
    choice = result.body["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather" and json.loads(call["function"]["arguments"]) == {
        "city": "simulated"
    }


@pytest.mark.parametrize("choice", ["none", "auto"])
def test_tools_are_not_called_when_not_asked_or_not_relevant(choice):
    tools = [{"type": "function", "function": {"name": "get_weather"}}]
    result = complete(request("Write a haiku", tools=tools, tool_choice=choice))
    assert result.body["choices"][0]["finish_reason"] in {"stop", "length"}


def test_the_stream_adds_up_to_the_whole_answer_and_ends_with_usage():
    chunks = collect(request())
    text = "".join(c.text for c in chunks)
    whole = complete(request()).body["choices"][0]["message"]["content"]
    assert text == whole
    assert chunks[-1].usage is not None and chunks[-1].data["choices"] == []
    assert chunks[-2].data["choices"][0]["finish_reason"] == "stop"
