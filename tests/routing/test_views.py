"""Dashboard pages for routing: policy, provider keys and routes, by role, tenant-scoped."""

from __future__ import annotations

import pytest
from django.urls import reverse

from routing.models import TenantRoute
from tenants.models import Policy, ProviderCredential, Role
from tenants.selectors import policy_snapshot
from tests.factories import login, make_tenant

pytestmark = pytest.mark.django_db

POLICY = {
    "mode": "cost",
    "default_model": "gpt-4o-mini",
    "rate_limit_rpm": "100",
    "cognitive_threshold": "0.6",
    "router_model": "",
    "tool_pruning_top_k": "0",
    "custom_rules": "",
}


def test_the_routing_page_lists_models_with_their_serving_status(client, org):
    page = login(client, org, Role.VIEWER).get(reverse("routing:settings"))
    html = page.content.decode()
    assert page.status_code == 200 and "gpt-4o" in html and "simulated" in html
    assert "Save routing" not in html


def test_an_admin_changes_the_policy(client, org):
    response = login(client, org, Role.ADMIN).post(
        reverse("routing:settings"),
        {**POLICY, "cognitive_enabled": "on", "disabled_models": ["o3-mini", "claude-opus-4"]},
    )
    assert response.status_code == 302
    snapshot = policy_snapshot(tenant_id=org.pk)
    assert snapshot.mode == "cost" and Policy.objects.for_tenant(org).get().rate_limit_rpm == 100
    assert snapshot.cognitive_enabled and snapshot.disabled_models == {"o3-mini", "claude-opus-4"}


def test_bad_custom_rules_are_shown_not_saved(client, org):
    response = login(client, org, Role.OWNER).post(
        reverse("routing:settings"), {**POLICY, "mode": "custom", "custom_rules": '[{"then": {}}]'}
    )
    assert response.status_code == 400 and "Invalid custom rule" in response.content.decode()
    assert Policy.objects.for_tenant(org).get().mode == "auto"
    response = client.post(reverse("routing:settings"), {**POLICY, "custom_rules": "{not json"})
    assert response.status_code == 400 and "Not valid JSON" in response.content.decode()


def test_the_default_model_cannot_be_disabled(client, org):
    response = login(client, org, Role.ADMIN).post(
        reverse("routing:settings"), {**POLICY, "disabled_models": ["gpt-4o-mini"]}
    )
    assert response.status_code == 400


def test_members_cannot_change_routing(client, org):
    assert login(client, org, Role.MEMBER).post(reverse("routing:settings"), POLICY).status_code == 403


def test_provider_keys_are_stored_encrypted_and_never_shown(client, org):
    login(client, org, Role.ADMIN)
    response = client.post(reverse("routing:providers"), {"provider": "anthropic", "api_key": "sk-ant-secret-123"})
    assert response.status_code == 302
    page = client.get(reverse("routing:providers")).content.decode()
    assert "stored" in page and "sk-ant-secret-123" not in page
    assert ProviderCredential.objects.for_tenant(org).get().api_key == "sk-ant-secret-123"
    assert client.post(reverse("routing:provider_delete", args=["anthropic"])).status_code == 302
    assert not ProviderCredential.objects.for_tenant(org).exists()
    assert client.post(reverse("routing:provider_delete", args=["anthropic"])).status_code == 404


def test_routes_are_created_and_extended_from_the_dashboard(client, org):
    login(client, org, Role.OWNER)
    response = client.post(
        reverse("routing:routes"),
        {
            "name": "billing",
            "description": "money questions",
            "target_kind": "model",
            "target_model": "gpt-4o-mini",
            "target_tier": "",
            "target_mode": "",
            "examples": "refund my payment\nI was charged twice\n",
        },
    )
    assert response.status_code == 302
    route = TenantRoute.objects.for_tenant(org).get(name="billing")
    assert route.examples.count() == 2 and route.target_model.name == "gpt-4o-mini"
    client.post(reverse("routing:route", args=["billing"]), {"examples": "cancel my direct debit"})
    assert route.examples.count() == 3
    assert "cancel my direct debit" in client.get(reverse("routing:route", args=["billing"])).content.decode()


def test_another_tenants_route_is_not_found(client, org):
    from routing.services import route_create

    route_create(tenant=make_tenant("Other"), name="secret", examples=["x y z"], target_tier="economy")
    login(client, org, Role.OWNER)
    assert client.get(reverse("routing:route", args=["secret"])).status_code == 404
    assert "secret" not in client.get(reverse("routing:routes")).content.decode()
