"""Stage "ledger": exactly one RequestRecord per authenticated request, costed in Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core import metrics
from core.errors import ApplicationError
from finops.models import RequestStatus
from finops.pricing import Charge, charge, price
from finops.services import LedgerEntry
from finops.spool import LedgerSpool
from routing.catalog import Catalog, CatalogModel
from routing.pipeline.context import RoutingContext
from routing.pipeline.ledger_writer import LedgerWriter

_STATUS_BY_HTTP = {
    401: RequestStatus.FORBIDDEN,
    403: RequestStatus.FORBIDDEN,
    404: RequestStatus.NOT_FOUND,
    413: RequestStatus.TOO_LARGE,
    429: RequestStatus.RATE_LIMITED,
    502: RequestStatus.UPSTREAM_ERROR,
    503: RequestStatus.UPSTREAM_ERROR,
    504: RequestStatus.UPSTREAM_TIMEOUT,
}
_UPSTREAM_CODES = frozenset({"upstream_rate_limited", "upstream_rejected_request"})


def served_model(ctx: RoutingContext) -> CatalogModel | None:
    return ctx.served or (ctx.decision.model if ctx.decision else None)


def served_name(ctx: RoutingContext) -> str:
    """The answering model's name, even for a replay of a model since removed from the catalog."""
    model = served_model(ctx)
    return model.name if model else (ctx.cache_hit.model_name if ctx.cache_hit else "")


def _money(value) -> str:
    return format(value.normalize(), "f") if value else "0"


