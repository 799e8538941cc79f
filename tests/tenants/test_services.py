from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import ApplicationError
from tenants.models import ApiKey, Membership, Policy, ProviderCredential, Role
from tenants.services import (
    api_key_create,
    api_key_revoke,
    policy_update,
    provider_credential_set,
    signup,
    tenant_create,
)
from tests.factories import UserFactory, make_tenant

pytestmark = pytest.mark.django_db


def test_a_new_tenant_gets_a_policy_and_its_owner():
    owner = UserFactory()
    tenant = tenant_create(name="Acme Corp", owner=owner)
    assert tenant.slug.startswith("acme-corp")
    policy = Policy.objects.for_tenant(tenant).get()
    assert (policy.mode, policy.default_model.name, policy.rate_limit_rpm) == ("auto", "gpt-4o-mini", 600)
    assert Membership.objects.get(tenant=tenant, user=owner).role == Role.OWNER


def test_slugs_are_unique_and_a_taken_slug_is_a_clear_conflict():
    first = tenant_create(name="Same Name")
    second = tenant_create(name="Same Name")
    assert first.slug != second.slug
    with pytest.raises(ApplicationError) as caught:
        tenant_create(name="Other", slug=first.slug)
    assert (caught.value.status, caught.value.code) == (409, "slug_taken")


def test_a_tenant_needs_a_name():
    with pytest.raises(ApplicationError):
        tenant_create(name="   ")


def test_signup_refuses_an_email_twice():
    signup(email="Dup@Example.com", password="long-password-1", organization="A")
    with pytest.raises(ApplicationError) as caught:
        signup(email="dup@example.com", password="long-password-1", organization="B")
    assert caught.value.code == "email_taken"


def test_keys_are_shown_once_and_stored_as_a_sha512_hash():
    tenant = make_tenant()
    created = api_key_create(tenant=tenant, name="ci")
    stored = ApiKey.objects.get(pk=created.api_key.pk)
    assert created.key.startswith(f"nr-{stored.prefix}.")
    assert created.key not in stored.hashed_key and created.key.removeprefix("nr-") not in stored.id
    digest = hashlib.sha512(created.key.removeprefix("nr-").encode()).hexdigest()
    assert stored.hashed_key == f"sha512$${digest}"
    assert stored.is_valid(created.key)
    assert not stored.is_valid(created.key[:-1] + ("A" if created.key[-1] != "A" else "B"))


def test_every_call_makes_a_new_key():
    tenant = make_tenant()
    assert api_key_create(tenant=tenant, name="a").key != api_key_create(tenant=tenant, name="a").key


@pytest.mark.parametrize("name", ["", "   ", "x" * 51])
def test_key_names_are_validated(name):
    with pytest.raises(ApplicationError):
        api_key_create(tenant=make_tenant(), name=name)


def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(ApplicationError):
        api_key_create(tenant=make_tenant(), name="x", expires_at=timezone.now() - datetime.timedelta(days=1))


def test_revoking_another_tenants_key_is_not_found_and_changes_nothing():
    mine, theirs = make_tenant(), make_tenant()
    their_key = api_key_create(tenant=theirs, name="theirs")
    with pytest.raises(ApplicationError) as caught:
        api_key_revoke(tenant=mine, prefix=their_key.api_key.prefix)
    assert caught.value.status == 404
    assert not ApiKey.objects.get(pk=their_key.api_key.pk).revoked


def test_revocation_records_who_and_when():
    tenant = make_tenant()
    user = UserFactory()
    created = api_key_create(tenant=tenant, name="k")
    api_key_revoke(tenant=tenant, prefix=created.api_key.display_prefix, revoked_by=user)
    key = ApiKey.objects.get(pk=created.api_key.pk)
    assert key.revoked and key.revoked_at is not None and key.revoked_by == user


def test_provider_credentials_are_encrypted_at_rest():
    tenant = make_tenant()
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key="sk-plaintext-secret-value")
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM tenants_providercredential WHERE tenant_id = %s", [tenant.pk])
        (stored,) = cursor.fetchone()
    assert "sk-plaintext" not in stored and stored.startswith("gAAAA")
    assert ProviderCredential.objects.for_tenant(tenant).get().api_key == "sk-plaintext-secret-value"


def test_an_unknown_provider_is_refused():
    with pytest.raises(ApplicationError) as caught:
        provider_credential_set(tenant=make_tenant(), provider_slug="nope", api_key="x")
    assert caught.value.status == 404


def test_policy_updates_validate_the_model():
    tenant = make_tenant()
    assert policy_update(tenant=tenant, default_model="claude-3-5-haiku").default_model.name == "claude-3-5-haiku"
    with pytest.raises(ApplicationError):
        policy_update(tenant=tenant, default_model="made-up")
