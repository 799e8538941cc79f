"""A local spool for ledger rows the database could not take.

If PostgreSQL is briefly unreachable when a request finishes, its ledger row is appended to a
JSON-lines file under ``var/spool`` (flushed and fsynced) and inserted later by
:func:`LedgerSpool.replay`, which the gateway runs in the background. ``decision_id`` is unique,
so replaying a row twice inserts it once.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import threading
import uuid
from decimal import Decimal
from pathlib import Path

import orjson
from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from finops.models import RequestRecord
from finops.services import LedgerEntry, request_record_create

logger = logging.getLogger(__name__)


def _default(value):
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    raise TypeError


class LedgerSpool:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / f"ledger-{os.getpid()}.jsonl"
        self.rejected_path = folder / "rejected.jsonl"
        self._lock = threading.Lock()

    def append(self, entry: LedgerEntry) -> None:
        """Keep a row the database could not take now (it is retried)."""
        self._write(self.path, entry)

    def reject(self, entry: LedgerEntry) -> None:
        """Keep a row the database refused outright (a bug): never retried, never lost."""
        logger.error("ledger row %s refused by the database; kept in %s", entry.decision_id, self.rejected_path)
        self._write(self.rejected_path, entry)

    def _write(self, path: Path, entry: LedgerEntry) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = orjson.dumps(dataclasses.asdict(entry), default=_default) + b"\n"
        with self._lock, open(path, "ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def pending(self) -> int:
        if not self.folder.exists():
            return 0
        return sum(1 for path in self.folder.glob("ledger-*.jsonl") for _ in open(path, "rb"))

    def replay(self) -> int:
        """Insert every spooled row (synchronous; run through ``db_sync``). Returns rows inserted."""
        inserted = 0
        for path in sorted(self.folder.glob("ledger-*.jsonl")):
            claimed = path.with_suffix(".replaying")
            try:
                path.rename(claimed)
            except FileNotFoundError:
                continue
            lines = [line for line in claimed.read_bytes().splitlines() if line.strip()]
            for n, line in enumerate(lines):
                try:
                    inserted += self._insert(_entry(orjson.loads(line)))
                except (OperationalError, InterfaceError):
                    self._requeue(lines[n:])  # the database went away again: keep the rest for later
                    claimed.unlink()
                    raise
            claimed.unlink()
        return inserted

    def _requeue(self, lines: list[bytes]) -> None:
        with self._lock, open(self.path, "ab") as handle:
            handle.write(b"\n".join(lines) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _insert(self, entry: LedgerEntry) -> int:
        try:
            with transaction.atomic():
                request_record_create(entry=entry)
        except IntegrityError:
            if RequestRecord.objects.filter(decision_id=entry.decision_id).exists():
                return 0  # already inserted by an earlier replay
            self.reject(entry)
            return 0
        return 1


def _entry(data: dict) -> LedgerEntry:
    data["decision_id"] = uuid.UUID(data["decision_id"])
    data["created_at"] = datetime.datetime.fromisoformat(data["created_at"])
    data["cost_usd"] = Decimal(data["cost_usd"])
    data["baseline_cost_usd"] = Decimal(data["baseline_cost_usd"])
    return LedgerEntry(**data)
