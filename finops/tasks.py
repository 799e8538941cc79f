"""Background jobs of the ledger. Thin wrappers around finops.services."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from finops.services import daily_usage_rebuild


@shared_task(name="finops.tasks.rollup_daily_usage")
def rollup_daily_usage(days: int = 2) -> dict:
    """Rebuild the daily roll-ups of the last ``days`` days (today included) from the ledger."""
    today = timezone.now().date()
    result = daily_usage_rebuild(since=today - datetime.timedelta(days=max(days, 1) - 1), until=today)
    return {"days": result.days, "rows": result.rows}
