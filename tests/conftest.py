"""Shared fixtures: a real PostgreSQL (embedded unless DATABASE_URL is set), real HTTP servers.

Tests that need data visible to another process (the server or a Celery worker) create it
committed through :func:`committed`; nothing in this suite flushes the database, so the
catalog seeded by the migrations stays in place for every test.
"""

from __future__ import annotations

import contextlib

import pytest

from tests.fakes.openai_server import FakeOpenAIServer
from tests.helpers import GatewayClient, make_gateway


def pytest_unconfigure(config):
    """Stop the embedded PostgreSQL if this test run started it."""
    from django.conf import settings

    server = getattr(settings, "NR_EMBEDDED_DB", None)
    if server is not None and server.started_here:
        from core.embedded_db import stop

        stop(settings.VAR_DIR)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, plus: the test database exists even when only end-to-end tests were collected.

    pytest-django creates it only for the aliases the collected tests mark as using the database;
    the e2e tests reach it from server and worker processes instead, and without this would point
    those processes at the development database.
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"].startswith("test_"):
        yield
        return
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    from django.db import connections

    for conn in connections.all():  # the pooled connections too, or the database cannot be dropped
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def fake_upstream():
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture
def upstream(fake_upstream):
    fake_upstream.reset()
    yield fake_upstream
    fake_upstream.reset()


@pytest.fixture
def committed(django_db_blocker):
    """Run ORM code outside the test transaction, so other processes see its rows."""

    @contextlib.contextmanager
    def block():
        with django_db_blocker.unblock():
            yield

    return block


@pytest.fixture
def tenant(db):
    from tests.factories import make_tenant

    return make_tenant()


@pytest.fixture
def api_key(tenant):
    from tenants.services import api_key_create

    return api_key_create(tenant=tenant, name="test key")


@pytest.fixture
def gateway(db, tmp_path) -> GatewayClient:
    return GatewayClient(make_gateway(spool_dir=tmp_path / "spool"))
