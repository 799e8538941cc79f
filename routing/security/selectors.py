"""Reads of a tenant's security events: the list (filtered), counts per day and per category."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from routing.models import SecurityEvent
from tenants.models import Tenant

SEVERITIES = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class SecurityDay:
    day: datetime.date
    blocked: int
    redacted: int
    flagged: int  # flagged, monitored (would have blocked) and allowed data


def security_events(
    *,
    tenant: Tenant,
    category: str | None = None,
    severity: str | None = None,
    action: str | None = None,
    since: datetime.datetime | None = None,
) -> QuerySet[SecurityEvent]:
    events = SecurityEvent.objects.for_tenant(tenant).order_by("-created_at", "-id")
    if category:
        events = events.filter(category=category)
    if severity:
        events = events.filter(severity=severity)
    if action:
        events = events.filter(action=action)
    if since:
        events = events.filter(created_at__gte=since)
    return events


def security_by_category(*, tenant: Tenant, since: datetime.datetime) -> list[dict]:
    rows = (
        security_events(tenant=tenant, since=since)
        .values("category")
        .annotate(
            total=Count("id"),
            blocked=Count("id", filter=Q(action="blocked")),
            redacted=Count("id", filter=Q(action="redacted")),
        )
    )
    return list(rows.order_by("-total", "category"))


def security_totals(*, tenant: Tenant, since: datetime.datetime) -> dict[str, int]:
    """Events per action, plus how many requests the shield blocked (one request, many findings)."""
    events = security_events(tenant=tenant, since=since)
    totals = dict(events.values_list("action").annotate(n=Count("id")).order_by())
    totals["blocked_requests"] = events.filter(action="blocked").values("decision_id").distinct().count()
    return totals


def security_daily(*, tenant: Tenant, start: datetime.datetime, end: datetime.datetime) -> list[SecurityDay]:
    """One entry per UTC day in [start, end), zero-filled."""
    rows = (
        security_events(tenant=tenant, since=start)
        .filter(created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("day")
        .annotate(
            blocked=Count("id", filter=Q(action="blocked")),
            redacted=Count("id", filter=Q(action="redacted")),
            flagged=Count("id", filter=Q(action__in=("flagged", "monitored", "allowed"))),
        )
        .order_by()
    )
    by_day = {r["day"]: r for r in rows}
    days, day = [], start.date()
    while datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC) < end:
        r = by_day.get(day, {})
        days.append(SecurityDay(day, r.get("blocked", 0), r.get("redacted", 0), r.get("flagged", 0)))
        day += datetime.timedelta(days=1)
    return days
