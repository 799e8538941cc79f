"""The cache table: lookups, inserts and lifecycle, in plain SQL on the request path.

Semantic lookups must stay correct when a tenant owns a sliver of a large table: an
approximate (HNSW) search filtered by tenant can return nothing when the index's nearest
candidates all belong to someone else. So:

- a tenant with few entries for a key (≤ ``EXACT_SCAN_LIMIT``) is searched exactly, through the
  btree on (tenant, semantic key): exact, and only a few thousand vectors to compare;
- a larger one uses the HNSW index with pgvector 0.8's iterative index scan, which keeps
  walking the graph until enough rows pass the filter; on an older pgvector (no iterative
  scan) the candidate list is widened instead (``hnsw.ef_search``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
from django.db import connection, transaction
from psycopg.types.json import Jsonb

EXACT_SCAN_LIMIT = 2000
ITERATIVE_EF_SEARCH = 100
# How far an iterative scan may walk before giving up (a miss, never a wrong hit): far enough to pass
# tens of thousands of another tenant's closer rows.
ITERATIVE_MAX_SCAN_TUPLES = 100_000
FALLBACK_EF_SEARCH = 400
_pgvector_version: tuple[int, ...] | None = None


@dataclass(frozen=True)
class CachedAnswer:
    id: int
    response: dict[str, Any]
    model_name: str
    provider: str
    simulated: bool
    input_tokens: int
    output_tokens: int
    task_type: str
    similarity: float | None = None


_COLUMNS = "id, response, model_name, provider, simulated, input_tokens, output_tokens, task_type"


def _answer(row, similarity: float | None = None) -> CachedAnswer:
    response = row[1]
    if isinstance(response, str | bytes):  # Django has psycopg hand jsonb over as text
        try:
            response = orjson.loads(response)
        except orjson.JSONDecodeError:
            response = None  # unreadable: the stage treats it as corrupt
    return CachedAnswer(row[0], response, *row[2:8], similarity=similarity)


def vector_literal(vector: np.ndarray | None) -> str | None:
    """pgvector's text form; binding it as text works on any connection, whatever adapters it has."""
    if vector is None:
        return None
    return "[" + ",".join(map(repr, np.asarray(vector, dtype=np.float32).tolist())) + "]"


def pgvector_version() -> tuple[int, ...]:
    global _pgvector_version
    if _pgvector_version is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
            row = cursor.fetchone()
        _pgvector_version = tuple(int(p) for p in (row[0] if row else "0").split(".")[:3])
    return _pgvector_version


def exact_lookup(*, tenant_id: int, exact_hash: str, ruleset: str) -> CachedAnswer | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_COLUMNS} FROM routing_cacheentry "  # noqa: S608 - fixed column list
            "WHERE tenant_id = %s AND exact_hash = %s AND ruleset_version = %s AND expires_at > now()",
            [tenant_id, exact_hash, ruleset],
        )
        row = cursor.fetchone()
    return _answer(row) if row else None


def _candidates(cursor, tenant_id: int, semantic_key: str, ruleset: str) -> int:
    """How many live entries could answer (capped): the ``cache_semantic_filter`` index counts them."""
    cursor.execute(
        "SELECT count(*) FROM (SELECT 1 FROM routing_cacheentry WHERE tenant_id = %s AND semantic_key = %s "
        "AND ruleset_version = %s AND expires_at > now() LIMIT %s) AS capped",
        [tenant_id, semantic_key, ruleset, EXACT_SCAN_LIMIT + 1],
    )
    return cursor.fetchone()[0]


