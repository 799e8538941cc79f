"""The request path, top to bottom.

    auth      API key → tenant, key, policy (cached)         tenants/selectors.py, tenants/principal_cache.py
    admit     per-key rate limit                             routing/pipeline/ratelimit.py
    parse     body → ChatRequest, end-user                   routing/api/parse.py
    select    which model serves it                          routing/pipeline/select.py
    provider  call it (simulator without credentials)        routing/providers/
    ledger    one RequestRecord per request, whatever the outcome   routing/pipeline/ledger.py

Each stage is a function or small class with typed input and output; :class:`Pipeline` only
wires them together and owns the one rule that spans them all: once a request is
authenticated, exactly one ledger row is written for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from core.db import db_sync
from core.errors import ApplicationError
from routing.api.parse import decode_json, end_user_of, parse_chat_request
from routing.catalog import Catalog, CatalogCache, catalog_load
from routing.pipeline.context import RoutingContext
from routing.pipeline.ledger import Ledger
from routing.pipeline.ratelimit import RateLimiter, admit, limit_headers
from routing.pipeline.select import select_model
from routing.pipeline.upstream import StreamingCompletion, call_provider, open_stream, provider_request
from routing.providers.registry import ProviderRegistry, TenantCredentialCache
from tenants.principal_cache import PrincipalCache
from tenants.selectors import KeyRejected, Principal, api_key_authenticate, provider_credentials

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
        credential_cache: TenantCredentialCache,
        limiter: RateLimiter,
        ledger: Ledger,
        upstream_timeout: float,
        principal_cache: PrincipalCache | None = None,
    ):
        self.principal_cache = principal_cache or PrincipalCache()
        self.catalog_cache = catalog_cache
        self.registry = registry
        self.credential_cache = credential_cache
        self.limiter = limiter
        self.ledger = ledger
        self.upstream_timeout = upstream_timeout

    async def authenticate(self, authorization: str | None) -> Principal:
        """The caller's principal: from the cache when it can be trusted, else one query."""
        principal = self.principal_cache.get(authorization)
        if principal is None:
            principal = await db_sync(api_key_authenticate)(authorization=authorization)
            self.principal_cache.store(authorization, principal)
        return principal

    def trust_caches(self, trusted: bool) -> None:
        """Called by the invalidation listener: caches are only safe while it is connected."""
        self.principal_cache.set_enabled(trusted)
        self.credential_cache.clear()
        self.catalog_cache.invalidate()

    def on_invalidation(self, message: dict) -> None:
        if message.get("topic") == "catalog":
            self.catalog_cache.invalidate()
        elif message.get("topic") == "tenant":
            self.credential_cache.forget(message.get("tenant_id"))

    async def catalog(self) -> Catalog:
        return self.catalog_cache.current() or self.catalog_cache.store(await db_sync(catalog_load)())

    async def tenant_credentials(self, tenant_id: int) -> dict[str, tuple[str, str]]:
        cached = self.credential_cache.get(tenant_id)
        if cached is not None:
            return cached
        found = await db_sync(provider_credentials)(tenant_id=tenant_id)
        return self.credential_cache.store(tenant_id, found)

    async def reject(self, ctx: RoutingContext, error: KeyRejected) -> None:
        """A recognised key that may not be used: recorded against its tenant, then refused."""
        await self._fail(ctx, error)

    async def chat_completion(
        self, ctx: RoutingContext, *, read_body: BodyReader, headers: Mapping[str, str]
    ) -> CompletionResult | StreamResult:
        try:
            admission = await admit(self.limiter, key=ctx.principal.api_key_id, limit=ctx.principal.rate_limit_rpm)
            ctx.raw = decode_json(await read_body())
            ctx.request = parse_chat_request(ctx.raw)
            ctx.end_user = end_user_of(ctx.request, headers)
            catalog = await self.catalog()
            ctx.decision = select_model(
                decision_id=ctx.decision_id,
                requested=ctx.request.model,
                principal=ctx.principal,
                catalog=catalog,
            )
            target = self.registry.resolve(ctx.decision.model, await self.tenant_credentials(ctx.principal.tenant_id))
            request = provider_request(ctx, target, timeout=self.upstream_timeout)
            result_headers = {**self.ledger.decision_headers(ctx, target), **limit_headers(admission)}
            if ctx.request.stream:
                stream = await open_stream(ctx, target, request, ledger=self.ledger, catalog=catalog)
                return StreamResult(stream=stream, headers=result_headers)
            body = await call_provider(ctx, target, request)
        except ApplicationError as error:
            await self._fail(ctx, error)
            raise
        except BaseException:
            await self._fail(ctx, ApplicationError("Internal error.", status=500, code="server_error"))
            raise
        charge = await self.ledger.record(ctx, await self.catalog())
        return CompletionResult(body=body, headers={**result_headers, **self.ledger.cost_headers(charge)})

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
