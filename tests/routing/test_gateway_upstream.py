"""A real OpenAI-compatible provider behind the gateway (a local fake over HTTP): the tenant's
own credential is used, failures map to 429/502/504, and every request keeps its ledger row."""

from __future__ import annotations

import json

import pytest

from finops.models import RequestRecord
from tenants.services import provider_credential_set

PROVIDER_SECRET = "sk-tenant-provider-secret-123456"
BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello there"}]}


@pytest.fixture
def byok(tenant, upstream):
    """The tenant brings its own OpenAI key, pointed at the fake provider."""
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key=PROVIDER_SECRET, base_url=upstream.base_url)
    return upstream


def only_row(tenant) -> RequestRecord:
    [row] = RequestRecord.objects.for_tenant(tenant)
    return row


def test_the_tenants_key_and_base_url_are_used(gateway, tenant, api_key, byok):
    response = gateway.chat(api_key.key, {**BODY, "temperature": 0.2, "user": "u1", "seed": 7})

    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == "Hello from the fake upstream."
    assert response.headers["x-neuralrouting-provider"] == "openai"
    assert response.headers["x-neuralrouting-simulated"] == "false"
    [sent] = byok.requests
    assert sent["headers"]["authorization"] == f"Bearer {PROVIDER_SECRET}"
    assert sent["json"]["model"] == "gpt-4o-mini"
    assert sent["json"]["temperature"] == 0.2 and sent["json"]["seed"] == 7 and sent["json"]["user"] == "u1"
    row = only_row(tenant)
    assert (row.provider, row.simulated, row.output_tokens) == ("openai", False, 7)


def test_models_of_other_providers_stay_simulated(gateway, tenant, api_key, byok):
    response = gateway.chat(api_key.key, {**BODY, "model": "claude-sonnet-4"})
    assert response.headers["x-neuralrouting-simulated"] == "true"
    assert byok.requests == []


def test_a_stream_is_relayed_with_usage_from_the_provider(gateway, tenant, api_key, byok):
    body = {**BODY, "stream": True, "stream_options": {"include_usage": True}}
    response = gateway.chat(api_key.key, body)
    events = [line[6:] for line in response.text.split("\n") if line.startswith("data: ")]
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text.strip() == "Hello from the fake upstream."
    assert chunks[-1]["usage"]["completion_tokens"] == 5
    assert byok.requests[0]["json"]["stream_options"] == {"include_usage": True}
    row = only_row(tenant)
    assert row.output_tokens == 5 and row.stream and row.status == "ok"


def test_without_usage_from_the_provider_tokens_are_estimated(gateway, tenant, api_key, byok):
    byok.behaviour = "no_usage"
    assert gateway.chat(api_key.key, BODY).status_code == 200
    row = only_row(tenant)
    assert row.output_tokens > 0 and row.decision["usage_estimated"] is True


@pytest.mark.parametrize(
    ("behaviour", "status", "code", "ledger_status"),
    [
        ("status:500", 502, "upstream_error", "upstream_error"),
        ("status:503", 502, "upstream_error", "upstream_error"),
        ("status:429", 429, "upstream_rate_limited", "upstream_error"),
        ("status:401", 502, "upstream_auth_failed", "upstream_error"),
        ("status:400", 400, "upstream_rejected_request", "upstream_error"),
        ("garbage", 502, "upstream_protocol_error", "upstream_error"),
    ],
)
def test_provider_failures_map_to_clear_errors(gateway, tenant, api_key, byok, behaviour, status, code, ledger_status):
    byok.behaviour = behaviour
    response = gateway.chat(api_key.key, BODY)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert PROVIDER_SECRET not in response.text
    row = only_row(tenant)
    assert (row.status, row.http_status, row.error_code) == (ledger_status, status, code)
    assert row.cost_usd == 0


def test_a_provider_that_hangs_is_a_504_after_the_deadline(db, tmp_path, tenant, api_key, byok):
    from tests.helpers import GatewayClient, make_gateway

    gateway = GatewayClient(make_gateway(spool_dir=tmp_path, upstream_timeout=0.3))
    byok.behaviour = "hang"
    response = gateway.chat(api_key.key, BODY)
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"
    assert only_row(tenant).status == "upstream_timeout"


def test_a_stream_that_fails_before_any_byte_is_a_real_http_error(gateway, tenant, api_key, byok):
    byok.behaviour = "status:500"
    response = gateway.chat(api_key.key, {**BODY, "stream": True})
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("application/json")
    assert only_row(tenant).status == "upstream_error"


def test_a_stream_that_breaks_midway_ends_with_an_error_event(gateway, tenant, api_key, byok):
    byok.behaviour = "break_stream"
    response = gateway.chat(api_key.key, {**BODY, "stream": True})
    assert response.status_code == 200
    events = [line[6:] for line in response.text.split("\n") if line.startswith("data: ")]
    assert json.loads(events[-1])["error"]["code"] == "upstream_error"
    row = only_row(tenant)
    assert (row.status, row.error_code) == ("upstream_error", "upstream_error")
    assert row.output_tokens > 0, "the words that did arrive are billed"


def test_the_deployment_key_is_used_when_the_tenant_has_none(db, tmp_path, tenant, api_key, upstream, settings):
    from tests.helpers import GatewayClient, make_gateway

    settings.NR_PROVIDER_ENV = {"openai": ("sk-deployment-key", upstream.base_url)}
    gateway = GatewayClient(make_gateway(spool_dir=tmp_path))
    assert gateway.chat(api_key.key, BODY).headers["x-neuralrouting-provider"] == "openai"
    assert upstream.requests[0]["headers"]["authorization"] == "Bearer sk-deployment-key"
