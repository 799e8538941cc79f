"""The two-level cache through the gateway: exact and semantic hits, what is never stored or
served, tenant and user scoping, lifecycle, and faults that must not fail a request."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from finops.models import RequestRecord
from finops.pricing import price
from routing import shield
from routing.cache import store
from routing.cache.services import cache_entry_failed, cache_invalidate, cache_maintain
from routing.catalog import catalog_load
from routing.models import CacheEntry
from tenants.services import api_key_create, policy_update
from tests.factories import long_prompt, make_cache_entry, make_tenant

QUESTION = "What are the main benefits of drinking green tea every day?"
PARAPHRASE = "What are the main benefits of drinking green tea daily?"


def ask(gateway, key, text=QUESTION, headers=None, **extra):
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": text}], **extra}
    return gateway.chat(key, body, headers=headers)


def rows(tenant):
    return list(RequestRecord.objects.for_tenant(tenant).order_by("created_at", "id"))


def test_an_identical_request_is_answered_from_the_exact_cache(gateway, tenant, api_key, provider):
    first = ask(gateway, api_key.key)
    second = ask(gateway, api_key.key)

    assert first.headers["x-neuralrouting-cache"] == "miss"
    assert second.headers["x-neuralrouting-cache"] == "exact"
    assert second.headers["x-neuralrouting-provider"] == "cache"
    assert second.json()["choices"] == first.json()["choices"]
    assert second.json()["id"] != first.json()["id"]
    assert len(provider.requests) == 1, "the provider was called once"
    miss, hit = rows(tenant)
    baseline = price(catalog_load().baseline, input_tokens=miss.input_tokens, output_tokens=miss.output_tokens)
    assert (hit.cache_outcome, hit.cost_usd, hit.savings_usd) == ("exact", 0, baseline)
    assert Decimal(second.headers["x-neuralrouting-cost"]) == 0
    entry = CacheEntry.objects.for_tenant(tenant).get()
    assert entry.hits == 1 and entry.last_hit_at is not None


def test_a_paraphrase_is_answered_from_the_semantic_cache(gateway, tenant, api_key, provider):
    ask(gateway, api_key.key)
    response = ask(gateway, api_key.key, PARAPHRASE)
    assert response.headers["x-neuralrouting-cache"] == "semantic"
    similarity = float(response.headers["x-neuralrouting-cache-similarity"])
    assert 0.92 <= similarity < 1
    assert rows(tenant)[-1].cache_similarity == pytest.approx(similarity, abs=1e-3)
    assert len(provider.requests) == 1


def test_the_tenants_threshold_decides_what_is_close_enough(gateway, tenant, api_key, provider):
    policy_update(tenant=tenant, cache_threshold=0.999)
    ask(gateway, api_key.key)
    miss = ask(gateway, api_key.key, PARAPHRASE)
    assert miss.headers["x-neuralrouting-cache"] == "miss"
    assert rows(tenant)[-1].cache_similarity == pytest.approx(float(miss.headers["x-neuralrouting-cache-similarity"]))


@pytest.mark.parametrize(
    ("extra", "outcome"),
    [({"temperature": 0.2}, "miss"), ({"max_tokens": 50}, "miss"), ({"temperature": 1.5}, "skipped")],
)
def test_parameters_that_change_the_answer_are_part_of_the_key(gateway, api_key, provider, extra, outcome):
    ask(gateway, api_key.key)
    assert ask(gateway, api_key.key, **extra).headers["x-neuralrouting-cache"] == outcome


def test_conversations_are_cached_exactly_but_never_by_meaning(gateway, api_key, provider):
    turns = [{"role": "user", "content": "Tell me about Rome."}, {"role": "assistant", "content": "Rome is old."}]
    ask(gateway, api_key.key)
    body = {"model": "gpt-4o-mini", "messages": [*turns, {"role": "user", "content": PARAPHRASE}]}
    assert gateway.chat(api_key.key, body).headers["x-neuralrouting-cache"] == "miss"


def test_streams_are_stored_when_complete_and_replayed_as_streams(gateway, tenant, api_key, provider):
    streamed = ask(gateway, api_key.key, stream=True)
    assert streamed.headers["x-neuralrouting-cache"] == "miss"
    assert CacheEntry.objects.for_tenant(tenant).count() == 1
    replay = ask(gateway, api_key.key, stream=True, stream_options={"include_usage": True})
    assert replay.headers["x-neuralrouting-cache"] == "exact"
    events = [line[6:] for line in replay.text.split("\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])
    assert text.strip() == "Hello from the fake upstream."
    assert chunks[-1]["neuralrouting"]["cost_usd"] == "0"
    assert len(provider.requests) == 1 and rows(tenant)[-1].stream


@pytest.mark.parametrize("behaviour", ["status:500", "garbage"])
def test_failures_are_never_stored(gateway, tenant, api_key, provider, behaviour):
    provider.behaviour = behaviour
    ask(gateway, api_key.key)
    assert not CacheEntry.objects.for_tenant(tenant).exists()


def test_truncated_answers_and_tool_requests_are_not_cached(gateway, tenant, api_key):
    ask(gateway, api_key.key, "Write a long essay about the sea", max_tokens=3)  # simulator: finish_reason length
    tools = [{"type": "function", "function": {"name": "get_weather"}}]
    assert ask(gateway, api_key.key, tools=tools).headers["x-neuralrouting-cache"] == "skipped"
    assert not CacheEntry.objects.for_tenant(tenant).exists()


def test_a_tenant_only_hits_its_own_entries(gateway, tenant, api_key, provider):
    ask(gateway, api_key.key)
    other_key = api_key_create(tenant=make_tenant(), name="k").key
    assert ask(gateway, other_key).headers["x-neuralrouting-cache"] == "miss"


def test_per_user_scoping_keeps_users_apart(gateway, tenant, api_key, provider):
    policy_update(tenant=tenant, cache_per_user=True)
    ask(gateway, api_key.key, user="alice")
    assert ask(gateway, api_key.key, user="bob").headers["x-neuralrouting-cache"] == "miss"
    assert ask(gateway, api_key.key, user="alice").headers["x-neuralrouting-cache"] == "exact"


def test_a_disabled_cache_is_off(gateway, tenant, api_key, provider):
    policy_update(tenant=tenant, cache_enabled=False)
    ask(gateway, api_key.key)
    assert ask(gateway, api_key.key).headers["x-neuralrouting-cache"] == "off"
    assert len(provider.requests) == 2


def test_cache_control_no_store_bypasses_the_cache_and_no_cache_refreshes_it(gateway, tenant, api_key, provider):
    provider.reply = "first answer"
    ask(gateway, api_key.key)
    provider.reply = "second answer"
    bypass = ask(gateway, api_key.key, headers={"Cache-Control": "no-store"})
    assert bypass.headers["x-neuralrouting-cache"] == "skipped"
    assert bypass.json()["choices"][0]["message"]["content"] == "second answer"
    assert ask(gateway, api_key.key).json()["choices"][0]["message"]["content"] == "first answer", (
        "no-store wrote nothing"
    )

    refresh = ask(gateway, api_key.key, headers={"Cache-Control": "max-age=0, No-Cache"})
    assert refresh.headers["x-neuralrouting-cache"] == "refresh"
    assert refresh.json()["choices"][0]["message"]["content"] == "second answer"
    replay = ask(gateway, api_key.key)
    assert replay.headers["x-neuralrouting-cache"] == "exact"
    assert replay.json()["choices"][0]["message"]["content"] == "second answer", "no-cache replaced the entry"
    assert len(provider.requests) == 3
    assert CacheEntry.objects.for_tenant(tenant).count() == 1


def test_entries_stored_under_other_shield_rules_or_settings_are_a_miss(gateway, tenant, api_key, provider):
    ask(gateway, api_key.key)
    stored = CacheEntry.objects.for_tenant(tenant).get()
    assert stored.ruleset_version.startswith(shield.RULESET_VERSION[:23])
    policy_update(tenant=tenant, pii_action="allow")  # answers stored while PII was redacted no longer fit
    assert ask(gateway, api_key.key).headers["x-neuralrouting-cache"] == "miss"
    assert ask(gateway, api_key.key).headers["x-neuralrouting-cache"] == "exact"
    CacheEntry.objects.for_tenant(tenant).update(ruleset_version="2020.1.1-00000000")  # an older ruleset
    assert ask(gateway, api_key.key).headers["x-neuralrouting-cache"] == "miss"


def test_a_corrupt_entry_is_a_miss_and_is_removed(gateway, tenant, api_key, provider):
    ask(gateway, api_key.key)
    CacheEntry.objects.for_tenant(tenant).update(response={"nonsense": True})
    response = ask(gateway, api_key.key)
    assert response.status_code == 200 and response.headers["x-neuralrouting-cache"] == "miss"
    assert CacheEntry.objects.for_tenant(tenant).count() == 1, "removed, then stored again from the fresh answer"
    assert CacheEntry.objects.for_tenant(tenant).get().response["choices"]


def test_racing_identical_stores_leave_one_row(tenant):
    entry = store.NewEntry(
        tenant_id=tenant.pk,
        exact_hash="a" * 64,
        semantic_key="",
        embedding=None,
        ruleset_version="",
        requested_model="auto",
        model_name="gpt-4o-mini",
        provider="openai",
        simulated=False,
        end_user="",
        prompt_preview="p",
        task_type="chat",
        response={"choices": [{"message": {"content": "x"}}]},
        input_tokens=1,
        output_tokens=1,
        cost_usd=0,
        ttl_seconds=60,
    )
    assert [store.insert(entry=entry) for _ in range(3)] == [True, False, False]
    assert CacheEntry.objects.for_tenant(tenant).count() == 1


def test_when_the_cache_table_fails_the_request_still_succeeds(gateway, tenant, api_key, provider):
    from core import metrics

    before = metrics.CACHE_SKIPPED.labels("exact_lookup")._value.get()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE routing_cacheentry RENAME TO routing_cacheentry_away")
    try:
        response = ask(gateway, api_key.key)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE routing_cacheentry_away RENAME TO routing_cacheentry")
    assert response.status_code == 200
    assert metrics.CACHE_SKIPPED.labels("exact_lookup")._value.get() == before + 1
    assert rows(tenant)[-1].status == "ok"


def test_a_one_megabyte_prompt_is_cached_exactly_only(gateway, tenant, api_key, provider):
    big = long_prompt(1_000_000)  # gpt-4.1-mini reads a million tokens
    assert ask(gateway, api_key.key, big, model="gpt-4.1-mini").status_code == 200
    entry = CacheEntry.objects.for_tenant(tenant).get()
    assert entry.embedding is None and entry.semantic_key == "", "a truncated embedding must not match by meaning"
    assert ask(gateway, api_key.key, big, model="gpt-4.1-mini").headers["x-neuralrouting-cache"] == "exact"


def test_lifecycle_ttl_invalidation_eviction_and_failed_audits(gateway, tenant, api_key, provider):
    questions = ["How far is the Moon?", "Why do cats purr?", "Explain the rules of cricket", "Best way to boil rice"]
    for question in questions:
        ask(gateway, api_key.key, question)
    entries = CacheEntry.objects.for_tenant(tenant)
    assert entries.count() == 4
    entries.filter(prompt_preview=questions[0]).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert ask(gateway, api_key.key, questions[0]).headers["x-neuralrouting-cache"] == "miss", "expired"
    policy_update(tenant=tenant, cache_max_entries=2)
    result = cache_maintain()
    assert result["evicted"] >= 2 and entries.count() == 2
    victim = entries.first()
    assert cache_entry_failed(tenant_id=tenant.pk, entry_id=victim.pk)
    assert cache_invalidate(tenant=tenant, model="gpt-4o-mini") == 1
    assert cache_invalidate(tenant=tenant) == 0


def test_different_numbers_never_match_by_meaning(gateway, api_key, provider):
    ask(gateway, api_key.key, "What is 17% of 2,340?")
    assert ask(gateway, api_key.key, "What is 18% of 2,340?").headers["x-neuralrouting-cache"] == "miss"


def test_policy_refuses_a_silly_threshold(tenant):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        policy_update(tenant=tenant, cache_threshold=0.1)


def test_a_semantic_lookup_with_no_candidate_under_this_ruleset_compares_nothing(tenant):
    vector = np.ones(384, dtype=np.float32) / np.sqrt(384)
    make_cache_entry(tenant, semantic_key="k" * 64, embedding=vector, ruleset_version="old-rules")
    found = store.semantic_lookup(
        tenant_id=tenant.pk, semantic_key="k" * 64, ruleset="new-rules", vector=vector, threshold=0.9
    )
    assert found == (None, None, "none")
    answer, similarity, strategy = store.semantic_lookup(
        tenant_id=tenant.pk, semantic_key="k" * 64, ruleset="old-rules", vector=vector, threshold=0.9
    )
    assert strategy == "exact_scan" and answer is not None and similarity == pytest.approx(1.0, abs=1e-5)


def test_vectors_are_stored_inline_and_pages_leave_room_for_hit_counts(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attstorage, c.reloptions FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "WHERE c.relname = 'routing_cacheentry' AND a.attname = 'embedding'"
        )
        storage, options = cursor.fetchone()
    assert storage == "p" and "fillfactor=80" in options