class Ledger:
    def __init__(self, *, spool: LedgerSpool):
        self.spool = spool
        self.writer = LedgerWriter(spool=spool)

    @staticmethod
    def status_for(error: ApplicationError) -> str:
        if error.code == "shield_blocked":
            return RequestStatus.BLOCKED
        if error.code in _UPSTREAM_CODES:
            return RequestStatus.UPSTREAM_ERROR
        if error.status >= 500 and error.status not in _STATUS_BY_HTTP:
            return RequestStatus.SERVER_ERROR
        return _STATUS_BY_HTTP.get(error.status, RequestStatus.INVALID_REQUEST)

    @staticmethod
    def charge(ctx: RoutingContext, catalog: Catalog | None) -> Charge:
        """The answer's cost on the model that served it, plus any router-LLM calls; the baseline is
        the answer's tokens at GPT-4o's price (routing overhead has no baseline: it is ours)."""
        model = served_model(ctx)
        if catalog is None:
            return charge(None, None, input_tokens=0, output_tokens=0)
        if ctx.cache_hit is not None:  # a replay costs nothing and saves what the answer would cost on GPT-4o
            return Charge(
                Decimal(0),
                price(catalog.baseline, input_tokens=ctx.outcome.input_tokens, output_tokens=ctx.outcome.output_tokens),
            )
        bill = charge(
            model, catalog.baseline, input_tokens=ctx.outcome.input_tokens, output_tokens=ctx.outcome.output_tokens
        )
        router = sum(
            (price(m, input_tokens=u.input_tokens, output_tokens=u.output_tokens) for m, u in ctx.router_usage),
            Decimal(0),
        )
        return Charge(bill.cost_usd + router, bill.baseline_cost_usd) if router else bill

    def entry(self, ctx: RoutingContext, bill: Charge) -> LedgerEntry:
        decision = ctx.decision
        outcome = ctx.outcome
        model = served_model(ctx)
        details: dict[str, Any] = decision.as_dict() if decision else {}
        classification = ctx.classification
        if classification is not None:
            details["classification"] = classification.as_dict()
        if outcome.attempts:
            details["attempts"] = outcome.attempts
        if ctx.tools_pruned is not None:
            details["tool_pruning"] = {
                "kept": len(ctx.tools_pruned.tools),
                "removed": list(ctx.tools_pruned.removed),
                "input_tokens_saved": ctx.tools_pruned.tokens_saved,
            }
        if ctx.cache_hit is not None:
            details["cache"] = {
                "entry": ctx.cache_hit.id,
                "outcome": ctx.cache_outcome,
                "similarity": ctx.cache_similarity,
            }
        if ctx.shield is not None:
            details["shield"] = ctx.shield.as_dict()
        if ctx.route is not None:
            details["route"] = {
                "name": ctx.route.name,
                "score": round(ctx.route.score, 4),
                "threshold": round(ctx.route.threshold, 4),
            }
        if model is not None and decision is not None and model.name != decision.model.name:
            details["served_by_fallback"] = model.name
        if ctx.router_usage:
            details["router_calls"] = [
                {"model": m.name, "input_tokens": u.input_tokens, "output_tokens": u.output_tokens}
                for m, u in ctx.router_usage
            ]
        if outcome.usage_estimated:
            details["usage_estimated"] = True
        return LedgerEntry(
            decision_id=ctx.decision_id,
            tenant_id=ctx.principal.tenant_id,
            api_key_id=ctx.principal.api_key_id,
            api_key_prefix=ctx.principal.api_key_prefix,
            created_at=ctx.created_at,
            status=outcome.status,
            http_status=outcome.http_status,
            end_user=ctx.end_user,
            endpoint=ctx.endpoint,
            requested_model=ctx.requested_model,
            model_id=model.id if model else None,
            model_name=served_name(ctx),
            provider=outcome.provider,
            simulated=outcome.simulated,
            stream=ctx.stream,
            error_code=outcome.error_code,
            input_tokens=outcome.input_tokens,
            output_tokens=outcome.output_tokens,
            cost_usd=bill.cost_usd,
            baseline_cost_usd=bill.baseline_cost_usd,
            latency_ms=ctx.elapsed_ms(),
            upstream_latency_ms=outcome.upstream_latency_ms,
            ttft_ms=outcome.ttft_ms,
            task_type=classification.task_type
            if classification
            else (ctx.cache_hit.task_type if ctx.cache_hit else ""),
            complexity=classification.complexity if classification else None,
            confidence=round(classification.confidence, 4) if classification else None,
            tier_used=classification.tier_used if classification else "",
            attempts=sum(1 for a in outcome.attempts if "skipped" not in a),
            cache_outcome=ctx.cache_outcome,
            cache_similarity=round(ctx.cache_similarity, 4) if ctx.cache_similarity is not None else None,
            shield_outcome=ctx.shield.outcome if ctx.shield is not None else "",
            decision=details,
        )

    async def record(self, ctx: RoutingContext, catalog: Catalog | None) -> Charge:
        """Write the row once; if the database refuses, spool it for the background replay."""
        bill = self.charge(ctx, catalog)
        if ctx.recorded:
            return bill
        ctx.recorded = True
        entry = self.entry(ctx, bill)
        metrics.REQUESTS.labels(entry.status, entry.provider or "none").inc()
        metrics.LATENCY.observe(entry.latency_ms / 1000)
        await self.writer.write(entry)
        return bill

    @staticmethod
    def decision_headers(ctx: RoutingContext) -> dict[str, str]:
        headers = {
            "X-NeuralRouting-Decision-Id": str(ctx.decision_id),
            "X-NeuralRouting-Model": served_name(ctx),
            "X-NeuralRouting-Provider": ctx.outcome.provider,
            "X-NeuralRouting-Simulated": "true" if ctx.outcome.simulated else "false",
            "X-NeuralRouting-Mode": ctx.decision.mode,
        }
        if ctx.cache_outcome:
            headers["X-NeuralRouting-Cache"] = ctx.cache_outcome
        if ctx.cache_similarity is not None:  # a miss says how close the nearest answer was
            headers["X-NeuralRouting-Cache-Similarity"] = f"{ctx.cache_similarity:.4f}"
        if ctx.shield is not None:
            headers["X-NeuralRouting-Shield"] = ctx.shield.outcome
        if ctx.tools_pruned is not None:
            headers["X-NeuralRouting-Tools-Pruned"] = str(len(ctx.tools_pruned.removed))
        classification = ctx.classification
        if classification is not None:
            headers.update(
                {
                    "X-NeuralRouting-Task-Type": classification.task_type,
                    "X-NeuralRouting-Complexity": f"{classification.complexity:.3f}",
                    "X-NeuralRouting-Confidence": f"{classification.confidence:.3f}",
                    "X-NeuralRouting-Tier": classification.tier_used,
                }
            )
        return headers

    @staticmethod
    def cache_headers(ctx: RoutingContext, hit) -> dict[str, str]:
        headers = {
            "X-NeuralRouting-Decision-Id": str(ctx.decision_id),
            "X-NeuralRouting-Model": hit.model_name,
            "X-NeuralRouting-Provider": "cache",
            "X-NeuralRouting-Simulated": "true" if hit.simulated else "false",
            "X-NeuralRouting-Cache": ctx.cache_outcome,
        }
        if ctx.cache_similarity is not None:
            headers["X-NeuralRouting-Cache-Similarity"] = f"{ctx.cache_similarity:.4f}"
        return headers

    @staticmethod
    def cost_headers(bill: Charge) -> dict[str, str]:
        return {
            "X-NeuralRouting-Cost": _money(bill.cost_usd),
            "X-NeuralRouting-Baseline-Cost": _money(bill.baseline_cost_usd),
            "X-NeuralRouting-Savings": _money(bill.savings_usd),
        }

    def stream_summary(self, ctx: RoutingContext, catalog: Catalog) -> dict[str, Any]:
        """Cost figures added to the final usage chunk of a stream (headers went out too early)."""
        bill = self.charge(ctx, catalog)
        return {
            "decision_id": str(ctx.decision_id),
            "model": served_model(ctx).name
            if served_model(ctx)
            else (ctx.cache_hit.model_name if ctx.cache_hit else ""),
            "cost_usd": _money(bill.cost_usd),
            "baseline_cost_usd": _money(bill.baseline_cost_usd),
            "savings_usd": _money(bill.savings_usd),
            "simulated": ctx.outcome.simulated,
        }
