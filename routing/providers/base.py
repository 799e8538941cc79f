"""The provider adapter interface: one OpenAI-shaped request in, an OpenAI-shaped answer out.

Every adapter (OpenAI-compatible, Anthropic, Gemini, the simulator) translates to and from the
OpenAI chat-completions wire format, so the rest of the pipeline speaks only that.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from routing.catalog import CatalogModel


@dataclass(frozen=True, slots=True)
class Credentials:
    api_key: str
    base_url: str


@dataclass(slots=True)
class ProviderRequest:
    """What to ask the provider. ``params`` holds the OpenAI sampling/tool parameters as sent."""

    model: str
    messages: list[dict[str, Any]]
    params: dict[str, Any]
    credentials: Credentials
    timeout: float
    model_info: CatalogModel | None = None


@dataclass(slots=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False


@dataclass(slots=True)
class Completion:
    """A whole answer: the OpenAI ``chat.completion`` body and its usage."""

    body: dict[str, Any]
    usage: Usage


@dataclass(slots=True)
class StreamChunk:
    """One ``chat.completion.chunk``; ``usage`` is set on the chunk that carries it."""

    data: dict[str, Any]
    usage: Usage | None = None
    text: str = field(default="")


def usage_fields(usage: Usage) -> dict[str, int]:
    """Usage in the OpenAI wire format."""
    return {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.input_tokens + usage.output_tokens,
    }


def usage_chunk(envelope: dict[str, Any], usage: Usage) -> StreamChunk:
    """The final chunk of a stream that carries usage (``stream_options.include_usage``)."""
    return StreamChunk(data={**envelope, "choices": [], "usage": usage_fields(usage)}, usage=usage)


class Turns:
    """Conversation turns for APIs that want roles to alternate: same-role neighbours are merged."""

    def __init__(self, key: str):
        self.key = key  # "content" (Anthropic) or "parts" (Gemini)
        self.items: list[dict[str, Any]] = []

    def add(self, role: str, pieces: list[dict[str, Any]]) -> None:
        if not pieces:
            return
        if self.items and self.items[-1]["role"] == role:
            self.items[-1][self.key].extend(pieces)
        else:
            self.items.append({"role": role, self.key: pieces})


class ProviderError(Exception):
    """A provider failed. ``kind`` is ``timeout``, ``connect``, ``status`` or ``protocol``."""

    def __init__(self, message: str, *, kind: str, status: int | None = None, retryable: bool = True):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.status = status
        self.retryable = retryable


class ProviderAdapter(Protocol):
    """The contract each file in ``routing/providers/`` implements."""

    slug: str
    simulated: bool

    async def complete(self, request: ProviderRequest) -> Completion: ...

    def stream(self, request: ProviderRequest) -> AsyncIterator[StreamChunk]: ...

    async def aclose(self) -> None: ...
