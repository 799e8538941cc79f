"""Shared provider health: Celery probes and the ledger's recent traffic, loaded by gateways."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from routing.health import PROVIDER_WIDE, HealthBoard
from routing.models import ProviderHealth
from routing.probes import probe_providers, shared_health
from tests.factories import RequestRecordFactory, make_tenant

pytestmark = pytest.mark.django_db


def test_providers_with_a_deployment_key_are_probed(settings, upstream):
    settings.NR_PROVIDER_ENV = {"openai": ("sk-probe", upstream.base_url), "groq": ("", "")}
    rows = probe_providers()
    assert [(r.provider.slug, r.model_name, r.ok) for r in rows] == [("openai", "gpt-4.1-nano", True)]
    sent = upstream.requests[0]["json"]
    assert sent["max_tokens"] == 1 and sent["model"] == "gpt-4.1-nano"
    upstream.behaviour = "status:503"
    [failing] = probe_providers()
    assert not failing.ok and "503" in failing.error


def test_a_failing_probe_opens_the_provider_in_every_gateway(settings):
    from routing.models import Provider

    ProviderHealth.objects.create(
        provider=Provider.objects.get(slug="mistral"),
        model_name="mistral-small",
        ok=False,
        error="503",
        checked_at=timezone.now(),
    )
    board = HealthBoard()
    board.load_shared(shared_health())
    assert board.state("mistral", "mistral-large") == "open"
    assert board.state("openai", "gpt-4o") == "closed"


def test_recent_traffic_gives_error_rates_and_p95(settings):
    tenant = make_tenant()
    for latency in range(1, 21):
        RequestRecordFactory(
            tenant=tenant,
            provider="deepseek",
            model_name="deepseek-chat",
            simulated=False,
            upstream_latency_ms=latency * 10,
        )
    RequestRecordFactory(
        tenant=tenant, provider="deepseek", model_name="deepseek-chat", status="upstream_error", http_status=502
    )
    RequestRecordFactory(
        tenant=tenant,
        provider="deepseek",
        model_name="deepseek-chat",
        created_at=timezone.now() - datetime.timedelta(hours=2),
        status="upstream_error",
    )
    health = shared_health()[("deepseek", "deepseek-chat")]
    assert health.requests == 21 and abs(health.error_rate - 1 / 21) < 1e-9
    assert 180 <= health.p95_ms <= 200
    assert ("deepseek", PROVIDER_WIDE) not in shared_health()
