"""Writes for tenant routes: routes, their examples (embedded once, stored in pgvector), and the
fitted route index every gateway process loads."""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.invalidation import publish
from routing.classifier.routes import NONE, dump_index, fit_route_index
from routing.encoders import shared_encoder
from routing.models import LLMModel, RouteExample, RouteIndexArtifact, TenantRoute
from tenants.models import Tenant

MAX_EXAMPLES_PER_CALL = 500
MAX_EXAMPLE_CHARS = 2000


def _embed(texts: list[str]) -> np.ndarray:
    encoder = shared_encoder()
    if encoder is None:
        raise ApplicationError(
            "The embedding model is not available on this server.", status=503, code="encoder_unavailable"
        )
    return np.concatenate([encoder.embed(texts[i : i + 32]) for i in range(0, len(texts), 32)])


def _clean(texts: list[str]) -> list[str]:
    cleaned = [t.strip()[:MAX_EXAMPLE_CHARS] for t in texts if isinstance(t, str) and t.strip()]
    if len(cleaned) > MAX_EXAMPLES_PER_CALL:
        raise ApplicationError(
            f"At most {MAX_EXAMPLES_PER_CALL} examples per call; use the bulk import.",
            code="too_many_examples",
            param="examples",
        )
    return cleaned


def _target(*, model: str | None, tier: str, mode: str) -> dict:
    given = [v for v in (model, tier, mode) if v]
    if len(given) != 1:
        raise ApplicationError("Give exactly one target: a model, a tier or a mode.", param="target")
    if model:
        found = LLMModel.objects.filter(name=model, is_active=True).first()
        if found is None:
            raise ApplicationError(
                f"Unknown model '{model}'.", status=404, code="model_not_found", param="target_model"
            )
        return {"target_model": found, "target_tier": "", "target_mode": ""}
    if tier and tier not in ("economy", "standard", "premium"):
        raise ApplicationError(f"Unknown tier '{tier}'.", param="target_tier")
    if mode and mode not in ("cost", "speed", "quality"):
        raise ApplicationError(f"Unknown mode '{mode}'.", param="target_mode")
    return {"target_model": None, "target_tier": tier, "target_mode": mode}


def route_create(
    *,
    tenant: Tenant,
    name: str,
    examples: list[str],
    description: str = "",
    target_model: str | None = None,
    target_tier: str = "",
    target_mode: str = "",
) -> TenantRoute:
    from django.utils.text import slugify

    slug = slugify(name)[:60]
    if not slug:
        raise ApplicationError("A route needs a name.", param="name")
    if TenantRoute.objects.for_tenant(tenant).filter(name=slug).exists():
        raise ApplicationError(f"A route named '{slug}' exists already.", status=409, code="route_exists", param="name")
    texts = _clean(examples)
    if not texts:
        raise ApplicationError("A route needs at least one example utterance.", param="examples")
    vectors = _embed(texts)
    with transaction.atomic():
        route = TenantRoute.objects.create(
            tenant=tenant,
            name=slug,
            description=description[:200],
            **_target(model=target_model, tier=target_tier, mode=target_mode),
        )
        RouteExample.objects.bulk_create(
            RouteExample(tenant=tenant, route=route, text=t, embedding=v) for t, v in zip(texts, vectors, strict=True)
        )
        routes_refit(tenant=tenant)
    return route


def route_examples_add(*, tenant: Tenant, route: TenantRoute | None, texts: list[str]) -> int:
    """Add examples to a route, or negatives (``route=None``: utterances that must match no route)."""
    if route is not None and route.tenant_id != tenant.pk:
        raise ApplicationError("No such route.", status=404, code="route_not_found")
    cleaned = _clean(texts)
    if not cleaned:
        raise ApplicationError("No example text given.", param="examples")
    vectors = _embed(cleaned)
    with transaction.atomic():
        RouteExample.objects.bulk_create(
            RouteExample(tenant=tenant, route=route, text=t, embedding=v) for t, v in zip(cleaned, vectors, strict=True)
        )
        routes_refit(tenant=tenant)
    return len(cleaned)


def route_update(
    *,
    tenant: Tenant,
    route: TenantRoute,
    enabled: bool | None = None,
    description: str | None = None,
    target_model: str | None = None,
    target_tier: str = "",
    target_mode: str = "",
) -> TenantRoute:
    if route.tenant_id != tenant.pk:
        raise ApplicationError("No such route.", status=404, code="route_not_found")
    if target_model or target_tier or target_mode:
        for field, value in _target(model=target_model, tier=target_tier, mode=target_mode).items():
            setattr(route, field, value)
    if description is not None:
        route.description = description[:200]
    with transaction.atomic():
        if enabled is not None:
            route.enabled = enabled
        route.save()
        routes_refit(tenant=tenant)
    return route


def route_delete(*, tenant: Tenant, route: TenantRoute) -> None:
    if route.tenant_id != tenant.pk:
        raise ApplicationError("No such route.", status=404, code="route_not_found")
    with transaction.atomic():
        route.delete()
        routes_refit(tenant=tenant)


def routes_refit(*, tenant: Tenant) -> RouteIndexArtifact | None:
    """Fit the tenant's route index from the stored vectors (no re-embedding), save thresholds
    and head, and tell every gateway process to load it."""
    routes = list(TenantRoute.objects.for_tenant(tenant).filter(enabled=True).order_by("id"))
    position = {route.pk: i for i, route in enumerate(routes)}
    examples = RouteExample.objects.for_tenant(tenant).values_list("text", "embedding", "route_id")
    rows = [
        (text, vector, position.get(route_id, NONE))
        for text, vector, route_id in examples
        if route_id is None or route_id in position
    ]
    publish("tenant", tenant_id=tenant.pk)
    if not routes or not rows:
        RouteIndexArtifact.objects.for_tenant(tenant).delete()
        return None
    vectors = np.array([np.asarray(v, dtype=np.float32) for _, v, _ in rows])
    labels = np.array([label for _, _, label in rows])
    index = fit_route_index(
        route_ids=[r.pk for r in routes],
        names=[r.name for r in routes],
        texts=[t for t, _, _ in rows],
        vectors=vectors,
        labels=labels,
    )
    for route, fitted in zip(routes, index.thresholds, strict=True):
        route.threshold, route.fitted_f1 = fitted.threshold, fitted.f1
    TenantRoute.objects.bulk_update(routes, ["threshold", "fitted_f1"])
    artifact, _ = RouteIndexArtifact.objects.update_or_create(
        tenant=tenant,
        defaults={
            "route_ids": [r.pk for r in routes],
            "has_negatives": bool((labels == NONE).any()),
            "weights": dump_index(index),
            "thresholds": [{"threshold": t.threshold, "f1": t.f1} for t in index.thresholds],
            "knn_weight": index.knn_weight,
            "examples": len(rows),
            "fitted_at": timezone.now(),
        },
    )
    return artifact
