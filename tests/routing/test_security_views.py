"""The Security page and the security-events API: counts, chart, filters, settings, tenant scoping."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tenants.models import Role
from tenants.selectors import policy_snapshot
from tests.factories import login, make_security_event, make_tenant

pytestmark = pytest.mark.django_db


def test_the_page_counts_blocks_redactions_and_flags_with_a_daily_chart(client, org):
    blocked = make_security_event(org)
    make_security_event(org, decision_id=blocked.decision_id, category="jailbreak", rule="jailbreak.dan")
    make_security_event(
        org, category="pii", rule="pii.email", severity="medium", action="redacted", excerpt="mail me at [EMAIL]"
    )
    make_security_event(
        org,
        category="token_smuggling",
        rule="smuggling.zero_width",
        severity="medium",
        action="flagged",
        created_at=timezone.now() - datetime.timedelta(days=3),
    )
    make_security_event(make_tenant(), rule="theirs.rule")

    page = login(client, org, Role.VIEWER).get(reverse("routing:security"))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="security-blocked">1<' in html, "one request blocked, whatever its findings"
    assert 'data-testid="security-redacted">1<' in html and 'data-testid="security-flagged">1<' in html
    assert "mail me at [EMAIL]" in html and "theirs.rule" not in html
    assert "Save shield settings" not in html
    chart = json.loads(html.split('id="security-data" type="application/json">')[1].split("</script>")[0])
    assert len(chart["labels"]) == 30
    assert (sum(chart["blocked"]), sum(chart["redacted"]), sum(chart["flagged"])) == (2, 1, 1)
    assert chart["flagged"][-4] == 1


def test_filters_narrow_the_events_partial(client, org):
    make_security_event(org, rule="injection.ignore_previous")
    make_security_event(org, category="pii", rule="pii.phone", severity="medium", action="redacted")
    url = reverse("routing:security") + "?part=events&category=pii"
    html = login(client, org, Role.VIEWER).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "pii.phone" in html and "injection.ignore_previous" not in html and "<html" not in html
    bad = client.get(reverse("routing:security") + "?category=nonsense")
    assert bad.status_code == 200, "an unknown filter value is ignored, not a 500"


def test_an_admin_changes_the_shield_settings(client, org):
    response = login(client, org, Role.ADMIN).post(
        reverse("routing:security"),
        {"shield_enabled": "on", "pii_action": "block", "shield_allowlist": "pii.email\n\n  support@acme.test  \n"},
    )
    assert response.status_code == 302
    policy = policy_snapshot(tenant_id=org.pk)
    assert policy.pii_action == "block" and policy.shield_enforce is False
    assert policy.shield_allowlist == ("pii.email", "support@acme.test")


def test_members_cannot_change_the_shield(client, org):
    response = login(client, org, Role.MEMBER).post(reverse("routing:security"), {"pii_action": "allow"})
    assert response.status_code == 403 and policy_snapshot(tenant_id=org.pk).pii_action == "redact"


def test_a_bad_pii_action_or_huge_allow_list_is_refused(client, org):
    login(client, org, Role.ADMIN)
    assert client.post(reverse("routing:security"), {"pii_action": "shred"}).status_code == 400
    too_long = "\n".join(f"entry-{i}" for i in range(500))
    response = client.post(reverse("routing:security"), {"pii_action": "redact", "shield_allowlist": too_long})
    assert response.status_code == 400 and "at most 200" in response.content.decode()
    assert policy_snapshot(tenant_id=org.pk).shield_allowlist == ()


def test_the_events_api_filters_and_stays_in_the_tenant(tenant, api_key):
    make_security_event(tenant, rule="injection.ignore_previous")
    make_security_event(tenant, category="secret", rule="secret.openai_key", severity="critical", action="redacted")
    make_security_event(make_tenant(), rule="theirs.rule")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key.key}")

    events = client.get("/api/v1/security/events").json()
    assert {e["rule"] for e in events} == {"injection.ignore_previous", "secret.openai_key"}
    only = client.get("/api/v1/security/events?severity=critical").json()
    assert [e["rule"] for e in only] == ["secret.openai_key"]
    bad = client.get("/api/v1/security/events?severity=apocalyptic")
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "severity"
    assert client.get("/api/v1/security/events?limit=0").status_code == 400
