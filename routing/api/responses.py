"""HTTP responses of the gateway: JSON via orjson, OpenAI errors, and SSE streams."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import anyio
import orjson
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from core.errors import ApplicationError


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_response(error: ApplicationError) -> JSONResponse:
    return JSONResponse(error.as_body(), status_code=error.status, headers=error.headers)


class SSEResponse:
    """A ``text/event-stream`` response whose ``on_close`` runs exactly once, however it ends.

    The client's disconnect is watched alongside the stream; when it comes, the stream is
    cancelled (which also stops reading from the provider) and ``on_close(disconnected=True)``
    still runs, shielded from the cancellation.
    """

    def __init__(
        self,
        events: AsyncIterator[bytes],
        *,
        headers: Mapping[str, str],
        on_close: Callable[..., Awaitable[None]],
    ):
        self.events = events
        self.headers = headers
        self.on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        disconnected = False
        raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
            *((k.lower().encode(), v.encode()) for k, v in self.headers.items()),
        ]

        async def stream() -> None:
            await send({"type": "http.response.start", "status": 200, "headers": raw_headers})
            async for event in self.events:
                await send({"type": "http.response.body", "body": event, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})

        async def watch_disconnect() -> None:
            nonlocal disconnected
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    disconnected = True
                    return

        try:
            async with anyio.create_task_group() as group:

                async def run_stream() -> None:
                    try:
                        await stream()
                    except OSError:
                        nonlocal disconnected
                        disconnected = True
                    group.cancel_scope.cancel()

                async def run_watch() -> None:
                    await watch_disconnect()
                    group.cancel_scope.cancel()

                group.start_soon(run_stream)
                group.start_soon(run_watch)
        finally:
            with anyio.CancelScope(shield=True):
                await self.on_close(disconnected=disconnected)
