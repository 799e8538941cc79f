"""The cognitive tier's calls: the tenant's router model, through the normal provider layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from routing.catalog import Catalog
from routing.pipeline.classify import RouterCall
from routing.pipeline.context import RoutingContext
from routing.providers.base import ProviderError, ProviderRequest, Usage
from tenants.selectors import PolicySnapshot

if TYPE_CHECKING:
    from routing.pipeline import Pipeline

ROUTER_TIMEOUT_SECONDS = 5.0
ROUTER_MAX_TOKENS = 60


def router_call_for(
    pipeline: Pipeline, ctx: RoutingContext, policy: PolicySnapshot, catalog: Catalog
) -> RouterCall | None:
    if not policy.cognitive_enabled:
        return None
    model = catalog.get(policy.router_model) or min(
        (m for m in catalog.models() if m.tier == "economy"), key=lambda m: m.input_price_per_mtok, default=None
    )
    if model is None:
        return None

    async def call(messages: list[dict]) -> tuple[str | None, Usage]:
        target = pipeline.registry.resolve(model, await pipeline.tenant_credentials(ctx.principal.tenant_id))
        request = ProviderRequest(
            model=model.upstream_name,
            messages=messages,
            params={"temperature": 0, "max_tokens": ROUTER_MAX_TOKENS},
            credentials=target.credentials,
            timeout=min(ROUTER_TIMEOUT_SECONDS, pipeline.upstream_timeout),
            model_info=model,
        )
        try:
            completion = await target.adapter.complete(request)
        except ProviderError:
            return None, Usage()  # an unavailable router leaves the semantic verdict in place
        ctx.router_usage.append((model, completion.usage))
        choices = completion.body.get("choices") or [{}]
        return (choices[0].get("message") or {}).get("content"), completion.usage

    return call
