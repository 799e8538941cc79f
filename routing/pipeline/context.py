"""The values that flow through the request path, stage to stage."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from routing.api.schema import ChatRequest
from routing.catalog import CatalogModel
from tenants.selectors import Principal


@dataclass(frozen=True, slots=True)
class Decision:
    """Which model serves the request, and why."""

    decision_id: uuid.UUID
    model: CatalogModel
    mode: str
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...] = ()
    band: str = ""
    fallbacks: tuple[CatalogModel, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.name,
            "provider": self.model.provider_slug,
            "tier": self.model.tier,
            "mode": self.mode,
            "band": self.band,
            "reasons": list(self.reasons),
            "alternatives": list(self.alternatives),
        }


@dataclass(slots=True)
class Outcome:
    """What happened, as the ledger records it."""

    status: str = "ok"
    http_status: int = 200
    error_code: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    usage_estimated: bool = False
    upstream_latency_ms: int | None = None
    ttft_ms: int | None = None
    provider: str = ""
    simulated: bool = False
    attempts: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class RoutingContext:
    principal: Principal
    decision_id: uuid.UUID = field(default_factory=uuid.uuid4)
    started: float = field(default_factory=time.perf_counter)
    created_at: datetime = field(default_factory=timezone.now)
    endpoint: str = "chat.completions"
    raw: dict[str, Any] | None = None
    request: ChatRequest | None = None
    end_user: str = ""
    decision: Decision | None = None
    classification: Any = None  # routing.pipeline.classify.Classification
    route: Any = None  # routing.pipeline.select.RouteTarget, when a tenant route matched
    tools_pruned: Any = None  # routing.pipeline.tools.Pruned, when tool definitions were dropped
    prompt_tokens: int | None = None  # the estimate the model was selected with (after pruning)
    cache_outcome: str = ""  # exact, semantic, miss, refresh, skipped, off ("" before the cache stage ran)
    cache_similarity: float | None = None
    cache_hit: Any = None  # routing.cache.store.CachedAnswer being replayed
    shield: Any = None  # routing.pipeline.shield.ShieldReport, once the shield ran
    served: CatalogModel | None = None  # the model that answered (a fallback, maybe)
    router_usage: list[tuple[CatalogModel, Any]] = field(default_factory=list)
    outcome: Outcome = field(default_factory=Outcome)
    recorded: bool = False

    @property
    def requested_model(self) -> str:
        if self.request is not None:
            return self.request.model
        model = (self.raw or {}).get("model")
        return model[:120] if isinstance(model, str) else ""

    @property
    def stream(self) -> bool:
        return bool(self.request.stream) if self.request is not None else (self.raw or {}).get("stream") is True

    def elapsed_ms(self) -> int:
        return int((time.perf_counter() - self.started) * 1000)
