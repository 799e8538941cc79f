"""Cache lifecycle for people and for the quality loop: invalidate, fail an entry, maintain."""

from __future__ import annotations

from core.errors import ApplicationError
from routing.cache import store
from routing.models import LLMModel
from tenants.models import Tenant


def cache_invalidate(*, tenant: Tenant, entry_id: int | None = None, model: str | None = None) -> int:
    """Remove one entry, one model's entries, or (neither given) all of the tenant's. Returns how many."""
    if model is not None and not LLMModel.objects.filter(name=model).exists():
        raise ApplicationError(f"Unknown model '{model[:100]}'.", status=404, code="model_not_found", param="model")
    return store.delete(tenant_id=tenant.pk, entry_id=entry_id, model_name=model)


def cache_entry_failed(*, tenant_id: int, entry_id: int) -> bool:
    """A quality audit failed this stored answer: drop it, so the next request gets a fresh answer
    (which the router, having learnt from the audit, may send to a stronger model) and stores that."""
    return store.delete(tenant_id=tenant_id, entry_id=entry_id) > 0


def cache_maintain() -> dict:
    """Drop expired entries and each tenant's least recently useful ones beyond its budget."""
    expired = store.purge_expired()
    evicted = store.evict_over_budget()
    return {"expired": expired, "evicted": sum(evicted.values()), "tenants_over_budget": len(evicted)}
