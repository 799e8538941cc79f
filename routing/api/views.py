"""The OpenAI-compatible endpoints. Thin: authenticate, hand over to the pipeline, render."""

from __future__ import annotations

from django.conf import settings
from starlette.requests import Request
from starlette.responses import Response

from core.errors import ApplicationError
from routing.api.parse import read_body
from routing.api.responses import JSONResponse, SSEResponse, error_response
from routing.pipeline import CompletionResult, Pipeline
from routing.pipeline.context import RoutingContext
from tenants.selectors import KeyRejected


def _pipeline(request: Request) -> Pipeline:
    return request.app.state.pipeline


async def chat_completions(request: Request) -> Response:
    pipeline = _pipeline(request)
    try:
        principal = await pipeline.authenticate(request.headers.get("authorization"))
    except KeyRejected as rejected:
        await pipeline.reject(RoutingContext(principal=rejected.principal), rejected)
        return error_response(rejected)
    except ApplicationError as error:
        return error_response(error)

    ctx = RoutingContext(principal=principal)

    async def body() -> bytes:
        return await read_body(
            request.stream(),
            declared_length=request.headers.get("content-length"),
            limit=settings.NR_MAX_REQUEST_BYTES,
        )

    try:
        result = await pipeline.chat_completion(ctx, read_body=body, headers=request.headers)
    except ApplicationError as error:
        return error_response(error)
    if isinstance(result, CompletionResult):
        return JSONResponse(result.body, headers=result.headers)
    return SSEResponse(result.stream.events(), headers=result.headers, on_close=result.stream.finish)


async def route_decision(request: Request) -> Response:
    """``POST /api/v1/route``: the routing decision for a chat request, without calling a model."""
    pipeline = _pipeline(request)
    try:
        principal = await pipeline.authenticate(request.headers.get("authorization"))
    except KeyRejected as rejected:
        await pipeline.reject(RoutingContext(principal=rejected.principal, endpoint="route"), rejected)
        return error_response(rejected)
    except ApplicationError as error:
        return error_response(error)
    ctx = RoutingContext(principal=principal)

    async def body() -> bytes:
        return await read_body(
            request.stream(), declared_length=request.headers.get("content-length"), limit=settings.NR_MAX_REQUEST_BYTES
        )

    try:
        document = await pipeline.route(ctx, read_body=body, headers=request.headers)
    except ApplicationError as error:
        return error_response(error)
    return JSONResponse(document, headers={"X-NeuralRouting-Decision-Id": document["decision_id"]})


async def list_models(request: Request) -> Response:
    pipeline = _pipeline(request)
    try:
        await pipeline.authenticate(request.headers.get("authorization"))
    except ApplicationError as error:
        return error_response(error)
    catalog = await pipeline.catalog()
    data = [
        {
            "id": model.name,
            "object": "model",
            "created": 0,
            "owned_by": model.provider_slug,
            "neuralrouting": {
                "display_name": model.display_name,
                "provider": model.provider_name,
                "tier": model.tier,
                "input_price_per_mtok": str(model.input_price_per_mtok),
                "output_price_per_mtok": str(model.output_price_per_mtok),
                "context_window": model.context_window,
                "max_output_tokens": model.max_output_tokens,
                "capabilities": {
                    "tools": model.supports_tools,
                    "json": model.supports_json,
                    "vision": model.supports_vision,
                    "streaming": model.supports_streaming,
                },
                "baseline": model.is_baseline,
            },
        }
        for model in sorted(catalog.models(), key=lambda m: m.name)
    ]
    auto = {"id": "auto", "object": "model", "created": 0, "owned_by": "neuralrouting"}
    return JSONResponse({"object": "list", "data": [auto, *data]})
