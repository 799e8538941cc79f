"""Rows the database could not take are kept on disk and inserted once, later."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from finops.models import RequestRecord
from finops.services import LedgerEntry
from finops.spool import LedgerSpool
from tests.factories import make_tenant

pytestmark = pytest.mark.django_db


def entry(tenant) -> LedgerEntry:
    return LedgerEntry(
        decision_id=uuid.uuid4(),
        tenant_id=tenant.pk,
        api_key_id=None,
        api_key_prefix="abcdefgh",
        created_at=timezone.now(),
        status="ok",
        http_status=200,
        model_name="gpt-4o-mini",
        input_tokens=10,
        output_tokens=5,
        cost_usd=Decimal("0.0000045"),
        baseline_cost_usd=Decimal("0.000075"),
        decision={"reasons": ["x"]},
    )


def test_spooled_rows_are_replayed_exactly_once(tmp_path):
    tenant = make_tenant()
    spool = LedgerSpool(tmp_path)
    first, second = entry(tenant), entry(tenant)
    spool.append(first)
    spool.append(second)
    assert spool.pending() == 2
    assert spool.replay() == 2
    assert spool.pending() == 0
    row = RequestRecord.objects.for_tenant(tenant).get(decision_id=first.decision_id)
    assert row.cost_usd == Decimal("0.0000045") and row.savings_usd == Decimal("0.0000705")
    spool.append(first)
    assert spool.replay() == 0
    assert RequestRecord.objects.for_tenant(tenant).count() == 2
