"""Real processes: the ASGI server (uvicorn + config.asgi) on the test database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.helpers import ServerProcess


@dataclass
class E2ETenant:
    tenant: object
    key: str
    byok_key: str  # a key of a second tenant whose OpenAI traffic goes to the fake provider
    byok_tenant: object


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("server-var")
    proc = ServerProcess(var_dir / "server.log", NR_VAR_DIR=str(var_dir)).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def e2e(django_db_setup, django_db_blocker, fake_upstream) -> E2ETenant:
    from tenants.services import api_key_create, provider_credential_set
    from tests.factories import make_tenant

    with django_db_blocker.unblock():
        tenant = make_tenant("E2E Co")
        key = api_key_create(tenant=tenant, name="e2e").key
        byok_tenant = make_tenant("E2E BYOK")
        provider_credential_set(
            tenant=byok_tenant, provider_slug="openai", api_key="sk-e2e-provider", base_url=fake_upstream.base_url
        )
        byok_key = api_key_create(tenant=byok_tenant, name="e2e byok").key
    return E2ETenant(tenant=tenant, key=key, byok_key=byok_key, byok_tenant=byok_tenant)


@pytest.fixture
def read_db(django_db_blocker):
    """Query the database as another process would see it (committed rows only)."""

    def run(fn):
        with django_db_blocker.unblock():
            return fn()

    return run
