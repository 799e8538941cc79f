"""The dashboard overview: this month's spend, savings against the baseline, latest requests."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils import timezone

from finops.selectors import month_start, requests_latest, usage_daily, usage_totals
from routing.cache.selectors import cache_stats
from tenants.permissions import tenant_required


def _chart(days) -> dict:
    return {
        "labels": [d.day.strftime("%b %d") for d in days],
        "cost": [str(d.cost_usd) for d in days],
        "baseline": [str(d.baseline_cost_usd) for d in days],
        "requests": [d.requests for d in days],
    }


@tenant_required()
def overview(request):
    now = timezone.now()
    start = month_start(now)
    end = now + datetime.timedelta(seconds=1)
    latest = requests_latest(tenant=request.tenant)
    if request.htmx and request.GET.get("part") == "latest":
        return render(request, "finops/overview.html#latest", {"latest": latest})
    context = {
        "totals": usage_totals(tenant=request.tenant, start=start, end=end),
        "cache": cache_stats(tenant=request.tenant, since=start),
        "chart": _chart(usage_daily(tenant=request.tenant, start=start, end=end)),
        "latest": latest,
        "month": start,
    }
    return render(request, "finops/overview.html", context)
