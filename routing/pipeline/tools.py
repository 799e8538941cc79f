"""Stage "tools" (optional per tenant): keep only the k most relevant tool definitions.

Agents often send dozens of tool schemas with every request; they are billed as input tokens
on every call. With ``Policy.tool_pruning_top_k`` set, each tool is scored against the request
by keyword overlap, semantic similarity (the request's own vector against the tool's
description, embedded once per process) and a category cue (the task type's vocabulary), and
only the best k are forwarded. Tools the request names in ``tool_choice`` or that the
conversation already called are always kept. The tokens saved are recorded.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from routing.tokens import estimate_text_tokens

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "get",
        "how",
        "i",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "please",
        "the",
        "this",
        "to",
        "use",
        "what",
        "when",
        "with",
        "you",
        "your",
    ]
)
CATEGORY_WORDS = {
    "coding": {"code", "run", "execute", "file", "repo", "git", "test", "shell", "python", "sql", "query"},
    "extraction": {"extract", "parse", "read", "document", "pdf", "table", "field"},
    "question_answering": {"search", "lookup", "find", "web", "wiki", "knowledge", "retrieve"},
    "reasoning": {"calculate", "math", "compute", "solver", "calculator"},
    "translation": {"translate", "language", "locale"},
    "summarization": {"summarize", "document", "read", "fetch"},
}
WEIGHTS = (0.5, 0.35, 0.15)  # semantic, keywords, category
CACHE_SIZE = 4096

Embed = Callable[[str], Awaitable[np.ndarray]]


@dataclass(frozen=True)
class Pruned:
    tools: list[dict[str, Any]]
    removed: tuple[str, ...]
    tokens_saved: int


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower().replace("_", " ")) if w not in _STOP and len(w) > 1}


def _tool_text(tool: dict[str, Any]) -> str:
    function = tool.get("function") or {}
    params = " ".join((function.get("parameters") or {}).get("properties", {}) or {})
    return f"{function.get('name', '')} {function.get('description', '')} {params}".strip()


def _protected(raw: dict[str, Any]) -> set[str]:
    names = set()
    choice = raw.get("tool_choice")
    if isinstance(choice, dict):
        names.add((choice.get("function") or {}).get("name"))
    for message in raw.get("messages") or ():
        for call in message.get("tool_calls") or ():
            names.add((call.get("function") or {}).get("name"))
    return names


class ToolPruner:
    def __init__(self, embed: Embed | None):
        self.embed = embed
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    async def _vector(self, text: str) -> np.ndarray | None:
        if self.embed is None:
            return None
        vector = self._vectors.get(text)
        if vector is None:
            vector = await self.embed(text)
            self._vectors[text] = vector
            if len(self._vectors) > CACHE_SIZE:
                self._vectors.popitem(last=False)
        else:
            self._vectors.move_to_end(text)
        return vector

    async def prune(
        self, raw: dict[str, Any], *, top_k: int, text: str, vector: np.ndarray | None, task_type: str
    ) -> Pruned | None:
        tools = raw.get("tools") or []
        if top_k <= 0 or len(tools) <= top_k:
            return None
        prompt_words = _words(text)
        category = CATEGORY_WORDS.get(task_type, set())
        protected = _protected(raw)
        scored = []
        for position, tool in enumerate(tools):
            description = _tool_text(tool)
            words = _words(description)
            keyword = len(words & prompt_words) / max(min(len(words), len(prompt_words)), 1)
            semantic = 0.0
            tool_vector = await self._vector(description) if vector is not None else None
            if tool_vector is not None:
                semantic = max(float(tool_vector @ vector), 0.0)
            score = WEIGHTS[0] * semantic + WEIGHTS[1] * keyword + WEIGHTS[2] * (1.0 if words & category else 0.0)
            name = (tool.get("function") or {}).get("name", "")
            scored.append((name in protected, score, -position, tool))
        scored.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
        kept = [item[3] for item in scored[: max(top_k, sum(1 for s in scored if s[0]))]]
        kept_ids = {id(t) for t in kept}
        removed = [t for t in tools if id(t) not in kept_ids]
        return Pruned(
            tools=[t for t in tools if id(t) in kept_ids],  # the client's order, minus the pruned
            removed=tuple((t.get("function") or {}).get("name", "") for t in removed),
            tokens_saved=estimate_text_tokens(orjson.dumps(removed).decode()),
        )
