"""Provider availability from the database's point of view, shared by every gateway process.

- Probes (Celery beat, every minute): one one-token request per provider that has a deployment
  key, to its cheapest model; each result is a ProviderHealth row.
- Traffic: the ledger's last minutes per (provider, model): error share, rate limits, p95 latency.
Gateways load both into their HealthBoard every 30 s; their own circuit breakers react faster.
"""

from __future__ import annotations

import datetime
import time

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import connection
from django.utils import timezone

from routing.catalog import catalog_load
from routing.health import PROVIDER_WIDE, SharedHealth
from routing.models import Provider, ProviderHealth
from routing.providers.base import ProviderError, ProviderRequest

TRAFFIC_WINDOW = datetime.timedelta(minutes=15)
PROBE_TIMEOUT_SECONDS = 10.0
KEEP_PROBES = datetime.timedelta(days=7)


async def _ask(adapter, request: ProviderRequest) -> None:
    """One call on a loop of its own, whose provider session is closed with it."""
    try:
        await adapter.complete(request)
    finally:
        await adapter.aclose()


def probe_providers(registry=None) -> list[ProviderHealth]:
    """Probe every provider that has a deployment key; returns the rows written."""
    from routing.api.app import default_registry

    registry = registry or default_registry()
    catalog = catalog_load()
    rows = []
    for provider in Provider.objects.filter(is_active=True):
        if not settings.NR_PROVIDER_ENV.get(provider.slug, ("",))[0]:
            continue
        models = sorted(
            (m for m in catalog.models() if m.provider_slug == provider.slug), key=lambda m: m.input_price_per_mtok
        )
        if not models:
            continue
        model = models[0]
        target = registry.resolve(model, {})
        request = ProviderRequest(
            model=model.upstream_name,
            messages=[{"role": "user", "content": "ping"}],
            params={"max_tokens": 1},
            credentials=target.credentials,
            timeout=PROBE_TIMEOUT_SECONDS,
            model_info=model,
        )
        started = time.monotonic()
        error = ""
        try:
            async_to_sync(_ask)(target.adapter, request)
        except ProviderError as exc:
            error = exc.message[:300]
        rows.append(
            ProviderHealth(
                provider=provider,
                model_name=model.name,
                ok=not error,
                error=error,
                latency_ms=int((time.monotonic() - started) * 1000),
                checked_at=timezone.now(),
            )
        )
    ProviderHealth.objects.bulk_create(rows)
    ProviderHealth.objects.filter(checked_at__lt=timezone.now() - KEEP_PROBES).delete()
    return rows


_TRAFFIC_SQL = """
    SELECT provider, model_name, count(*) AS requests,
           count(*) FILTER (WHERE status IN ('upstream_error', 'upstream_timeout')) AS failures,
           count(*) FILTER (WHERE error_code = 'upstream_rate_limited') AS rate_limited,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY upstream_latency_ms)
               FILTER (WHERE status = 'ok' AND upstream_latency_ms IS NOT NULL) AS p95_ms
    FROM finops_requestrecord
    WHERE created_at >= %s AND provider NOT IN ('', 'simulator') AND endpoint = 'chat.completions'
    GROUP BY provider, model_name
"""


def provider_traffic(*, since: datetime.datetime) -> list[dict]:
    """Per (provider, model) over all tenants: health signals, not anyone's usage figures."""
    with connection.cursor() as cursor:
        cursor.execute(_TRAFFIC_SQL, [since])
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def latest_probes() -> dict[str, ProviderHealth]:
    latest: dict[str, ProviderHealth] = {}
    for row in (
        ProviderHealth.objects.select_related("provider").order_by("provider_id", "-checked_at").distinct("provider_id")
    ):
        latest[row.provider.slug] = row
    return latest


def shared_health() -> dict[tuple[str, str], SharedHealth]:
    """What every gateway process should know (synchronous; run through ``db_sync``)."""
    shared: dict[tuple[str, str], SharedHealth] = {}
    for slug, probe in latest_probes().items():
        if timezone.now() - probe.checked_at < datetime.timedelta(minutes=5):
            shared[(slug, PROVIDER_WIDE)] = SharedHealth(probe_ok=probe.ok)
    for row in provider_traffic(since=timezone.now() - TRAFFIC_WINDOW):
        requests = row["requests"]
        shared[(row["provider"], row["model_name"])] = SharedHealth(
            error_rate=row["failures"] / requests if requests else None,
            p95_ms=float(row["p95_ms"]) if row["p95_ms"] is not None else None,
            requests=requests,
        )
    return shared
