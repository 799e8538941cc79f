"""Stage "ledger": exactly one RequestRecord per authenticated request, costed in Decimal."""

from __future__ import annotations

from typing import Any

from core import metrics
from core.errors import ApplicationError
from finops.models import RequestStatus
from finops.pricing import Charge, charge
from finops.services import LedgerEntry
from finops.spool import LedgerSpool
from routing.catalog import Catalog
from routing.pipeline.context import RoutingContext
from routing.pipeline.ledger_writer import LedgerWriter
from routing.providers.registry import Target

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


def _money(value) -> str:
    return format(value.normalize(), "f") if value else "0"


class Ledger:
    def __init__(self, *, spool: LedgerSpool):
        self.spool = spool
        self.writer = LedgerWriter(spool=spool)

    @staticmethod
    def status_for(error: ApplicationError) -> str:
        if error.code in _UPSTREAM_CODES:
            return RequestStatus.UPSTREAM_ERROR
        if error.status >= 500 and error.status not in _STATUS_BY_HTTP:
            return RequestStatus.SERVER_ERROR
        return _STATUS_BY_HTTP.get(error.status, RequestStatus.INVALID_REQUEST)

    @staticmethod
    def charge(ctx: RoutingContext, catalog: Catalog | None) -> Charge:
        model = ctx.decision.model if ctx.decision else None
        if catalog is None:
            return charge(None, None, input_tokens=0, output_tokens=0)
        return charge(
            model, catalog.baseline, input_tokens=ctx.outcome.input_tokens, output_tokens=ctx.outcome.output_tokens
        )

    def entry(self, ctx: RoutingContext, bill: Charge) -> LedgerEntry:
        decision = ctx.decision
        outcome = ctx.outcome
        details: dict[str, Any] = decision.as_dict() if decision else {}
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
            requested_model=ctx.requested_model,
            model_id=decision.model.id if decision else None,
            model_name=decision.model.name if decision else "",
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
    def decision_headers(ctx: RoutingContext, target: Target) -> dict[str, str]:
        return {
            "X-NeuralRouting-Decision-Id": str(ctx.decision_id),
            "X-NeuralRouting-Model": ctx.decision.model.name,
            "X-NeuralRouting-Provider": target.provider,
            "X-NeuralRouting-Simulated": "true" if target.simulated else "false",
        }

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
            "model": ctx.decision.model.name,
            "cost_usd": _money(bill.cost_usd),
            "baseline_cost_usd": _money(bill.baseline_cost_usd),
            "savings_usd": _money(bill.savings_usd),
            "simulated": ctx.outcome.simulated,
        }
