"""Enqueueing Celery work from request code without making the request depend on the broker."""

from __future__ import annotations

import logging

from django.db import transaction

from core import metrics

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits; a broker outage is logged and counted,
    never raised into the request that asked for the work."""

    def send() -> None:
        try:
            task.delay(*args, **kwargs)
        except Exception:
            metrics.BACKGROUND_SKIPPED.labels(task.name).inc()
            logger.exception("could not enqueue %s; the work is skipped", task.name)

    transaction.on_commit(send)
