"""Any OpenAI-compatible server: OpenAI, DeepSeek, Mistral, Groq, vLLM, Ollama, LM Studio…

Built on ``httpx`` directly rather than the ``openai`` SDK: the gateway forwards JSON it has
already validated, and skipping the SDK's model objects saves CPU on every request. One pooled
client per base URL keeps connections alive between requests.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson

from routing.providers.base import Completion, ProviderError, ProviderRequest, StreamChunk, Usage
from routing.tokens import estimate_prompt_tokens, estimate_text_tokens

POOL_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=60)
CONNECT_TIMEOUT = 5.0


def _usage(data: dict | None) -> Usage | None:
    if not isinstance(data, dict):
        return None
    prompt, completion = data.get("prompt_tokens"), data.get("completion_tokens")
    if not isinstance(prompt, int) or not isinstance(completion, int):
        return None
    return Usage(input_tokens=prompt, output_tokens=completion)


def _error_message(response: httpx.Response) -> str:
    try:
        body = orjson.loads(response.content)
        message = body.get("error", {}).get("message") if isinstance(body.get("error"), dict) else body.get("error")
    except (orjson.JSONDecodeError, AttributeError):
        message = None
    return str(message or response.reason_phrase or "error")[:500]


class OpenAICompatibleAdapter:
    slug = "openai_compatible"
    simulated = False

    def __init__(self) -> None:
        # A pooled client per event loop and base URL: a client must not outlive or cross its loop
        # (Celery tasks run their own loops; the web server has one per process).
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, httpx.AsyncClient]] = (
            weakref.WeakKeyDictionary()
        )

    def _client(self, base_url: str) -> httpx.AsyncClient:
        clients = self._clients.setdefault(asyncio.get_running_loop(), {})
        client = clients.get(base_url)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(base_url=base_url.rstrip("/") + "/", limits=POOL_LIMITS)
            clients[base_url] = client
        return client

    def _payload(self, request: ProviderRequest, *, stream: bool) -> bytes:
        payload: dict[str, Any] = {**request.params, "model": request.model, "messages": request.messages}
        payload["stream"] = stream
        if stream:
            payload["stream_options"] = {"include_usage": True}
        else:
            payload.pop("stream_options", None)
        return orjson.dumps(payload)

    def _headers(self, request: ProviderRequest) -> dict[str, str]:
        return {"Authorization": f"Bearer {request.credentials.api_key}", "Content-Type": "application/json"}

    def _timeout(self, request: ProviderRequest) -> httpx.Timeout:
        return httpx.Timeout(request.timeout, connect=min(CONNECT_TIMEOUT, request.timeout))

    async def complete(self, request: ProviderRequest) -> Completion:
        client = self._client(request.credentials.base_url)
        try:
            response = await client.post(
                "chat/completions",
                content=self._payload(request, stream=False),
                headers=self._headers(request),
                timeout=self._timeout(request),
            )
        except httpx.TimeoutException as exc:
            raise ProviderError("The provider did not answer in time.", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"Could not reach the provider ({type(exc).__name__}).", kind="connect") from exc
        if response.status_code != 200:
            raise _status_error(response, request.credentials.api_key)
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ProviderError("The provider sent a body that is not JSON.", kind="protocol") from exc
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
        client = self._client(request.credentials.base_url)
        http_request = client.build_request(
            "POST",
            "chat/completions",
            content=self._payload(request, stream=True),
            headers=self._headers(request),
            timeout=self._timeout(request),
        )
        try:
            response = await client.send(http_request, stream=True)
        except httpx.TimeoutException as exc:
            raise ProviderError("The provider did not answer in time.", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"Could not reach the provider ({type(exc).__name__}).", kind="connect") from exc
        try:
            if response.status_code != 200:
                await response.aread()
                raise _status_error(response, request.credentials.api_key)
            async for chunk in self._events(response, request):
                yield chunk
        except httpx.TimeoutException as exc:
            raise ProviderError("The provider stopped sending mid-stream.", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"The provider's stream broke ({type(exc).__name__}).", kind="connect") from exc
        finally:
            await response.aclose()

    async def _events(self, response: httpx.Response, request: ProviderRequest) -> AsyncIterator[StreamChunk]:
        saw_usage = False
        text_parts: list[str] = []
        async for line in response.aiter_lines():
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                event = orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                raise ProviderError("The provider sent a malformed stream event.", kind="protocol") from exc
            if not isinstance(event, dict):
                continue
            if "error" in event:
                raise ProviderError(str(event["error"])[:500], kind="status", status=502)
            usage = _usage(event.get("usage"))
            saw_usage = saw_usage or usage is not None
            text = ""
            for choice in event.get("choices") or ():
                delta = choice.get("delta") or {}
                if delta.get("content"):
                    text += delta["content"]
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

    async def aclose(self) -> None:
        clients = self._clients.pop(asyncio.get_running_loop(), {})
        for client in clients.values():
            await client.aclose()


def _status_error(response: httpx.Response, secret: str) -> ProviderError:
    status = response.status_code
    detail = _error_message(response)
    if secret and len(secret) >= 6:
        detail = detail.replace(secret, "[redacted]")
    message = f"The provider answered {status}: {detail}"
    # A 4xx other than auth/rate limits means the request itself is wrong: retrying elsewhere won't help.
    retryable = status in (401, 403, 404, 408, 409, 429) or status >= 500
    return ProviderError(message, kind="status", status=status, retryable=retryable)
