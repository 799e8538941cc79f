"""Reads of a tenant's cache: its entries, and what the cache saved (from the ledger)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from finops.models import RequestRecord
from routing.models import CacheEntry
from tenants.models import Tenant

HITS = ("exact", "semantic")


@dataclass(frozen=True)
class CacheStats:
    entries: int
    lookups: int
    exact_hits: int
    semantic_hits: int
    saved_usd: Decimal

    @property
    def hit_rate(self) -> float | None:
        return (self.exact_hits + self.semantic_hits) / self.lookups if self.lookups else None


def cache_entries(*, tenant: Tenant, model: str | None = None) -> QuerySet[CacheEntry]:
    entries = CacheEntry.objects.for_tenant(tenant).defer("embedding", "response").order_by("-created_at")
    return entries.filter(model_name=model) if model else entries


def cache_stats(*, tenant: Tenant, since: datetime.datetime) -> CacheStats:
    """Lookups are completions that could use the cache (outcome exact, semantic or miss)."""
    rows = RequestRecord.objects.for_tenant(tenant).filter(created_at__gte=since, endpoint="chat.completions")
    agg = rows.aggregate(
        lookups=Count("id", filter=Q(cache_outcome__in=(*HITS, "miss"))),
        exact=Count("id", filter=Q(cache_outcome="exact")),
        semantic=Count("id", filter=Q(cache_outcome="semantic")),
        saved=Sum("savings_usd", filter=Q(cache_outcome__in=HITS)),
    )
    return CacheStats(
        entries=CacheEntry.objects.for_tenant(tenant).count(),
        lookups=agg["lookups"],
        exact_hits=agg["exact"],
        semantic_hits=agg["semantic"],
        saved_usd=agg["saved"] or Decimal(0),
    )
