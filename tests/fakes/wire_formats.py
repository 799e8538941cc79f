"""Anthropic Messages and Gemini generateContent answers, as those APIs send them."""

from __future__ import annotations

import json

ANSWER = "Hello from the fake upstream."


def sse(data: dict, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + json.dumps(data).encode() + b"\n\n"


def anthropic_message(body: dict, prompt_tokens: int) -> dict:
    tools = body.get("tools")
    choice = (body.get("tool_choice") or {}).get("type")
    if tools and choice in ("any", "tool"):
        content = [{"type": "tool_use", "id": "toolu_1", "name": tools[0]["name"], "input": {"city": "Paris"}}]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": ANSWER}]
        stop = "end_turn"
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body["model"],
        "content": content,
        "stop_reason": stop,
        "usage": {"input_tokens": prompt_tokens, "output_tokens": 7, "cache_read_input_tokens": 2},
    }


def anthropic_stream(body: dict, prompt_tokens: int, behaviour: str):
    yield sse(
        {
            "type": "message_start",
            "message": {
                "id": "msg_fake",
                "model": body["model"],
                "usage": {"input_tokens": prompt_tokens, "output_tokens": 1},
            },
        },
        "message_start",
    )
    yield sse(
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        "content_block_start",
    )
    for i, word in enumerate(ANSWER.split(" ")):
        if behaviour == "break_stream" and i == 2:
            yield sse({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, "error")
            return
        yield sse(
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": word + " "}},
            "content_block_delta",
        )
    yield sse({"type": "content_block_stop", "index": 0}, "content_block_stop")
    yield sse(
        {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}}, "message_delta"
    )
    yield sse({"type": "message_stop"}, "message_stop")


def gemini_response(body: dict, prompt_tokens: int) -> dict:
    tools = body.get("tools")
    mode = ((body.get("toolConfig") or {}).get("functionCallingConfig") or {}).get("mode")
    if tools and mode == "ANY":
        name = tools[0]["functionDeclarations"][0]["name"]
        parts = [{"functionCall": {"name": name, "args": {"city": "Paris"}}}]
    else:
        parts = [{"text": ANSWER}]
    return {
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": 7,
            "totalTokenCount": prompt_tokens + 7,
        },
        "responseId": "gemini-fake",
    }


def gemini_stream(body: dict, prompt_tokens: int, behaviour: str):
    words = ANSWER.split(" ")
    for i, word in enumerate(words):
        if behaviour == "break_stream" and i == 2:
            yield sse({"error": {"code": 503, "message": "The model is overloaded."}})
            return
        event = {
            "candidates": [{"content": {"role": "model", "parts": [{"text": word + " "}]}}],
            "responseId": "gemini-fake",
        }
        if i == len(words) - 1:
            event["candidates"][0]["finishReason"] = "STOP"
            event["usageMetadata"] = {"promptTokenCount": prompt_tokens, "candidatesTokenCount": len(words)}
        yield sse(event)
