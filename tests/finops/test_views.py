from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tenants.models import Role
from tests.factories import RequestRecordFactory, make_tenant, member

pytestmark = pytest.mark.django_db


def test_the_overview_shows_this_months_ledger_of_the_current_tenant(client):
    tenant = make_tenant()
    RequestRecordFactory(
        tenant=tenant,
        end_user="carol",
        cost_usd=Decimal("1.25"),
        baseline_cost_usd=Decimal("5"),
        savings_usd=Decimal("3.75"),
    )
    RequestRecordFactory(tenant=make_tenant(), end_user="mallory", cost_usd=Decimal("1000"))
    client.force_login(member(tenant, Role.VIEWER))
    response = client.get(reverse("finops:overview"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.requests, totals.cost_usd, totals.savings_usd) == (1, Decimal("1.25"), Decimal("3.75"))
    html = response.content.decode()
    assert "$1.25" in html and "$3.75" in html and "carol" in html and "mallory" not in html
    assert sum(Decimal(c) for c in response.context["chart"]["cost"]) == Decimal("1.25")


def test_the_latest_table_refreshes_as_a_partial(client):
    tenant = make_tenant()
    RequestRecordFactory(tenant=tenant, end_user="dave")
    client.force_login(member(tenant, Role.VIEWER))
    response = client.get(reverse("finops:overview") + "?part=latest", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "dave" in html and "<html" not in html and "Spend this month" not in html
