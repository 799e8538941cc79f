"""Feedback on decisions (POST /api/v1/feedback), and what the router learns from it.

A rating is stored per decision. When the client also says which task type the request really
was and sends its prompt, that becomes a labelled example of the tenant's own: the tenant's task
classifier head is refitted (in Celery) on the shipped exemplars plus its corrections, weighted
more. Other tenants are never affected by one tenant's feedback.
"""

from __future__ import annotations

import io
import uuid

import numpy as np
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.invalidation import publish
from core.tasks import enqueue_on_commit
from finops.selectors import request_record_get
from routing.classifier.head import SoftmaxHead
from routing.classifier.semantic import ExemplarIndex
from routing.classifier.task_classifier import TaskClassifier
from routing.classifier.taxonomy import INDEX, TASK_TYPES
from routing.encoders import shared_encoder, shared_task_classifier
from routing.models import DecisionFeedback, TaskFeedbackExample, TaskHeadArtifact
from tenants.models import Tenant

FEEDBACK_WEIGHT = 3.0
MAX_PROMPT_CHARS = 2000


def feedback_record(
    *, tenant: Tenant, decision_id: uuid.UUID, rating: str, comment: str = "", task_type: str = "", prompt: str = ""
) -> DecisionFeedback:
    record = request_record_get(tenant=tenant, decision_id=decision_id)
    if record is None:
        raise ApplicationError(
            "No such decision for this account.", status=404, code="decision_not_found", param="decision_id"
        )
    if task_type and task_type not in TASK_TYPES:
        raise ApplicationError(f"task_type must be one of: {', '.join(TASK_TYPES)}.", param="task_type")
    if prompt and not task_type:
        raise ApplicationError(
            "A prompt teaches the router only with the task_type it should have had.", param="task_type"
        )
    with transaction.atomic():
        feedback, _ = DecisionFeedback.objects.update_or_create(
            tenant=tenant,
            decision_id=decision_id,
            defaults={"rating": rating, "comment": comment[:2000], "task_type": task_type},
        )
        if task_type and prompt.strip():
            encoder = shared_encoder()
            if encoder is None:
                raise ApplicationError("The embedding model is not available.", status=503, code="encoder_unavailable")
            text = prompt.strip()[:MAX_PROMPT_CHARS]
            TaskFeedbackExample.objects.create(
                tenant=tenant,
                decision_id=decision_id,
                text=text,
                task_type=task_type,
                complexity=record.complexity if record.complexity is not None else 0.5,
                embedding=encoder.embed([text])[0],
            )
            from routing.tasks import refit_task_head_task

            enqueue_on_commit(refit_task_head_task, tenant.pk)
    return feedback


def _feedback_rows(tenant_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(TaskFeedbackExample.objects.for_tenant(tenant_id).values_list("embedding", "task_type", "complexity"))
    if not rows:
        return np.zeros((0, 384), np.float32), np.zeros(0, int), np.zeros(0, np.float32)
    return (
        np.array([np.asarray(v, np.float32) for v, _, _ in rows]),
        np.array([INDEX[t] for _, t, _ in rows]),
        np.array([c for _, _, c in rows], np.float32),
    )


def task_head_refit(*, tenant_id: int) -> TaskHeadArtifact | None:
    """Refit the tenant's head on the exemplars plus its corrections (synchronous; a Celery task runs it)."""
    base = shared_task_classifier().index
    vectors, labels, complexity = _feedback_rows(tenant_id)
    if base is None or not len(labels):
        return None
    index = ExemplarIndex.fit(
        np.concatenate([base.vectors, vectors]),
        np.concatenate([base.labels, labels]),
        len(TASK_TYPES),
        complexity=np.concatenate([base.complexity, complexity]),
        sample_weight=np.concatenate([np.ones(len(base.labels)), np.full(len(labels), FEEDBACK_WEIGHT)]),
    )
    buffer = io.BytesIO()
    np.savez(buffer, weights=index.head.weights, bias=index.head.bias)
    artifact, _ = TaskHeadArtifact.objects.update_or_create(
        tenant_id=tenant_id,
        defaults={
            "weights": buffer.getvalue(),
            "temperature": index.temperature,
            "feedback_examples": len(labels),
            "fitted_at": timezone.now(),
        },
    )
    publish("tenant", tenant_id=tenant_id)
    return artifact


def task_classifier_for(*, tenant_id: int) -> TaskClassifier | None:
    """The tenant's refitted task classifier, or ``None`` when its feedback has not made one."""
    shared = shared_task_classifier()
    artifact = TaskHeadArtifact.objects.for_tenant(tenant_id).first()
    if artifact is None or shared.index is None:
        return None
    vectors, labels, complexity = _feedback_rows(tenant_id)
    arrays = np.load(io.BytesIO(bytes(artifact.weights)))
    base = shared.index
    index = ExemplarIndex(
        np.concatenate([base.vectors, vectors]),
        np.concatenate([base.labels, labels]),
        len(TASK_TYPES),
        SoftmaxHead(arrays["weights"], arrays["bias"]),
        np.concatenate([base.complexity, complexity]),
        artifact.temperature,
    )
    return TaskClassifier(index)
