"""The gateway's key cache: trusted only while invalidations can reach it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.invalidation import publish
from tenants.principal_cache import PrincipalCache
from tenants.selectors import Principal


def principal(tenant_id: int = 1, expires_at=None) -> Principal:
    return Principal(
        tenant_id=tenant_id,
        tenant_slug="t",
        api_key_id="k",
        api_key_prefix="p",
        rate_limit_rpm=0,
        expires_at=expires_at,
    )


def test_nothing_is_cached_until_the_listener_is_connected():
    cache = PrincipalCache()
    cache.store("Bearer a", principal())
    assert cache.get("Bearer a") is None
    cache.set_enabled(True)
    cache.store("Bearer a", principal())
    assert cache.get("Bearer a") == principal()
    cache.set_enabled(False)
    assert cache.get("Bearer a") is None, "losing the listener drops everything"


@pytest.mark.django_db
def test_an_invalidation_drops_only_that_tenants_keys():
    cache = PrincipalCache()
    cache.set_enabled(True)
    cache.store("Bearer one", principal(1))
    cache.store("Bearer two", principal(2))
    publish("tenant", tenant_id=1)
    assert cache.get("Bearer one") is None and cache.get("Bearer two") is not None


def test_entries_expire_with_the_ttl_and_with_the_key():
    cache = PrincipalCache(ttl=-1)
    cache.set_enabled(True)
    cache.store("Bearer a", principal())
    assert cache.get("Bearer a") is None
    cache = PrincipalCache()
    cache.set_enabled(True)
    cache.store("Bearer b", principal(expires_at=timezone.now() - datetime.timedelta(seconds=1)))
    assert cache.get("Bearer b") is None
