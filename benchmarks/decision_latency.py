"""Routing decision latency, in process and over HTTP, and decisions per second under load.

- In process: ``Pipeline.route`` on the full miss path (parse, embed, route match, classify,
  select, ledger row), timed per decision and per stage.
- Over HTTP: ``POST /api/v1/route`` against the real ASGI server (uvicorn, one worker), at
  concurrency 1 (latency) and 32 (throughput). The load generator shares the 2 cores.

    .venv/bin/python -m benchmarks.decision_latency [--requests 500] [--concurrency 32]

Uses the embedded database (or DATABASE_URL) and a "bench" tenant it creates. Prompts are
varied (so no stage can coast on a repeat). Prints a JSON summary as the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from benchmarks.common import Progress, django_setup, emit, gateway_server, machine, percentile

SUBJECTS = [
    "a Python function that merges two sorted lists",
    "the causes of the French Revolution",
    "our quarterly sales report",
    "a haiku about the sea",
    "the invoice below",
    "names for a bakery",
    "this sentence into German",
    "whether this review is positive",
    "the derivative of x^3 sin x",
    "a bug in my React component",
    "the main points of this article",
    "ideas for a team offsite",
]
VERBS = ["Write", "Explain", "Summarize", "Translate", "Classify", "Solve", "Fix", "Give me", "Extract", "Describe"]


# ``--mixed``: each prompt after a pasted context of 0 to ~1,400 characters, as real traffic varies in
# length (the short prompts alone all embed in about the same time).
CONTEXT = (
    "The committee met on Tuesday to review the budget for the coming year. Several members asked for "
    "more detail on travel costs, and the treasurer agreed to circulate a breakdown before the next "
    "meeting. The proposal to move the annual conference to the spring was postponed. "
) * 6


def prompts(n: int, mixed: bool) -> list[str]:
    asks = [f"{VERBS[i % len(VERBS)]} {SUBJECTS[(i * 7) % len(SUBJECTS)]} (variant {i})" for i in range(n)]
    if not mixed:
        return asks
    return [f"{CONTEXT[: (i * 389) % 1400]}\n\n{ask}".lstrip() for i, ask in enumerate(asks)]


def bench_key() -> str:
    from tenants.models import Tenant
    from tenants.services import api_key_create, policy_update, tenant_create

    tenant = Tenant.objects.filter(slug="bench").first() or tenant_create(name="Benchmarks", slug="bench")
    policy_update(tenant=tenant, rate_limit_rpm=0)
    return api_key_create(tenant=tenant, name="decision latency").key


def in_process(key: str, n: int, mixed: bool) -> dict:
    import orjson
    from asgiref.sync import async_to_sync

    from core.errors import ApplicationError
    from routing.api.app import default_pipeline
    from routing.pipeline.context import RoutingContext

    pipeline = default_pipeline()
    pipeline.principal_cache.set_enabled(True)  # as in a server whose invalidation listener is connected
    refused = 0

    async def run() -> tuple[list[float], dict[str, list[float]]]:
        nonlocal refused
        principal = await pipeline.authenticate(f"Bearer {key}")
        totals, stages = [], {"embed": [], "classify": []}
        texts = prompts(n + 20, mixed)
        progress = Progress(n, "in-process decisions")
        for i, text in enumerate(texts):
            body = orjson.dumps({"model": "auto", "messages": [{"role": "user", "content": text}]})

            async def read(body=body) -> bytes:
                return body

            started = time.perf_counter()
            try:
                await pipeline.route(RoutingContext(principal=principal), read_body=read, headers={})
            except ApplicationError:  # a 403 from the shield or any other refusal: counted, not timed
                refused += 1
                continue
            if i >= 20:  # the first few warm up
                totals.append((time.perf_counter() - started) * 1000)
                progress.step()
        for text in texts[:200]:
            t0 = time.perf_counter()
            vector = await pipeline.batcher.embed(text)
            t1 = time.perf_counter()
            pipeline.classifier.classify(text=text, vector=vector)
            t2 = time.perf_counter()
            stages["embed"].append((t1 - t0) * 1000)
            stages["classify"].append((t2 - t1) * 1000)
        return totals, stages

    totals, stages = async_to_sync(run)()
    return {
        "decisions": len(totals),
        "refused": refused,
        "p50_ms": round(percentile(totals, 50), 2),
        "p99_ms": round(percentile(totals, 99), 2),
        "stages_p50_ms": {name: round(percentile(values, 50), 3) for name, values in stages.items()},
    }


async def _http(url: str, key: str, texts: list[str], concurrency: int, label: str) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    progress = Progress(len(texts) - concurrency, label)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=concurrency)) as client:
        for text in texts[:concurrency]:  # warm up every connection
            await client.post(url, headers=headers, json={"messages": [{"role": "user", "content": text}]})
        queue = iter(texts[concurrency:])

        async def worker() -> None:
            nonlocal errors
            for text in queue:
                t0 = time.perf_counter()
                response = await client.post(
                    url, headers=headers, json={"messages": [{"role": "user", "content": text}]}
                )
                if response.status_code != 200:
                    errors += 1
                latencies.append((time.perf_counter() - t0) * 1000)
                progress.step()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "decisions_per_second": round(len(latencies) / elapsed, 1),
    }


def over_http(key: str, n: int, concurrency: int, port: int, mixed: bool) -> dict:
    with gateway_server(port, int(os.environ.get("NR_BENCH_WORKERS", "1"))) as base:
        url = f"{base}/api/v1/route"
        serial = asyncio.run(_http(url, key, prompts(n + 1, mixed), 1, "HTTP c=1"))
        loaded = asyncio.run(_http(url, key, prompts(n * 2 + concurrency, mixed), concurrency, f"HTTP c={concurrency}"))
    return {"c1": serial, f"c{concurrency}": loaded}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--port", type=int, default=18095)
    parser.add_argument("--mixed", action="store_true", help="prompts of varied length (a pasted context first)")
    args = parser.parse_args()
    django_setup()
    key = bench_key()
    summary = {
        "benchmark": "decision_latency",
        "machine": machine(),
        "server_workers": int(os.environ.get("NR_BENCH_WORKERS", "1")),
        "mixed_lengths": args.mixed,
        "embedding_batch": int(os.environ.get("EMBEDDING_BATCH", "1")),
        "in_process": in_process(key, args.requests, args.mixed),
        "http": over_http(key, args.requests, args.concurrency, args.port, args.mixed),
    }
    emit(summary)


if __name__ == "__main__":
    main()
