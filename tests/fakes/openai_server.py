"""A local fake of the providers' APIs over real HTTP (uvicorn in a thread): OpenAI-compatible
``/v1/chat/completions``, Anthropic ``/v1/messages`` and Gemini ``/v1beta/models/…``.

Third-party providers are the only thing tests may fake, and then only as a server speaking
their wire format. Tests set ``server.behaviour`` to script the next answers:

- ``ok``: a normal completion (JSON or SSE with a usage chunk when asked)
- ``status:<code>``: that HTTP status with an OpenAI error body
- ``hang``: never answer (the gateway's timeout fires)
- ``slow_stream``: stream one word every 50 ms for a long answer (to disconnect mid-stream)
- ``break_stream``: two chunks, then an error event
- ``no_usage``: answer without any ``usage`` (the gateway estimates)
- ``garbage``: a 200 whose body is not JSON

Every request received is kept in ``server.requests`` (parsed JSON and headers).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes import wire_formats

ANSWER = "Hello from the fake upstream."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.behaviour = "ok"
        self.reply = ANSWER  # what a non-streamed chat completion says
        self.requests: list[dict] = []
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.anthropic_base_url = f"http://127.0.0.1:{self.port}"
        self.gemini_base_url = f"http://127.0.0.1:{self.port}/v1beta"
        app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/messages", self._anthropic, methods=["POST"]),
                Route("/v1beta/models/{target}", self._gemini, methods=["POST"]),
            ]
        )
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake upstream did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._server.force_exit = True
        self._thread.join(timeout=5)

    def reset(self) -> None:
        self.behaviour = "ok"
        self.reply = ANSWER
        self.requests.clear()

    async def _common(self, request: Request) -> tuple[dict, Response | None]:
        """Record the request; answer it here if the scripted behaviour is a failure."""
        body = json.loads(await request.body())
        self.requests.append(
            {
                "json": body,
                "headers": dict(request.headers),
                "path": request.url.path,
                "query": dict(request.query_params),
            }
        )
        behaviour = self.behaviour
        if behaviour.startswith("status:"):
            status = int(behaviour.split(":")[1])
            return body, JSONResponse(
                {"error": {"message": f"fake failure {status}", "type": "fake", "code": str(status)}},
                status_code=status,
            )
        if behaviour == "hang":
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                return body, Response(status_code=499)
        if behaviour == "garbage":
            return body, Response(b"<html>not json</html>", media_type="text/html")
        return body, None

    async def _anthropic(self, request: Request) -> Response:
        body, failure = await self._common(request)
        if failure is not None:
            return failure
        prompt_tokens = len(json.dumps(body["messages"]).split()) + 3
        if body.get("stream"):
            stream = wire_formats.anthropic_stream(body, prompt_tokens, self.behaviour)
            return StreamingResponse(stream, media_type="text/event-stream")
        return JSONResponse(wire_formats.anthropic_message(body, prompt_tokens))

    async def _gemini(self, request: Request) -> Response:
        body, failure = await self._common(request)
        if failure is not None:
            return failure
        prompt_tokens = len(json.dumps(body["contents"]).split()) + 3
        if request.path_params["target"].endswith(":streamGenerateContent"):
            stream = wire_formats.gemini_stream(body, prompt_tokens, self.behaviour)
            return StreamingResponse(stream, media_type="text/event-stream")
        return JSONResponse(wire_formats.gemini_response(body, prompt_tokens))

    async def _chat(self, request: Request) -> Response:
        body, failure = await self._common(request)
        if failure is not None:
            return failure
        behaviour = self.behaviour
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in body["messages"]) + 5
        if body.get("stream"):
            return StreamingResponse(self._stream(body, behaviour, prompt_tokens), media_type="text/event-stream")
        payload = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.reply}, "finish_reason": "stop"}],
        }
        if behaviour != "no_usage":
            payload["usage"] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": 7,
                "total_tokens": prompt_tokens + 7,
            }
        return JSONResponse(payload)

    async def _stream(self, body: dict, behaviour: str, prompt_tokens: int):
        def event(data: dict) -> bytes:
            return b"data: " + json.dumps(data).encode() + b"\n\n"

        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
        words = ANSWER.split(" ") if behaviour != "slow_stream" else ["word"] * 400
        yield event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]})
        for i, word in enumerate(words):
            if behaviour == "break_stream" and i == 2:
                yield event({"error": {"message": "upstream exploded", "type": "server_error"}})
                return
            if behaviour == "slow_stream":
                await asyncio.sleep(0.05)
            yield event({**base, "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]})
        yield event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        include = (body.get("stream_options") or {}).get("include_usage")
        if include and behaviour != "no_usage":
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": len(words), "total_tokens": 0}
            yield event({**base, "choices": [], "usage": usage})
        yield b"data: [DONE]\n\n"
