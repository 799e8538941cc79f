"""The OpenAI-compatible endpoints in the OpenAPI document at /api/schema/.

They are served by the Starlette gateway, not by DRF, so drf-spectacular cannot see them; this
post-processing hook adds them, with the request schema generated from the same pydantic model
that validates requests.
"""

from __future__ import annotations

from routing.api.schema import ChatRequest

_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "code": {"type": "string"},
                "param": {"type": ["string", "null"]},
            },
        }
    },
}
_HEADERS = {
    name: {"schema": {"type": "string"}, "description": text}
    for name, text in {
        "X-NeuralRouting-Decision-Id": "The routing decision; the ledger row has the same id.",
        "X-NeuralRouting-Model": "The catalog model that answered.",
        "X-NeuralRouting-Provider": "The provider, or `simulator` for the built-in simulator.",
        "X-NeuralRouting-Simulated": "`true` when the built-in simulator answered (no provider was called).",
        "X-NeuralRouting-Cost": "USD charged for this request (non-streaming responses).",
        "X-NeuralRouting-Savings": "USD saved against the same tokens on GPT-4o (non-streaming responses).",
    }.items()
}


def _errors(*statuses: int) -> dict:
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/OpenAIError"}}}}
    return {str(s): {"description": "OpenAI-shaped error", **ref} for s in statuses}


def add_gateway_paths(result, generator, request, public):
    schema = ChatRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["ChatCompletionRequest"] = schema
    components["OpenAIError"] = _ERROR
    security = [{"BearerApiKey": []}]
    result["components"].setdefault("securitySchemes", {})["BearerApiKey"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A NeuralRouting API key (nr-…).",
    }
    result.setdefault("paths", {}).update(
        {
            "/v1/chat/completions": {
                "post": {
                    "operationId": "chat_completions",
                    "tags": ["OpenAI-compatible"],
                    "summary": "Create a chat completion (OpenAI wire format, JSON or SSE stream)",
                    "description": '`model: "auto"` lets the router choose; any catalog model name is an explicit '
                    "override. The `user` field (or `X-User-Id` header) attributes cost to an end-user.",
                    "security": security,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ChatCompletionRequest"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "chat.completion, or text/event-stream of chat.completion.chunk",
                            "headers": _HEADERS,
                        },
                        **_errors(400, 401, 403, 404, 413, 429, 502, 504),
                    },
                }
            },
            "/v1/models": {
                "get": {
                    "operationId": "list_models",
                    "tags": ["OpenAI-compatible"],
                    "summary": "List the catalog models (with prices, tier and capabilities) and `auto`",
                    "security": security,
                    "responses": {"200": {"description": "OpenAI model list"}, **_errors(401, 403)},
                }
            },
        }
    )
    return result
