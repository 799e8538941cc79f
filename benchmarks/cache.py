"""The answer cache: semantic lookup latency and recall@1 against exact search, exact hits in
process, and exact and semantic hits over HTTP.

    .venv/bin/python -m benchmarks.cache [--sizes 10000,100000] [--million] [--queries 500] [--keep]
    .venv/bin/python -m benchmarks.cache --million --ef-search 200,400   # opt-in, about 20 minutes

1. Store level, for each size N: a ``bench-cache`` tenant holds N entries (384-d), 90% of them
   under one semantic key, so that its lookups take the HNSW path (more than 2000 candidates),
   one key with exactly 2000 entries (the exact scan's worst case), and a ``bench-cache-slice``
   tenant holds 1% as many, drawn from the same topics (its neighbours in the index all belong to
   someone else). Vectors: see ``Topics``, plus up to 3,000 real CLINC150 sentences embedded with
   the gateway's encoder. Queries: near-duplicates of stored entries (cosine 0.93-0.99, as
   paraphrases), new questions on stored topics, unrelated ones and CLINC150 test sentences.
   ``store.semantic_lookup`` is timed warm, in process; numpy's brute force over the same tenant
   and key gives the exact top-1, hence recall@1 and the false-miss rate. The plan PostgreSQL
   actually chose is recorded too (the store's strategy is only what it asked for).
   The rows are loaded with binary COPY while the HNSW index is dropped, then the index is built
   from the migration's own definition; the ``insert_with_index`` figures show what maintaining
   it row by row would have cost instead. The definition is checked to be identical at the end.
   Also timed: ``store.insert`` and ``store.record_hit`` on entries never hit before.
2. Exact hits in process: ``plan_for`` + ``store.exact_lookup``.
3. Over HTTP, against the real server (uvicorn, one worker, simulator answers): exact hits,
   semantic hits (paraphrase pairs at or above the tenant's threshold with the gateway's own
   encoder) and misses, at concurrency 1, with the table of the largest size still loaded.

Uses the embedded database (or DATABASE_URL, never a production one: the benchmark drops the HNSW
index and rewrites the table); the database must be migrated. The bench tenants'
cache rows are deleted at the start and at the end (unless ``--keep``). Prints a JSON summary as
the last line and writes ``benchmarks/results/cache.json`` (``cache-1m.json`` with 1M entries).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import itertools
import json
import os
import re
import sys
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal

import numpy as np

from benchmarks.common import ROOT, Progress, django_setup, emit, gateway_server, machine, percentile

DIM = 384
INDEX = "cache_embedding_hnsw"
SLUG, SLICE_SLUG = "bench-cache", "bench-cache-slice"
MAIN_KEY_SHARE = 0.9  # the rest of the tenant's rows are spread over other semantic keys
OTHER_KEYS = 50
SLICE_SHARE = 0.01
REAL_ROWS = 3000
ALPHA = 0.35  # weight of the shared direction: mean pairwise cosine ~0.08, as measured on CLINC150
SPREAD = (0.05, 2.0)  # a topic's noise/centre energy ratio: within-topic cosine from ~0.95 to ~0.4
WARMUP = 30
SCAN = re.compile(r"(?:Parallel )?(?:Seq Scan|Index Only Scan using \w+|Index Scan using \w+|Bitmap Index Scan on \w+)")
ANSWER = (  # about 150 tokens, a typical stored answer
    "There are several reasonable options, and the right one depends on the context. Start with the simplest "
    "approach that meets the requirement, measure it, and only then add complexity where the numbers show a need. "
    "Keep the steps small so that each one can be checked on its own, and write down what you expect to see before "
    "you look. If the first attempt does not work, change one thing at a time. Most problems of this kind come "
    "from a small set of causes: a wrong assumption about the input, a missing step in the set-up, or a limit that "
    "nobody wrote down. Check those first. When it works, note what you did and why, so the next person can repeat it."
)
RESPONSE = {
    "object": "chat.completion",
    "model": "gpt-4o-mini",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 14, "completion_tokens": 150, "total_tokens": 164},
}
COLUMNS = (
    "tenant_id, exact_hash, semantic_key, embedding, ruleset_version, requested_model, model_name, provider, "
    "simulated, end_user, prompt_preview, task_type, response, input_tokens, output_tokens, cost_usd, hits, "
    "created_at, expires_at"
)
TYPES = ["int8", "varchar", "varchar", "vector", "varchar", "varchar", "varchar", "varchar", "bool", "varchar"]
TYPES += ["varchar", "varchar", "jsonb", "int4", "int4", "numeric", "int4", "timestamptz", "timestamptz"]
PARAPHRASES = [  # pairs the gateway should treat as the same question
    tuple(line.split(" | "))
    for line in """\
