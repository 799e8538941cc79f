"""Stages 0a and 0b, the cache: an exact hit before anything else, a semantic hit after the shield.

Only successful, complete answers (finish reason ``stop``, no tool calls) are stored, with the
shield ruleset version they passed; a lookup under another version is a miss. A stored answer
that no longer reads as a chat completion is removed and treated as a miss. When the database
cannot answer, the request goes on uncached and the skip is counted: the cache may make a
request cheaper or faster, never fail it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from django.db import DatabaseError, connection, transaction

from core import metrics
from core.db import db_sync
from finops.pricing import price
from routing.cache import store
from routing.cache.keys import CachePlan
from routing.pipeline.context import RoutingContext
from routing.pipeline.embed import Embedded
from routing.providers.base import StreamChunk, Usage, usage_chunk

logger = logging.getLogger(__name__)

REPLAY_CHUNK_WORDS = 4


def _savepointed(fn, **kwargs):
    """Inside a caller's transaction, a failed cache statement must not abort it: use a savepoint."""
    if not connection.in_atomic_block:
        return fn(**kwargs)
    with transaction.atomic():
        return fn(**kwargs)


def _readable(answer: store.CachedAnswer) -> bool:
    try:
        message = answer.response["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(message, dict) and isinstance(message.get("content"), str)


class CacheStage:
    def __init__(self) -> None:
        self._pending: set[asyncio.Task] = set()

    async def _guarded(self, fn, **kwargs):
        try:
            return await db_sync(_savepointed)(fn, **kwargs)
        except DatabaseError:
            metrics.CACHE_SKIPPED.labels(fn.__name__).inc()
            logger.warning("cache %s skipped: database unavailable", fn.__name__, exc_info=True)
            return None

    async def _checked(self, ctx: RoutingContext, answer: store.CachedAnswer | None) -> store.CachedAnswer | None:
        if answer is None or _readable(answer):
            return answer
        logger.error("cache entry %s is corrupt; removed", answer.id)
        await self._guarded(store.delete, tenant_id=ctx.principal.tenant_id, entry_id=answer.id)
        return None

    async def exact(self, ctx: RoutingContext, plan: CachePlan) -> store.CachedAnswer | None:
        answer = await self._guarded(
            store.exact_lookup,
            tenant_id=ctx.principal.tenant_id,
            exact_hash=plan.exact_hash,
            ruleset=plan.ruleset,
        )
        return await self._checked(ctx, answer)

    async def semantic(
        self, ctx: RoutingContext, plan: CachePlan, embedded: Embedded, threshold: float
    ) -> tuple[store.CachedAnswer | None, float | None]:
        if plan.semantic_key is None or embedded.vector is None or embedded.truncated or embedded.binary_removed:
            return None, None  # only whole, plain single-turn prompts are compared by meaning
        found = await self._guarded(
            store.semantic_lookup,
            tenant_id=ctx.principal.tenant_id,
            semantic_key=plan.semantic_key,
            ruleset=plan.ruleset,
            vector=embedded.vector,
            threshold=threshold,
        )
        if found is None:
            return None, None
        answer, similarity, _ = found
        return await self._checked(ctx, answer), similarity

    def hit(self, ctx: RoutingContext, answer: store.CachedAnswer) -> None:
        """Count the hit in the background: the client does not wait for bookkeeping."""
        self._background(self._guarded(store.record_hit, entry_id=answer.id))

    def store_later(
        self, ctx: RoutingContext, plan: CachePlan, embedded: Embedded | None, body: dict[str, Any], ttl_seconds: int
    ) -> None:
        choice = (body.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        if (
            choice.get("finish_reason") != "stop"
            or message.get("tool_calls")
            or not isinstance(message.get("content"), str)
        ):
            return
        served = ctx.served or ctx.decision.model
        semantic = plan.semantic_key if embedded and embedded.vector is not None and not embedded.truncated else ""
        entry = store.NewEntry(
            tenant_id=ctx.principal.tenant_id,
            exact_hash=plan.exact_hash,
            semantic_key=semantic or "",
            embedding=embedded.vector if semantic else None,
            ruleset_version=plan.ruleset,
            requested_model=ctx.requested_model or "auto",
            model_name=served.name,
            provider=ctx.outcome.provider,
            simulated=ctx.outcome.simulated,
            end_user=ctx.end_user,
            prompt_preview=(embedded.text if embedded else "")[:200],
            task_type=ctx.classification.task_type if ctx.classification else "",
            response={k: v for k, v in body.items() if k not in ("id", "created")},
            input_tokens=ctx.outcome.input_tokens,
            output_tokens=ctx.outcome.output_tokens,
            # what producing the answer cost, priced as the ledger priced it
            cost_usd=price(served, input_tokens=ctx.outcome.input_tokens, output_tokens=ctx.outcome.output_tokens),
            ttl_seconds=ttl_seconds,
            replace=not plan.read,
        )
        self._background(self._guarded(store.insert, entry=entry))

    def _background(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        """Wait for background writes (tests, shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)


def replay_body(ctx: RoutingContext, answer: store.CachedAnswer) -> dict[str, Any]:
    return {**answer.response, "id": f"chatcmpl-cache-{ctx.decision_id.hex[:24]}", "created": int(time.time())}


async def replay_stream(ctx: RoutingContext, answer: store.CachedAnswer) -> AsyncIterator[StreamChunk]:
    """A stored answer as a stream, for a client that asked for one."""
    body = replay_body(ctx, answer)
    envelope = {k: body[k] for k in ("id", "created", "model") if k in body}
    envelope["object"] = "chat.completion.chunk"
    if body.get("system_fingerprint"):
        envelope["system_fingerprint"] = body["system_fingerprint"]
    message = body["choices"][0]["message"]

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    yield StreamChunk(data=chunk({"role": "assistant", "content": ""}))
    words = message["content"].split(" ")
    for start in range(0, len(words), REPLAY_CHUNK_WORDS):
        piece = " ".join(words[start : start + REPLAY_CHUNK_WORDS])
        piece += " " if start + REPLAY_CHUNK_WORDS < len(words) else ""
        yield StreamChunk(data=chunk({"content": piece}), text=piece)
    yield StreamChunk(data=chunk({}, body["choices"][0].get("finish_reason") or "stop"))
    yield usage_chunk(envelope, Usage(answer.input_tokens, answer.output_tokens))
