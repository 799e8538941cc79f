"""Prometheus metrics of the gateway, served at /metrics.

With several server processes, set ``PROMETHEUS_MULTIPROC_DIR`` to a shared empty folder and
the metrics endpoint aggregates every process (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REQUESTS = Counter("neuralrouting_requests_total", "Authenticated gateway requests by outcome.", ["status", "provider"])
LATENCY = Histogram(
    "neuralrouting_request_latency_seconds",
    "Time from request to ledger row.",
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
LEDGER_SPOOLED = Counter(
    "neuralrouting_ledger_spooled_total", "Ledger rows spooled to disk because the database refused them."
)


BACKGROUND_SKIPPED = Counter(
    "neuralrouting_background_skipped_total", "Background jobs not enqueued because the broker refused them.", ["task"]
)


CACHE_SKIPPED = Counter(
    "neuralrouting_cache_skipped_total", "Cache operations skipped because the database did not answer.", ["operation"]
)
CACHE_LOOKUPS = Counter("neuralrouting_cache_lookups_total", "Cache outcomes of chat requests.", ["outcome"])
SHIELD_SECONDS = Histogram(
    "neuralrouting_shield_seconds",
    "Time the shield's rules took per request.",
    buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
)
SHIELD_REUSED = Counter(
    "neuralrouting_shield_reused_messages_total",
    "Messages the shield's rules did not read again: the same tenant sent the same text recently.",
)
SHIELD_FINDINGS = Counter(
    "neuralrouting_shield_findings_total", "Shield findings by category and action.", ["category", "action"]
)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
