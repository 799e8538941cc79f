"""Group commit of ledger rows."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from finops.models import RequestRecord
from finops.services import LedgerEntry
from finops.spool import LedgerSpool
from routing.pipeline.ledger_writer import LedgerWriter
from tenants.models import ApiKey

pytestmark = pytest.mark.django_db


def entry(tenant, api_key_id=None) -> LedgerEntry:
    return LedgerEntry(
        decision_id=uuid.uuid4(),
        tenant_id=tenant.pk,
        api_key_id=api_key_id,
        api_key_prefix="p",
        created_at=timezone.now(),
        status="ok",
        http_status=200,
        cost_usd=Decimal("0.01"),
        baseline_cost_usd=Decimal("0.05"),
        decision={"reasons": ["r"]},
    )


class CountingWriter(LedgerWriter):
    batches = 0

    async def _flush(self):
        self.batches += 1
        await super()._flush()


def test_concurrent_rows_share_a_round_trip_and_all_land(tenant, tmp_path):
    writer = CountingWriter(spool=LedgerSpool(tmp_path))
    entries = [entry(tenant) for _ in range(50)]

    async def run():
        await asyncio.gather(*(writer.write(e) for e in entries))

    async_to_sync(run)()
    assert writer.batches == 1
    assert RequestRecord.objects.for_tenant(tenant).count() == 50
    row = RequestRecord.objects.for_tenant(tenant).first()
    assert row.savings_usd == Decimal("0.04") and row.decision == {"reasons": ["r"]}


def test_last_used_is_written_once_a_minute_per_key(tenant, api_key, tmp_path):
    writer = LedgerWriter(spool=LedgerSpool(tmp_path))
    async_to_sync(writer.write)(entry(tenant, api_key.api_key.pk))
    first = ApiKey.objects.get(pk=api_key.api_key.pk).last_used_at
    async_to_sync(writer.write)(entry(tenant, api_key.api_key.pk))
    assert first is not None
    assert ApiKey.objects.get(pk=api_key.api_key.pk).last_used_at == first


def test_a_rejected_row_does_not_take_its_batch_down(tenant, tmp_path):
    writer = LedgerWriter(spool=LedgerSpool(tmp_path))
    good, bad = entry(tenant), entry(tenant)
    bad = LedgerEntry(**{**bad.__dict__, "http_status": -1})  # violates the column's CHECK constraint

    async def run():
        return await asyncio.gather(writer.write(good), writer.write(bad), return_exceptions=True)

    assert async_to_sync(run)() == [None, None], "the callers' requests are not failed by the ledger"
    assert RequestRecord.objects.filter(decision_id=good.decision_id).exists()
    assert not RequestRecord.objects.filter(decision_id=bad.decision_id).exists()
    assert str(bad.decision_id) in writer.spool.rejected_path.read_text(), "kept, not lost"
