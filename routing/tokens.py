"""Token counts without a provider tokenizer.

Exact counts come from the provider's ``usage``; this estimate is used where there is none
(the simulator, an upstream that omits usage, context-window checks). It follows the shape of
BPE tokenizers such as cl100k: short words are one token, long words several, and every
punctuation mark one; each chat message adds a few tokens of framing.
"""

from __future__ import annotations

import re

_PIECES = re.compile(r"[A-Za-z]+|\d{1,3}|[^\sA-Za-z\d]", re.ASCII)
MESSAGE_OVERHEAD = 3
REPLY_PRIMING = 3


def estimate_text_tokens(text: str) -> int:
    if not text:
        return 0
    count = 0
    for piece in _PIECES.findall(text):
        count += 1 + (len(piece) - 1) // 6 if piece.isalpha() else 1
    return count


def content_text(content) -> str:
    """The text of an OpenAI message ``content``: a string or a list of parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    parts = []
    for part in content:
        if isinstance(part, dict) and part.get("type") == "text":
            parts.append(str(part.get("text", "")))
    return "\n".join(parts)


def estimate_prompt_tokens(messages: list[dict]) -> int:
    total = REPLY_PRIMING
    for message in messages:
        total += MESSAGE_OVERHEAD + estimate_text_tokens(content_text(message.get("content")))
        for call in message.get("tool_calls") or ():
            function = call.get("function") or {}
            total += estimate_text_tokens(str(function.get("name", ""))) + estimate_text_tokens(
                str(function.get("arguments", ""))
            )
    return total
