"""The dashboard's Cache page: stats, chart data, entries, invalidation by role, settings, HTMX partials."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from routing.models import CacheEntry
from tenants.models import Role
from tenants.selectors import policy_snapshot
from tests.factories import RequestRecordFactory, login, make_cache_entry, make_tenant

pytestmark = pytest.mark.django_db

SETTINGS = {
    "cache_enabled": "on",
    "cache_semantic": "on",
    "cache_threshold": "0.95",
    "cache_ttl_seconds": "3600",
    "cache_max_entries": "500",
    "cache_max_temperature": "0.5",
}


def test_the_page_shows_hit_rate_savings_entries_and_a_daily_chart(client, org):
    make_cache_entry(org, prompt="What is the capital of Peru?")
    make_cache_entry(make_tenant(), prompt="Someone else's secret question")
    RequestRecordFactory(tenant=org, cache_outcome="miss", endpoint="chat.completions")
    RequestRecordFactory(tenant=org, cache_outcome="exact", endpoint="chat.completions", savings_usd=Decimal("0.25"))
    RequestRecordFactory(tenant=org, cache_outcome="semantic", endpoint="chat.completions", savings_usd=Decimal("0.5"))
    RequestRecordFactory(tenant=org, cache_outcome="skipped", endpoint="chat.completions")

    page = login(client, org, Role.VIEWER).get(reverse("routing:cache"))

    html = page.content.decode()
    assert page.status_code == 200
    assert "67%" in html and "2 of 3 lookups" in html and "$0.75" in html
    assert "capital of Peru" in html and "simulated" in html
    assert "secret question" not in html
    assert "Invalidate all" not in html and "Save cache settings" not in html, "viewers only look"
    chart = json.loads(html.split('id="cache-data" type="application/json">')[1].split("</script>")[0])
    assert len(chart["labels"]) == 30
    assert (sum(chart["exact"]), sum(chart["semantic"]), sum(chart["misses"])) == (1, 1, 1)


def test_the_overview_shows_what_the_cache_saved(client, org):
    RequestRecordFactory(tenant=org, cache_outcome="exact", endpoint="chat.completions", savings_usd=Decimal("1.5"))
    RequestRecordFactory(tenant=org, cache_outcome="miss", endpoint="chat.completions")
    html = login(client, org, Role.VIEWER).get(reverse("finops:overview")).content.decode()
    assert 'data-testid="kpi-cache-saved">$1.50' in html and "50% hit rate" in html
    assert "cache exact" in html


def test_an_admin_invalidates_one_entry_one_model_or_everything(client, org):
    mini = [make_cache_entry(org, model_name="gpt-4o-mini") for _ in range(2)]
    haiku = make_cache_entry(org, model_name="claude-3-5-haiku")
    theirs = make_cache_entry(make_tenant())
    login(client, org, Role.ADMIN)

    assert client.post(reverse("routing:cache_entry_delete", args=[mini[0].pk])).status_code == 302
    assert client.post(reverse("routing:cache_invalidate"), {"model": "gpt-4o-mini"}).status_code == 302
    assert list(CacheEntry.objects.for_tenant(org)) == [haiku]
    client.post(reverse("routing:cache_invalidate"), {"model": ""})
    assert not CacheEntry.objects.for_tenant(org).exists()
    assert CacheEntry.objects.filter(pk=theirs.pk).exists()
    assert client.post(reverse("routing:cache_entry_delete", args=[theirs.pk])).status_code == 404


def test_htmx_invalidation_returns_the_entries_partial_and_a_refresh_trigger(client, org):
    entry = make_cache_entry(org, prompt="Remove me please")
    keep = make_cache_entry(org, prompt="Keep me around")
    response = login(client, org, Role.ADMIN).post(
        reverse("routing:cache_entry_delete", args=[entry.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Trigger"] == "cache-changed"
    assert "Keep me around" in html and "Remove me please" not in html and "<html" not in html
    assert f'data-entry="{keep.pk}"' in html
    kpis = client.get(reverse("routing:cache") + "?part=kpis", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="cache-entries">1<' in kpis


def test_the_model_filter_narrows_the_entries_partial(client, org):
    make_cache_entry(org, model_name="gpt-4o-mini", prompt="mini question")
    make_cache_entry(org, model_name="claude-3-5-haiku", prompt="haiku question")
    html = (
        login(client, org, Role.VIEWER)
        .get(reverse("routing:cache") + "?part=entries&model=claude-3-5-haiku", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "haiku question" in html and "mini question" not in html


def test_members_cannot_invalidate_or_change_settings(client, org):
    entry = make_cache_entry(org)
    login(client, org, Role.MEMBER)
    assert client.post(reverse("routing:cache_invalidate"), {"model": ""}).status_code == 403
    assert client.post(reverse("routing:cache_entry_delete", args=[entry.pk])).status_code == 403
    assert client.post(reverse("routing:cache"), SETTINGS).status_code == 403
    assert CacheEntry.objects.for_tenant(org).exists()


def test_an_admin_changes_the_cache_settings(client, org):
    response = login(client, org, Role.ADMIN).post(reverse("routing:cache"), SETTINGS)
    assert response.status_code == 302
    policy = policy_snapshot(tenant_id=org.pk)
    assert (policy.cache_threshold, policy.cache_ttl_seconds, policy.cache_max_entries) == (0.95, 3600, 500)
    assert policy.cache_max_temperature == 0.5 and policy.cache_tool_requests is False


@pytest.mark.parametrize(
    ("field", "value"), [("cache_threshold", "0.1"), ("cache_ttl_seconds", "-5"), ("cache_threshold", "high")]
)
def test_bad_settings_are_refused_with_a_message(client, org, field, value):
    response = login(client, org, Role.ADMIN).post(reverse("routing:cache"), {**SETTINGS, field: value})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert policy_snapshot(tenant_id=org.pk).cache_threshold == 0.92


def test_an_unknown_model_cannot_be_invalidated(client, org):
    make_cache_entry(org)
    response = login(client, org, Role.ADMIN).post(reverse("routing:cache_invalidate"), {"model": "nope"})
    assert response.status_code == 404 and CacheEntry.objects.for_tenant(org).count() == 1
