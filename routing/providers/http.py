"""What every HTTP provider adapter shares: pooled clients, deadlines, errors, SSE lines.

An adapter says how to build its request (path, headers, JSON) and how to read the answer;
this base sends it with ``httpx`` and turns transport failures and non-200 answers into
:class:`ProviderError` with the provider's credential scrubbed from any message.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson

from routing.providers.base import ProviderError, ProviderRequest

POOL_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=60)
CONNECT_TIMEOUT = 5.0
# Statuses worth trying elsewhere; other 4xx mean the request itself is wrong.
RETRYABLE_4XX = frozenset({401, 403, 404, 408, 409, 429})


def error_message(response: httpx.Response) -> str:
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        body = None
    message = None
    if isinstance(body, dict):
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else error
    elif isinstance(body, list) and body and isinstance(body[0], dict):  # Gemini wraps errors in a list
        message = (body[0].get("error") or {}).get("message")
    return str(message or response.reason_phrase or "error")[:500]


def status_error(response: httpx.Response, secret: str) -> ProviderError:
    status = response.status_code
    detail = error_message(response)
    if secret and len(secret) >= 6:
        detail = detail.replace(secret, "[redacted]")
    retryable = status in RETRYABLE_4XX or status >= 500
    return ProviderError(f"The provider answered {status}: {detail}", kind="status", status=status, retryable=retryable)


class HttpAdapter:
    simulated = False

    def __init__(self) -> None:
        # A pooled client per event loop and base URL: a client must not outlive or cross its loop
        # (Celery tasks run their own loops; the web server has one per process).
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, httpx.AsyncClient]] = (
            weakref.WeakKeyDictionary()
        )

    def client(self, base_url: str) -> httpx.AsyncClient:
        clients = self._clients.setdefault(asyncio.get_running_loop(), {})
        client = clients.get(base_url)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(base_url=base_url.rstrip("/") + "/", limits=POOL_LIMITS)
            clients[base_url] = client
        return client

    @staticmethod
    def timeout(request: ProviderRequest) -> httpx.Timeout:
        return httpx.Timeout(request.timeout, connect=min(CONNECT_TIMEOUT, request.timeout))

    async def post_json(self, request: ProviderRequest, path: str, payload: Any, headers: dict[str, str]) -> Any:
        try:
            response = await self.client(request.credentials.base_url).post(
                path, content=orjson.dumps(payload), headers=headers, timeout=self.timeout(request)
            )
        except httpx.TimeoutException as exc:
            raise ProviderError("The provider did not answer in time.", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"Could not reach the provider ({type(exc).__name__}).", kind="connect") from exc
        if response.status_code != 200:
            raise status_error(response, request.credentials.api_key)
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ProviderError("The provider sent a body that is not JSON.", kind="protocol") from exc

    async def sse_events(
        self, request: ProviderRequest, path: str, payload: Any, headers: dict[str, str]
    ) -> AsyncIterator[tuple[str, Any]]:
        """``(event name, parsed data)`` for each server-sent event; stops at ``[DONE]``."""
        client = self.client(request.credentials.base_url)
        http_request = client.build_request(
            "POST", path, content=orjson.dumps(payload), headers=headers, timeout=self.timeout(request)
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
                raise status_error(response, request.credentials.api_key)
            event = ""
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                    continue
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    return
                try:
                    yield event, orjson.loads(data)
                except orjson.JSONDecodeError as exc:
                    raise ProviderError("The provider sent a malformed stream event.", kind="protocol") from exc
                event = ""
        except httpx.TimeoutException as exc:
            raise ProviderError("The provider stopped sending mid-stream.", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"The provider's stream broke ({type(exc).__name__}).", kind="connect") from exc
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        clients = self._clients.pop(asyncio.get_running_loop(), {})
        for client in clients.values():
            await client.aclose()
