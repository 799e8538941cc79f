"""The real server, driven by the official OpenAI Python SDK, then checked in the ledger."""

from __future__ import annotations

import uuid

import httpx
import openai
import pytest

from finops.models import RequestRecord
from tests.helpers import wait_for

pytestmark = pytest.mark.e2e

MESSAGES = [{"role": "user", "content": "Write one sentence about the sea."}]


def ledger_row(read_db, decision_id: str) -> RequestRecord | None:
    return read_db(lambda: RequestRecord.objects.filter(decision_id=uuid.UUID(decision_id)).first())


def client(server, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=20)


def test_a_completion_through_the_sdk_is_recorded(server, e2e, read_db):
    raw = client(server, e2e.key).chat.completions.with_raw_response.create(
        model="auto", messages=MESSAGES, user="sdk-user"
    )
    completion = raw.parse()

    assert completion.choices[0].message.content.startswith("[simulated]")
    assert completion.usage.completion_tokens > 0
    decision_id = raw.headers["x-neuralrouting-decision-id"]
    row = ledger_row(read_db, decision_id)
    assert row is not None and row.tenant_id == e2e.tenant.pk
    assert (row.status, row.end_user) == ("ok", "sdk-user")
    assert row.model_name == raw.headers["x-neuralrouting-model"] and row.task_type == "creative_writing"
    assert row.output_tokens == completion.usage.completion_tokens
    assert str(row.cost_usd.normalize()) == raw.headers["x-neuralrouting-cost"]


def test_a_streamed_completion_through_the_sdk(server, e2e, read_db):
    stream = client(server, e2e.key).chat.completions.create(
        model="gemini-2.0-flash", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = chunks[-1].usage

    assert text.startswith("[simulated]") and usage.completion_tokens > 0
    decision_id = chunks[-1].model_extra["neuralrouting"]["decision_id"]
    # A stream's row is written when the stream has ended, after its last bytes went out: poll for it.
    row = wait_for(lambda: ledger_row(read_db, decision_id), timeout=15)
    assert row is not None, server.log()[-2000:]
    assert row.stream and row.model_name == "gemini-2.0-flash"
    assert (row.input_tokens, row.output_tokens) == (usage.prompt_tokens, usage.completion_tokens)


def test_a_bad_key_is_an_authentication_error(server, e2e):
    with pytest.raises(openai.AuthenticationError) as caught:
        client(server, "nr-nothere1.definitely-not-a-key-000000000000").chat.completions.create(
            model="auto", messages=MESSAGES
        )
    assert caught.value.status_code == 401
    assert caught.value.body["code"] == "invalid_api_key"


def test_a_malformed_request_is_a_bad_request_with_one_row(server, e2e, read_db):
    before = read_db(lambda: RequestRecord.objects.for_tenant(e2e.tenant).filter(status="invalid_request").count())
    with pytest.raises(openai.BadRequestError) as caught:
        client(server, e2e.key).chat.completions.create(model="auto", messages=[])
    assert caught.value.status_code == 400
    assert caught.value.body["param"] == "messages"
    after = read_db(lambda: RequestRecord.objects.for_tenant(e2e.tenant).filter(status="invalid_request").count())
    assert after == before + 1


def test_an_unknown_model_is_not_found(server, e2e):
    with pytest.raises(openai.NotFoundError):
        client(server, e2e.key).chat.completions.create(model="no-such-model", messages=MESSAGES)


def test_a_client_that_leaves_mid_stream_still_gets_its_ledger_row(server, e2e, fake_upstream, read_db):
    fake_upstream.behaviour = "slow_stream"
    try:
        with httpx.stream(
            "POST",
            f"{server.url}/v1/chat/completions",
            headers={"Authorization": f"Bearer {e2e.byok_key}"},
            json={"model": "gpt-4o-mini", "messages": MESSAGES, "stream": True},
            timeout=20,
        ) as response:
            assert response.status_code == 200
            decision_id = response.headers["x-neuralrouting-decision-id"]
            received = 0
            for line in response.iter_lines():
                if line.startswith("data: "):
                    received += 1
                if received >= 5:
                    break  # leaving the with-block closes the connection mid-stream
    finally:
        fake_upstream.behaviour = "ok"

    row = wait_for(lambda: ledger_row(read_db, decision_id), timeout=15)
    assert row is not None, server.log()[-2000:]
    assert (row.status, row.http_status) == ("client_disconnected", 499)
    assert 0 < row.output_tokens < 400, "only the words produced before the client left"


def test_probes(server):
    assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.url}/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    metrics = httpx.get(f"{server.url}/metrics").text
    assert "neuralrouting_requests_total" in metrics


def test_a_key_revoked_elsewhere_is_refused_at_once_despite_the_cache(server, e2e, django_db_blocker):
    from tenants.services import api_key_create, api_key_revoke

    with django_db_blocker.unblock():
        created = api_key_create(tenant=e2e.tenant, name="to revoke")
    sdk = client(server, created.key)
    wait_for(lambda: httpx.get(f"{server.url}/readyz").json()["checks"]["cache_invalidation"] == "listening")
    for _ in range(3):  # cached after the first call
        sdk.chat.completions.create(model="auto", messages=MESSAGES)
    with django_db_blocker.unblock():
        api_key_revoke(tenant=e2e.tenant, prefix=created.api_key.prefix)

    def refused() -> bool:
        try:
            sdk.chat.completions.create(model="auto", messages=MESSAGES)
        except openai.PermissionDeniedError:
            return True
        return False

    assert wait_for(refused, timeout=5)
