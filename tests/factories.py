"""Factories for test data. Tenants go through the service, so they get their policy too."""

from __future__ import annotations

import itertools
import uuid
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from finops.models import RequestRecord
from tenants.models import Role, Tenant
from tenants.services import membership_set, tenant_create

_counter = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}-{uuid.uuid4().hex[:6]}@example.com")
    email = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password("correct-horse-battery")


def make_tenant(name: str | None = None, *, owner=None, **policy) -> Tenant:
    n = next(_counter)
    tenant = tenant_create(name=name or f"Tenant {n}", slug=f"t{n}-{uuid.uuid4().hex[:6]}", owner=owner)
    if policy:
        from tenants.services import policy_update

        policy_update(tenant=tenant, **policy)
    return tenant


def member(tenant: Tenant, role: str = Role.MEMBER, **user_kwargs):
    user = UserFactory(**user_kwargs)
    membership_set(tenant=tenant, user=user, role=role)
    return user


def login(client, tenant: Tenant, role: str):
    """Log a test ``client`` in as a new member of ``tenant`` with ``role``; returns the client."""
    client.force_login(member(tenant, role))
    return client


class RequestRecordFactory(factory.django.DjangoModelFactory):
    """A ledger row; pass ``tenant``."""

    class Meta:
        model = RequestRecord

    decision_id = factory.LazyFunction(uuid.uuid4)
    api_key_prefix = "testpref"
    status = "ok"
    http_status = 200
    model_name = "gpt-4o-mini"
    provider = "simulator"
    simulated = True
    input_tokens = 100
    output_tokens = 50
    cost_usd = Decimal("0.0000450000")
    baseline_cost_usd = Decimal("0.0007500000")
    savings_usd = factory.LazyAttribute(lambda o: o.baseline_cost_usd - o.cost_usd)
    latency_ms = 12
    created_at = factory.LazyFunction(timezone.now)


def make_cache_entry(tenant: Tenant, *, model_name: str = "gpt-4o-mini", prompt: str | None = None, **fields):
    """A stored answer, written the way the gateway writes one (``routing.cache.store.insert``)."""
    import hashlib

    from routing.cache import store
    from routing.models import CacheEntry

    prompt = prompt or f"question {uuid.uuid4().hex}"
    exact_hash = hashlib.sha256(f"{tenant.pk}:{model_name}:{prompt}".encode()).hexdigest()
    values = {
        "tenant_id": tenant.pk,
        "exact_hash": exact_hash,
        "semantic_key": "",
        "embedding": None,
        "ruleset_version": "",
        "requested_model": model_name,
        "model_name": model_name,
        "provider": "simulator",
        "simulated": True,
        "end_user": "",
        "prompt_preview": prompt,
        "task_type": "question_answering",
        "response": {
            "object": "chat.completion",
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": "an answer"}, "finish_reason": "stop"}
            ],
        },
        "input_tokens": 10,
        "output_tokens": 5,
        "cost_usd": Decimal("0.0000045"),
        "ttl_seconds": 3600,
        **fields,
    }
    store.insert(entry=store.NewEntry(**values))
    return CacheEntry.objects.for_tenant(tenant).get(exact_hash=exact_hash)


def make_security_event(tenant: Tenant, **fields):
    from routing.models import SecurityEvent

    values = {
        "decision_id": uuid.uuid4(),
        "api_key_prefix": "abcd1234",
        "category": "prompt_injection",
        "rule": "injection.ignore_previous",
        "severity": "high",
        "action": "blocked",
        "explanation": "Asks the model to ignore its earlier instructions.",
        "excerpt": "…ignore all previous instructions…",
        "ruleset_version": "test",
        "created_at": timezone.now(),
        **fields,
    }
    return SecurityEvent.objects.create(tenant=tenant, **values)


def long_prompt(chars: int) -> str:
    """``chars`` characters of ordinary words (one word repeated would be a token flood)."""
    words = ["green", "black", "white", "oolong", "herbal", "jasmine", "mint", "chai", "matcha", "rooibos"]
    return " ".join(words[i % 7] + words[i % 10][:3] for i in range(chars // 4 + 1))[:chars]


def last_request(tenant: Tenant):
    """The tenant's newest ledger row."""
    from finops.models import RequestRecord

    return RequestRecord.objects.for_tenant(tenant).order_by("-created_at", "-id").first()