What are the main benefits of drinking green tea every day? | What are the main benefits of drinking green tea daily?
How do I reset my password? | How can I reset my password?
What is the capital city of Australia? | What's the capital city of Australia?
Explain the difference between a list and a tuple in Python. | Explain the difference between a Python list and a tuple.
How do I undo the last git commit? | How can I undo my last git commit?
What causes the seasons on Earth? | What causes Earth's seasons?
Give me a recipe for banana bread. | Can you give me a recipe for banana bread?
What is the difference between weather and climate? | What's the difference between climate and weather?
How do I center a div in CSS? | How can I center a div with CSS?
Summarize the plot of Romeo and Juliet. | Summarise the plot of Romeo and Juliet.
What are the symptoms of dehydration? | What are the signs and symptoms of dehydration?
How do vaccines work? | How do vaccines actually work?
What is photosynthesis? | What is photosynthesis in plants?
Why is the sky blue? | Why is the sky blue during the day?
What is the best way to learn a new language? | What's the best way to learn a new language?
How do I remove a stripped screw? | How can I remove a stripped screw?
Explain recursion to a beginner. | Explain recursion to a beginner programmer.
What is inflation in economics? | What does inflation mean in economics?
How do I cancel my subscription? | How can I cancel my subscription?
Write a haiku about the ocean. | Write a haiku about the sea.
What is a black hole? | What exactly is a black hole?
What are the benefits of regular exercise? | What are the benefits of exercising regularly?
How does compound interest work? | How does compound interest work exactly?
What is the difference between TCP and UDP? | What's the difference between TCP and UDP?
How do I change my email address? | How can I change my email address?
How do I get rid of fruit flies in my kitchen? | How can I get rid of fruit flies in the kitchen?
Explain how a bill becomes law in the United States. | Explain how a bill becomes a law in the US.
What should I pack for a beach vacation? | What should I bring for a beach vacation?
How do I write a cover letter? | How should I write a cover letter?
How do airplanes stay in the air? | How do planes stay in the air?
What is the difference between a virus and a bacterium? | What's the difference between viruses and bacteria?
How can I save money on groceries? | How do I save money on groceries?
Recommend a good science fiction book. | Recommend a good sci-fi book.
How do I improve my sleep quality? | How can I improve the quality of my sleep?
""".splitlines()
]
OPENERS = ["Explain", "Summarize", "Give practical advice about", "Write a short paragraph on", "List pitfalls of"]
TOPICS = ["container orchestration", "sourdough starters", "tax-advantaged savings", "medieval castles", "jazz harmony"]
TOPICS += ["urban beekeeping", "database indexing", "marathon training", "coral reef ecology", "chess endgames"]
TOPICS += ["remote team rituals", "solar panel upkeep", "Roman aqueducts", "password managers", "houseplant care"]
TOPICS += ["glacier formation", "wine tasting", "open-source licences", "bird migration", "bicycle maintenance"]
TOPICS += ["negotiating a salary", "volcanic soil", "typography basics", "cold-water swimming", "film photography"]
AUDIENCES = ["for a child", "for an expert", "for a busy manager", "in plain words", "with an example"]


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def ms(seconds: float) -> float:
    return seconds * 1000


def stats(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 3), "p99_ms": round(percentile(values, 99), 3)}


class Topics:
    """Clustered unit vectors shaped like sentence embeddings: a shared direction (they are
    anisotropic), a topic centre, and noise whose size varies by topic, from near-paraphrases to
    loose themes. Centres and noise are Gaussian with the covariance of real MiniLM vectors:
    isotropic noise in 384 dimensions is far harder for an approximate index than real text
    (participation ratio ~90 on CLINC150, not 384)."""

    def __init__(self, rng: np.random.Generator, shape: tuple[np.ndarray, np.ndarray], topics: int):
        direction, self.basis = shape
        self.rng, self.shared = rng, (ALPHA * direction).astype(np.float32)
        self.centres = self.draw(topics)
        self.noise = np.sqrt(np.exp(rng.uniform(np.log(SPREAD[0]), np.log(SPREAD[1]), topics))).astype(np.float32)

    def draw(self, n: int) -> np.ndarray:
        """Gaussian vectors with the embeddings' covariance, of squared norm 1 on average."""
        return self.rng.standard_normal((n, DIM), dtype=np.float32) @ self.basis

    def members(self, labels: np.ndarray, centres: np.ndarray | None = None, noise=None) -> np.ndarray:
        centres = self.centres if centres is None else centres
        noise = self.noise if noise is None else noise
        return unit(self.draw(len(labels)) * noise[labels, None] + self.shared + centres[labels])

    def sample(self, out: np.ndarray, label: str) -> None:
        progress = Progress(len(out), label)
        for start in range(0, len(out), 50_000):
            end = min(start + 50_000, len(out))
            out[start:end] = self.members(self.rng.integers(0, len(self.centres), end - start))
            progress.step(end - start)

    def unrelated(self, n: int) -> np.ndarray:
        """Questions on topics nobody asked about before."""
        return self.members(np.arange(n), self.draw(n), self.noise[self.rng.integers(0, len(self.noise), n)])

    def near_duplicates(self, sources: np.ndarray) -> np.ndarray:
        """Each source turned to a cosine drawn from 0.93-0.99 (like a paraphrase), along a direction
        drawn like the embeddings' own variation."""
        cosine = self.rng.uniform(0.93, 0.99, len(sources)).astype(np.float32)
        turn = self.draw(len(sources))
        turn = unit(turn - (turn * sources).sum(1, keepdims=True) * sources)  # orthogonal to the source
        return unit(sources * cosine[:, None] + turn * np.sqrt(1 - cosine**2)[:, None])


