"""Liveness, readiness and metrics endpoints for load balancers and Prometheus."""

from __future__ import annotations

from django.db import connection
from starlette.requests import Request
from starlette.responses import Response

from core import metrics
from core.db import db_sync
from routing.api.responses import JSONResponse


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    pipeline = request.app.state.pipeline
    checks: dict[str, object] = {}
    ready = True
    try:
        checks["database"] = "ok" if await db_sync(_database_ok)() else "failing"
        catalog = await pipeline.catalog()
        checks["catalog_models"] = len(catalog.models())
    except Exception as exc:  # a probe reports, it does not raise
        checks["database"] = f"failing: {type(exc).__name__}"
        ready = False
    checks["ledger_spool_pending"] = pipeline.ledger.spool.pending()
    listener = getattr(request.app.state, "listener", None)
    checks["cache_invalidation"] = "listening" if listener and listener.connected else "off (caches bypassed)"
    body = {"status": "ready" if ready else "not_ready", "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503)


async def prometheus(request: Request) -> Response:
    payload, content_type = metrics.render()
    return Response(payload, media_type=content_type)
