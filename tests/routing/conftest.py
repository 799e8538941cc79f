"""Fixtures of the routing tests."""

from __future__ import annotations

import pytest

from tenants.services import provider_credential_set
from tests.factories import make_tenant


@pytest.fixture
def org():
    return make_tenant("Org")


@pytest.fixture
def provider(tenant, upstream):
    """gpt-4o-mini answered by a fake provider (a local server), so real calls can be counted."""
    provider_credential_set(tenant=tenant, provider_slug="openai", api_key="sk-x", base_url=upstream.base_url)
    return upstream
