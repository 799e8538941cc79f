"""Stage "provider": call the chosen model, whole or streamed, and note what came back."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
import orjson

from core.errors import ApplicationError
from routing.catalog import Catalog
from routing.pipeline.context import RoutingContext
from routing.providers.base import ProviderError, ProviderRequest, StreamChunk
from routing.providers.registry import Target
from routing.tokens import estimate_prompt_tokens, estimate_text_tokens

if TYPE_CHECKING:
    from routing.pipeline.ledger import Ledger

# Fields of the client's request that are ours to interpret, not the provider's.
_NOT_FORWARDED = frozenset({"model", "messages", "stream", "stream_options"})
DONE = b"data: [DONE]\n\n"


def provider_request(ctx: RoutingContext, target: Target, *, timeout: float) -> ProviderRequest:
    raw = ctx.raw or {}
    model = ctx.decision.model
    return ProviderRequest(
        model=model.upstream_name,
        messages=raw["messages"],
        params={k: v for k, v in raw.items() if k not in _NOT_FORWARDED},
        credentials=target.credentials,
        timeout=timeout,
        model_info=model,
    )


def provider_failure(error: ProviderError, provider: str) -> ApplicationError:
    """How a provider's failure looks to our client. Never leaks the provider credential."""
    if error.kind == "timeout":
        return ApplicationError(f"{provider} did not answer in time.", status=504, code="upstream_timeout")
    if error.kind == "connect":
        return ApplicationError(f"{provider} is unreachable.", status=502, code="upstream_unavailable")
    if error.kind == "protocol":
        return ApplicationError(f"{provider} sent an invalid answer.", status=502, code="upstream_protocol_error")
    status = error.status or 502
    if status == 429:
        return ApplicationError(
            f"{provider} is rate limiting: {error.message}", status=429, code="upstream_rate_limited"
        )
    if status in (401, 403):
        return ApplicationError(
            f"{provider} rejected the configured credentials.", status=502, code="upstream_auth_failed"
        )
    if 400 <= status < 500 and not error.retryable:
        return ApplicationError(error.message, status=400, code="upstream_rejected_request")
    return ApplicationError(error.message, status=502, code="upstream_error")


def _note_target(ctx: RoutingContext, target: Target) -> None:
    ctx.outcome.provider = target.provider
    ctx.outcome.simulated = target.simulated


async def call_provider(ctx: RoutingContext, target: Target, request: ProviderRequest) -> dict[str, Any]:
    _note_target(ctx, target)
    started = time.perf_counter()
    try:
        completion = await target.adapter.complete(request)
    except ProviderError as error:
        ctx.outcome.upstream_latency_ms = int((time.perf_counter() - started) * 1000)
        raise provider_failure(error, ctx.decision.model.provider_name) from error
    ctx.outcome.upstream_latency_ms = int((time.perf_counter() - started) * 1000)
    ctx.outcome.input_tokens = completion.usage.input_tokens
    ctx.outcome.output_tokens = completion.usage.output_tokens
    ctx.outcome.usage_estimated = completion.usage.estimated
    return completion.body


async def open_stream(
    ctx: RoutingContext, target: Target, request: ProviderRequest, *, ledger: Ledger, catalog: Catalog
) -> StreamingCompletion:
    """Start the upstream stream and wait for its first event, so that a provider that fails
    before sending anything still gets a proper HTTP error status (nothing was sent yet)."""
    _note_target(ctx, target)
    started = time.perf_counter()
    iterator = target.adapter.stream(request).__aiter__()
    try:
        first = await iterator.__anext__()
    except StopAsyncIteration as exc:
        raise ApplicationError(
            "The provider closed the stream without data.", status=502, code="upstream_protocol_error"
        ) from exc
    except ProviderError as error:
        ctx.outcome.upstream_latency_ms = int((time.perf_counter() - started) * 1000)
        raise provider_failure(error, ctx.decision.model.provider_name) from error
    ctx.outcome.ttft_ms = int((time.perf_counter() - started) * 1000)
    return StreamingCompletion(ctx, iterator, first, ledger=ledger, catalog=catalog, started=started)


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

    def _encode(self, chunk: StreamChunk) -> bytes | None:
        if chunk.text:
            self.text_parts.append(chunk.text)
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
            failure = provider_failure(error, self.ctx.decision.model.provider_name)
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