def semantic_lookup(
    *, tenant_id: int, semantic_key: str, ruleset: str, vector: np.ndarray, threshold: float, force_index: bool = False
) -> tuple[CachedAnswer | None, float | None, str]:
    """The closest entry for the key, if at least ``threshold`` similar; also the best similarity
    seen (for the ledger) and the strategy used (``none``, ``exact_scan``, ``hnsw_iterative`` or ``hnsw``)."""
    where = (
        "WHERE tenant_id = %s AND semantic_key = %s AND ruleset_version = %s AND expires_at > now() "
        "AND embedding IS NOT NULL"
    )
    literal = vector_literal(vector)
    params = [literal, tenant_id, semantic_key, ruleset, literal]
    with transaction.atomic(), connection.cursor() as cursor:
        candidates = None if force_index else _candidates(cursor, tenant_id, semantic_key, ruleset)
        if candidates == 0:  # e.g. every entry was stored under other shield rules: nothing to compare
            return None, None, "none"
        if candidates is not None and candidates <= EXACT_SCAN_LIMIT:
            strategy = "exact_scan"
            order = "(embedding <=> %s::vector) + 0"  # "+ 0" keeps the planner off the HNSW index: exact
        elif pgvector_version() >= (0, 8):
            strategy = "hnsw_iterative"
            cursor.execute(  # one round trip for the three transaction-local settings
                "SELECT set_config('hnsw.iterative_scan', 'strict_order', true), "
                "set_config('hnsw.ef_search', %s, true), set_config('hnsw.max_scan_tuples', %s, true)",
                [str(ITERATIVE_EF_SEARCH), str(ITERATIVE_MAX_SCAN_TUPLES)],
            )
            order = "embedding <=> %s::vector"
        else:
            strategy = "hnsw"
            cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(FALLBACK_EF_SEARCH)])
            order = "embedding <=> %s::vector"
        cursor.execute(
            f"SELECT {_COLUMNS}, 1 - (embedding <=> %s::vector) AS similarity FROM routing_cacheentry "  # noqa: S608
            f"{where} ORDER BY {order} LIMIT 1",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return None, None, strategy
    similarity = float(row[8])
    return (_answer(row, similarity) if similarity >= threshold else None), similarity, strategy


def record_hit(*, entry_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE routing_cacheentry SET hits = hits + 1, last_hit_at = now() WHERE id = %s", [entry_id])


@dataclass(frozen=True)
class NewEntry:
    tenant_id: int
    exact_hash: str
    semantic_key: str
    embedding: np.ndarray | None
    ruleset_version: str
    requested_model: str
    model_name: str
    provider: str
    simulated: bool
    end_user: str
    prompt_preview: str
    task_type: str
    response: dict[str, Any]
    input_tokens: int
    output_tokens: int
    cost_usd: Any
    ttl_seconds: int
    replace: bool = False  # a refresh (Cache-Control: no-cache) overwrites a live entry too


def insert(*, entry: NewEntry) -> bool:
    """Store an answer; identical requests racing to store it leave one row and no error. An expired
    entry, or one stored under other shield rules, is replaced."""
    now = datetime.datetime.now(tz=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO routing_cacheentry (tenant_id, exact_hash, semantic_key, embedding, ruleset_version, "
            "requested_model, model_name, provider, simulated, end_user, prompt_preview, task_type, response, "
            "input_tokens, output_tokens, cost_usd, hits, created_at, expires_at) "
            "VALUES (%s, %s, %s, %s::vector, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s) "
            # an expired row with the same key gives way to the fresh answer; a live one stays
            "ON CONFLICT (tenant_id, exact_hash) DO UPDATE SET semantic_key = EXCLUDED.semantic_key, "
            "embedding = EXCLUDED.embedding, ruleset_version = EXCLUDED.ruleset_version, "
            "model_name = EXCLUDED.model_name, provider = EXCLUDED.provider, simulated = EXCLUDED.simulated, "
            "prompt_preview = EXCLUDED.prompt_preview, task_type = EXCLUDED.task_type, response = EXCLUDED.response, "
            "input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, hits = 0, "
            "last_hit_at = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at "
            "WHERE %s OR routing_cacheentry.expires_at <= now() OR routing_cacheentry.ruleset_version <> "
            "EXCLUDED.ruleset_version",
            [
                entry.tenant_id,
                entry.exact_hash,
                entry.semantic_key,
                vector_literal(entry.embedding),
                entry.ruleset_version,
                entry.requested_model[:120],
                entry.model_name,
                entry.provider,
                entry.simulated,
                entry.end_user[:256],
                entry.prompt_preview[:200],
                entry.task_type,
                Jsonb(entry.response),
                entry.input_tokens,
                entry.output_tokens,
                entry.cost_usd,
                now,
                now + datetime.timedelta(seconds=entry.ttl_seconds),
                entry.replace,
            ],
        )
        return cursor.rowcount == 1


def delete(*, tenant_id: int, entry_id: int | None = None, model_name: str | None = None) -> int:
    """Invalidate one entry, one model's entries, or all of a tenant's (gateways read the table directly)."""
    sql, params = "DELETE FROM routing_cacheentry WHERE tenant_id = %s", [tenant_id]
    if entry_id is not None:
        sql, params = sql + " AND id = %s", [*params, entry_id]
    if model_name is not None:
        sql, params = sql + " AND model_name = %s", [*params, model_name]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def purge_expired() -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM routing_cacheentry WHERE expires_at <= now()")
        return cursor.rowcount


def evict_over_budget() -> dict[int, int]:
    """Drop each tenant's least recently useful entries beyond its budget: ``{tenant_id: evicted}``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH ranked AS (SELECT e.id, e.tenant_id, row_number() OVER (PARTITION BY e.tenant_id "
            "ORDER BY coalesce(e.last_hit_at, e.created_at) DESC, e.id DESC) AS position, p.cache_max_entries "
            "FROM routing_cacheentry e JOIN tenants_policy p ON p.tenant_id = e.tenant_id) "
            "DELETE FROM routing_cacheentry WHERE id IN (SELECT id FROM ranked WHERE position > cache_max_entries) "
            "RETURNING tenant_id"
        )
        evicted: dict[int, int] = {}
        for (tenant_id,) in cursor.fetchall():
            evicted[tenant_id] = evicted.get(tenant_id, 0) + 1
    return evicted
