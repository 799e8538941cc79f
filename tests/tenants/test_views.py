"""Dashboard pages for accounts and keys: roles decide, other tenants do not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenants.middleware import SESSION_KEY
from tenants.models import ApiKey, Role, Tenant
from tenants.services import api_key_create
from tests.factories import make_tenant, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return make_tenant("Org")


def logged_in(client, user, tenant=None):
    client.force_login(user)
    if tenant is not None:
        session = client.session
        session[SESSION_KEY] = tenant.pk
        session.save()
    return client


def test_pages_need_a_login(client):
    response = client.get(reverse("tenants:api_keys"))
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_signup_creates_the_tenant_and_its_owner_and_logs_in(client):
    response = client.post(
        reverse("tenants:signup"),
        {
            "organization": "Newco",
            "email": "founder@newco.test",
            "password": "a-strong-passphrase",
        },
    )
    assert response.status_code == 302
    tenant = Tenant.objects.get(name="Newco")
    assert tenant.memberships.get().role == Role.OWNER
    assert client.get(reverse("finops:overview")).status_code == 200


def test_signup_shows_field_errors(client):
    response = client.post(reverse("tenants:signup"), {"organization": "", "email": "nope", "password": "short"})
    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_a_member_creates_a_key_and_sees_it_once(client, org):
    user = member(org, Role.MEMBER)
    response = logged_in(client, user).post(reverse("tenants:api_key_create"), {"name": "backend"})
    assert response.status_code == 200
    key = ApiKey.objects.for_tenant(org).get(name="backend")
    secret = response.context["created"].key
    assert secret.encode() in response.content and key.created_by == user
    assert secret.encode() not in client.get(reverse("tenants:api_keys")).content


def test_htmx_gets_only_the_keys_partial(client, org):
    user = member(org, Role.ADMIN)
    response = logged_in(client, user).post(
        reverse("tenants:api_key_create"), {"name": "partial"}, HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in response.content and b'id="keys-panel"' in response.content


def test_a_viewer_cannot_create_keys(client, org):
    viewer = member(org, Role.VIEWER)
    logged_in(client, viewer)
    assert b"New key" not in client.get(reverse("tenants:api_keys")).content
    assert client.post(reverse("tenants:api_key_create"), {"name": "x"}).status_code == 403
    assert not ApiKey.objects.for_tenant(org).exists()


def test_a_member_revokes_only_their_own_keys(client, org):
    author, other = member(org, Role.MEMBER), member(org, Role.MEMBER)
    theirs = api_key_create(tenant=org, name="theirs", created_by=other)
    mine = api_key_create(tenant=org, name="mine", created_by=author)
    logged_in(client, author)
    assert client.post(reverse("tenants:api_key_revoke", args=[theirs.api_key.prefix])).status_code == 403
    assert client.post(reverse("tenants:api_key_revoke", args=[mine.api_key.prefix])).status_code == 200
    assert ApiKey.objects.get(pk=mine.api_key.pk).revoked
    assert not ApiKey.objects.get(pk=theirs.api_key.pk).revoked


def test_an_admin_revokes_any_key(client, org):
    key = api_key_create(tenant=org, name="anyone's")
    logged_in(client, member(org, Role.ADMIN))
    assert client.post(reverse("tenants:api_key_revoke", args=[key.api_key.prefix])).status_code == 200
    assert ApiKey.objects.get(pk=key.api_key.pk).revoked


def test_another_tenants_key_is_not_found(client, org):
    elsewhere = api_key_create(tenant=make_tenant("Elsewhere"), name="foreign")
    logged_in(client, member(org, Role.OWNER))
    assert client.post(reverse("tenants:api_key_revoke", args=[elsewhere.api_key.prefix])).status_code == 404
    assert b"foreign" not in client.get(reverse("tenants:api_keys")).content


def test_a_user_in_two_tenants_switches_between_them(client, org):
    second = make_tenant("Second Org")
    user = member(org, Role.OWNER)
    from tenants.services import membership_set

    membership_set(tenant=second, user=user, role=Role.VIEWER)
    api_key_create(tenant=second, name="only-in-second")
    logged_in(client, user, org)
    assert b"only-in-second" not in client.get(reverse("tenants:api_keys")).content
    client.post(reverse("tenants:switch"), {"tenant_id": second.pk, "next": reverse("tenants:api_keys")})
    page = client.get(reverse("tenants:api_keys"))
    assert b"only-in-second" in page.content and b"New key" not in page.content


def test_switching_to_a_tenant_you_are_not_in_is_not_found(client, org):
    stranger = make_tenant("Stranger")
    logged_in(client, member(org, Role.OWNER))
    assert client.post(reverse("tenants:switch"), {"tenant_id": stranger.pk}).status_code == 404
    assert client.post(reverse("tenants:switch"), {"tenant_id": "not-a-number"}).status_code == 404


def test_a_user_without_a_tenant_is_told_so(client):
    from tests.factories import UserFactory

    logged_in(client, UserFactory())
    response = client.get(reverse("finops:overview"))
    assert response.status_code == 302 and response.url == reverse("tenants:no_tenant")
