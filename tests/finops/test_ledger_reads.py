"""Selectors and roll-ups of the ledger: exact Decimal sums, per tenant only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from finops.models import DailyUsage
from finops.selectors import month_start, requests_latest, usage_daily, usage_totals
from finops.services import daily_usage_rebuild
from tests.factories import RequestRecordFactory, make_tenant

pytestmark = pytest.mark.django_db


def test_totals_are_exact_sums_for_the_tenant_only():
    mine, other = make_tenant(), make_tenant()
    RequestRecordFactory(
        tenant=mine,
        cost_usd=Decimal("0.0000000001"),
        baseline_cost_usd=Decimal("0.0000000003"),
        savings_usd=Decimal("0.0000000002"),
    )
    RequestRecordFactory(
        tenant=mine,
        status="upstream_error",
        http_status=502,
        cost_usd=0,
        baseline_cost_usd=0,
        savings_usd=0,
        input_tokens=0,
        output_tokens=0,
    )
    RequestRecordFactory(tenant=other, cost_usd=Decimal("99"))
    now = timezone.now()
    totals = usage_totals(tenant=mine, start=month_start(now), end=now + datetime.timedelta(seconds=1))
    assert (totals.requests, totals.errors) == (2, 1)
    assert totals.cost_usd == Decimal("0.0000000001")
    assert totals.savings_usd == Decimal("0.0000000002")
    assert totals.savings_pct == Decimal("66.7")


def test_daily_series_is_zero_filled():
    tenant = make_tenant()
    start = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    RequestRecordFactory(tenant=tenant, created_at=start + datetime.timedelta(days=2, hours=5))
    days = usage_daily(tenant=tenant, start=start, end=start + datetime.timedelta(days=5))
    assert [d.day.day for d in days] == [1, 2, 3, 4, 5]
    assert [d.requests for d in days] == [0, 0, 1, 0, 0]


def test_latest_requests_are_newest_first_and_scoped():
    tenant, other = make_tenant(), make_tenant()
    old = RequestRecordFactory(tenant=tenant, created_at=timezone.now() - datetime.timedelta(minutes=5))
    new = RequestRecordFactory(tenant=tenant)
    RequestRecordFactory(tenant=other)
    assert list(requests_latest(tenant=tenant)) == [new, old]


def test_a_tenant_is_required():
    with pytest.raises(ValueError, match="tenant is required"):
        requests_latest(tenant=None)


def test_the_rollup_reconciles_and_is_idempotent():
    tenant = make_tenant()
    day = datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)
    for cost in ("0.1234567891", "0.0000000009", "1.5"):
        RequestRecordFactory(
            tenant=tenant,
            created_at=day,
            cost_usd=Decimal(cost),
            baseline_cost_usd=Decimal("2"),
            savings_usd=Decimal("2") - Decimal(cost),
        )
    RequestRecordFactory(tenant=tenant, created_at=day, model_name="gpt-4o", status="upstream_error")
    for _ in range(2):
        daily_usage_rebuild(since=day.date(), until=day.date())
    rows = {r.model_name: r for r in DailyUsage.objects.for_tenant(tenant)}
    assert rows["gpt-4o-mini"].requests == 3 and rows["gpt-4o-mini"].errors == 0
    assert rows["gpt-4o-mini"].cost_usd == Decimal("1.6234567900")
    assert rows["gpt-4o"].errors == 1
    assert DailyUsage.objects.for_tenant(tenant).count() == 2
