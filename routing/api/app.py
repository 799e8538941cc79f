"""The gateway ASGI application (Starlette): the OpenAI-compatible API and the probes.

Built once per process by :func:`build_gateway`; ``config.asgi`` mounts it in front of Django.
The pipeline and its dependencies are created here and passed in, so tests can build a
gateway with their own (a fake clock, a provider registry pointing at a local fake server).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from django.conf import settings
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.db import db_sync
from core.errors import ApplicationError
from core.invalidation import InvalidationListener, subscribe
from core.runtime import freeze_heap
from finops.spool import LedgerSpool
from routing.api import probes
from routing.api.responses import error_response
from routing.api.views import chat_completions, list_models, route_decision
from routing.catalog import CatalogCache
from routing.encoders import shared_encoder, shared_shield_vectors, shared_task_classifier
from routing.encoders.batcher import EmbeddingBatcher
from routing.pipeline import Pipeline
from routing.pipeline.ledger import Ledger
from routing.pipeline.ratelimit import LocalRateLimiter, RedisRateLimiter
from routing.probes import shared_health
from routing.providers.anthropic import AnthropicAdapter
from routing.providers.gemini import GeminiAdapter
from routing.providers.openai_compat import OpenAICompatibleAdapter
from routing.providers.registry import ProviderRegistry
from routing.providers.simulator import SimulatorAdapter

logger = logging.getLogger(__name__)

GATEWAY_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/api/v1/route"})
SPOOL_REPLAY_SECONDS = 15.0
SHARED_HEALTH_SECONDS = 30.0


def default_registry() -> ProviderRegistry:
    return ProviderRegistry(
        adapters={
            "openai_compatible": OpenAICompatibleAdapter(),
            "anthropic": AnthropicAdapter(),
            "gemini": GeminiAdapter(),
        },
        simulator=SimulatorAdapter(latency_scale=settings.NR_SIMULATOR_LATENCY_SCALE),
        deployment_credentials=settings.NR_PROVIDER_ENV,
    )


def default_pipeline() -> Pipeline:
    encoder = shared_encoder()
    pipeline = Pipeline(
        catalog_cache=CatalogCache(),
        registry=default_registry(),
        limiter=RedisRateLimiter(settings.NR_REDIS_URL) if settings.NR_REDIS_URL else LocalRateLimiter(),
        ledger=Ledger(spool=LedgerSpool(settings.VAR_DIR / "spool")),
        upstream_timeout=settings.NR_UPSTREAM_TIMEOUT_SECONDS,
        classifier=shared_task_classifier(),
        batcher=EmbeddingBatcher(encoder, max_batch=settings.NR_EMBEDDING_BATCH) if encoder is not None else None,
        shield_vectors=shared_shield_vectors(),
    )
    subscribe(pipeline.on_invalidation)
    return pipeline


async def _replay_spool_forever(pipeline: Pipeline) -> None:
    replay = db_sync(pipeline.ledger.spool.replay)
    while True:
        try:
            inserted = await replay()
            if inserted:
                logger.warning("replayed %d spooled ledger rows", inserted)
        except Exception:
            logger.exception("ledger spool replay failed; will retry")
        await asyncio.sleep(SPOOL_REPLAY_SECONDS)


async def _load_shared_health_forever(pipeline: Pipeline) -> None:
    load = db_sync(shared_health)
    while True:
        try:
            pipeline.health.load_shared(await load())
        except Exception:
            logger.exception("could not load provider health; breakers still work from traffic")
        await asyncio.sleep(SHARED_HEALTH_SECONDS)


def _lifespan(app: Starlette):
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        pipeline: Pipeline = app.state.pipeline
        try:
            await pipeline.catalog()
        except Exception:
            logger.exception("could not load the model catalog at start; will retry per request")
        freeze_heap()  # what start-up built lives as long as the process: keep full collections off it
        listener = InvalidationListener(
            on_connected=lambda: pipeline.trust_caches(True), on_lost=lambda: pipeline.trust_caches(False)
        )
        app.state.listener = listener
        tasks = [
            asyncio.create_task(_replay_spool_forever(pipeline)),
            asyncio.create_task(listener.run()),
            asyncio.create_task(_load_shared_health_forever(pipeline)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await pipeline.aclose()

    return lifespan


async def _http_error(request: Request, exc: HTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    message = {
        404: f"Unknown endpoint {request.method} {request.url.path}.",
        405: f"Method {request.method} is not allowed on {request.url.path}.",
    }.get(exc.status_code, str(exc.detail))
    return error_response(ApplicationError(message, status=exc.status_code, code=code))


async def _application_error(request: Request, exc: ApplicationError) -> Response:
    return error_response(exc)


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s", request.url.path)
    return error_response(ApplicationError("Internal error.", status=500, code="server_error"))


def build_gateway(pipeline: Pipeline | None = None) -> Starlette:
    routes = [
        Route("/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/v1/models", list_models, methods=["GET"]),
        Route("/api/v1/route", route_decision, methods=["POST"]),
        Route("/healthz", probes.healthz, methods=["GET"]),
        Route("/readyz", probes.readyz, methods=["GET"]),
        Route("/metrics", probes.prometheus, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HTTPException: _http_error,
            ApplicationError: _application_error,
            Exception: _unexpected,
        },
    )
    app.state.pipeline = pipeline or default_pipeline()
    app.router.lifespan_context = _lifespan(app)
    return app
