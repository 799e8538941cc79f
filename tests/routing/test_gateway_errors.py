"""Bad input gets a clear OpenAI-shaped 4xx, never a 500, and exactly one ledger row when the
key was recognised. Nothing secret comes back."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from finops.models import RequestRecord
from tenants.models import ApiKey
from tenants.services import api_key_create, api_key_revoke, policy_update
from tests.factories import long_prompt

MESSAGES = [{"role": "user", "content": "hello"}]


def rows(tenant):
    return list(RequestRecord.objects.for_tenant(tenant))


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "code", "param"}
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_api_key"),
        ({"Authorization": "Bearer nr-AAAAAAAA.not-a-real-secret-at-all-0000"}, "invalid_api_key"),
        ({"Authorization": "Bearer garbage"}, "invalid_api_key"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "invalid_api_key"),
        ({"Authorization": "Bearer "}, "missing_api_key"),
    ],
)
def test_unknown_or_missing_keys_are_401_and_not_recorded(gateway, tenant, headers, code):
    response = gateway.chat(None, {"messages": MESSAGES}, headers=headers)
    error = assert_error(response, 401)
    assert error["code"] in {code, "invalid_api_key", "missing_api_key"}
    assert error["type"] == "authentication_error"
    assert rows(tenant) == []


def test_a_wrong_secret_for_a_real_prefix_is_401_and_never_echoed(gateway, tenant, api_key):
    prefix = api_key.key.split(".")[0]
    forged = prefix + ".WRONGSECRETWRONGSECRETWRONGSECRE"
    response = gateway.chat(forged, {"messages": MESSAGES})
    assert_error(response, 401, "invalid_api_key")
    assert forged not in response.text and "WRONGSECRET" not in response.text
    assert rows(tenant) == []


def test_a_revoked_key_is_403_and_recorded_against_its_tenant(gateway, tenant, api_key):
    api_key_revoke(tenant=tenant, prefix=api_key.api_key.prefix)
    response = gateway.chat(api_key.key, {"messages": MESSAGES})
    assert_error(response, 403, "api_key_revoked")
    [row] = rows(tenant)
    assert (row.status, row.http_status, row.error_code) == ("forbidden", 403, "api_key_revoked")
    assert api_key.key not in response.text


def test_an_expired_key_is_403(gateway, tenant):
    created = api_key_create(tenant=tenant, name="short", expires_at=timezone.now() + datetime.timedelta(hours=1))
    ApiKey.objects.filter(pk=created.api_key.pk).update(expiry_date=timezone.now() - datetime.timedelta(seconds=1))
    assert_error(gateway.chat(created.key, {"messages": MESSAGES}), 403, "api_key_expired")
    assert rows(tenant)[0].error_code == "api_key_expired"


@pytest.mark.parametrize(
    ("content", "code", "fragment"),
    [
        (b"{not json", "invalid_json", "not valid JSON"),
        (b"", "invalid_json", "empty"),
        (b"[1, 2]", "invalid_json", "JSON object"),
        (b'{"messages": [{"role": "user", "content": "caf\xe9"}]}', "invalid_encoding", "UTF-8"),
        (b'{"messages": [{"role": "user", "content": "\xff\xfe"}]}', "invalid_encoding", "UTF-8"),
    ],
)
def test_malformed_bodies_are_400_with_one_row(gateway, tenant, api_key, content, code, fragment):
    response = gateway.chat(api_key.key, content=content, headers={"Content-Type": "application/json"})
    error = assert_error(response, 400, code)
    assert fragment in error["message"]
    [row] = rows(tenant)
    assert (row.status, row.http_status, row.error_code) == ("invalid_request", 400, code)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "auto"}, "messages"),
        ({"messages": []}, "messages"),
        ({"messages": "hello"}, "messages"),
        ({"messages": [{"content": "no role"}]}, "messages.0.role"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, "messages.0.role"),
        ({"messages": [{"role": "user", "content": 42}]}, "messages.0.content"),
        ({"messages": MESSAGES, "temperature": "hot"}, "temperature"),
        ({"messages": MESSAGES, "temperature": 3}, "temperature"),
        ({"messages": MESSAGES, "max_tokens": 0}, "max_tokens"),
        ({"messages": MESSAGES, "max_tokens": "10"}, "max_tokens"),
        ({"messages": MESSAGES, "stream": "yes"}, "stream"),
        ({"messages": MESSAGES, "model": 7}, "model"),
        ({"messages": MESSAGES, "n": 2}, "n"),
        ({"messages": MESSAGES, "stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"messages": MESSAGES, "tools": [{"type": "function", "function": {"name": "bad name!"}}]}, "tools.0"),
        ({"messages": MESSAGES, "user": ["not", "a", "string"]}, "user"),
    ],
)
def test_wrong_shapes_are_400_naming_the_parameter(gateway, tenant, api_key, body, param):
    error = assert_error(gateway.chat(api_key.key, body), 400, "invalid_request")
    assert error["param"].startswith(param), error
    [row] = rows(tenant)
    assert row.status == "invalid_request"


def test_an_unknown_model_is_404_and_lists_how_to_fix_it(gateway, tenant, api_key):
    error = assert_error(
        gateway.chat(api_key.key, {"model": "gpt-9-ultra", "messages": MESSAGES}), 404, "model_not_found"
    )
    assert "/v1/models" in error["message"] and error["param"] == "model"
    [row] = rows(tenant)
    assert (row.status, row.requested_model) == ("not_found", "gpt-9-ultra")


def test_a_body_over_the_limit_is_413(gateway, tenant, api_key, settings):
    big = b'{"messages": [{"role": "user", "content": "' + b"a" * (2 * 1024 * 1024) + b'"}]}'
    error = assert_error(gateway.chat(api_key.key, content=big), 413, "request_too_large")
    assert "limit" in error["message"]
    [row] = rows(tenant)
    assert (row.status, row.http_status) == ("too_large", 413)


def test_a_prompt_of_one_megabyte_is_accepted(gateway, tenant, api_key):
    body = {"messages": [{"role": "user", "content": long_prompt(1_000_000)}]}
    response = gateway.chat(api_key.key, body)
    assert response.status_code == 200
    assert rows(tenant)[0].input_tokens > 100_000


def test_images_and_tool_only_messages_are_accepted(gateway, api_key):
    body = {
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is in this picture?"},
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
            },
            {"role": "tool", "tool_call_id": "c1", "content": "42"},
        ]
    }
    assert gateway.chat(api_key.key, body).status_code == 200


def test_the_rate_limit_is_429_with_retry_after_and_still_recorded(gateway, tenant, api_key):
    policy_update(tenant=tenant, rate_limit_rpm=2)
    statuses = [gateway.chat(api_key.key, {"messages": MESSAGES}).status_code for _ in range(2)]
    limited = gateway.chat(api_key.key, {"messages": MESSAGES})
    assert statuses == [200, 200]
    assert_error(limited, 429, "rate_limit_exceeded")
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["x-ratelimit-remaining-requests"] == "0"
    assert [r.status for r in rows(tenant)].count("rate_limited") == 1
    assert len(rows(tenant)) == 3


def test_errors_after_authentication_carry_the_decision_id(gateway, tenant, api_key):
    response = gateway.chat(api_key.key, {"messages": []})
    assert response.headers["x-neuralrouting-decision-id"] == str(rows(tenant)[0].decision_id)
