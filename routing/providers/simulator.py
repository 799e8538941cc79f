"""The built-in simulator: an offline provider for every catalog model without credentials.

It is a product feature, not a test double: the embedded default uses it so that a new install
works with no provider account. Its answers are deterministic per (model, request), carry
realistic token counts, arrive with the model's typical latency (time to first token and
decode speed from the catalog, scaled by ``NR_SIMULATOR_LATENCY_SCALE``), and are labelled
"simulated" in the text, the ``system_fingerprint`` and the response headers.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import orjson

from routing.classifier.cognitive import MARKER as ROUTER_MARKER
from routing.classifier.complexity import heuristic_complexity
from routing.classifier.reflex import reflex
from routing.classifier.taxonomy import TASK_TYPES
from routing.providers.base import Completion, ProviderRequest, StreamChunk, Usage, usage_chunk, usage_fields
from routing.tokens import content_text, estimate_prompt_tokens, estimate_text_tokens

FINGERPRINT = "neuralrouting-simulator"
LABEL = "[simulated]"
_DEFAULT_PROFILE = (400, 100)

_OPENERS = [
    "Here is a concise answer.",
    "Short version first, then the details.",
    "Good question; the key points are below.",
    "Let me walk through it step by step.",
    "Based on what you shared, here is my take.",
]
_SENTENCES = [
    "The main idea is to start from the simplest approach that works and refine it with evidence.",
    "In practice, the trade-off is between cost, latency and the quality the task really needs.",
    "A good first step is to state the goal precisely and list the constraints that matter.",
    "Most of the effort usually goes into the edge cases rather than the common path.",
    "It helps to check the result against a small example before applying it more widely.",
    "If the inputs change often, prefer a solution that is easy to update over a clever one.",
    "Keep the pieces small and independent so that each one can be tested on its own.",
    "Measure before optimising: the slow part is rarely where intuition puts it.",
    "When in doubt, write down the assumptions; they are where mistakes tend to hide.",
    "A clear summary at the end makes the answer easier to act on.",
    "The numbers should be read as estimates, and checked against real data where possible.",
    "There are several reasonable options, and the right one depends on the context.",
]
_CLOSERS = [
    "Let me know if you want more detail on any part.",
    "I hope this helps.",
    "That should cover the essentials.",
]


def _seed(request: ProviderRequest) -> int:
    keyed = {k: request.params.get(k) for k in ("temperature", "top_p", "seed", "tools", "response_format")}
    digest = hashlib.sha256(orjson.dumps([request.model, request.messages, keyed], default=str)).digest()
    return int.from_bytes(digest[:8], "big")


def _last_user_text(messages: list[dict[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return content_text(message.get("content"))
    return ""


def _route(system: str, prompt: str) -> str:
    """Answer the cognitive tier's prompts the way a small router model would: from cues in the text."""
    verdict = reflex(prompt)
    hints = dict(verdict.hints)
    if verdict.task_type:
        hints[verdict.task_type] = 1.0
    if f"{ROUTER_MARKER}:verify" in system:
        candidates = [t for t in TASK_TYPES if t in system.split("better:", 1)[-1]]
        task = max(candidates, key=lambda t: hints.get(t, 0.0)) if candidates else "question_answering"
        return orjson.dumps({"task_type": task, "confidence": 0.8}).decode()
    task, weight = max(hints.items(), key=lambda item: item[1]) if hints else ("question_answering", 0.3)
    answer = {
        "task_type": task,
        "complexity": round(heuristic_complexity(prompt, task), 2),
        "confidence": round(0.55 + 0.4 * weight, 2),
    }
    return orjson.dumps(answer).decode()


def _prose(rng: random.Random, model: str, prompt: str, target_tokens: int) -> str:
    words = [w.strip(".,;:!?\"'()") for w in prompt.split()]
    topic = " ".join(w for w in words if len(w) > 3)[:80]
    parts = [f"{LABEL} {model} answer.", rng.choice(_OPENERS)]
    if topic:
        parts.append(f"You asked about: {topic}.")
    while estimate_text_tokens(" ".join(parts)) < target_tokens:
        parts.append(rng.choice(_SENTENCES))
    parts.append(rng.choice(_CLOSERS))
    return " ".join(parts)


def _value_for(schema: dict[str, Any], rng: random.Random) -> Any:
    kind = schema.get("type")
    if schema.get("enum"):
        return rng.choice(schema["enum"])
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: _value_for(sub if isinstance(sub, dict) else {}, rng) for name, sub in props.items()}
    if kind == "array":
        item = schema.get("items") if isinstance(schema.get("items"), dict) else {}
        return [_value_for(item, rng)]
    if kind == "integer":
        return rng.randint(1, 100)
    if kind == "number":
        return round(rng.uniform(1, 100), 2)
    if kind == "boolean":
        return rng.random() < 0.5
    return "simulated"


