"""What the router reads from a request: the text to classify, the system text, the size, and
the capabilities the answer needs (tools, JSON mode, image input)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from routing.tokens import content_text, estimate_prompt_tokens


@dataclass(frozen=True)
class PromptView:
    text: str  # the last user message: what the request asks now
    system: str
    prompt_tokens: int
    needs_tools: bool
    needs_json: bool
    needs_vision: bool


def _has_image(content: Any) -> bool:
    return isinstance(content, list) and any(isinstance(p, dict) and p.get("type") == "image_url" for p in content)


def prompt_view(raw: dict[str, Any]) -> PromptView:
    messages = raw.get("messages") or []
    text = ""
    for message in reversed(messages):
        if message.get("role") == "user":
            text = content_text(message.get("content"))
            if text.strip():
                break
    system = "\n".join(content_text(m.get("content")) for m in messages if m.get("role") in ("system", "developer"))
    if not text.strip():  # system-only or tool-only conversations: classify what there is
        text = system or content_text((messages[-1] if messages else {}).get("content"))
    fmt = (raw.get("response_format") or {}).get("type")
    return PromptView(
        text=text,
        system=system,
        prompt_tokens=estimate_prompt_tokens(messages) + _tools_tokens(raw.get("tools")),
        needs_tools=bool(raw.get("tools")) and raw.get("tool_choice") != "none",
        needs_json=fmt in ("json_object", "json_schema"),
        needs_vision=any(_has_image(m.get("content")) for m in messages),
    )


def _tools_tokens(tools: list | None) -> int:
    if not tools:
        return 0
    import orjson

    from routing.tokens import estimate_text_tokens

    return estimate_text_tokens(orjson.dumps(tools).decode())
