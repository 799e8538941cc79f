"""The ledger: one row per authenticated API request, and daily roll-ups of it."""

from __future__ import annotations

from django.db import models

from tenants.models import TenantOwnedManager

MONEY = {"max_digits": 20, "decimal_places": 10}


class RequestStatus(models.TextChoices):
    OK = "ok", "OK"
    INVALID_REQUEST = "invalid_request", "Invalid request"
    NOT_FOUND = "not_found", "Unknown model"
    TOO_LARGE = "too_large", "Too large"
    FORBIDDEN = "forbidden", "Forbidden"
    BLOCKED = "blocked", "Blocked by the shield"
    RATE_LIMITED = "rate_limited", "Rate limited"
    UPSTREAM_ERROR = "upstream_error", "Upstream error"
    UPSTREAM_TIMEOUT = "upstream_timeout", "Upstream timeout"
    CLIENT_DISCONNECTED = "client_disconnected", "Client disconnected"
    SERVER_ERROR = "server_error", "Server error"


def ledger_sums() -> dict:
    """The aggregates every ledger report uses (totals, daily series, roll-ups): one definition."""
    from django.db.models import Count, Q, Sum

    return {
        "requests": Count("id"),
        "errors": Count("id", filter=~Q(status=RequestStatus.OK)),
        "input_tokens": Sum("input_tokens"),
        "output_tokens": Sum("output_tokens"),
        "cost_usd": Sum("cost_usd"),
        "baseline_cost_usd": Sum("baseline_cost_usd"),
        "savings_usd": Sum("savings_usd"),
    }


class RequestRecord(models.Model):
    decision_id = models.UUIDField(unique=True)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    api_key = models.ForeignKey("tenants.ApiKey", on_delete=models.SET_NULL, null=True, related_name="+")
    api_key_prefix = models.CharField(max_length=16)
    end_user = models.CharField(max_length=256, blank=True)
    endpoint = models.CharField(max_length=40, default="chat.completions")
    requested_model = models.CharField(max_length=120, blank=True)
    model = models.ForeignKey("routing.LLMModel", on_delete=models.SET_NULL, null=True, related_name="+")
    model_name = models.CharField(max_length=100, blank=True)
    provider = models.CharField(max_length=40, blank=True)
    simulated = models.BooleanField(default=False)
    stream = models.BooleanField(default=False)
    status = models.CharField(max_length=32, choices=RequestStatus.choices)
    http_status = models.PositiveSmallIntegerField()
    error_code = models.CharField(max_length=64, blank=True)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(**MONEY, default=0)
    baseline_cost_usd = models.DecimalField(**MONEY, default=0)
    savings_usd = models.DecimalField(**MONEY, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    upstream_latency_ms = models.PositiveIntegerField(null=True, blank=True)
    ttft_ms = models.PositiveIntegerField(null=True, blank=True)
    task_type = models.CharField(max_length=32, blank=True)
    complexity = models.FloatField(null=True, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    tier_used = models.CharField(max_length=16, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Provider calls made (fallbacks included).")
    cache_outcome = models.CharField(
        max_length=16,
        blank=True,
        help_text="exact or semantic (answered from cache), miss, refresh (Cache-Control: no-cache), skipped or off.",
    )
    cache_similarity = models.FloatField(null=True, blank=True)
    shield_outcome = models.CharField(
        max_length=12, blank=True, help_text="clean, flagged, redacted, monitored, blocked or off."
    )
    decision = models.JSONField(default=dict, blank=True, help_text="Reasons and alternatives of the routing.")
    created_at = models.DateTimeField(db_index=True)

    objects = TenantOwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"], name="ledger_tenant_time"),
            models.Index(fields=["tenant", "end_user", "-created_at"], name="ledger_tenant_user_time"),
            models.Index(fields=["tenant", "api_key", "-created_at"], name="ledger_tenant_key_time"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.status}"


class DailyUsage(models.Model):
    """A day's ledger totals per tenant and model, rebuilt from the ledger by a Celery task."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    model_name = models.CharField(max_length=100, blank=True)
    requests = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    input_tokens = models.BigIntegerField(default=0)
    output_tokens = models.BigIntegerField(default=0)
    cost_usd = models.DecimalField(**MONEY, default=0)
    baseline_cost_usd = models.DecimalField(**MONEY, default=0)
    savings_usd = models.DecimalField(**MONEY, default=0)
    rebuilt_at = models.DateTimeField()

    objects = TenantOwnedManager()

    class Meta:
        ordering = ["day", "model_name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "day", "model_name"], name="one_rollup_per_tenant_day_model")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.model_name or 'no model'}"