def embedding_shape(real: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The real vectors' mean direction and a matrix that turns white noise into their covariance
    (isotropic when there are too few real vectors)."""
    if len(real) < 2 * DIM:
        return unit(rng.standard_normal(DIM)).astype(np.float32), np.eye(DIM, dtype=np.float32) / np.sqrt(DIM)
    variances, axes = np.linalg.eigh(np.cov(real.T))
    variances = np.clip(variances, 0, None)
    basis = np.sqrt(variances)[:, None] * axes.T / np.sqrt(variances.sum())
    return unit(real.mean(0)).astype(np.float32), basis.astype(np.float32)


def embed_all(encoder, texts: list[str], label: str) -> np.ndarray:
    """Length-bucketed batches: a batch pads to its longest sentence."""
    order = np.argsort([len(t) for t in texts])
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    progress = Progress(len(texts), label)
    for start in range(0, len(texts), 64):
        batch = order[start : start + 64]
        out[batch] = encoder.embed([texts[i] for i in batch])
        progress.step(len(batch))
    return out


def real_sentences(encoder, n_queries: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """CLINC150 train sentences to store and test sentences to ask (empty if the set is absent)."""
    from benchmarks.datasets import clinc150

    try:
        splits = clinc150()
    except SystemExit as missing:
        sys.stderr.write(f"{missing}: no real sentences\n")
        return np.zeros((0, DIM), np.float32), [], np.zeros((0, DIM), np.float32)
    stored = [text for text, _ in splits["train"]][::5][:REAL_ROWS]
    asked = [text for text, _ in splits["test"]][::7][:n_queries]
    return embed_all(encoder, stored, "embed CLINC150 train"), stored, embed_all(encoder, asked, "embed CLINC150 test")


# --- the table ----------------------------------------------------------------------------------
def sql(statement: str, params=None, fetch: bool = False):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if fetch else cursor.rowcount


def index_definition() -> str | None:
    rows = sql("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s", [INDEX], True)
    return rows[0][0] if rows else None


def clear(tenant_ids: list[int]) -> int:
    """Delete the bench rows with the HNSW index out of the way, then compact what is left (the
    btree indexes would otherwise keep the size of the largest run). Not for a production table:
    ``VACUUM FULL`` locks it while it rewrites it."""
    sql(f"DROP INDEX IF EXISTS {INDEX}")
    deleted = sql("DELETE FROM routing_cacheentry WHERE tenant_id = ANY(%s)", [tenant_ids])
    sql("VACUUM (FULL, ANALYZE) routing_cacheentry")
    return deleted


def copy_rows(tenant_id: int, ruleset: str, hashes: list[str], keys: list[str], vectors, previews: dict, label: str):
    from django.db import connection
    from django.utils import timezone
    from pgvector.psycopg import register_vector
    from psycopg.types.json import Jsonb

    connection.ensure_connection()
    raw = connection.connection
    register_vector(raw)
    now = timezone.now()
    expires, response, zero = now + datetime.timedelta(days=30), Jsonb(RESPONSE), Decimal(0)
    progress = Progress(len(vectors), label)
    with raw.cursor() as cursor, cursor.copy(f"COPY routing_cacheentry ({COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(TYPES)
        for i, vector in enumerate(vectors):
            preview = previews.get(i, "")
            row = (
                tenant_id,
                hashes[i],
                keys[i],
                vector,
                ruleset,
                "auto",
                "gpt-4o-mini",
                "simulator",
                True,
                "",
                preview,
            )
            copy.write_row((*row, "chat", response, 14, 150, zero, 0, now, expires))
            if i % 5000 == 4999:
                progress.step(5000)
        if len(vectors) % 5000:
            progress.step(len(vectors) % 5000)


def _watch_build(total: int, done: threading.Event) -> None:
    """Report the build from pg_stat_progress_create_index (heap blocks scanned so far)."""
    from django.db import connection

    progress = Progress(total, "HNSW build")
    try:
        while not done.wait(1.0):
            rows = sql(
                "SELECT blocks_done, blocks_total FROM pg_stat_progress_create_index "
                "WHERE relid = 'routing_cacheentry'::regclass",
                fetch=True,
            )
            if rows and rows[0][1]:
                tick = max(total // 50, 1)  # the bar redraws on whole ticks
                reached = int(total * min(rows[0][0] / rows[0][1], 1.0)) // tick * tick
                if progress.done < reached < total:
                    progress.step(reached - progress.done)
        if progress.done < total:
            progress.step(total - progress.done)
    finally:
        connection.close()


def build_index(definition: str, rows: int, workers: int) -> dict:
    """The migration's index, built once over the loaded rows with enough memory for its graph."""
    from django.db import connection, transaction

    memory_mb = 64 + rows * 3 // 1024  # ~2.2 kB per 384-d element in pgvector's in-memory graph
    notices: list[str] = []

    def notice(diagnostic) -> None:
        notices.append(diagnostic.message_primary)

    connection.ensure_connection()
    raw = connection.connection
    raw.add_notice_handler(notice)
    done = threading.Event()
    watcher = threading.Thread(target=_watch_build, args=(rows, done), daemon=True)
    watcher.start()
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{memory_mb}MB'")
            cursor.execute(f"SET LOCAL max_parallel_maintenance_workers = {workers}")
            cursor.execute(definition)
    finally:
        elapsed = time.perf_counter() - started
        raw.remove_notice_handler(notice)
        done.set()
        watcher.join()
    sql("ANALYZE routing_cacheentry")
    return {"seconds": round(elapsed, 1), "maintenance_work_mem_mb": memory_mb, "workers": workers, "notices": notices}


def toasted_share(tenant_id: int) -> float | None:
    """How many stored vectors live out of line, in the TOAST table (rows over ~2 kB)."""
    if sql("SELECT current_setting('server_version_num')::int", fetch=True)[0][0] < 170000:
        return None  # pg_column_toast_chunk_id is PostgreSQL 17+
    return sql(
        "SELECT avg((pg_column_toast_chunk_id(embedding) IS NOT NULL)::int)::float FROM "
        "(SELECT embedding FROM routing_cacheentry WHERE tenant_id = %s LIMIT 1000) AS sample",
        [tenant_id],
        fetch=True,
    )[0][0]


def sizes_mb() -> dict:
    table, total, index = sql(
        "SELECT pg_relation_size('routing_cacheentry'), pg_total_relation_size('routing_cacheentry'), "
        f"pg_relation_size('{INDEX}')",
        fetch=True,
    )[0]
    mb = 1024 * 1024
    return {
        "table_mb": round(table / mb, 1),
        "table_with_indexes_mb": round(total / mb, 1),
        "hnsw_mb": round(index / mb, 1),
    }


def row_ids(tenant_id: int, n: int) -> np.ndarray:
    """One COPY inserts in row order and draws ids from the sequence in that order."""
    ids = np.array(
        [r[0] for r in sql("SELECT id FROM routing_cacheentry WHERE tenant_id = %s ORDER BY id", [tenant_id], True)]
    )
    assert len(ids) == n, f"expected {n} rows for tenant {tenant_id}, found {len(ids)}"
    return ids


# --- measurements -------------------------------------------------------------------------------
def nearest(stored: np.ndarray, rows: np.ndarray, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-1 (similarity, row) of each query among ``stored[rows]``."""
    best = np.full(len(queries), -np.inf, dtype=np.float32)
    where = np.zeros(len(queries), dtype=np.int64)
    for start in range(0, len(rows), 65_536):
        chunk = rows[start : start + 65_536]
        scores = stored[chunk] @ queries.T
        top = scores.argmax(0)
        value = scores[top, np.arange(len(queries))]
        better = value > best
        best[better], where[better] = value[better], chunk[top[better]]
    return best, where


def chosen_plans(lookup, queries: np.ndarray) -> dict:
    """The scans PostgreSQL chose for the lookup's final SELECT: EXPLAIN inside the same transaction,
    so with the same ``SET LOCAL`` settings. The strategy the store reports is only what it asked for."""
    from django.db import connection

    seen = Counter()

    def explain(execute, sql, params, many, context):
        if "AS similarity" in sql:
            execute("EXPLAIN " + sql, params, many, context)
            plan = " ".join(row[0] for row in context["cursor"].fetchall())
            seen[" + ".join(sorted(set(SCAN.findall(plan))))] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        for vector in queries:
            lookup(vector)
    return dict(seen)


@contextlib.contextmanager
def ef_search(value: int):
    """The store's HNSW candidate list, changed for a tuning sweep."""
    from routing.cache import store

    default, store.ITERATIVE_EF_SEARCH = store.ITERATIVE_EF_SEARCH, value
    try:
        yield
    finally:
        store.ITERATIVE_EF_SEARCH = default


def semantic(case: dict, queries: np.ndarray, kinds: list[str], threshold: float, force_index: bool, label: str):
    """Time ``semantic_lookup`` and score it against brute force: recall@1 over the queries whose
    exact top-1 reaches the threshold, the misses among them, and top-1 agreement over all."""
    from routing.cache import store

    best, where = nearest(case["vectors"], case["rows"], queries)

    def lookup(vector):
        return store.semantic_lookup(
            tenant_id=case["tenant_id"],
            semantic_key=case["key"],
            ruleset=case["ruleset"],
            vector=vector,
            threshold=threshold,
            force_index=force_index,
        )

    plans = chosen_plans(lookup, queries[:WARMUP])  # also the warm-up
    latencies, strategies = [], Counter()
    outcome = {kind: Counter() for kind in sorted(set(kinds))}
    progress = Progress(len(queries), label)
    for i, vector in enumerate(queries):
        started = time.perf_counter()
        answer, similarity, strategy = lookup(vector)
        latencies.append(ms(time.perf_counter() - started))
        strategies[strategy] += 1
        tally = outcome[kinds[i]]
        tally["queries"] += 1
        tally["top1_agrees"] += int(similarity is not None and abs(similarity - best[i]) <= 1e-5)
        if best[i] >= threshold:
            tally["above_threshold"] += 1
            if answer is None:
                tally["false_misses"] += 1
            elif answer.id == case["ids"][where[i]] or abs(similarity - best[i]) <= 1e-6:
                tally["recalled"] += 1
            else:
                tally["wrong_entry"] += 1
        progress.step()
    total = sum(outcome.values(), Counter())
    eligible = total["above_threshold"]
    return {
        **stats(latencies),
        "strategy": dict(strategies),
        "plan": plans,
        "recall_at_1": round(total["recalled"] / eligible, 4) if eligible else None,
        "false_miss_rate": round(total["false_misses"] / eligible, 4) if eligible else None,
        "above_threshold": eligible,
        "top1_agreement_all_queries": round(total["top1_agrees"] / len(queries), 4),
        "by_kind": {kind: dict(tally) for kind, tally in outcome.items()},
    }


def stale_lookups(case: dict, queries: np.ndarray, threshold: float) -> dict:
    """Lookups once the tenant's shield rules or settings changed: every stored entry is under
    another ruleset, so none may answer, but they still count as candidates and fill the index."""
    from routing.cache import store

    def lookup(vector):
        return store.semantic_lookup(
            tenant_id=case["tenant_id"],
            semantic_key=case["key"],
            ruleset="another-ruleset",
            vector=vector,
            threshold=threshold,
        )

    plans = chosen_plans(lookup, queries[:5])
    latencies, strategies, returned = [], Counter(), 0
    progress = Progress(len(queries), "semantic, entries under another ruleset")
    for vector in queries:
        started = time.perf_counter()
        _answer, similarity, strategy = lookup(vector)
        latencies.append(ms(time.perf_counter() - started))
        strategies[strategy] += 1
        returned += similarity is not None
        progress.step()
    return {**stats(latencies), "strategy": dict(strategies), "plan": plans, "rows_returned": returned}


def exact_in_process(tenant_id: int, policy, ruleset: str, bodies: list[dict]) -> dict:
    from routing.cache import store
    from routing.cache.keys import plan_for

    plans, lookups, totals = [], [], []
    progress = Progress(len(bodies), "exact lookups")
    for i, body in enumerate([*bodies[:WARMUP], *bodies]):
        t0 = time.perf_counter()
        plan = plan_for(tenant_id=tenant_id, requested_model="auto", raw=body, end_user="", policy=policy)
        t1 = time.perf_counter()
        answer = store.exact_lookup(tenant_id=tenant_id, exact_hash=plan.exact_hash, ruleset=ruleset)
        t2 = time.perf_counter()
        assert answer is not None, "an exact entry was not found"
        if i >= WARMUP:
            plans.append(ms(t1 - t0))
            lookups.append(ms(t2 - t1))
            totals.append(ms(t2 - t0))
            progress.step()
    return {**stats(totals), "plan_for_p50_ms": stats(plans)["p50_ms"], "exact_lookup_p50_ms": stats(lookups)["p50_ms"]}


def hit_updates(ids: np.ndarray) -> dict:
    """``store.record_hit`` on entries never hit before: an UPDATE that is not HOT (no free room on a
    full page) also inserts into every index of the table, the HNSW one included."""
    from routing.cache import store

    def updates() -> tuple[int, int]:
        sql("SELECT pg_stat_force_next_flush()")
        time.sleep(0.6)  # the statistics are published asynchronously
        return sql(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relid = 'routing_cacheentry'::regclass",
            fetch=True,
        )[0]

    before = updates()
    latencies = []
    for entry_id in ids:
        started = time.perf_counter()
        store.record_hit(entry_id=int(entry_id))
        latencies.append(ms(time.perf_counter() - started))
    after = updates()
    return {**stats(latencies), "hot_updates": after[1] - before[1], "updates": after[0] - before[0]}


def inserts(tenant_id: int, ruleset: str, topics: Topics, n: int) -> dict:
    """``store.insert`` (what the gateway does after a miss) with the HNSW index maintained."""
    from routing.cache import store

    vectors = topics.members(topics.rng.integers(0, len(topics.centres), n))
    latencies = []
    for i, vector in enumerate(vectors):
        entry = store.NewEntry(
            tenant_id=tenant_id,
            exact_hash=hashlib.sha256(f"insert-probe-{time.time_ns()}-{i}".encode()).hexdigest(),
            semantic_key="insert-probe",
            embedding=vector,
            ruleset_version=ruleset,
            requested_model="auto",
            model_name="gpt-4o-mini",
            provider="simulator",
            simulated=True,
            end_user="",
            prompt_preview="insert probe",
            task_type="chat",
            response=RESPONSE,
            input_tokens=14,
            output_tokens=150,
            cost_usd=Decimal(0),
            ttl_seconds=86_400,
        )
        started = time.perf_counter()
        store.insert(entry=entry)
        latencies.append(ms(time.perf_counter() - started))
    return stats(latencies)


# --- one size -----------------------------------------------------------------------------------
def bench_tenants() -> list:
    from tenants.models import Tenant
    from tenants.services import policy_update, tenant_create

    tenants = []
    for slug, name in ((SLUG, "Cache benchmark"), (SLICE_SLUG, "Cache benchmark, small tenant")):
        tenant = Tenant.objects.filter(slug=slug).first() or tenant_create(name=name, slug=slug)
        # no rate limit, and no eviction of the loaded rows by a maintenance run meanwhile
        policy_update(tenant=tenant, rate_limit_rpm=0, cache_max_entries=100_000_000)
        tenants.append(tenant)
    return tenants


def chat(text: str) -> dict:
    return {"model": "auto", "messages": [{"role": "user", "content": text}]}


def lookup_key(tenant_id: int, policy) -> str:
    """The semantic key of a plain single-turn request without numbers to model "auto", so that the
    paraphrases sent over HTTP share it with the loaded rows."""
    from routing.cache.keys import plan_for

    plan = plan_for(tenant_id=tenant_id, requested_model="auto", raw=chat("a question"), end_user="", policy=policy)
    return plan.semantic_key


def main_queries(setup: dict, vectors: np.ndarray, rows: np.ndarray, n: int, with_real: bool):
    rng, topics = setup["rng"], setup["topics"]
    n_real = min(len(setup["real_queries"]), n // 5) if with_real else 0
    n_topic = n_unrelated = int(n * 0.15)
    n_near = n - n_real - n_topic - n_unrelated
    parts = [
        ("near_duplicate", topics.near_duplicates(vectors[rng.choice(rows, n_near)])),
        ("same_topic", topics.members(rng.integers(0, len(topics.centres), n_topic))),
        ("unrelated", topics.unrelated(n_unrelated)),
        ("real_clinc150", setup["real_queries"][:n_real]),
    ]
    return shuffled(rng, parts)


def few_queries(setup: dict, vectors: np.ndarray, rows: np.ndarray, n: int):
    """Near-duplicates of the given rows and new questions on the same topics."""
    rng, topics = setup["rng"], setup["topics"]
    near = topics.near_duplicates(vectors[rng.choice(rows, n - n // 3)])
    return shuffled(
        rng, [("near_duplicate", near), ("same_topic", topics.members(rng.integers(0, len(topics.centres), n // 3)))]
    )


def shuffled(rng: np.random.Generator, parts: list[tuple[str, np.ndarray]]) -> tuple[np.ndarray, list[str]]:
    queries = np.concatenate([vectors for _, vectors in parts]).astype(np.float32)
    kinds = [kind for kind, vectors in parts for _ in range(len(vectors))]
    order = rng.permutation(len(queries))
    return queries[order], [kinds[i] for i in order]


def run_size(n: int, setup: dict, args) -> tuple[dict, dict]:
    rng, (tenant, small), real = setup["rng"], setup["tenants"], setup["real"]
    started = time.perf_counter()
    clear([tenant.pk, small.pk])
    n_slice, n_real, n_exact = max(int(n * SLICE_SHARE), 100), min(len(real), n // 10), min(args.queries, n // 10)
    topics = setup["topics"] = Topics(rng, setup["shape"], max(1000, n // 50))
    vectors = np.empty((n, DIM), dtype=np.float32)
    vectors[:n_real] = real[:n_real]
    topics.sample(vectors[n_real:], f"vectors N={n}")
    small_vectors = np.empty((n_slice, DIM), dtype=np.float32)
    topics.sample(small_vectors, "vectors, small tenant")
    key_of_row = np.where(rng.random(n) < MAIN_KEY_SHARE, 0, rng.integers(2, OTHER_KEYS + 1, n))
    key_of_row[n - n_exact :] = 0
    # one key with as many entries as the exact scan takes at most: that path's worst case
    key_of_row[np.flatnonzero(key_of_row)[: setup["exact_scan_limit"]]] = 1
    names = [setup["key"], *(hashlib.sha256(f"other-key-{j}".encode()).hexdigest() for j in range(OTHER_KEYS))]
    hashes = [hashlib.sha256(f"bench-{n}-{i}".encode()).hexdigest() for i in range(n)]
    exact_bodies = [chat(f"Exact-cache question {i}: {TOPICS[i % len(TOPICS)]}") for i in range(n_exact)]
    previews = dict(enumerate(setup["real_texts"][:n_real]))
    for j, body in enumerate(exact_bodies):
        hashes[n - n_exact + j] = setup["plan"](tenant.pk, body).exact_hash
        previews[n - n_exact + j] = body["messages"][0]["content"]
    generated = time.perf_counter()
    copy_rows(tenant.pk, setup["ruleset"], hashes, [names[k] for k in key_of_row], vectors, previews, f"COPY N={n}")
    small_hashes = [hashlib.sha256(f"bench-small-{n}-{i}".encode()).hexdigest() for i in range(n_slice)]
    small_keys = [setup["small_key"]] * n_slice
    copy_rows(small.pk, setup["small_ruleset"], small_hashes, small_keys, small_vectors, {}, "COPY small tenant")
    sql("VACUUM (ANALYZE) routing_cacheentry")
    loaded = time.perf_counter()
    table_rows = sql("SELECT count(*) FROM routing_cacheentry", fetch=True)[0][0]
    build = build_index(setup["definition"], table_rows, args.build_workers)
    built = time.perf_counter()
    size = {**sizes_mb(), "embeddings_toasted_share": toasted_share(tenant.pk)}

    rows = np.flatnonzero(key_of_row == 0)
    case = {"tenant_id": tenant.pk, "key": setup["key"], "ruleset": setup["ruleset"], "vectors": vectors, "rows": rows}
    case["ids"] = row_ids(tenant.pk, n)
    small_case = {
        "tenant_id": small.pk,
        "key": setup["small_key"],
        "ruleset": setup["small_ruleset"],
        "vectors": small_vectors,
        "rows": np.arange(n_slice),
        "ids": row_ids(small.pk, n_slice),
    }
    threshold = setup["threshold"]
    queries, kinds = main_queries(setup, vectors, rows, args.queries, n_real > 0)
    result = {"tenant": semantic(case, queries, kinds, threshold, False, f"semantic N={n}")}
    result["tenant_after_ruleset_change"] = stale_lookups(case, queries[:50], threshold)
    for ef in args.ef_search:
        with ef_search(ef):
            label = f"semantic N={n}, ef_search {ef}"
            result[f"tenant_ef_search_{ef}"] = semantic(case, queries, kinds, threshold, False, label)
    n_small = args.queries // 2
    at_limit = {**case, "key": names[1], "rows": np.flatnonzero(key_of_row == 1)}
    label = f"semantic, {len(at_limit['rows'])} candidates"
    result["exact_scan_limit"] = semantic(
        at_limit, *few_queries(setup, vectors, at_limit["rows"], n_small), threshold, False, label
    )
    small_queries, small_kinds = few_queries(setup, small_vectors, small_case["rows"], n_small)
    result["small_tenant"] = semantic(
        small_case, small_queries, small_kinds, threshold, False, "semantic, small tenant"
    )
    if "exact_scan" in result["small_tenant"]["strategy"]:
        label = "semantic, small tenant, force_index"
        result["small_tenant_force_index"] = semantic(small_case, small_queries, small_kinds, threshold, True, label)
    exact = exact_in_process(tenant.pk, setup["policy"], setup["ruleset"], exact_bodies)
    insert = inserts(tenant.pk, setup["ruleset"], topics, 200)
    hits = hit_updates(rng.choice(case["ids"], 200, replace=False))
    measured = time.perf_counter()
    report = {
        "rows": {
            "tenant": n,
            "tenant_under_lookup_key": len(rows),
            "tenant_real_sentences": n_real,
            "small_tenant": n_slice,
            "table": table_rows,
            "topics": len(topics.centres),
        },
        "bulk_load": {
            "copy_and_vacuum_s": round(loaded - generated, 1),
            "index_build": build,
            "maintained_index_estimate_s": round(n * insert["p50_ms"] / 1000, 1),
        },
        "size": size,
        "semantic": result,
        "exact_in_process": exact,
        "insert_with_index": insert,
        "record_hit_first_time": hits,
    }
    timings = {
        "generate": generated - started,
        "load": loaded - generated,
        "index_build": built - loaded,
        "measure": measured - built,
    }
    return report, {k: round(v, 1) for k, v in timings.items()}


# --- over HTTP ----------------------------------------------------------------------------------
def paraphrase_pairs(encoder, threshold: float) -> list[tuple[str, str, float]]:
    """The pairs the gateway's encoder puts at or above the threshold (with a margin)."""

    def vector(text: str) -> np.ndarray:
        return encoder.embed([text])[0]  # one at a time, as the server embeds them here (no padding)

    similarity = [float(vector(a) @ vector(b)) for a, b in PARAPHRASES]
    return [(a, b, s) for (a, b), s in zip(PARAPHRASES, similarity, strict=True) if s >= threshold + 0.005]


def wait_stored(tenant_id: int, hashes: list[str]) -> int:
    """Answers are stored after the response, in the background."""
    deadline = time.monotonic() + 20
    while True:
        found = sql(
            "SELECT count(*) FROM routing_cacheentry WHERE tenant_id = %s AND exact_hash = ANY(%s)",
            [tenant_id, hashes],
            fetch=True,
        )[0][0]
        if found >= len(hashes) or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def seen_on_miss(missed: list[tuple[float, str]]) -> list[list]:
    """For paraphrases that missed: their pair's similarity, and the best one the lookup found (the
    ledger keeps it; the response carries it only on a hit)."""
    from finops.models import RequestRecord

    seen = dict(
        RequestRecord.objects.filter(decision_id__in=[d for _, d in missed]).values_list(
            "decision_id", "cache_similarity"
        )
    )
    return [[round(pair, 4), seen.get(uuid.UUID(decision))] for pair, decision in missed]


def over_http(tenant, setup: dict, n: int, port: int) -> dict:
    import httpx

    from tenants.services import api_key_create, api_key_revoke

    pairs = paraphrase_pairs(setup["encoder"], setup["threshold"])
    combos = enumerate(itertools.product(AUDIENCES, TOPICS))  # a topic gets another opener for each audience
    fresh = [f"{OPENERS[(i + i // len(TOPICS)) % len(OPENERS)]} {t} {a}" for i, (a, t) in combos]
    exact_texts, miss_texts = fresh[:10], fresh[10 : 10 + max(n // 3, 20)]
    created = api_key_create(tenant=tenant, name="cache benchmark")
    results: dict = {"paraphrase_pairs": {"candidates": len(PARAPHRASES), "kept": len(pairs)}}
    if pairs:
        results["paraphrase_pairs"]["similarity_range"] = [
            round(min(s for *_, s in pairs), 4),
            round(max(s for *_, s in pairs), 4),
        ]
    try:
        with gateway_server(port) as base, httpx.Client(base_url=base, timeout=30) as client:
            headers = {"Authorization": f"Bearer {created.key}"}

            def ask(text: str) -> tuple[float, str, str]:
                """Latency, cache outcome, and the similarity header (hits) or the decision id (others)."""
                started = time.perf_counter()
                response = client.post("/v1/chat/completions", json=chat(text), headers=headers)
                elapsed = ms(time.perf_counter() - started)
                if response.status_code != 200:
                    return elapsed, f"http_{response.status_code}", ""
                outcome = response.headers.get("x-neuralrouting-cache", "")
                if outcome == "semantic":
                    return elapsed, outcome, response.headers.get("x-neuralrouting-cache-similarity", "")
                return elapsed, outcome, response.headers.get("x-neuralrouting-decision-id", "")

            originals = [a for a, _, _ in pairs]
            first = Counter(ask(text)[1] for text in exact_texts + originals)
            results["first_requests"] = dict(first)
            hashes = [setup["plan"](tenant.pk, chat(text)).exact_hash for text in exact_texts + originals]
            results["stored_before_timing"] = wait_stored(tenant.pk, hashes)

            def phase(texts: list[str], expected: str, label: str, similarities=None) -> dict:
                latencies, outcomes, own, missed = [], Counter(), 0, []
                progress = Progress(len(texts), label)
                for i, text in enumerate(texts):
                    elapsed, outcome, similarity = ask(text)
                    outcomes[outcome] += 1
                    if outcome == expected:
                        latencies.append(elapsed)
                    if outcome == "semantic" and similarities and abs(float(similarity) - similarities[i]) < 0.002:
                        own += 1
                    if similarities and outcome == "miss":
                        missed.append((similarities[i], similarity))
                    progress.step()
                out = {**stats(latencies), "outcomes": dict(outcomes)}
                if similarities:
                    out |= {"served_its_own_original": own, "missed_pairs_similarity_vs_seen": seen_on_miss(missed)}
                return out

            results["exact_hit"] = phase([exact_texts[i % 10] for i in range(n)], "exact", "HTTP exact hits")
            chosen = [pairs[i % len(pairs)] for i in range(n)] if pairs else []
            results["semantic_hit"] = phase(
                [b for _, b, _ in chosen], "semantic", "HTTP semantic hits", [s for _, _, s in chosen]
            )
            results["miss"] = phase(miss_texts, "miss", "HTTP misses")
    finally:
        api_key_revoke(tenant=tenant, prefix=created.api_key.prefix)
    return results


# --- the run ------------------------------------------------------------------------------------
def setup_run(args) -> dict:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from routing.cache import store
    from routing.cache.keys import plan_for
    from routing.encoders import shared_encoder
    from routing.pipeline.shield import cache_ruleset
    from tenants.selectors import policy_snapshot

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise SystemExit("the database has unapplied migrations: run `.venv/bin/python manage.py migrate` first")
    definition = index_definition()
    if definition is None:
        raise SystemExit(f"index {INDEX} is missing: is the database migrated?")
    encoder = shared_encoder()
    if encoder is None:
        raise SystemExit("the embedding model could not be loaded")
    tenant, small = bench_tenants()
    policy, small_policy = policy_snapshot(tenant_id=tenant.pk), policy_snapshot(tenant_id=small.pk)
    rng = np.random.default_rng(args.seed)
    real, real_texts, real_queries = real_sentences(encoder, args.queries // 5)
    return {
        "rng": rng,
        "encoder": encoder,
        "tenants": (tenant, small),
        "policy": policy,
        "threshold": policy.cache_threshold,
        "key": lookup_key(tenant.pk, policy),
        "small_key": lookup_key(small.pk, small_policy),
        "ruleset": cache_ruleset(policy),  # what the gateway stores and looks up under
        "small_ruleset": cache_ruleset(small_policy),
        "definition": definition,
        "exact_scan_limit": store.EXACT_SCAN_LIMIT,
        "real": real,
        "real_texts": real_texts,
        "real_queries": real_queries,
        "shape": embedding_shape(real, rng),
        "plan": lambda tenant_id, body: plan_for(
            tenant_id=tenant_id, requested_model="auto", raw=body, end_user="", policy=policy
        ),
    }


def server_facts() -> dict:
    from routing.cache import store

    version, vector, buffers = sql(
        "SELECT current_setting('server_version'), (SELECT extversion FROM pg_extension WHERE extname = 'vector'), "
        "current_setting('shared_buffers')",
        fetch=True,
    )[0]
    return {
        "postgresql": version,
        "pgvector": vector,
        "shared_buffers": buffers,
        "index": index_definition(),
        "exact_scan_limit": store.EXACT_SCAN_LIMIT,
        "hnsw": {
            "iterative_scan": "strict_order",
            "ef_search": store.ITERATIVE_EF_SEARCH,
            "max_scan_tuples": store.ITERATIVE_MAX_SCAN_TUPLES,
        },
    }


def targets(summary: dict, largest: int) -> dict:
    at = summary["sizes"][str(largest)]
    semantic_tenant = at["semantic"]["tenant"]
    http = summary.get("http", {}).get("exact_hit", {})

    def check(target: float, measured, higher_is_better: bool = False) -> dict:
        met = None if measured is None else (measured >= target if higher_is_better else measured <= target)
        return {"target": target, "measured": measured, "met": met}

    return {
        "at_size": largest,
        "exact_hit_in_process_p50_ms": check(0.5, at["exact_in_process"]["p50_ms"]),
        "semantic_lookup_p99_ms": check(5.0, semantic_tenant["p99_ms"]),
        "semantic_recall_at_1": check(0.98, semantic_tenant["recall_at_1"], higher_is_better=True),
        "http_exact_hit_p50_ms": check(2.0, http.get("p50_ms")),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="", help="comma-separated entry counts (default 10000,100000)")
    parser.add_argument("--million", action="store_true", help="1,000,000 entries (opt-in; about half an hour)")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--http-requests", type=int, default=300)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--ef-search", default="", help="also measure the HNSW path with these hnsw.ef_search values (e.g. 200,400)"
    )
    parser.add_argument("--build-workers", type=int, default=1, help="parallel workers for the HNSW build")
    parser.add_argument("--port", type=int, default=18096)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="leave the bench rows in the table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.ef_search = [int(v) for v in args.ef_search.split(",") if v.strip()]
    if args.million:
        sizes = [*sizes, 1_000_000]
    sizes = sizes or [10_000, 100_000]
    started = time.perf_counter()
    django_setup()
    setup = setup_run(args)
    tenant, small = setup["tenants"]
    summary: dict = {"benchmark": "cache", "machine": {**machine(), "load_average_at_start": os.getloadavg()}}
    summary["server"] = server_facts()
    summary["settings"] = {
        "threshold": setup["threshold"],
        "ruleset": setup["ruleset"],
        "queries": args.queries,
        "query_mix": "50% near-duplicates of stored entries (cosine 0.93-0.99), 15% new questions on stored topics, "
        "15% unrelated, 20% CLINC150 test sentences; small tenant and exact-scan cases: 2/3 near-duplicates, "
        "1/3 same topic",
        "vectors": f"clustered unit vectors (topics = max(1000, N/50), shared direction weight {ALPHA}, "
        "centres and noise with the covariance of the real vectors, "
        f"topic noise ratio {SPREAD[0]}-{SPREAD[1]}) plus up to {REAL_ROWS} CLINC150 train sentences",
    }
    summary["sizes"] = {}
    timings: dict = {"setup": round(time.perf_counter() - started, 1)}
    try:
        for n in sizes:
            summary["sizes"][str(n)], timings[f"size_{n}"] = run_size(n, setup, args)
        if not args.skip_http:
            began = time.perf_counter()
            summary["http"] = over_http(tenant, setup, args.http_requests, args.port)
            timings["http"] = round(time.perf_counter() - began, 1)
    finally:
        began = time.perf_counter()
        if not args.keep:
            clear([tenant.pk, small.pk])
        if index_definition() is None:
            rows = sql("SELECT count(*) FROM routing_cacheentry", fetch=True)[0][0]
            build_index(setup["definition"], max(rows, 1), args.build_workers)
        timings["cleanup"] = round(time.perf_counter() - began, 1)
    summary["index_restored_identically"] = index_definition() == setup["definition"]
    summary["targets"] = targets(summary, sizes[-1])
    timings["total"] = round(time.perf_counter() - started, 1)
    summary["machine"]["load_average_at_end"] = os.getloadavg()
    summary["timings_s"] = timings
    name = "cache-1m.json" if 1_000_000 in sizes else "cache.json"
    (ROOT / "benchmarks" / "results" / name).write_text(json.dumps(summary, default=str) + "\n")
    emit(summary)


if __name__ == "__main__":
    main()
