"""Stage "provider": call the chosen model, and fall back silently when its provider fails.

Candidates are tried in the decision's order (the chosen model, then its ranked alternatives)
within one total deadline. A model whose circuit is open is skipped unless it is the last
hope. A failure the client caused (a 400 from the provider) is not retried elsewhere. A stream
can fall back as long as no byte of it has been sent, which is always the case here: the first
event is awaited before the response starts.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from core.errors import ApplicationError
from routing.catalog import CatalogModel
from routing.health import HealthBoard
from routing.pipeline.context import RoutingContext
from routing.pipeline.failures import provider_failure
from routing.pipeline.streaming import StreamingCompletion
from routing.providers.base import ProviderError, ProviderRequest
from routing.providers.registry import ProviderRegistry, Target

if TYPE_CHECKING:
    from routing.catalog import Catalog
    from routing.pipeline.ledger import Ledger

# Fields of the client's request that are ours to interpret, not the provider's.
_NOT_FORWARDED = frozenset({"model", "messages", "stream", "stream_options"})
MIN_ATTEMPT_SECONDS = 0.05


def provider_request(ctx: RoutingContext, target: Target, model: CatalogModel, *, timeout: float) -> ProviderRequest:
    raw = ctx.raw or {}
    return ProviderRequest(
        model=model.upstream_name,
        messages=raw["messages"],
        params={k: v for k, v in raw.items() if k not in _NOT_FORWARDED},
        credentials=target.credentials,
        timeout=timeout,
        model_info=model,
    )


class Caller:
    """Tries the candidates of one request in order, reporting every outcome to the health board."""

    def __init__(
        self, ctx: RoutingContext, *, registry: ProviderRegistry, credentials: dict, health: HealthBoard, timeout: float
    ):
        self.ctx = ctx
        self.registry = registry
        self.credentials = credentials
        self.health = health
        self.deadline = time.monotonic() + timeout

    def candidates(self) -> list[CatalogModel]:
        decision = self.ctx.decision
        return [decision.model, *decision.fallbacks]

    def _note(self, model: CatalogModel, target: Target, started: float, error: ProviderError | None) -> None:
        latency = (time.monotonic() - started) * 1000
        self.health.record(
            target.provider,
            model.name,
            ok=error is None,
            latency_ms=latency,
            kind=error.kind if error else "",
            rate_limited=bool(error and error.status == 429),
        )
        attempt: dict[str, Any] = {"model": model.name, "provider": target.provider, "ms": int(latency)}
        if error is not None:
            attempt["error"] = provider_failure(error, model.provider_name).code
        self.ctx.outcome.attempts.append(attempt)
        self.ctx.outcome.upstream_latency_ms = int(latency)

    def _serve(self, model: CatalogModel, target: Target) -> None:
        self.ctx.served = model
        self.ctx.outcome.provider = target.provider
        self.ctx.outcome.simulated = target.simulated

    async def run(self, attempt):
        """``attempt(model, target, request)`` → result; returns the first success."""
        candidates = self.candidates()
        last_error: tuple[ProviderError, CatalogModel] | None = None
        for i, model in enumerate(candidates):
            remaining = self.deadline - time.monotonic()
            if remaining < MIN_ATTEMPT_SECONDS:
                break
            target = self.registry.resolve(model, self.credentials)
            if i < len(candidates) - 1 and not self.health.available(target.provider, model.name):
                self.ctx.outcome.attempts.append(
                    {"model": model.name, "provider": target.provider, "skipped": "circuit open"}
                )
                continue
            started = time.monotonic()
            try:
                result = await attempt(model, target, provider_request(self.ctx, target, model, timeout=remaining))
            except ProviderError as error:
                self._note(model, target, started, error)
                last_error = (error, model)
                if not error.retryable:
                    break
                continue
            self._note(model, target, started, None)
            self._serve(model, target)
            return result
        if last_error is None:
            raise ApplicationError(
                "No provider could take the request in time.", status=503, code="no_healthy_provider"
            )
        error, model = last_error
        self.ctx.served = model
        raise provider_failure(error, model.provider_name) from error


async def call_provider(caller: Caller) -> dict[str, Any]:
    async def attempt(model, target, request):
        completion = await target.adapter.complete(request)
        caller.ctx.outcome.input_tokens = completion.usage.input_tokens
        caller.ctx.outcome.output_tokens = completion.usage.output_tokens
        caller.ctx.outcome.usage_estimated = completion.usage.estimated
        return completion.body

    return await caller.run(attempt)


async def open_stream(caller: Caller, *, ledger: Ledger, catalog: Catalog, on_complete=None) -> StreamingCompletion:
    """Start a stream, waiting for its first event so that a failure can still fall back or
    become a proper HTTP error (nothing has been sent yet)."""

    async def attempt(model, target, request):
        iterator = target.adapter.stream(request).__aiter__()
        started = time.perf_counter()
        try:
            first = await iterator.__anext__()
        except StopAsyncIteration as exc:
            raise ProviderError("The provider closed the stream without data.", kind="protocol") from exc
        caller.ctx.outcome.ttft_ms = int((time.perf_counter() - started) * 1000)
        return iterator, first, started

    iterator, first, started = await caller.run(attempt)
    return StreamingCompletion(
        caller.ctx, iterator, first, ledger=ledger, catalog=catalog, started=started, on_complete=on_complete
    )
