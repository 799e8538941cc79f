"""Tenant routes (custom intents): learned from examples, thresholds fitted for F1, live at once."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ApplicationError
from finops.models import RequestRecord
from routing.classifier.routes import NONE, fit_route_index
from routing.encoders import shared_encoder
from routing.models import RouteIndexArtifact, TenantRoute
from routing.selectors import route_index_load
from routing.services import route_create, route_delete, route_examples_add, route_update

BILLING = [
    "I was charged twice this month",
    "Why is my invoice higher than usual?",
    "Refund my last payment",
    "Update the credit card on my account",
    "Can I get a copy of my receipt?",
    "My bill looks wrong",
]
SHIPPING = [
    "Where is my package?",
    "My order hasn't arrived yet",
    "Track my delivery",
    "The parcel was delivered to the wrong address",
    "When will my order ship?",
    "Change my shipping address",
]
NEGATIVES = ["Write a poem about spring", "What is the capital of Italy?", "Explain recursion to a child"]


@pytest.fixture
def routes(tenant):
    billing = route_create(tenant=tenant, name="Billing", examples=BILLING, target_model="claude-3-5-haiku")
    shipping = route_create(tenant=tenant, name="Shipping", examples=SHIPPING, target_tier="premium")
    route_examples_add(tenant=tenant, route=None, texts=NEGATIVES)
    return billing, shipping


def chat(gateway, key, text):
    return gateway.chat(key, {"model": "auto", "messages": [{"role": "user", "content": text}]})


def test_requests_like_a_routes_examples_go_to_its_target(gateway, tenant, api_key, routes):
    response = chat(gateway, api_key.key, "I think I was billed two times for the same thing")
    assert response.status_code == 200
    assert response.headers["x-neuralrouting-model"] == "claude-3-5-haiku"
    row = RequestRecord.objects.for_tenant(tenant).get()
    assert row.decision["route"]["name"] == "billing" and row.decision["band"] == "route"

    from routing.catalog import catalog_load

    shipped = chat(gateway, api_key.key, "my parcel still has not shown up, where is it?")
    assert catalog_load().get(shipped.headers["x-neuralrouting-model"]).tier == "premium"


def test_requests_matching_no_route_fall_through_to_task_routing(gateway, tenant, api_key, routes):
    response = chat(gateway, api_key.key, "Write a limerick about a cat who loves jazz")
    assert response.headers["x-neuralrouting-task-type"] == "creative_writing"
    assert "route" not in RequestRecord.objects.for_tenant(tenant).get().decision


def test_a_new_route_takes_effect_without_a_restart(gateway, tenant, api_key):
    chat(gateway, api_key.key, "warm up the caches")
    route_create(
        tenant=tenant,
        name="legal",
        examples=["Review this NDA clause", "Is this contract enforceable?", "Draft a data processing agreement"],
        target_model="gpt-4.1",
    )
    response = chat(gateway, api_key.key, "Please review the indemnity clause in this contract")
    assert response.headers["x-neuralrouting-model"] == "gpt-4.1"


def test_disabling_or_deleting_a_route_stops_it(gateway, tenant, api_key, routes):
    billing, _ = routes
    route_update(tenant=tenant, route=billing, enabled=False)
    assert chat(gateway, api_key.key, "Refund my last payment please").headers["x-neuralrouting-model"] != (
        "claude-3-5-haiku"
    )
    route_update(tenant=tenant, route=billing, enabled=True)
    route_delete(tenant=tenant, route=billing)
    assert not TenantRoute.objects.for_tenant(tenant).filter(name="billing").exists()


def test_thresholds_are_fitted_and_stored(tenant, routes):
    billing, _shipping = (TenantRoute.objects.get(pk=r.pk) for r in routes)
    assert 0 < billing.threshold <= 1 and billing.fitted_f1 is not None and billing.fitted_f1 > 0.5
    artifact = RouteIndexArtifact.objects.for_tenant(tenant).get()
    assert artifact.examples == len(BILLING) + len(SHIPPING) + len(NEGATIVES) and artifact.has_negatives
    index = route_index_load(tenant_id=tenant.pk)
    assert index.names == ["billing", "shipping"]


def test_adding_examples_does_not_re_embed_the_old_ones(tenant, routes, monkeypatch):
    billing, _ = routes
    encoder = shared_encoder()
    seen: list[str] = []
    original = encoder.embed

    def recording(texts):
        seen.extend(texts)
        return original(texts)

    monkeypatch.setattr(encoder, "embed", recording)
    route_examples_add(tenant=tenant, route=billing, texts=["Cancel the automatic payment"])
    assert seen == ["Cancel the automatic payment"]


def test_another_tenant_never_sees_these_routes(gateway, routes, db):
    from tenants.services import api_key_create
    from tests.factories import make_tenant

    other = make_tenant()
    key = api_key_create(tenant=other, name="k").key
    response = chat(gateway, key, "I was charged twice this month")
    assert response.headers["x-neuralrouting-model"] != "claude-3-5-haiku"
    assert "route" not in RequestRecord.objects.for_tenant(other).get().decision


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"name": "", "examples": ["x"], "target_tier": "economy"}, "invalid_request"),
        ({"name": "x", "examples": [], "target_tier": "economy"}, "invalid_request"),
        ({"name": "x", "examples": ["a"]}, "invalid_request"),
        ({"name": "x", "examples": ["a"], "target_model": "nope"}, "model_not_found"),
        ({"name": "x", "examples": ["a"], "target_tier": "gold"}, "invalid_request"),
        ({"name": "x", "examples": ["a"], "target_model": "gpt-4o", "target_tier": "premium"}, "invalid_request"),
    ],
)
def test_bad_routes_are_refused(tenant, kwargs, code):
    with pytest.raises(ApplicationError) as caught:
        route_create(tenant=tenant, **kwargs)
    assert caught.value.code == code


def test_threshold_fitting_maximises_f1_on_separable_data():
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(3, 16))
    vectors, labels = [], []
    for label, centre in zip([0, 1, NONE], centres, strict=True):
        for _ in range(12):
            v = centre + 0.15 * rng.normal(size=16)
            vectors.append(v / np.linalg.norm(v))
            labels.append(label)
    texts = [f"sample {label} {i}" for i, label in enumerate(labels)]
    index = fit_route_index(
        route_ids=[10, 20], names=["a", "b"], texts=texts, vectors=np.array(vectors), labels=np.array(labels)
    )
    assert all(t.f1 == 1.0 for t in index.thresholds)
    probe = centres[0] / np.linalg.norm(centres[0])
    assert index.match(probe, "sample 0").name == "a"
    assert index.match(centres[2] / np.linalg.norm(centres[2]), "sample -1") is None, "negatives match nothing"
