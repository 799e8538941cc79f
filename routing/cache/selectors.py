"""Reads of a tenant's cache: its entries, and what the cache saved (from the ledger)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from finops.models import RequestRecord
from routing.models import CacheEntry
from tenants.models import Tenant

HITS = ("exact", "semantic")
LOOKED_UP = (*HITS, "miss")  # completions that asked the cache (refresh, skipped and off did not)


@dataclass(frozen=True)
class CacheStats:
    entries: int
    lookups: int
    exact_hits: int
    semantic_hits: int
    saved_usd: Decimal

    @property
    def hits(self) -> int:
        return self.exact_hits + self.semantic_hits

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.lookups if self.lookups else None


@dataclass(frozen=True)
class CacheDay:
    day: datetime.date
    lookups: int
    exact_hits: int
    semantic_hits: int
    saved_usd: Decimal


def _completions(tenant: Tenant, start: datetime.datetime, end: datetime.datetime | None = None):
    rows = RequestRecord.objects.for_tenant(tenant).filter(created_at__gte=start, endpoint="chat.completions")
    return rows.filter(created_at__lt=end) if end else rows


def _sums() -> dict:
    return {
        "lookups": Count("id", filter=Q(cache_outcome__in=LOOKED_UP)),
        "exact": Count("id", filter=Q(cache_outcome="exact")),
        "semantic": Count("id", filter=Q(cache_outcome="semantic")),
        "saved": Sum("savings_usd", filter=Q(cache_outcome__in=HITS)),
    }


def cache_entries(*, tenant: Tenant, model: str | None = None) -> QuerySet[CacheEntry]:
    entries = CacheEntry.objects.for_tenant(tenant).defer("embedding", "response").order_by("-created_at", "-id")
    return entries.filter(model_name=model) if model else entries


def cache_entry_get(*, tenant: Tenant, entry_id: int) -> CacheEntry | None:
    return cache_entries(tenant=tenant).filter(pk=entry_id).first()


def cache_models(*, tenant: Tenant) -> list[dict]:
    """The models that have answers in the tenant's cache, with how many each."""
    rows = CacheEntry.objects.for_tenant(tenant).values("model_name").annotate(entries=Count("id"), hits=Sum("hits"))
    return list(rows.order_by("-entries", "model_name"))


def cache_stats(*, tenant: Tenant, since: datetime.datetime) -> CacheStats:
    """Lookups are completions that asked the cache (outcome exact, semantic or miss)."""
    agg = _completions(tenant, since).aggregate(**_sums())
    return CacheStats(
        entries=CacheEntry.objects.for_tenant(tenant).count(),
        lookups=agg["lookups"],
        exact_hits=agg["exact"],
        semantic_hits=agg["semantic"],
        saved_usd=agg["saved"] or Decimal(0),
    )


def cache_daily(*, tenant: Tenant, start: datetime.datetime, end: datetime.datetime) -> list[CacheDay]:
    """One entry per UTC day in [start, end), zero-filled."""
    rows = (
        _completions(tenant, start, end)
        .annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("day")
        .annotate(**_sums())
    )
    by_day = {r["day"]: r for r in rows}
    days, day = [], start.date()
    while datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC) < end:
        r = by_day.get(day, {})
        days.append(
            CacheDay(day, r.get("lookups", 0), r.get("exact", 0), r.get("semantic", 0), r.get("saved") or Decimal(0))
        )
        day += datetime.timedelta(days=1)
    return days