def _truncate(text: str, limit: int | None) -> tuple[str, bool]:
    if limit is None or estimate_text_tokens(text) <= limit:
        return text, False
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        if estimate_text_tokens(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    return " ".join(kept), True


class SimulatorAdapter:
    slug = "simulator"
    simulated = True

    def __init__(self, *, latency_scale: float = 1.0):
        self.latency_scale = latency_scale

    def _profile(self, request: ProviderRequest) -> tuple[int, int]:
        info = request.model_info
        return (info.ttft_ms, info.output_tokens_per_second) if info else _DEFAULT_PROFILE

    def _answer(self, request: ProviderRequest) -> tuple[dict[str, Any], str]:
        """The assistant message and its finish reason."""
        rng = random.Random(_seed(request))
        prompt = _last_user_text(request.messages)
        system = " ".join(content_text(m.get("content")) for m in request.messages if m.get("role") == "system")
        if ROUTER_MARKER in system:
            return {"role": "assistant", "content": _route(system, prompt)}, "stop"
        tool_call = self._tool_call(request, rng, prompt)
        if tool_call is not None:
            return {"role": "assistant", "content": None, "tool_calls": [tool_call]}, "tool_calls"
        limit = request.params.get("max_completion_tokens") or request.params.get("max_tokens")
        fmt = (request.params.get("response_format") or {}).get("type")
        if fmt in ("json_object", "json_schema"):
            schema = ((request.params.get("response_format") or {}).get("json_schema") or {}).get("schema")
            value = (
                _value_for(schema, rng)
                if isinstance(schema, dict)
                else {"simulated": True, "model": request.model, "answer": _prose(rng, request.model, prompt, 20)}
            )
            return {"role": "assistant", "content": orjson.dumps(value).decode()}, "stop"
        target = 25 + rng.randint(0, min(220, 20 + estimate_text_tokens(prompt)))
        text, cut = _truncate(_prose(rng, request.model, prompt, target), limit)
        return {"role": "assistant", "content": text}, ("length" if cut else "stop")

    def _tool_call(self, request: ProviderRequest, rng: random.Random, prompt: str) -> dict[str, Any] | None:
        tools = request.params.get("tools") or []
        choice = request.params.get("tool_choice")
        if not tools or choice == "none":
            return None
        functions = [t.get("function") or {} for t in tools]
        chosen = None
        if isinstance(choice, dict):
            wanted = (choice.get("function") or {}).get("name")
            chosen = next((f for f in functions if f.get("name") == wanted), None)
        elif choice == "required":
            chosen = functions[0]
        else:
            lowered = prompt.lower()
            chosen = next(
                (f for f in functions if any(p and p in lowered for p in str(f.get("name", "")).lower().split("_"))),
                None,
            )
        if chosen is None:
            return None
        params = chosen.get("parameters") if isinstance(chosen.get("parameters"), dict) else {"type": "object"}
        arguments = orjson.dumps(_value_for(params, rng)).decode()
        return {
            "id": f"call_sim_{rng.getrandbits(48):012x}",
            "type": "function",
            "function": {"name": chosen.get("name", ""), "arguments": arguments},
        }

    def _usage(self, request: ProviderRequest, message: dict[str, Any]) -> Usage:
        output = estimate_text_tokens(message.get("content") or "")
        for call in message.get("tool_calls") or ():
            output += estimate_text_tokens(call["function"]["name"] + call["function"]["arguments"])
        return Usage(input_tokens=estimate_prompt_tokens(request.messages), output_tokens=max(output, 1))

    async def _sleep_ms(self, ms: float) -> None:
        await asyncio.sleep(ms * self.latency_scale / 1000 if self.latency_scale > 0 else 0)

    def _envelope(self, request: ProviderRequest, kind: str) -> dict[str, Any]:
        digest = hashlib.sha256(f"{_seed(request)}".encode()).hexdigest()[:24]
        return {
            "id": f"chatcmpl-sim-{digest}",
            "object": kind,
            "created": int(time.time()),
            "model": request.model,
            "system_fingerprint": FINGERPRINT,
        }

    async def complete(self, request: ProviderRequest) -> Completion:
        message, finish = self._answer(request)
        usage = self._usage(request, message)
        ttft, tps = self._profile(request)
        await self._sleep_ms(ttft + usage.output_tokens * 1000 / max(tps, 1))
        body = {
            **self._envelope(request, "chat.completion"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": usage_fields(usage),
        }
        return Completion(body=body, usage=usage)

    async def stream(self, request: ProviderRequest) -> AsyncIterator[StreamChunk]:
        message, finish = self._answer(request)
        usage = self._usage(request, message)
        ttft, tps = self._profile(request)
        envelope = self._envelope(request, "chat.completion.chunk")

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            return {**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

        await self._sleep_ms(ttft)
        yield StreamChunk(data=chunk({"role": "assistant", "content": ""}))
        if message.get("tool_calls"):
            call = message["tool_calls"][0]
            yield StreamChunk(data=chunk({"tool_calls": [{"index": 0, **call}]}))
        else:
            words = (message.get("content") or "").split(" ")
            for start in range(0, len(words), 3):
                piece = " ".join(words[start : start + 3]) + (" " if start + 3 < len(words) else "")
                await self._sleep_ms(estimate_text_tokens(piece) * 1000 / max(tps, 1))
                yield StreamChunk(data=chunk({"content": piece}), text=piece)
        yield StreamChunk(data=chunk({}, finish))
        yield usage_chunk(envelope, usage)

    async def aclose(self) -> None:
        return None
