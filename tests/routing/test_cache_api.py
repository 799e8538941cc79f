"""The cache's management API: stats, entries, invalidation (all, by model, by entry), tenant-scoped."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from routing.models import CacheEntry
from tenants.models import Role
from tenants.services import api_key_create
from tests.factories import RequestRecordFactory, make_cache_entry, make_tenant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tenant, api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key.key}")
    return client


def error_of(response) -> dict:
    return response.json()["error"]


def test_stats_count_lookups_hits_and_money_saved_from_the_ledger(api, tenant, gateway, api_key):
    body = {"model": "gpt-4o-mini", "temperature": 0, "messages": [{"role": "user", "content": "Name three oceans."}]}
    gateway.chat(api_key.key, body)
    hit = gateway.chat(api_key.key, body)
    assert hit.headers["x-neuralrouting-cache"] == "exact"
    RequestRecordFactory(tenant=make_tenant(), cache_outcome="exact", savings_usd=Decimal("5"))  # someone else's

    stats = api.get("/api/v1/cache").json()

    assert (stats["entries"], stats["lookups"], stats["exact_hits"], stats["semantic_hits"]) == (1, 2, 1, 0)
    assert stats["hit_rate"] == 0.5 and stats["days"] == 30
    assert Decimal(stats["saved_usd"]) == Decimal(hit.headers["x-neuralrouting-baseline-cost"]) > 0


def test_entries_are_listed_newest_first_and_filtered_by_model(api, tenant):
    old = make_cache_entry(tenant, model_name="gpt-4o-mini", prompt="first")
    new = make_cache_entry(tenant, model_name="claude-3-5-haiku", prompt="second")
    make_cache_entry(make_tenant(), prompt="not ours")

    listed = api.get("/api/v1/cache/entries").json()
    assert [e["id"] for e in listed] == [new.pk, old.pk]
    assert listed[0]["model"] == "claude-3-5-haiku" and listed[0]["simulated"] is True
    assert "response" not in listed[0] and "embedding" not in listed[0]
    assert [e["id"] for e in api.get("/api/v1/cache/entries?model=gpt-4o-mini").json()] == [old.pk]
    assert len(api.get("/api/v1/cache/entries?limit=1").json()) == 1


def test_invalidation_by_entry_by_model_and_all(api, tenant):
    mini = [make_cache_entry(tenant, model_name="gpt-4o-mini") for _ in range(3)]
    haiku = make_cache_entry(tenant, model_name="claude-3-5-haiku")
    theirs = make_cache_entry(make_tenant())

    assert api.delete(f"/api/v1/cache/entries/{mini[0].pk}").status_code == 204
    assert api.delete("/api/v1/cache?model=gpt-4o-mini").json() == {"deleted": 2}
    assert list(CacheEntry.objects.for_tenant(tenant)) == [haiku]
    assert api.delete("/api/v1/cache").json() == {"deleted": 1}
    assert not CacheEntry.objects.for_tenant(tenant).exists()
    assert CacheEntry.objects.filter(pk=theirs.pk).exists(), "another tenant's cache is untouched"


def test_another_tenants_entry_is_not_found(api):
    theirs = make_cache_entry(make_tenant())
    response = api.delete(f"/api/v1/cache/entries/{theirs.pk}")
    assert response.status_code == 404 and error_of(response)["code"] == "cache_entry_not_found"
    assert CacheEntry.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("request_line", "status", "param"),
    [
        ("get /api/v1/cache?days=0", 400, "days"),
        ("get /api/v1/cache?days=lots", 400, "days"),
        ("get /api/v1/cache/entries?limit=100000", 400, "limit"),
        ("delete /api/v1/cache?model=no-such-model", 404, "model"),
        ("delete /api/v1/cache?model=" + "x" * 500, 400, "model"),
    ],
)
def test_bad_input_gets_a_clear_openai_style_error(api, tenant, request_line, status, param):
    make_cache_entry(tenant)
    method, path = request_line.split(" ", 1)
    response = getattr(api, method)(path)
    assert response.status_code == status, response.content
    assert error_of(response)["param"] == param and error_of(response)["message"]
    assert "x" * 200 not in response.content.decode(), "long input is not echoed back whole"
    assert CacheEntry.objects.for_tenant(tenant).count() == 1


def test_a_non_numeric_entry_id_is_a_404_in_the_openai_shape(api):
    response = api.delete("/api/v1/cache/entries/abc")
    assert response.status_code == 404 and "error" in response.json()


def test_session_users_read_with_any_role_and_invalidate_as_admins(tenant):
    make_cache_entry(tenant)
    viewer, admin = APIClient(), APIClient()
    viewer.force_login(member(tenant, Role.VIEWER))
    admin.force_login(member(tenant, Role.ADMIN))
    assert viewer.get("/api/v1/cache").json()["entries"] == 1
    assert viewer.delete("/api/v1/cache").status_code == 403
    assert admin.delete("/api/v1/cache").json() == {"deleted": 1}


def test_without_credentials_nothing_is_shown(tenant):
    make_cache_entry(tenant)
    response = APIClient().get("/api/v1/cache/entries")
    assert response.status_code in (401, 403) and "error" in response.json()
    revoked = api_key_create(tenant=tenant, name="old")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {revoked.key}x")
    assert client.get("/api/v1/cache").status_code == 401
