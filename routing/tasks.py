"""Background jobs of routing. Thin wrappers around routing services."""

from __future__ import annotations

from celery import shared_task

from routing.probes import probe_providers


@shared_task(name="routing.tasks.probe_providers")
def probe_providers_task() -> dict:
    rows = probe_providers()
    return {"probed": len(rows), "failing": [r.provider.slug for r in rows if not r.ok]}
