"""Filtered vector search at scale: tenant A owns 50 entries among 200,000 of tenant B, whose
vectors crowd the region around A's query. A's near-duplicate must still hit, by every path the
lookup can take (exact scan, HNSW with iterative scan, and the older-pgvector fallback), and B's
entries must never come back to A. Takes a few minutes: most of it is building the HNSW index."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from pgvector.psycopg import register_vector

from routing.cache import store
from routing.encoders import shared_encoder
from tests.factories import make_tenant

pytestmark = pytest.mark.django_db

B_ROWS = 200_000
B_NEAR = 10_000
QUESTIONS = [
    f"How do I {verb} my {thing}?"
    for verb in ("reset", "change", "update", "delete", "recover")
    for thing in (
        "password",
        "email address",
        "billing plan",
        "profile photo",
        "username",
        "phone number",
        "two-factor settings",
        "payment card",
        "delivery address",
        "notification settings",
    )
]


def _index_definition() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cache_embedding_hnsw'")
        return cursor.fetchone()[0]


RESPONSE = '{"choices": [{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}'


def _copy(rows) -> None:
    """Bulk-load (tenant_id, exact_hash, semantic_key, vector, preview) rows with COPY (binary vectors)."""
    raw = connection.connection
    register_vector(raw)
    with (
        raw.cursor() as cursor,
        cursor.copy(
            "COPY routing_cacheentry (tenant_id, exact_hash, semantic_key, embedding, prompt_preview, ruleset_version, "
            "requested_model, model_name, provider, simulated, end_user, task_type, response, input_tokens, "
            "output_tokens, cost_usd, hits, created_at, expires_at) FROM STDIN"
        ) as copy,
    ):
        for row in rows:
            copy.write_row(
                (
                    *row,
                    "",
                    "auto",
                    "gpt-4o-mini",
                    "simulator",
                    True,
                    "",
                    "chat",
                    RESPONSE,
                    10,
                    10,
                    0,
                    0,
                    "2026-01-01T00:00:00Z",
                    "2099-01-01T00:00:00Z",
                )
            )


@pytest.mark.timeout(900)  # the index build alone takes minutes on two busy cores
def test_a_small_tenant_still_hits_among_200k_rows_of_another(settings):
    encoder = shared_encoder()
    a, b = make_tenant("Small"), make_tenant("Huge")
    key_a, key_b = "a" * 64, "b" * 64
    a_vectors = encoder.embed(QUESTIONS)
    query = encoder.embed(["How can I reset my password?"])[0]
    target = int(np.argmax(a_vectors @ query))
    assert QUESTIONS[target] == "How do I reset my password?"

    # 10,000 of B's vectors surround A's query, every one closer to it than A's own answer; the rest
    # are spread everywhere.
    rng = np.random.default_rng(7)
    near = query + 0.004 * rng.normal(size=(B_NEAR, 384)).astype(np.float32)
    far = rng.normal(size=(B_ROWS - B_NEAR, 384)).astype(np.float32)
    b_vectors = np.concatenate([near, far])
    b_vectors /= np.linalg.norm(b_vectors, axis=1, keepdims=True)
    assert float((b_vectors[:B_NEAR] @ query).min()) > float(a_vectors[target] @ query)

    definition = _index_definition()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred FK checks left pending for CREATE INDEX
        cursor.execute("DROP INDEX cache_embedding_hnsw")
    _copy((a.pk, f"a{i:063d}", key_a, v, QUESTIONS[i]) for i, v in enumerate(a_vectors))
    _copy((b.pk, f"b{i:063d}", key_b, v, "") for i, v in enumerate(b_vectors))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")  # pgvector builds HNSW in parallel
        cursor.execute(definition)
        cursor.execute("ANALYZE routing_cacheentry")

    def lookup(**kwargs):
        answer, _similarity, strategy = store.semantic_lookup(
            tenant_id=a.pk, semantic_key=key_a, ruleset="", vector=query, threshold=0.9, **kwargs
        )
        return answer, strategy

    exact, strategy = lookup()
    assert strategy == "exact_scan" and exact is not None and exact.similarity > 0.9

    # For A's 50 rows the planner would rightly sort them exactly; make it walk the HNSW index, as it
    # does for a tenant with many entries, and check that it really does.
    nearest = (
        "SELECT id FROM routing_cacheentry WHERE tenant_id = %s AND semantic_key = %s "
        "ORDER BY embedding <=> %s::vector LIMIT 1"
    )
    params = [a.pk, key_a, store.vector_literal(query)]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")
        cursor.execute("EXPLAIN " + nearest, params)
        assert "cache_embedding_hnsw" in " ".join(row[0] for row in cursor.fetchall())
    indexed, strategy = lookup(force_index=True)
    assert strategy == "hnsw_iterative" and indexed is not None and indexed.id == exact.id

    # The trap this guards against: without iterative scans the index's candidates are all B's,
    # the tenant filter drops them, and A gets nothing back.
    with connection.cursor() as cursor:
        cursor.execute("SET hnsw.ef_search = 40")
    with connection.cursor() as cursor:
        cursor.execute("SET hnsw.iterative_scan = off")
        cursor.execute(nearest, params)
        assert cursor.fetchone() is None

    store._pgvector_version = (0, 7, 0)  # a production server without iterative scans
    try:
        old_exact, strategy = lookup()
        assert strategy == "exact_scan" and old_exact.id == exact.id
    finally:
        store._pgvector_version = None

    # Never the other tenant's rows, even when they are far closer.
    b_side, _, _ = store.semantic_lookup(
        tenant_id=b.pk, semantic_key=key_b, ruleset="", vector=query, threshold=0.0, force_index=True
    )
    assert b_side is not None and b_side.id != exact.id
    with connection.cursor() as cursor:
        cursor.execute("SELECT tenant_id FROM routing_cacheentry WHERE id = %s", [b_side.id])
        assert cursor.fetchone()[0] == b.pk
