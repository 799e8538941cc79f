"""The HTTP base every provider adapter shares, against a local server that cuts its answers where a
real network may: mid-line, mid-event, with CRLF endings, lines longer than any read buffer."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web

from routing.providers.base import Credentials, ProviderError, ProviderRequest
from routing.providers.http import HttpAdapter, proxy_for

SECRET = "sk-test-abcdef123456"
LONG = "x" * 200_000  # longer than aiohttp's own line reader accepts


def _sse(payloads: list[dict], ending: bytes) -> bytes:
    body = b"".join(b"event: delta" + ending + b"data: " + json.dumps(p).encode() + ending + ending for p in payloads)
    return body + b"data: [DONE]" + ending + ending


async def _serve(handler):
    app = web.Application()
    app.router.add_post("/v1/chat", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/v1"


def _request(base_url: str, timeout: float = 5.0) -> ProviderRequest:
    return ProviderRequest("m", [], {}, Credentials(SECRET, base_url), timeout)


def _run(handler, call):
    async def go():
        runner, url = await _serve(handler)
        adapter = HttpAdapter()
        try:
            return await call(adapter, _request(url))
        finally:
            await adapter.aclose()
            await runner.cleanup()

    return asyncio.run(go())


async def _collect(adapter, request):
    return [item async for item in adapter.sse_events(request, "chat", {}, {})]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
@pytest.mark.parametrize("cut", [1, 7, 4096])
def test_events_survive_any_chunking_and_line_ending(ending, cut):
    payloads = [{"n": 1, "text": "héllo"}, {"n": 2, "text": LONG}, {"n": 3, "text": ""}]
    body = _sse(payloads, ending) + b'data: {"after": "done"}\n\n'  # nothing after [DONE] is read

    async def handler(request):
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i in range(0, len(body), cut if cut > 1 else 1):
            await response.write(body[i : i + cut])
        return response

    assert _run(handler, _collect) == [("delta", p) for p in payloads]


def test_a_json_answer_and_a_status_error_that_names_no_secret():
    async def ok(request):
        return web.json_response({"id": "x", "echo": (await request.json())})

    async def refused(request):
        return web.json_response({"error": {"message": f"bad key {SECRET}"}}, status=401)

    answer = _run(ok, lambda adapter, request: adapter.post_json(request, "chat", {"a": 1}, {}))
    assert answer == {"id": "x", "echo": {"a": 1}}
    with pytest.raises(ProviderError) as refusal:
        _run(refused, lambda adapter, request: adapter.post_json(request, "chat", {}, {}))
    error = refusal.value
    assert (error.kind, error.status, error.retryable) == ("status", 401, True)
    assert SECRET not in error.message and "[redacted]" in error.message


def test_a_body_that_is_not_json_and_a_stream_that_is_not_sse():
    async def garbage(request):
        return web.Response(body=b"<html>oops</html>", content_type="text/html")

    with pytest.raises(ProviderError) as not_json:
        _run(garbage, lambda adapter, request: adapter.post_json(request, "chat", {}, {}))
    assert not_json.value.kind == "protocol"

    async def bad_event(request):
        return web.Response(body=b"data: {not json\n\n", content_type="text/event-stream")

    with pytest.raises(ProviderError) as malformed:
        _run(bad_event, _collect)
    assert malformed.value.kind == "protocol"


def test_deadlines_and_unreachable_hosts_are_provider_errors():
    async def slow(request):
        await asyncio.sleep(1)
        return web.json_response({})

    async def late(adapter, request):
        request.timeout = 0.2
        return await adapter.post_json(request, "chat", {}, {})

    with pytest.raises(ProviderError) as timeout:
        _run(slow, late)
    assert timeout.value.kind == "timeout"

    for base_url in ("http://127.0.0.1:9/v1", "not a url"):  # nothing listens there; no URL at all
        with pytest.raises(ProviderError) as unreachable:
            asyncio.run(_post(base_url))
        assert unreachable.value.kind == "connect"


async def _post(base_url: str):
    adapter = HttpAdapter()
    try:
        return await adapter.post_json(_request(base_url, 2.0), "chat", {}, {})
    finally:
        await adapter.aclose()


def test_a_stream_that_stalls_after_its_first_event_times_out():
    async def stalls(request):
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b'data: {"n": 1}\n\n')
        await asyncio.sleep(1)
        return response

    async def short(adapter, request):
        request.timeout = 0.3
        return await _collect(adapter, request)

    with pytest.raises(ProviderError) as stalled:
        _run(stalls, short)
    assert stalled.value.kind == "timeout" and "mid-stream" in stalled.value.message


@pytest.fixture
def clean_proxy_env(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    proxy_for.cache_clear()
    yield monkeypatch
    proxy_for.cache_clear()


def test_a_proxy_from_the_environment_carries_the_call_unless_no_proxy_exempts_the_host(clean_proxy_env):
    seen: list[str] = []

    async def forward_proxy(request):  # a plain-HTTP forward proxy sees the absolute target URL
        seen.append(str(request.url))
        return web.json_response({"via": "proxy"})

    async def go(no_proxy: str):
        proxy, proxy_url = await _serve(forward_proxy)
        clean_proxy_env.setenv("HTTP_PROXY", proxy_url.removesuffix("/v1"))
        clean_proxy_env.setenv("NO_PROXY", no_proxy)
        proxy_for.cache_clear()
        adapter = HttpAdapter()
        try:
            # The target is never contacted directly: nothing listens there.
            return await adapter.post_json(_request("http://provider.invalid:9/v1", 2.0), "chat", {}, {})
        finally:
            await adapter.aclose()
            await proxy.cleanup()

    assert asyncio.run(go("")) == {"via": "proxy"}
    assert seen == ["http://provider.invalid:9/v1/chat"]
    with pytest.raises(ProviderError) as direct:
        asyncio.run(go("provider.invalid"))
    assert direct.value.kind == "connect" and len(seen) == 1
