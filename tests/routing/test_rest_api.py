"""The management API: routes and feedback, authenticated by API key or session, tenant-scoped."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from finops.models import RequestRecord
from routing.feedback import task_classifier_for, task_head_refit
from routing.models import DecisionFeedback, TaskFeedbackExample, TenantRoute
from tenants.models import Role
from tenants.services import api_key_create
from tests.factories import RequestRecordFactory, make_tenant, member

pytestmark = pytest.mark.django_db

ROUTE = {
    "name": "billing",
    "target": {"model": "claude-3-5-haiku"},
    "examples": ["I was charged twice", "refund my payment", "why is my invoice so high"],
}


@pytest.fixture
def api(tenant, api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key.key}")
    return client


def test_routes_are_created_listed_changed_and_deleted_with_a_key(api, tenant):
    created = api.post("/api/v1/routes", ROUTE, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["target"] == {"model": "claude-3-5-haiku"} and created.json()["examples"] == 3
    assert api.post(
        "/api/v1/routes/billing/examples", {"examples": ["cancel my direct debit"]}, format="json"
    ).json() == {"added": 1}
    assert api.post("/api/v1/routes/negatives", {"examples": ["write a poem"]}, format="json").status_code == 201
    assert [r["name"] for r in api.get("/api/v1/routes").json()] == ["billing"]
    patched = api.patch("/api/v1/routes/billing", {"enabled": False, "target": {"tier": "economy"}}, format="json")
    assert patched.json()["enabled"] is False and patched.json()["target"] == {"tier": "economy"}
    assert api.delete("/api/v1/routes/billing").status_code == 204
    assert not TenantRoute.objects.for_tenant(tenant).exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**ROUTE, "examples": []}, 400),
        ({**ROUTE, "target": {}}, 400),
        ({**ROUTE, "target": {"model": "nope"}}, 404),
        ({**ROUTE, "target": {"tier": "gold"}}, 400),
        ({"name": "x"}, 400),
    ],
)
def test_bad_routes_get_openai_shaped_errors(api, body, status):
    response = api.post("/api/v1/routes", body, format="json")
    assert response.status_code == status
    assert set(response.json()["error"]) == {"message", "type", "code", "param"}


def test_a_second_route_with_the_same_name_is_a_conflict(api):
    api.post("/api/v1/routes", ROUTE, format="json")
    assert api.post("/api/v1/routes", ROUTE, format="json").status_code == 409


def test_another_tenants_routes_are_invisible(api):
    from routing.services import route_create

    route_create(tenant=make_tenant(), name="theirs", examples=["a b c"], target_tier="economy")
    assert api.get("/api/v1/routes/theirs").status_code == 404
    assert api.get("/api/v1/routes").json() == []


def test_a_bad_key_is_401_and_a_session_viewer_cannot_write(tenant):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer nr-nothere0.nope")
    assert client.get("/api/v1/routes").status_code == 401
    viewer = APIClient()
    viewer.force_login(member(tenant, Role.VIEWER))
    assert viewer.get("/api/v1/routes").status_code == 200
    assert viewer.post("/api/v1/routes", ROUTE, format="json").status_code == 403


def test_feedback_is_recorded_for_the_tenants_own_decisions_only(api, tenant):
    row = RequestRecordFactory(tenant=tenant, complexity=0.4)
    response = api.post(
        "/api/v1/feedback",
        {"decision_id": str(row.decision_id), "rating": "down", "comment": "too vague"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["learned"] is False
    assert DecisionFeedback.objects.for_tenant(tenant).get().rating == "down"
    other = RequestRecordFactory(tenant=make_tenant())
    assert (
        api.post("/api/v1/feedback", {"decision_id": str(other.decision_id), "rating": "up"}, format="json").status_code
        == 404
    )
    assert (
        api.post("/api/v1/feedback", {"decision_id": str(uuid.uuid4()), "rating": "up"}, format="json").status_code
        == 404
    )


@pytest.mark.parametrize(
    "body",
    [
        {"decision_id": "not-a-uuid", "rating": "up"},
        {"rating": "up"},
        {"decision_id": str(uuid.uuid4()), "rating": "meh"},
    ],
)
def test_malformed_feedback_is_400(api, body):
    assert api.post("/api/v1/feedback", body, format="json").status_code == 400


def test_corrections_teach_the_tenants_own_classifier(api, tenant, gateway):
    prompt = "Please turn this paragraph into a rhyming verse about our new office plant"
    key = api_key_create(tenant=tenant, name="k").key
    before = gateway.chat(key, {"messages": [{"role": "user", "content": prompt}]})
    decision = before.headers["x-neuralrouting-decision-id"]
    wrong = "classification" if before.headers["x-neuralrouting-task-type"] != "classification" else "chat"
    for _ in range(3):
        response = api.post(
            "/api/v1/feedback",
            {"decision_id": decision, "rating": "down", "task_type": wrong, "prompt": prompt},
            format="json",
        )
        assert response.status_code == 201 and response.json()["learned"] is True
    assert TaskFeedbackExample.objects.for_tenant(tenant).count() == 3
    task_head_refit(tenant_id=tenant.pk)  # the Celery task's body, run here
    assert task_classifier_for(tenant_id=tenant.pk) is not None
    after = gateway.chat(
        key, {"messages": [{"role": "user", "content": prompt}]}, headers={"Cache-Control": "no-cache"}
    )
    assert after.headers["x-neuralrouting-task-type"] == wrong
    other_key = api_key_create(tenant=make_tenant(), name="k").key
    assert (
        gateway.chat(other_key, {"messages": [{"role": "user", "content": prompt}]}).headers[
            "x-neuralrouting-task-type"
        ]
        == before.headers["x-neuralrouting-task-type"]
    ), "other tenants are unaffected"
    assert RequestRecord.objects.for_tenant(tenant).count() == 2
    assert RequestRecord.objects.for_tenant(tenant).order_by("-created_at").first().cache_outcome == "refresh"
