"""What makes two requests "the same" for the cache, and which requests may use it at all.

- The **exact key** is SHA-256 over a canonical form of everything that changes the answer: the
  tenant, the model choice, every message, and the sampling, tool and format parameters (and the
  end-user when answers are kept per user). Key order, whitespace in JSON and unused fields do
  not matter; a single changed character in a message does.
- The **semantic key** is the same minus the user's words, for single-turn requests only (one
  user message, optionally after system messages): two paraphrases with the same model choice,
  parameters, system prompt and numbers share it, and their vectors decide. Multi-turn conversations are
  cached exactly only: "and in French?" means nothing without the turns before it.

A client steers one request with the standard ``Cache-Control`` request header (the OpenAI SDK
sends it with ``extra_headers``): ``no-cache`` skips the lookup but stores the fresh answer (a
refresh), ``no-store`` neither reads nor writes the cache.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import orjson

from routing.tokens import content_text
from tenants.selectors import PolicySnapshot

ANSWER_PARAMS = (
    "temperature",
    "top_p",
    "max_tokens",
    "max_completion_tokens",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
    "stop",
    "seed",
    "n",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
)
DEFAULT_TEMPERATURE = 1.0  # what OpenAI samples with when the request does not say
_NUMBERS = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class CachePlan:
    """Whether and how this request uses the cache."""

    outcome_if_skipped: str  # "" when eligible, else "off" or "skipped"
    reason: str = ""
    exact_hash: str = ""
    semantic_key: str | None = None
    read: bool = True  # False for ``Cache-Control: no-cache``: look nothing up, still store
    ruleset: str = ""  # the shield rules and settings an entry must have passed (set by the pipeline)

    @property
    def eligible(self) -> bool:
        """May the answer be stored?"""
        return not self.outcome_if_skipped

    @property
    def lookup(self) -> bool:
        return self.eligible and self.read


def directives(cache_control: str | None) -> set[str]:
    """The directives of a ``Cache-Control`` header, lower-cased, without arguments."""
    return {part.split("=", 1)[0].strip().lower() for part in (cache_control or "").split(",") if part.strip()}


def _message(message: dict[str, Any]) -> dict[str, Any]:
    kept = {"role": message.get("role"), "content": message.get("content")}
    for field in ("name", "tool_call_id"):
        if message.get(field):
            kept[field] = message[field]
    if message.get("tool_calls"):
        kept["tool_calls"] = [
            {"name": (c.get("function") or {}).get("name"), "arguments": (c.get("function") or {}).get("arguments")}
            for c in message["tool_calls"]
        ]
    return kept


def _digest(value: Any) -> str:
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _single_turn(messages: list[dict[str, Any]]) -> bool:
    roles = [m.get("role") for m in messages]
    return roles.count("user") == 1 and roles[-1] == "user" and all(r in ("system", "developer", "user") for r in roles)


def plan_for(
    *,
    tenant_id: int,
    requested_model: str,
    raw: dict[str, Any],
    end_user: str,
    policy: PolicySnapshot,
    cache_control: str | None = None,
) -> CachePlan:
    if not policy.cache_enabled:
        return CachePlan("off", "cache disabled")
    asked = directives(cache_control)
    if "no-store" in asked:
        return CachePlan("skipped", "Cache-Control: no-store")
    temperature = raw.get("temperature")
    if (temperature if temperature is not None else DEFAULT_TEMPERATURE) > policy.cache_max_temperature:
        return CachePlan("skipped", f"temperature above {policy.cache_max_temperature}")
    if raw.get("tools") and not policy.cache_tool_requests:
        return CachePlan("skipped", "requests with tools are not cached")
    if (raw.get("n") or 1) > 1 or raw.get("logprobs"):
        return CachePlan("skipped", "n > 1 or logprobs")
    messages = raw.get("messages") or []
    scope = end_user if policy.cache_per_user else ""
    params = {name: raw[name] for name in ANSWER_PARAMS if raw.get(name) is not None}
    base = {"tenant": tenant_id, "model": (requested_model or "auto").lower(), "params": params, "user": scope}
    exact = _digest({**base, "messages": [_message(m) for m in messages]})
    semantic = None
    if policy.cache_semantic and _single_turn(messages):
        system = [_message(m) for m in messages if m.get("role") != "user"]
        user = content_text(next(m for m in messages if m.get("role") == "user").get("content"))
        # Paraphrases may differ in wording, not in their numbers: "17 % of 2,340" is not "18 % of 2,340",
        # however close their vectors are.
        semantic = _digest({**base, "system": system, "numbers": _NUMBERS.findall(user)})
    if "no-cache" in asked:
        return CachePlan("", "Cache-Control: no-cache", exact, semantic, read=False)
    return CachePlan("", "", exact, semantic)
