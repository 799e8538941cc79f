"""Fixtures of the routing dashboard tests."""

from __future__ import annotations

import pytest

from tests.factories import make_tenant


@pytest.fixture
def org():
    return make_tenant("Org")
