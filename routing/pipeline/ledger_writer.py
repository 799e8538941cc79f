"""Group commit for the ledger: rows that arrive while a write is in flight go in the next one.

A request waits until its own row is committed (or spooled to disk) before it is answered, so
no row can be lost with the process; under load, one INSERT round trip carries many rows. At
concurrency 1 every batch is a single row and nothing waits longer than before.
"""

from __future__ import annotations

import asyncio
import logging
import time

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core import metrics
from core.db import db_sync
from finops.services import LedgerEntry, request_records_insert
from finops.spool import LedgerSpool
from tenants.services import api_keys_mark_used

logger = logging.getLogger(__name__)

MAX_BATCH = 200
LAST_USED_RESOLUTION_SECONDS = 60.0


def _write_batch(entries: list[LedgerEntry], touch: list[str]) -> None:
    request_records_insert(entries=entries)
    api_keys_mark_used(api_key_ids=touch, at=timezone.now())


class LedgerWriter:
    def __init__(self, *, spool: LedgerSpool):
        self.spool = spool
        self._pending: list[tuple[LedgerEntry, asyncio.Future]] = []
        self._flusher: asyncio.Task | None = None
        self._touched: dict[str, float] = {}

    async def write(self, entry: LedgerEntry) -> None:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((entry, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await asyncio.shield(future)

    def _keys_to_touch(self, entries: list[LedgerEntry]) -> list[str]:
        now = time.monotonic()
        touch = []
        for entry in entries:
            key = entry.api_key_id
            if key and now - self._touched.get(key, -LAST_USED_RESOLUTION_SECONDS) >= LAST_USED_RESOLUTION_SECONDS:
                self._touched[key] = now
                touch.append(key)
        return touch

    async def _flush(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            entries = [entry for entry, _ in batch]
            try:
                await db_sync(_write_batch)(entries, self._keys_to_touch(entries))
            except (OperationalError, InterfaceError, OSError):
                logger.exception("ledger write failed; spooling %d rows", len(entries))
                for entry in entries:
                    self.spool.append(entry)
                metrics.LEDGER_SPOOLED.inc(len(entries))
            except Exception:  # a row the database refuses must not take its batch-mates down with it
                await self._one_by_one(entries)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)

    async def _one_by_one(self, entries: list[LedgerEntry]) -> None:
        for entry in entries:
            try:
                await db_sync(_write_batch)([entry], [])
            except (OperationalError, InterfaceError, OSError):
                self.spool.append(entry)
                metrics.LEDGER_SPOOLED.inc()
            except Exception:
                self.spool.reject(entry)
