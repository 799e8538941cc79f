"""Stage "parse": the HTTP body to a validated :class:`ChatRequest`, with limits.

Every failure is a 4xx ``ApplicationError`` naming the problem; nothing here can raise a 500.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson
from pydantic import ValidationError

from core.errors import ApplicationError
from routing.api.schema import CONTENT_PART_TYPES, ChatRequest

_TYPE_LABELS = frozenset({"str", "int", "float", "bool", "dict", "list"})
END_USER_HEADER = "x-user-id"
END_USER_MAX = 256


async def read_body(chunks: AsyncIterator[bytes], *, declared_length: str | None, limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it is known to exceed ``limit`` bytes."""
    too_large = ApplicationError(
        f"Request body too large: the limit is {limit:,} bytes.", status=413, code="request_too_large"
    )
    if declared_length is not None:
        try:
            if int(declared_length) > limit:
                raise too_large
        except ValueError as exc:
            raise ApplicationError("Invalid Content-Length header.", code="invalid_content_length") from exc
    body = bytearray()
    async for chunk in chunks:
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def decode_json(body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise ApplicationError("The request body is empty: send a JSON object.", code="invalid_json")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            f"The request body is not valid UTF-8 (byte {exc.start}).", code="invalid_encoding"
        ) from exc
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApplicationError(f"The request body is not valid JSON: {exc.msg}.", code="invalid_json") from exc
    if not isinstance(data, dict):
        raise ApplicationError("The request body must be a JSON object.", code="invalid_json")
    return data


def _field_path(loc: tuple) -> str:
    """The parameter path a client recognises, without pydantic's union-member labels."""
    path: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and (any(c in part for c in "[]()") or part in _TYPE_LABELS):
            continue  # "str", "list[...]": which union member pydantic tried
        if (
            isinstance(part, str)
            and part in CONTENT_PART_TYPES
            and i
            and isinstance(loc[i - 1], int)
            and i < len(loc) - 1
        ):
            continue  # the discriminator value of a content part
        path.append(str(part))
    return ".".join(path)


def _describe(error: dict[str, Any]) -> tuple[str, str]:
    param = _field_path(tuple(error.get("loc", ())))
    kind = error.get("type", "")
    if kind == "missing":
        return f"Missing required parameter: '{param}'.", param
    if kind == "too_short" and param == "messages":
        return "'messages' must contain at least one message.", param
    if kind == "extra_forbidden":
        return f"Unrecognized parameter: '{param}'.", param
    message = error.get("msg", "invalid value")
    return f"Invalid value for '{param}': {message}.", param


def parse_chat_request(data: dict[str, Any]) -> ChatRequest:
    try:
        return ChatRequest.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # With unions, pydantic reports one error per member; the deepest is the most specific.
        message, param = _describe(max(errors, key=lambda e: len(e.get("loc", ()))))
        raise ApplicationError(message, code="invalid_request", param=param or None) from exc


def end_user_of(request: ChatRequest, headers: Mapping[str, str]) -> str:
    """The customer's end-user: the OpenAI ``user`` field, else the ``X-User-Id`` header."""
    user = request.user or headers.get(END_USER_HEADER, "")
    return user.strip()[:END_USER_MAX]
