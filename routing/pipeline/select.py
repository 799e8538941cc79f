"""Stage 4, select: which catalog model serves the request.

``model: "auto"`` (or no model) goes to the tenant's default model; any catalog model name,
optionally written ``provider/model``, is honoured as an explicit override.
"""

from __future__ import annotations

import uuid

from core.errors import ApplicationError
from routing.catalog import Catalog, CatalogModel
from routing.pipeline.context import Decision
from tenants.selectors import Principal

AUTO = "auto"


def _explicit(catalog: Catalog, requested: str) -> CatalogModel | None:
    model = catalog.get(requested)
    if model is None and "/" in requested:
        provider, _, name = requested.partition("/")
        candidate = catalog.get(name)
        if candidate is not None and candidate.provider_slug == provider:
            model = candidate
    return model


def select_model(*, decision_id: uuid.UUID, requested: str, principal: Principal, catalog: Catalog) -> Decision:
    requested = (requested or AUTO).strip()
    if requested.lower() == AUTO:
        model = catalog.get(principal.default_model)
        if model is None:
            raise ApplicationError(
                f"The tenant's default model '{principal.default_model}' is not available; choose another in "
                "the dashboard's routing settings.",
                status=503,
                code="default_model_unavailable",
            )
        return Decision(
            decision_id=decision_id,
            model=model,
            mode=principal.mode,
            reasons=("model=auto: the tenant's default model",),
        )
    model = _explicit(catalog, requested)
    if model is None:
        raise ApplicationError(
            f"The model '{requested[:100]}' does not exist or is not enabled. GET /v1/models lists the models "
            "you can use, or send model 'auto'.",
            status=404,
            code="model_not_found",
            param="model",
        )
    return Decision(
        decision_id=decision_id,
        model=model,
        mode="explicit",
        reasons=(f"explicit model override: {model.name}",),
    )
