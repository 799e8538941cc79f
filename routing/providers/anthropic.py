"""Anthropic's Messages API, translated from and to the OpenAI chat format.

System and developer messages become ``system``; tool calls and results become ``tool_use`` and
``tool_result`` blocks; images become image blocks; ``response_format`` JSON becomes an
instruction (the API has no JSON mode). Streams turn ``message_start`` / ``content_block_delta``
/ ``message_delta`` events into OpenAI chunks, with usage at the end.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

from routing.providers.base import (
    Completion,
    ProviderError,
    ProviderRequest,
    StreamChunk,
    Turns,
    Usage,
    usage_chunk,
    usage_fields,
)
from routing.providers.http import HttpAdapter
from routing.tokens import content_text

API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 4096
JSON_INSTRUCTION = "Respond with a single valid JSON object and nothing else."
FINISH = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "pause_turn": "stop",
    "refusal": "content_filter",
}


def _image_block(url: str) -> dict[str, Any]:
    if url.startswith("data:") and ";base64," in url:
        media_type, data = url[5:].split(";base64,", 1)
        return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
    return {"type": "image", "source": {"type": "url", "url": url}}


def _blocks(content: Any) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}] if content else []
    blocks = []
    for part in content:
        if part.get("type") == "text" and part.get("text"):
            blocks.append({"type": "text", "text": part["text"]})
        elif part.get("type") == "image_url":
            blocks.append(_image_block((part.get("image_url") or {}).get("url", "")))
    return blocks


def _arguments(raw: str) -> Any:
    try:
        return orjson.loads(raw or "{}")
    except orjson.JSONDecodeError:
        return {"_raw": raw}


def to_anthropic(request: ProviderRequest) -> dict[str, Any]:
    system: list[str] = []
    turns = Turns("content")
    add = turns.add

    for message in request.messages:
        role = message.get("role")
        if role in ("system", "developer"):
            system.append(content_text(message.get("content")))
        elif role == "assistant":
            blocks = _blocks(message.get("content"))
            for call in message.get("tool_calls") or ():
                function = call.get("function") or {}
                blocks.append(
                    {
                        "type": "tool_use",
                        "id": call.get("id"),
                        "name": function.get("name"),
                        "input": _arguments(function.get("arguments", "")),
                    }
                )
            add("assistant", blocks)
        elif role in ("tool", "function"):
            add(
                "user",
                [
                    {
                        "type": "tool_result",
                        "tool_use_id": message.get("tool_call_id") or message.get("name"),
                        "content": content_text(message.get("content")),
                    }
                ],
            )
        else:
            add("user", _blocks(message.get("content")))
    params = request.params
    if (params.get("response_format") or {}).get("type") in ("json_object", "json_schema"):
        system.append(JSON_INSTRUCTION)
    payload: dict[str, Any] = {
        "model": request.model,
        "messages": turns.items,
        "max_tokens": params.get("max_completion_tokens")
        or params.get("max_tokens")
        or min(DEFAULT_MAX_TOKENS, request.model_info.max_output_tokens if request.model_info else DEFAULT_MAX_TOKENS),
    }
    if system:
        payload["system"] = "\n\n".join(s for s in system if s)
    for ours, theirs in (("temperature", "temperature"), ("top_p", "top_p")):
        if params.get(ours) is not None:
            payload[theirs] = min(params[ours], 1.0) if ours == "temperature" else params[ours]
    if params.get("stop"):
        payload["stop_sequences"] = [params["stop"]] if isinstance(params["stop"], str) else params["stop"]
    if params.get("user"):
        payload["metadata"] = {"user_id": str(params["user"])[:256]}
    tools = params.get("tools")
    if tools:
        payload["tools"] = [
            {
                "name": t["function"]["name"],
                "description": t["function"].get("description", ""),
                "input_schema": t["function"].get("parameters") or {"type": "object", "properties": {}},
            }
            for t in tools
        ]
        choice = params.get("tool_choice")
        if choice == "required":
            payload["tool_choice"] = {"type": "any"}
        elif choice == "none":
            payload["tool_choice"] = {"type": "none"}
        elif isinstance(choice, dict):
            payload["tool_choice"] = {"type": "tool", "name": (choice.get("function") or {}).get("name")}
    return payload


def _usage(data: dict | None) -> Usage:
    data = data or {}
    cached = int(data.get("cache_creation_input_tokens") or 0) + int(data.get("cache_read_input_tokens") or 0)
    return Usage(
        input_tokens=int(data.get("input_tokens") or 0) + cached, output_tokens=int(data.get("output_tokens") or 0)
    )


def from_anthropic(body: dict[str, Any], model: str) -> Completion:
    text, calls = [], []
    for block in body.get("content") or ():
        if block.get("type") == "text":
            text.append(block.get("text", ""))
        elif block.get("type") == "tool_use":
            calls.append(
                {
                    "id": block.get("id"),
                    "type": "function",
                    "function": {"name": block.get("name"), "arguments": orjson.dumps(block.get("input")).decode()},
                }
            )
    message: dict[str, Any] = {"role": "assistant", "content": "".join(text) if text or not calls else None}
    if calls:
        message["tool_calls"] = calls
    usage = _usage(body.get("usage"))
    return Completion(
        body={
            "id": body.get("id", ""),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": FINISH.get(body.get("stop_reason"), "stop"),
                    "logprobs": None,
                }
            ],
            "usage": usage_fields(usage),
        },
        usage=usage,
    )


class AnthropicAdapter(HttpAdapter):
    slug = "anthropic"

    @staticmethod
    def _headers(request: ProviderRequest) -> dict[str, str]:
        return {
            "x-api-key": request.credentials.api_key,
            "anthropic-version": API_VERSION,
            "content-type": "application/json",
        }

    async def complete(self, request: ProviderRequest) -> Completion:
        body = await self.post_json(request, "v1/messages", to_anthropic(request), self._headers(request))
        if not isinstance(body, dict) or body.get("type") == "error":
            raise ProviderError("The provider's answer is not a message.", kind="protocol")
        return from_anthropic(body, request.model)

    async def stream(self, request: ProviderRequest) -> AsyncIterator[StreamChunk]:
        payload = {**to_anthropic(request), "stream": True}
        envelope = {"id": "", "object": "chat.completion.chunk", "created": int(time.time()), "model": request.model}
        usage = Usage()
        tool_index: dict[int, int] = {}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        async for kind, event in self.sse_events(request, "v1/messages", payload, self._headers(request)):
            kind = event.get("type", kind) if isinstance(event, dict) else kind
            if kind == "message_start":
                message = event.get("message") or {}
                envelope["id"] = message.get("id", "")
                usage = _usage(message.get("usage"))
                yield StreamChunk(data=chunk({"role": "assistant", "content": ""}))
            elif kind == "content_block_start":
                block = event.get("content_block") or {}
                if block.get("type") == "tool_use":
                    tool_index[event.get("index", 0)] = len(tool_index)
                    yield StreamChunk(
                        data=chunk(
                            {
                                "tool_calls": [
                                    {
                                        "index": tool_index[event.get("index", 0)],
                                        "id": block.get("id"),
                                        "type": "function",
                                        "function": {"name": block.get("name"), "arguments": ""},
                                    }
                                ]
                            }
                        )
                    )
            elif kind == "content_block_delta":
                delta = event.get("delta") or {}
                if delta.get("type") == "text_delta":
                    yield StreamChunk(data=chunk({"content": delta.get("text", "")}), text=delta.get("text", ""))
                elif delta.get("type") == "input_json_delta":
                    yield StreamChunk(
                        data=chunk(
                            {
                                "tool_calls": [
                                    {
                                        "index": tool_index.get(event.get("index", 0), 0),
                                        "function": {"arguments": delta.get("partial_json", "")},
                                    }
                                ]
                            }
                        )
                    )
            elif kind == "message_delta":
                usage = Usage(usage.input_tokens, int((event.get("usage") or {}).get("output_tokens") or 0))
                yield StreamChunk(data=chunk({}, FINISH.get((event.get("delta") or {}).get("stop_reason"), "stop")))
            elif kind == "error":
                raise ProviderError(
                    str((event.get("error") or {}).get("message", "stream error"))[:500], kind="status", status=502
                )
        yield usage_chunk(envelope, usage)
