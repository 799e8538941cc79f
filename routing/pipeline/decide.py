"""The stages before a model is called: parse → exact cache → shield → embed → semantic cache →
tenant routes → classify → tools → select. Used by completions and by ``POST /api/v1/route``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core import metrics
from routing.api.parse import end_user_of, parse_chat_request
from routing.cache.keys import CachePlan, plan_for
from routing.cache.store import CachedAnswer
from routing.catalog import Catalog
from routing.pipeline.classify import classify
from routing.pipeline.context import RoutingContext
from routing.pipeline.embed import Embedded, embed_prompt
from routing.pipeline.prompt import PromptView, prompt_view
from routing.pipeline.router_llm import router_call_for
from routing.pipeline.rules import parse_rules
from routing.pipeline.select import Classified, RequestFacts, RoutingPolicy, select_model
from routing.pipeline.shield import cache_ruleset
from tenants.selectors import PolicySnapshot

if TYPE_CHECKING:
    from routing.pipeline import Pipeline


@dataclass
class Prepared:
    policy: PolicySnapshot
    plan: CachePlan
    view: PromptView | None = None
    embedded: Embedded | None = None
    hit: CachedAnswer | None = None


async def prepare(
    pipeline: Pipeline, ctx: RoutingContext, *, raw: dict, headers: Mapping[str, str], replay: bool = True
) -> Prepared:
    """Parse the request and look it up in the cache: exactly first, then by meaning.

    With ``replay=False`` (a dry run) both lookups still run and report, but nothing is served.
    """
    ctx.raw = raw
    ctx.request = parse_chat_request(raw)
    ctx.end_user = end_user_of(ctx.request, headers)
    tenant_id = ctx.principal.tenant_id
    policy = await pipeline.policy(tenant_id)
    plan = plan_for(
        tenant_id=tenant_id,
        requested_model=ctx.request.model,
        raw=raw,
        end_user=ctx.end_user,
        policy=policy,
        cache_control=headers.get("cache-control"),
    )
    plan = replace(plan, ruleset=cache_ruleset(policy))
    ctx.cache_outcome = plan.outcome_if_skipped or ("miss" if plan.read else "refresh")
    prepared = Prepared(policy=policy, plan=plan)
    if plan.lookup:
        hit = await pipeline.cache.exact(ctx, plan)
        if hit is not None:
            ctx.cache_outcome, prepared.hit = "exact", hit
            if replay:
                return prepared
    await pipeline.shield.check(ctx, policy)  # may block (403) or redact ctx.raw
    prepared.view = prompt_view(ctx.raw)
    prepared.embedded = await embed_prompt(pipeline.batcher, prepared.view.text)
    # The shield's vector layer, before the semantic cache: a paraphrased attack must not ride in on
    # a cosine match. May block (403).
    pipeline.shield.check_meaning(ctx, policy, prepared.embedded.vector, prepared.embedded.text or prepared.view.text)
    if plan.lookup and prepared.hit is None:
        hit, similarity = await pipeline.cache.semantic(ctx, plan, prepared.embedded, policy.cache_threshold)
        ctx.cache_similarity = similarity
        if hit is not None:
            ctx.cache_outcome, prepared.hit = "semantic", hit
    metrics.CACHE_LOOKUPS.labels(ctx.cache_outcome).inc()
    return prepared


async def decide(pipeline: Pipeline, ctx: RoutingContext, prepared: Prepared) -> Catalog:
    """Tenant routes, classification, tool pruning and model selection; fills ``ctx.decision``."""
    catalog = await pipeline.catalog()
    tenant_id = ctx.principal.tenant_id
    policy, view, embedded = prepared.policy, prepared.view, prepared.embedded
    route = (await pipeline.routes(tenant_id)).match(embedded.vector, embedded.text)
    ctx.route = route
    ctx.classification = await classify(
        classifier=await pipeline.task_classifier(tenant_id),
        text=view.text,
        system=view.system,
        embedded=embedded,
        policy=policy,
        router_call=router_call_for(pipeline, ctx, policy, catalog),
    )
    c = ctx.classification
    prompt_tokens = view.prompt_tokens
    if policy.tool_pruning_top_k and ctx.raw.get("tools"):
        pruned = await pipeline.tool_pruner.prune(
            ctx.raw,
            top_k=policy.tool_pruning_top_k,
            text=embedded.text or view.text,
            vector=embedded.vector,
            task_type=c.task_type,
        )
        if pruned is not None:
            ctx.raw = {**ctx.raw, "tools": pruned.tools}
            ctx.tools_pruned = pruned
            prompt_tokens -= pruned.tokens_saved
    ctx.prompt_tokens = prompt_tokens
    ctx.decision = select_model(
        decision_id=ctx.decision_id,
        requested=ctx.request.model,
        classified=Classified(c.task_type, c.complexity, c.confidence, c.probabilities),
        facts=RequestFacts(
            prompt_tokens=prompt_tokens,
            max_output_tokens=ctx.request.output_limit,
            needs_tools=view.needs_tools,
            needs_json=view.needs_json,
            needs_vision=view.needs_vision,
            end_user=ctx.end_user,
            api_key_prefix=ctx.principal.api_key_prefix,
            route=route.name if route else None,
        ),
        policy=RoutingPolicy(
            policy.mode,
            policy.default_model,
            policy.disabled_models,
            parse_rules(policy.custom_rules) if policy.mode == "custom" else (),
        ),
        catalog=catalog,
        health=pipeline.health,
        route=route,
    )
    return catalog
