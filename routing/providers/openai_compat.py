"""Any OpenAI-compatible server: OpenAI, DeepSeek, Mistral, Groq, vLLM, Ollama, LM Studio…

Built on ``aiohttp`` directly (see ``http``) rather than the ``openai`` SDK: the gateway forwards JSON it has
already validated, and skipping the SDK's model objects saves CPU on every request.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from routing.providers.base import Completion, ProviderError, ProviderRequest, StreamChunk, Usage
from routing.providers.http import HttpAdapter
from routing.tokens import estimate_prompt_tokens, estimate_text_tokens


def _usage(data: dict | None) -> Usage | None:
    if not isinstance(data, dict):
        return None
    prompt, completion = data.get("prompt_tokens"), data.get("completion_tokens")
    if not isinstance(prompt, int) or not isinstance(completion, int):
        return None
    return Usage(input_tokens=prompt, output_tokens=completion)


class OpenAICompatibleAdapter(HttpAdapter):
    slug = "openai_compatible"

    def _payload(self, request: ProviderRequest, *, stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {**request.params, "model": request.model, "messages": request.messages}
        payload["stream"] = stream
        if stream:
            payload["stream_options"] = {"include_usage": True}
        return payload

    @staticmethod
    def _headers(request: ProviderRequest) -> dict[str, str]:
        return {"Authorization": f"Bearer {request.credentials.api_key}", "Content-Type": "application/json"}

    async def complete(self, request: ProviderRequest) -> Completion:
        body = await self.post_json(
            request, "chat/completions", self._payload(request, stream=False), self._headers(request)
        )
        if not isinstance(body, dict) or not isinstance(body.get("choices"), list):
            raise ProviderError("The provider's answer has no choices.", kind="protocol")
        usage = _usage(body.get("usage"))
        if usage is None:
            text = "".join(
                str((c.get("message") or {}).get("content") or "") for c in body["choices"] if isinstance(c, dict)
            )
            usage = Usage(estimate_prompt_tokens(request.messages), estimate_text_tokens(text), estimated=True)
        return Completion(body=body, usage=usage)

    async def stream(self, request: ProviderRequest) -> AsyncIterator[StreamChunk]:
        saw_usage = False
        text_parts: list[str] = []
        events = self.sse_events(
            request, "chat/completions", self._payload(request, stream=True), self._headers(request)
        )
        async for _, event in events:
            if not isinstance(event, dict):
                continue
            if "error" in event:
                raise ProviderError(str(event["error"])[:500], kind="status", status=502)
            usage = _usage(event.get("usage"))
            saw_usage = saw_usage or usage is not None
            text = "".join((c.get("delta") or {}).get("content") or "" for c in event.get("choices") or ())
            if text:
                text_parts.append(text)
            yield StreamChunk(data=event, usage=usage, text=text)
        if not saw_usage:
            usage = Usage(
                estimate_prompt_tokens(request.messages), estimate_text_tokens("".join(text_parts)), estimated=True
            )
            yield StreamChunk(
                data={"id": "", "object": "chat.completion.chunk", "created": int(time.time()), "choices": []},
                usage=usage,
            )
