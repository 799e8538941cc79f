"""An in-memory snapshot of the model catalog for the request path.

The catalog changes rarely (an admin edits a price, a model is switched off), so the gateway
reads it from the database at most every ``CATALOG_TTL_SECONDS`` and works from plain frozen
values in between: no query per request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from routing.models import LLMModel

CATALOG_TTL_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class CatalogModel:
    id: int
    name: str
    upstream_name: str
    display_name: str
    provider_slug: str
    provider_name: str
    provider_kind: str
    provider_base_url: str
    tier: str
    input_price_per_mtok: Decimal
    output_price_per_mtok: Decimal
    context_window: int
    max_output_tokens: int
    supports_tools: bool
    supports_json: bool
    supports_vision: bool
    supports_streaming: bool
    ttft_ms: int
    output_tokens_per_second: int
    is_baseline: bool
    quality: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Catalog:
    by_name: MappingProxyType
    baseline: CatalogModel
    loaded_at: float

    def get(self, name: str) -> CatalogModel | None:
        return self.by_name.get(name)

    def models(self) -> list[CatalogModel]:
        return list(self.by_name.values())


def catalog_load() -> Catalog:
    """Read the active catalog from the database (synchronous; call through ``db_sync``)."""
    rows = LLMModel.objects.filter(is_active=True, provider__is_active=True).select_related("provider")
    models = {
        row.name: CatalogModel(
            id=row.pk,
            name=row.name,
            upstream_name=row.upstream_name,
            display_name=row.display_name,
            provider_slug=row.provider.slug,
            provider_name=row.provider.name,
            provider_kind=row.provider.kind,
            provider_base_url=row.provider.base_url,
            tier=row.tier,
            input_price_per_mtok=row.input_price_per_mtok,
            output_price_per_mtok=row.output_price_per_mtok,
            context_window=row.context_window,
            max_output_tokens=row.max_output_tokens,
            supports_tools=row.supports_tools,
            supports_json=row.supports_json,
            supports_vision=row.supports_vision,
            supports_streaming=row.supports_streaming,
            ttft_ms=row.ttft_ms,
            output_tokens_per_second=row.output_tokens_per_second,
            is_baseline=row.is_baseline,
            quality=MappingProxyType(dict(row.quality or {})),
        )
        for row in rows
    }
    baseline = next((m for m in models.values() if m.is_baseline), None)
    if baseline is None:
        raise LookupError("The catalog has no active baseline model: run the migrations.")
    return Catalog(by_name=MappingProxyType(models), baseline=baseline, loaded_at=time.monotonic())


class CatalogCache:
    """Holds the current snapshot and reloads it when it is older than the TTL."""

    def __init__(self, ttl: float = CATALOG_TTL_SECONDS):
        self.ttl = ttl
        self._catalog: Catalog | None = None

    def current(self) -> Catalog | None:
        """The snapshot if it is fresh, else ``None`` (the caller reloads)."""
        catalog = self._catalog
        if catalog is None or time.monotonic() - catalog.loaded_at > self.ttl:
            return None
        return catalog

    def store(self, catalog: Catalog) -> Catalog:
        self._catalog = catalog
        return catalog

    def invalidate(self) -> None:
        self._catalog = None
