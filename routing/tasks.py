"""Background jobs of routing. Thin wrappers around routing services."""

from __future__ import annotations

from celery import shared_task

from routing.probes import probe_providers


@shared_task(name="routing.tasks.probe_providers")
def probe_providers_task() -> dict:
    rows = probe_providers()
    return {"probed": len(rows), "failing": [r.provider.slug for r in rows if not r.ok]}


@shared_task(name="routing.tasks.refit_task_head")
def refit_task_head_task(tenant_id: int) -> dict:
    from routing.feedback import task_head_refit

    artifact = task_head_refit(tenant_id=tenant_id)
    return {"tenant_id": tenant_id, "feedback_examples": artifact.feedback_examples if artifact else 0}


@shared_task(name="routing.tasks.cache_maintenance")
def cache_maintenance_task() -> dict:
    from routing.cache.services import cache_maintain

    return cache_maintain()
