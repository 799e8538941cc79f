"""Stage "route": does the request match one of the tenant's own routes (custom intents)?

Runs on the request's single vector, before task-type routing; a request matching no route
falls through to it. The tenant's fitted index is loaded once per process and dropped when the
tenant's routes or examples change (core.invalidation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from routing.classifier.routes import RouteIndex
from routing.pipeline.select import RouteTarget
from routing.selectors import route_index_load, route_targets


@dataclass(frozen=True)
class RouteSnapshot:
    index: RouteIndex | None
    targets: dict[int, tuple[str, str, str]]

    def match(self, vector: np.ndarray | None, text: str) -> RouteTarget | None:
        if self.index is None or vector is None:
            return None
        found = self.index.match(vector, text)
        if found is None or found.route_id not in self.targets:
            return None
        model, tier, mode = self.targets[found.route_id]
        return RouteTarget(found.name, found.score, found.threshold, model, tier, mode)


def route_snapshot(*, tenant_id: int) -> RouteSnapshot:
    """Synchronous: run through ``db_sync``."""
    return RouteSnapshot(index=route_index_load(tenant_id=tenant_id), targets=route_targets(tenant_id=tenant_id))
