"""Google's Gemini API (``generateContent``), translated from and to the OpenAI chat format.

Roles become ``user``/``model`` contents; system messages become ``systemInstruction``; tool
calls become ``functionCall`` / ``functionResponse`` parts (the response needs the function's
name, found from the call it answers); JSON mode becomes ``responseMimeType``. Streams use
``streamGenerateContent?alt=sse``, each event a partial response.
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
from routing.tokens import content_text, estimate_prompt_tokens, estimate_text_tokens

FINISH = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
}


def _parts(content: Any) -> list[dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}] if content else []
    parts = []
    for part in content:
        if part.get("type") == "text" and part.get("text"):
            parts.append({"text": part["text"]})
        elif part.get("type") == "image_url":
            url = (part.get("image_url") or {}).get("url", "")
            if url.startswith("data:") and ";base64," in url:
                mime, data = url[5:].split(";base64,", 1)
                parts.append({"inlineData": {"mimeType": mime, "data": data}})
            else:
                parts.append({"fileData": {"fileUri": url, "mimeType": "image/*"}})
    return parts


def to_gemini(request: ProviderRequest) -> dict[str, Any]:
    system: list[str] = []
    contents = Turns("parts")
    add = contents.add
    call_names: dict[str, str] = {}

    for message in request.messages:
        role = message.get("role")
        if role in ("system", "developer"):
            system.append(content_text(message.get("content")))
        elif role == "assistant":
            parts = _parts(message.get("content"))
            for call in message.get("tool_calls") or ():
                function = call.get("function") or {}
                call_names[call.get("id", "")] = function.get("name", "")
                try:
                    args = orjson.loads(function.get("arguments") or "{}")
                except orjson.JSONDecodeError:
                    args = {"_raw": function.get("arguments")}
                parts.append({"functionCall": {"name": function.get("name"), "args": args}})
            add("model", parts)
        elif role in ("tool", "function"):
            name = call_names.get(message.get("tool_call_id", ""), message.get("name") or "tool")
            add(
                "user",
                [{"functionResponse": {"name": name, "response": {"result": content_text(message.get("content"))}}}],
            )
        else:
            add("user", _parts(message.get("content")))
    params = request.params
    config: dict[str, Any] = {}
    for ours, theirs in (
        ("temperature", "temperature"),
        ("top_p", "topP"),
        ("seed", "seed"),
        ("presence_penalty", "presencePenalty"),
        ("frequency_penalty", "frequencyPenalty"),
    ):
        if params.get(ours) is not None:
            config[theirs] = params[ours]
    limit = params.get("max_completion_tokens") or params.get("max_tokens")
    if limit:
        config["maxOutputTokens"] = limit
    if params.get("stop"):
        config["stopSequences"] = [params["stop"]] if isinstance(params["stop"], str) else params["stop"]
    if (params.get("response_format") or {}).get("type") in ("json_object", "json_schema"):
        config["responseMimeType"] = "application/json"
    payload: dict[str, Any] = {"contents": contents.items}
    if system:
        payload["systemInstruction"] = {"parts": [{"text": "\n\n".join(system)}]}
    if config:
        payload["generationConfig"] = config
    tools = params.get("tools")
    if tools:
        payload["tools"] = [
            {
                "functionDeclarations": [
                    {
                        "name": t["function"]["name"],
                        "description": t["function"].get("description", ""),
                        **({"parameters": t["function"]["parameters"]} if t["function"].get("parameters") else {}),
                    }
                    for t in tools
                ]
            }
        ]
        choice = params.get("tool_choice")
        mode = {"required": "ANY", "none": "NONE", "auto": "AUTO"}.get(choice) if isinstance(choice, str) else None
        if isinstance(choice, dict):
            payload["toolConfig"] = {
                "functionCallingConfig": {
                    "mode": "ANY",
                    "allowedFunctionNames": [(choice.get("function") or {}).get("name")],
                }
            }
        elif mode:
            payload["toolConfig"] = {"functionCallingConfig": {"mode": mode}}
    return payload


def _usage(data: dict | None) -> Usage | None:
    if not isinstance(data, dict) or "promptTokenCount" not in data:
        return None
    output = int(data.get("candidatesTokenCount") or 0) + int(data.get("thoughtsTokenCount") or 0)
    return Usage(input_tokens=int(data["promptTokenCount"]), output_tokens=output)


def _read(candidate: dict[str, Any], seen_calls: int = 0) -> tuple[str, list[dict[str, Any]]]:
    text, calls = "", []
    for part in (candidate.get("content") or {}).get("parts") or ():
        if "text" in part and not part.get("thought"):
            text += part["text"]
        elif "functionCall" in part:
            call = part["functionCall"]
            calls.append(
                {
                    "id": f"call_{seen_calls + len(calls)}",
                    "type": "function",
                    "function": {"name": call.get("name"), "arguments": orjson.dumps(call.get("args") or {}).decode()},
                }
            )
    return text, calls


class GeminiAdapter(HttpAdapter):
    slug = "gemini"

    @staticmethod
    def _headers(request: ProviderRequest) -> dict[str, str]:
        return {"x-goog-api-key": request.credentials.api_key, "content-type": "application/json"}

    async def complete(self, request: ProviderRequest) -> Completion:
        body = await self.post_json(
            request, f"models/{request.model}:generateContent", to_gemini(request), self._headers(request)
        )
        candidates = body.get("candidates") if isinstance(body, dict) else None
        if not candidates:
            reason = (body.get("promptFeedback") or {}).get("blockReason") if isinstance(body, dict) else None
            raise ProviderError(
                f"The provider returned no answer ({reason or 'empty'}).", kind="status", status=400, retryable=False
            )
        text, calls = _read(candidates[0])
        message: dict[str, Any] = {"role": "assistant", "content": text if text or not calls else None}
        if calls:
            message["tool_calls"] = calls
        finish = "tool_calls" if calls else FINISH.get(candidates[0].get("finishReason", "STOP"), "stop")
        usage = _usage(body.get("usageMetadata")) or Usage(
            estimate_prompt_tokens(request.messages), estimate_text_tokens(text), estimated=True
        )
        return Completion(
            body={
                "id": body.get("responseId", ""),
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                "usage": usage_fields(usage),
            },
            usage=usage,
        )

    async def stream(self, request: ProviderRequest) -> AsyncIterator[StreamChunk]:
        envelope = {"id": "", "object": "chat.completion.chunk", "created": int(time.time()), "model": request.model}
        usage, started, calls_seen, finish = None, False, 0, None
        path = f"models/{request.model}:streamGenerateContent?alt=sse"
        async for _, event in self.sse_events(request, path, to_gemini(request), self._headers(request)):
            if not isinstance(event, dict):
                continue
            if "error" in event:
                raise ProviderError(
                    str((event["error"] or {}).get("message", "stream error"))[:500], kind="status", status=502
                )
            envelope["id"] = event.get("responseId", envelope["id"])
            usage = _usage(event.get("usageMetadata")) or usage
            if not started:
                started = True
                yield StreamChunk(
                    data={**envelope, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}
                )
            for candidate in event.get("candidates") or ():
                text, calls = _read(candidate, calls_seen)
                delta: dict[str, Any] = {}
                if text:
                    delta["content"] = text
                if calls:
                    delta["tool_calls"] = [{"index": calls_seen + i, **c} for i, c in enumerate(calls)]
                    calls_seen += len(calls)
                if delta:
                    yield StreamChunk(
                        data={**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}, text=text
                    )
                if candidate.get("finishReason"):
                    finish = "tool_calls" if calls_seen else FINISH.get(candidate["finishReason"], "stop")
        yield StreamChunk(data={**envelope, "choices": [{"index": 0, "delta": {}, "finish_reason": finish or "stop"}]})
        if usage is None:
            return  # the caller estimates from the text it relayed
        yield usage_chunk(envelope, usage)
