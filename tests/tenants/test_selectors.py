from __future__ import annotations

import pytest

from core.errors import ApplicationError
from tenants.selectors import KeyRejected, api_key_authenticate
from tenants.services import api_key_create, policy_update
from tests.factories import make_tenant

pytestmark = pytest.mark.django_db


def test_a_key_resolves_to_its_tenant_and_rate_limit():
    tenant = make_tenant()
    policy_update(tenant=tenant, rate_limit_rpm=42)
    created = api_key_create(tenant=tenant, name="k")
    principal = api_key_authenticate(authorization=f"Bearer {created.key}")
    assert principal.tenant_id == tenant.pk and principal.api_key_prefix == created.api_key.prefix
    assert principal.rate_limit_rpm == 42


def test_the_policy_snapshot_holds_the_routing_settings():
    from routing.models import LLMModel
    from tenants.models import Policy
    from tenants.selectors import policy_snapshot

    tenant = make_tenant()
    policy_update(tenant=tenant, default_model="gemini-2.0-flash", mode="quality", cognitive_enabled=True)
    Policy.objects.for_tenant(tenant).get().disabled_models.add(LLMModel.objects.get(name="o3-mini"))
    snapshot = policy_snapshot(tenant_id=tenant.pk)
    assert (snapshot.mode, snapshot.default_model, snapshot.cognitive_enabled) == ("quality", "gemini-2.0-flash", True)
    assert snapshot.disabled_models == frozenset({"o3-mini"}) and snapshot.router_model == "gpt-4o-mini"


def test_the_scheme_is_case_insensitive_and_spaces_are_tolerated():
    created = api_key_create(tenant=make_tenant(), name="k")
    assert api_key_authenticate(authorization=f"  bearer   {created.key}  ").api_key_id == created.api_key.pk


def test_a_disabled_tenant_is_refused_with_its_principal():
    tenant = make_tenant()
    created = api_key_create(tenant=tenant, name="k")
    tenant.is_active = False
    tenant.save()
    with pytest.raises(KeyRejected) as caught:
        api_key_authenticate(authorization=f"Bearer {created.key}")
    assert caught.value.code == "tenant_disabled" and caught.value.principal.tenant_id == tenant.pk


@pytest.mark.parametrize("header", [None, "", "Bearer", "Token abc", "Bearer nr-short.x", "Bearer nr-ab$de fg.x"])
def test_malformed_headers_are_401(header):
    with pytest.raises(ApplicationError) as caught:
        api_key_authenticate(authorization=header)
    assert caught.value.status == 401
