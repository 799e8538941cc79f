"""Writes of money: the ledger row for each request, and the daily roll-ups."""

from __future__ import annotations

import contextlib
import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
from psycopg.types.json import Jsonb

from finops.models import DailyUsage, RequestRecord, ledger_sums


@dataclass(frozen=True)
class LedgerEntry:
    decision_id: uuid.UUID
    tenant_id: int
    api_key_id: str | None
    api_key_prefix: str
    created_at: datetime.datetime
    status: str
    http_status: int
    end_user: str = ""
    endpoint: str = "chat.completions"
    requested_model: str = ""
    model_id: int | None = None
    model_name: str = ""
    provider: str = ""
    simulated: bool = False
    stream: bool = False
    error_code: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    baseline_cost_usd: Decimal = Decimal(0)
    latency_ms: int = 0
    upstream_latency_ms: int | None = None
    ttft_ms: int | None = None
    task_type: str = ""
    complexity: float | None = None
    confidence: float | None = None
    tier_used: str = ""
    attempts: int = 0
    cache_outcome: str = ""
    cache_similarity: float | None = None
    shield_outcome: str = ""
    decision: dict = field(default_factory=dict)


def _columns(entry: LedgerEntry) -> dict:
    """The row's values by attribute name; savings are derived here so they always reconcile."""
    return {
        "decision_id": entry.decision_id,
        "tenant_id": entry.tenant_id,
        "api_key_id": entry.api_key_id,
        "api_key_prefix": entry.api_key_prefix,
        "end_user": entry.end_user[:256],
        "endpoint": entry.endpoint,
        "requested_model": entry.requested_model[:120],
        "model_id": entry.model_id,
        "model_name": entry.model_name,
        "provider": entry.provider,
        "simulated": entry.simulated,
        "stream": entry.stream,
        "status": entry.status,
        "http_status": entry.http_status,
        "error_code": entry.error_code[:64],
        "input_tokens": entry.input_tokens,
        "output_tokens": entry.output_tokens,
        "cost_usd": entry.cost_usd,
        "baseline_cost_usd": entry.baseline_cost_usd,
        "savings_usd": entry.baseline_cost_usd - entry.cost_usd,
        "latency_ms": entry.latency_ms,
        "upstream_latency_ms": entry.upstream_latency_ms,
        "ttft_ms": entry.ttft_ms,
        "task_type": entry.task_type,
        "complexity": entry.complexity,
        "confidence": entry.confidence,
        "tier_used": entry.tier_used,
        "attempts": entry.attempts,
        "cache_outcome": entry.cache_outcome,
        "cache_similarity": entry.cache_similarity,
        "shield_outcome": entry.shield_outcome,
        "decision": entry.decision,
        "created_at": entry.created_at,
    }


EVENT_ACTIONS = frozenset({"blocked", "monitored", "redacted", "flagged", "allowed"})


def _security_events(entries: list[LedgerEntry]) -> list:
    """The shield's findings worth an event (not LOW notes), from the rows' decisions."""
    from routing.models import SecurityEvent

    events = []
    for entry in entries:
        report = entry.decision.get("shield") or {}
        for finding in report.get("findings", ()):
            if finding["action"] not in EVENT_ACTIONS:
                continue
            events.append(
                SecurityEvent(
                    tenant_id=entry.tenant_id,
                    decision_id=entry.decision_id,
                    api_key_prefix=entry.api_key_prefix,
                    end_user=entry.end_user[:256],
                    category=finding["category"],
                    rule=finding["rule"][:64],
                    severity=finding["severity"],
                    action=finding["action"],
                    message_index=min(finding.get("message_index", 0), 32767),
                    explanation=finding["explanation"][:200],
                    excerpt=finding.get("excerpt", "")[:240],
                    ruleset_version=report.get("ruleset", "")[:32],
                    created_at=entry.created_at,
                )
            )
    return events


def request_record_create(*, entry: LedgerEntry) -> RequestRecord:
    """Append one row to the ledger (and its security events) through the ORM."""
    from routing.models import SecurityEvent

    with transaction.atomic():
        record = RequestRecord(**_columns(entry))
        record.save(force_insert=True)
        SecurityEvent.objects.bulk_create(_security_events([entry]))
    return record


_INSERT_FIELDS = [f for f in RequestRecord._meta.concrete_fields if not f.primary_key]
_INSERT_HEAD = 'INSERT INTO "{table}" ({columns}) VALUES '.format(  # noqa: S608 - names from the model
    table=RequestRecord._meta.db_table, columns=", ".join(f'"{f.column}"' for f in _INSERT_FIELDS)
)
_ROW_PLACEHOLDERS = "(" + ", ".join(["%s"] * len(_INSERT_FIELDS)) + ")"
_INSERT_ATTNAMES = [f.attname for f in _INSERT_FIELDS]
_JSON_FIELDS = frozenset(f.attname for f in _INSERT_FIELDS if f.get_internal_type() == "JSONField")


def request_records_insert(*, entries: list[LedgerEntry]) -> None:
    """Append many rows in one statement and one round trip (the gateway's group commit).

    Plain SQL built once from the model's own fields: the ORM's per-row query compilation costs
    more CPU than the insert itself (and so does building model instances). One statement is
    atomic on its own; inside a caller's transaction a savepoint keeps a refused batch from
    aborting it.
    """
    params: list = []
    for entry in entries:
        values = _columns(entry)
        params.extend(Jsonb(values[a]) if a in _JSON_FIELDS else values[a] for a in _INSERT_ATTNAMES)
    sql = _INSERT_HEAD + ", ".join([_ROW_PLACEHOLDERS] * len(entries))
    events = _security_events(entries)
    # One statement is atomic alone; with events (the rows and their events, or neither) or inside a
    # caller's transaction (a savepoint, so a refused batch does not abort it) it needs a transaction.
    atomic = transaction.atomic() if events or connection.in_atomic_block else contextlib.nullcontext()
    with atomic, connection.cursor() as cursor:
        cursor.execute(sql, params)
        if events:
            from routing.models import SecurityEvent

            SecurityEvent.objects.bulk_create(events)


@dataclass(frozen=True)
class RollupResult:
    days: int
    rows: int


def daily_usage_rebuild(*, since: datetime.date, until: datetime.date | None = None) -> RollupResult:
    """Recompute the per-day, per-model totals of every tenant from the ledger, for [since, until].

    Idempotent: each (tenant, day, model) row is replaced by the ledger's exact Decimal sums,
    so a late row (a stream that ended after midnight) is picked up by the next run.
    """
    until = until or timezone.now().date()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=datetime.UTC)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
    groups = (
        RequestRecord.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(day=TruncDate("created_at", tzinfo=datetime.UTC))
        .values("tenant_id", "day", "model_name")
        .annotate(**ledger_sums())
        .order_by()
    )
    now = timezone.now()
    rows = [
        DailyUsage(
            tenant_id=g["tenant_id"],
            day=g["day"],
            model_name=g["model_name"],
            requests=g["requests"],
            errors=g["errors"],
            input_tokens=g["input_tokens"] or 0,
            output_tokens=g["output_tokens"] or 0,
            cost_usd=g["cost_usd"] or 0,
            baseline_cost_usd=g["baseline_cost_usd"] or 0,
            savings_usd=g["savings_usd"] or 0,
            rebuilt_at=now,
        )
        for g in groups
    ]
    with transaction.atomic():
        DailyUsage.objects.filter(day__gte=since, day__lte=until).delete()
        DailyUsage.objects.bulk_create(rows)
    return RollupResult(days=(until - since).days + 1, rows=len(rows))
