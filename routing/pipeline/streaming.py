"""The rest of a stream after its first event: SSE bytes out, usage noted, one ledger row."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import anyio
import orjson

from routing.catalog import Catalog
from routing.pipeline.context import RoutingContext
from routing.pipeline.failures import provider_failure
from routing.providers.base import ProviderError, StreamChunk
from routing.tokens import estimate_prompt_tokens, estimate_text_tokens

if TYPE_CHECKING:
    from routing.pipeline.ledger import Ledger

DONE = b"data: [DONE]\n\n"


class StreamingCompletion:
    """The rest of a stream after its first event, as SSE bytes, and its single ledger row."""

    def __init__(
        self,
        ctx: RoutingContext,
        iterator: AsyncIterator[StreamChunk],
        first: StreamChunk,
        *,
        ledger: Ledger,
        catalog: Catalog,
        started: float,
        on_complete: Callable[[dict], None] | None = None,
    ):
        self.ctx = ctx
        self.iterator = iterator
        self.first = first
        self.ledger = ledger
        self.catalog = catalog
        self.started = started
        self.include_usage = bool(ctx.request and ctx.request.include_usage)
        self.text_parts: list[str] = []
        self.saw_usage = False
        self.completed = False
        self.on_complete = on_complete
        self.finish_reason: str | None = None
        self.saw_tool_calls = False

    def _encode(self, chunk: StreamChunk) -> bytes | None:
        if chunk.text:
            self.text_parts.append(chunk.text)
        for choice in chunk.data.get("choices") or ():
            self.finish_reason = choice.get("finish_reason") or self.finish_reason
            self.saw_tool_calls = self.saw_tool_calls or bool((choice.get("delta") or {}).get("tool_calls"))
        if chunk.usage is not None:
            self.saw_usage = True
            self.ctx.outcome.input_tokens = chunk.usage.input_tokens
            self.ctx.outcome.output_tokens = chunk.usage.output_tokens
            self.ctx.outcome.usage_estimated = chunk.usage.estimated
        data = chunk.data
        if "usage" in data and not self.include_usage:
            if not data.get("choices"):
                return None
            data = {k: v for k, v in data.items() if k != "usage"}
        if chunk.usage is not None and self.include_usage:
            data = {**data, "neuralrouting": self.ledger.stream_summary(self.ctx, self.catalog)}
        return b"data: " + orjson.dumps(data) + b"\n\n"

    async def events(self) -> AsyncIterator[bytes]:
        try:
            encoded = self._encode(self.first)
            if encoded:
                yield encoded
            async for chunk in self.iterator:
                encoded = self._encode(chunk)
                if encoded:
                    yield encoded
            self.completed = True
            yield DONE
        except ProviderError as error:
            failure = provider_failure(error, (self.ctx.served or self.ctx.decision.model).provider_name)
            self.ctx.outcome.status = self.ledger.status_for(failure)
            self.ctx.outcome.http_status = failure.status
            self.ctx.outcome.error_code = failure.code
            yield b"data: " + orjson.dumps(failure.as_body()) + b"\n\n"
        finally:
            self.ctx.outcome.upstream_latency_ms = int((time.perf_counter() - self.started) * 1000)
            with anyio.CancelScope(shield=True):
                await self.iterator.aclose()

    async def finish(self, *, disconnected: bool) -> None:
        """Write the ledger row (once), whatever happened to the stream."""
        if disconnected and not self.completed and self.ctx.outcome.status == "ok":
            self.ctx.outcome.status = "client_disconnected"
            self.ctx.outcome.http_status = 499
            self.ctx.outcome.error_code = "client_disconnected"
        if not self.saw_usage:
            self.ctx.outcome.input_tokens = estimate_prompt_tokens((self.ctx.raw or {}).get("messages") or [])
            self.ctx.outcome.output_tokens = estimate_text_tokens("".join(self.text_parts))
            self.ctx.outcome.usage_estimated = True
        with anyio.CancelScope(shield=True):
            await self.ledger.record(self.ctx, self.catalog)
        if self.on_complete and self.completed and self.ctx.outcome.status == "ok" and not self.saw_tool_calls:
            self.on_complete(self._whole_answer())

    def _whole_answer(self) -> dict:
        """The streamed answer as the chat.completion body a cache would store."""
        first = self.first.data
        return {
            "object": "chat.completion",
            "model": first.get("model", ""),
            **({"system_fingerprint": first["system_fingerprint"]} if first.get("system_fingerprint") else {}),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "".join(self.text_parts)},
                    "finish_reason": self.finish_reason or "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": self.ctx.outcome.input_tokens,
                "completion_tokens": self.ctx.outcome.output_tokens,
                "total_tokens": self.ctx.outcome.input_tokens + self.ctx.outcome.output_tokens,
            },
        }
