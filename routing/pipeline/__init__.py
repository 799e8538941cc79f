"""The request path, top to bottom.

    auth      API key → tenant and key (cached)          tenants/selectors.py, tenants/principal_cache.py
    admit     per-key rate limit                         routing/pipeline/ratelimit.py
    parse     body → ChatRequest, end-user               routing/api/parse.py
    0a cache  exact SHA-256 of the canonical request     routing/pipeline/cache.py
    1 shield  attacks block (403), PII/secrets redacted   routing/pipeline/shield.py (rules: routing/shield/)
    embed     the prompt, once, micro-batched            routing/pipeline/embed.py
    1b shield the vector against written attack examples routing/pipeline/shield.py (routing/shield/semantic.py)
    0b cache  pgvector cosine ≥ the tenant's threshold   routing/pipeline/cache.py
    routes    the tenant's own intents                   routing/pipeline/routes.py
    classify  task type + complexity, in tiers           routing/pipeline/classify.py
    tools     keep the k most relevant tools (optional)  routing/pipeline/tools.py
    select    the cheapest capable healthy model          routing/pipeline/select.py
    provider  call it, fall back when a provider fails   routing/pipeline/upstream.py
    ledger    one RequestRecord per request, whatever the outcome   routing/pipeline/ledger.py

Each stage is a function or small class with typed input and output; :class:`Pipeline` wires
them together and owns the one rule that spans them all: once a request is authenticated,
exactly one ledger row is written for it.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from core.db import db_sync
from core.errors import ApplicationError
from routing.api.parse import decode_json
from routing.catalog import Catalog, CatalogCache, catalog_load
from routing.classifier.task_classifier import TaskClassifier
from routing.encoders.batcher import EmbeddingBatcher
from routing.feedback import task_classifier_for
from routing.health import HealthBoard
from routing.pipeline.cache import CacheStage, replay_body, replay_stream
from routing.pipeline.context import RoutingContext
from routing.pipeline.decide import Prepared, decide, prepare
from routing.pipeline.document import decision_document
from routing.pipeline.ledger import Ledger
from routing.pipeline.ratelimit import RateLimiter, admit, limit_headers
from routing.pipeline.routes import RouteSnapshot, route_snapshot
from routing.pipeline.shield import ShieldStage
from routing.pipeline.streaming import StreamingCompletion
from routing.pipeline.tools import ToolPruner
from routing.pipeline.upstream import Caller, call_provider, open_stream
from routing.providers.registry import ProviderRegistry
from routing.shield.semantic import ExemplarShield
from routing.tenant_cache import PerTenantCache
from tenants.principal_cache import PrincipalCache
from tenants.selectors import (
    KeyRejected,
    PolicySnapshot,
    Principal,
    api_key_authenticate,
    policy_snapshot,
    provider_credentials,
)

BodyReader = Callable[[], Awaitable[bytes]]


@dataclass
class CompletionResult:
    body: dict
    headers: dict[str, str]


@dataclass
class StreamResult:
    stream: StreamingCompletion
    headers: dict[str, str]


class Pipeline:
    def __init__(
        self,
        *,
        catalog_cache: CatalogCache,
        registry: ProviderRegistry,
        limiter: RateLimiter,
        ledger: Ledger,
        upstream_timeout: float,
        classifier: TaskClassifier,
        batcher: EmbeddingBatcher | None = None,
        health: HealthBoard | None = None,
        principal_cache: PrincipalCache | None = None,
        shield_vectors: ExemplarShield | None = None,
    ):
        self.catalog_cache = catalog_cache
        self.registry = registry
        self.limiter = limiter
        self.ledger = ledger
        self.upstream_timeout = upstream_timeout
        self.classifier = classifier
        self.batcher = batcher
        self.health = health or HealthBoard()
        self.principal_cache = principal_cache or PrincipalCache()
        self.credential_cache: PerTenantCache[dict] = PerTenantCache()
        self.policy_cache: PerTenantCache[PolicySnapshot] = PerTenantCache()
        self.route_cache: PerTenantCache[RouteSnapshot] = PerTenantCache(ttl=300)
        self.classifier_cache: PerTenantCache[TaskClassifier] = PerTenantCache(ttl=300)
        self.tool_pruner = ToolPruner(batcher.embed if batcher is not None else None)
        self.cache = CacheStage()
        self.shield = ShieldStage(shield_vectors)

    # --- cached reads -------------------------------------------------------------------------
    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller's principal: from the cache when it can be trusted, else one query."""
        principal = self.principal_cache.get(authorization)
        if principal is None:
            principal = await db_sync(api_key_authenticate)(authorization=authorization)
            self.principal_cache.store(authorization, principal)
        return principal

    async def catalog(self) -> Catalog:
        return self.catalog_cache.current() or self.catalog_cache.store(await db_sync(catalog_load)())

    async def tenant_credentials(self, tenant_id: int) -> dict[str, tuple[str, str]]:
        return await self.credential_cache.get_or_load(tenant_id, provider_credentials)

    async def policy(self, tenant_id: int) -> PolicySnapshot:
        return await self.policy_cache.get_or_load(tenant_id, policy_snapshot)

    async def routes(self, tenant_id: int) -> RouteSnapshot:
        return await self.route_cache.get_or_load(tenant_id, route_snapshot)

    async def task_classifier(self, tenant_id: int) -> TaskClassifier:
        """The tenant's own head when its feedback refitted one, else the shared classifier."""
        return await self.classifier_cache.get_or_load(tenant_id, task_classifier_for, default=self.classifier)

    def trust_caches(self, trusted: bool) -> None:
        """Called by the invalidation listener: caches are only safe while it is connected."""
        self.principal_cache.set_enabled(trusted)
        for cache in self._tenant_caches():
            cache.clear()
        self.catalog_cache.invalidate()

    def on_invalidation(self, message: dict) -> None:
        if message.get("topic") == "catalog":
            self.catalog_cache.invalidate()
        elif message.get("topic") == "tenant":
            for cache in self._tenant_caches():
                cache.forget(message.get("tenant_id"))

    def _tenant_caches(self) -> tuple[PerTenantCache, ...]:
        return (self.credential_cache, self.policy_cache, self.route_cache, self.classifier_cache)

    # --- the request path ---------------------------------------------------------------------
    async def reject(self, ctx: RoutingContext, error: KeyRejected) -> None:
        """A recognised key that may not be used: recorded against its tenant, then refused."""
        await self._fail(ctx, error)

    async def chat_completion(
        self, ctx: RoutingContext, *, read_body: BodyReader, headers: Mapping[str, str]
    ) -> CompletionResult | StreamResult:
        try:
            admission = await admit(self.limiter, key=ctx.principal.api_key_id, limit=ctx.principal.rate_limit_rpm)
            prepared = await prepare(self, ctx, raw=decode_json(await read_body()), headers=headers)
            if prepared.hit is not None:
                return await self._from_cache(ctx, prepared, admission)
            catalog = await decide(self, ctx, prepared)
            caller = Caller(
                ctx,
                registry=self.registry,
                credentials=await self.tenant_credentials(ctx.principal.tenant_id),
                health=self.health,
                timeout=self.upstream_timeout,
            )
            if ctx.request.stream:
                stream = await open_stream(
                    caller, ledger=self.ledger, catalog=catalog, on_complete=self._store_stream(ctx, prepared)
                )
                return StreamResult(stream, {**self.ledger.decision_headers(ctx), **limit_headers(admission)})
            body = await call_provider(caller)
        except ApplicationError as error:
            await self._fail(ctx, error)
            raise
        except BaseException:
            await self._fail(ctx, ApplicationError("Internal error.", status=500, code="server_error"))
            raise
        bill = await self.ledger.record(ctx, catalog)
        if prepared.plan.eligible:
            self.cache.store_later(ctx, prepared.plan, prepared.embedded, body, prepared.policy.cache_ttl_seconds)
        headers_out = {
            **self.ledger.decision_headers(ctx),
            **limit_headers(admission),
            **self.ledger.cost_headers(bill),
        }
        return CompletionResult(body=body, headers=headers_out)

    async def _from_cache(self, ctx: RoutingContext, prepared: Prepared, admission) -> CompletionResult | StreamResult:
        """Answer from the cache: no model call, cost 0, savings = the replayed answer's baseline."""
        hit = prepared.hit
        catalog = await self.catalog()
        ctx.cache_hit = hit
        ctx.served = catalog.get(hit.model_name)
        ctx.outcome.provider, ctx.outcome.simulated = "cache", hit.simulated
        ctx.outcome.input_tokens, ctx.outcome.output_tokens = hit.input_tokens, hit.output_tokens
        self.cache.hit(ctx, hit)
        headers_out = {**self.ledger.cache_headers(ctx, hit), **limit_headers(admission)}
        if ctx.request.stream:
            iterator = replay_stream(ctx, hit).__aiter__()
            first = await iterator.__anext__()
            return StreamResult(
                StreamingCompletion(
                    ctx, iterator, first, ledger=self.ledger, catalog=catalog, started=time.perf_counter()
                ),
                headers_out,
            )
        bill = await self.ledger.record(ctx, catalog)
        return CompletionResult(body=replay_body(ctx, hit), headers={**headers_out, **self.ledger.cost_headers(bill)})

    def _store_stream(self, ctx: RoutingContext, prepared: Prepared):
        if not prepared.plan.eligible:
            return None

        def store(body: dict) -> None:
            self.cache.store_later(ctx, prepared.plan, prepared.embedded, body, prepared.policy.cache_ttl_seconds)

        return store

    async def route(self, ctx: RoutingContext, *, read_body: BodyReader, headers: Mapping[str, str]) -> dict:
        """The decision for a request, without calling a model (``POST /api/v1/route``)."""
        ctx.endpoint = "route"
        try:
            await admit(self.limiter, key=ctx.principal.api_key_id, limit=ctx.principal.rate_limit_rpm)
            prepared = await prepare(self, ctx, raw=decode_json(await read_body()), headers=headers, replay=False)
            catalog = await decide(self, ctx, prepared)
            credentials = await self.tenant_credentials(ctx.principal.tenant_id)
        except ApplicationError as error:
            await self._fail(ctx, error)
            raise
        except BaseException:
            await self._fail(ctx, ApplicationError("Internal error.", status=500, code="server_error"))
            raise
        target = self.registry.resolve(ctx.decision.model, credentials)
        ctx.outcome.provider, ctx.outcome.simulated = target.provider, target.simulated
        await self.ledger.record(ctx, catalog)
        return decision_document(ctx, catalog, simulated=target.simulated)

    async def _fail(self, ctx: RoutingContext, error: ApplicationError) -> None:
        ctx.outcome.http_status = error.status
        ctx.outcome.error_code = error.code
        ctx.outcome.status = self.ledger.status_for(error)
        catalog = self.catalog_cache.current()
        if catalog is None:
            try:
                catalog = await self.catalog()
            except Exception:  # the ledger row matters more than its cost columns here
                catalog = None
        await self.ledger.record(ctx, catalog)
        error.headers = {**(error.headers or {}), "X-NeuralRouting-Decision-Id": str(ctx.decision_id)}

    async def aclose(self) -> None:
        await self.registry.aclose()
        await self.limiter.aclose()
        if self.batcher is not None:
            self.batcher.close()
