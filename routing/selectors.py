"""Reads for routing: the catalog, a tenant's routes and its fitted route index."""

from __future__ import annotations

import numpy as np
from django.db.models import Count, QuerySet

from routing.classifier.routes import NONE, RouteIndex, load_route_index
from routing.models import LLMModel, Provider, RouteExample, RouteIndexArtifact, TenantRoute
from tenants.models import Tenant


def route_list(*, tenant: Tenant) -> QuerySet[TenantRoute]:
    return (
        TenantRoute.objects.for_tenant(tenant)
        .select_related("target_model")
        .annotate(example_count=Count("examples"))
        .order_by("name")
    )


def route_get(*, tenant: Tenant, name: str) -> TenantRoute | None:
    return TenantRoute.objects.for_tenant(tenant).select_related("target_model").filter(name=name).first()


def route_examples(*, tenant: Tenant, route: TenantRoute | None) -> QuerySet[RouteExample]:
    return RouteExample.objects.for_tenant(tenant).filter(route=route).order_by("-created_at")


def route_index_load(*, tenant_id: int) -> RouteIndex | None:
    """The tenant's fitted route index, or ``None`` when it has no routes."""
    artifact = RouteIndexArtifact.objects.for_tenant(tenant_id).first()
    if artifact is None:
        return None
    routes = {r.pk: r for r in TenantRoute.objects.for_tenant(tenant_id).filter(pk__in=artifact.route_ids)}
    if len(routes) != len(artifact.route_ids):
        return None  # a route vanished since the fit; the refit that follows will publish a new index
    position = {route_id: i for i, route_id in enumerate(artifact.route_ids)}
    rows = [
        (vector, position[route_id] if route_id is not None else NONE)
        for vector, route_id in RouteExample.objects.for_tenant(tenant_id).values_list("embedding", "route_id")
        if route_id is None or route_id in position
    ]
    if not rows:
        return None
    return load_route_index(
        route_ids=artifact.route_ids,
        names=[routes[i].name for i in artifact.route_ids],
        vectors=np.array([np.asarray(v, dtype=np.float32) for v, _ in rows]),
        labels=np.array([label for _, label in rows]),
        head=bytes(artifact.weights),
        thresholds=artifact.thresholds,
        knn_weight=artifact.knn_weight,
    )


def route_targets(*, tenant_id: int) -> dict[int, tuple[str, str, str]]:
    """``{route_id: (model name, tier, mode)}`` for the tenant's enabled routes."""
    rows = TenantRoute.objects.for_tenant(tenant_id).filter(enabled=True).select_related("target_model")
    return {r.pk: (r.target_model.name if r.target_model else "", r.target_tier, r.target_mode) for r in rows}


def catalog_models() -> QuerySet[LLMModel]:
    return LLMModel.objects.filter(is_active=True).select_related("provider").order_by("tier", "input_price_per_mtok")


def providers() -> QuerySet[Provider]:
    return Provider.objects.filter(is_active=True).order_by("name")
