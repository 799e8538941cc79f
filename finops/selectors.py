"""Reads of the ledger. Every function takes the tenant."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from finops.models import RequestRecord, ledger_sums
from tenants.models import Tenant

ZERO = Decimal(0)


@dataclass(frozen=True)
class UsageTotals:
    requests: int
    errors: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal
    baseline_cost_usd: Decimal
    savings_usd: Decimal

    @property
    def savings_pct(self) -> Decimal | None:
        if not self.baseline_cost_usd:
            return None
        return (self.savings_usd / self.baseline_cost_usd * 100).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class DayUsage:
    day: datetime.date
    requests: int
    cost_usd: Decimal
    baseline_cost_usd: Decimal
    savings_usd: Decimal


def month_start(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _ledger(tenant: Tenant, start: datetime.datetime, end: datetime.datetime) -> QuerySet[RequestRecord]:
    return RequestRecord.objects.for_tenant(tenant).filter(created_at__gte=start, created_at__lt=end)


def usage_totals(*, tenant: Tenant, start: datetime.datetime, end: datetime.datetime) -> UsageTotals:
    """Exact sums of the ledger rows in [start, end)."""
    row = _ledger(tenant, start, end).aggregate(**ledger_sums())
    return UsageTotals(
        requests=row["requests"],
        errors=row["errors"],
        input_tokens=row["input_tokens"] or 0,
        output_tokens=row["output_tokens"] or 0,
        cost_usd=row["cost_usd"] or ZERO,
        baseline_cost_usd=row["baseline_cost_usd"] or ZERO,
        savings_usd=row["savings_usd"] or ZERO,
    )


def usage_daily(*, tenant: Tenant, start: datetime.datetime, end: datetime.datetime) -> list[DayUsage]:
    """One entry per UTC day in [start, end), zero-filled, summed from the ledger."""
    rows = (
        _ledger(tenant, start, end)
        .annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("day")
        .annotate(**ledger_sums())
        .order_by("day")
    )
    by_day = {r["day"]: r for r in rows}
    days = []
    day = start.date()
    while day < end.date() or (day == end.date() and end.time() != datetime.time.min):
        r = by_day.get(day, {})
        days.append(
            DayUsage(
                day=day,
                requests=r.get("requests", 0),
                cost_usd=r.get("cost_usd") or ZERO,
                baseline_cost_usd=r.get("baseline_cost_usd") or ZERO,
                savings_usd=r.get("savings_usd") or ZERO,
            )
        )
        day += datetime.timedelta(days=1)
    return days


def requests_latest(*, tenant: Tenant, limit: int = 20) -> QuerySet[RequestRecord]:
    return RequestRecord.objects.for_tenant(tenant).order_by("-created_at", "-id")[:limit]


def request_record_get(*, tenant: Tenant, decision_id) -> RequestRecord | None:
    return RequestRecord.objects.for_tenant(tenant).filter(decision_id=decision_id).first()
