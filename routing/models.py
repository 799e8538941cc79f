"""The model catalog: providers and the models they serve, with list prices as Decimal."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from pgvector.django import HnswIndex, VectorField

from tenants.models import TenantOwnedManager


class ProviderKind(models.TextChoices):
    OPENAI_COMPATIBLE = "openai_compatible", "OpenAI-compatible"
    ANTHROPIC = "anthropic", "Anthropic Messages"
    GEMINI = "gemini", "Google Gemini"


class Provider(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=32, choices=ProviderKind.choices)
    base_url = models.URLField(help_text="The provider's public API base URL.")
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tier(models.TextChoices):
    ECONOMY = "economy", "Economy"
    STANDARD = "standard", "Standard"
    PREMIUM = "premium", "Premium"


class LLMModel(models.Model):
    """A model clients can ask for by ``name``; prices are USD per 1M tokens."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(max_length=100, unique=True, help_text="The id clients send as `model`.")
    upstream_name = models.CharField(max_length=150, help_text="The id the provider expects.")
    display_name = models.CharField(max_length=120)
    tier = models.CharField(max_length=16, choices=Tier.choices)
    input_price_per_mtok = models.DecimalField(max_digits=12, decimal_places=6)
    output_price_per_mtok = models.DecimalField(max_digits=12, decimal_places=6)
    context_window = models.PositiveIntegerField()
    max_output_tokens = models.PositiveIntegerField()
    supports_tools = models.BooleanField(default=True)
    supports_json = models.BooleanField(default=True)
    supports_vision = models.BooleanField(default=False)
    supports_streaming = models.BooleanField(default=True)
    ttft_ms = models.PositiveIntegerField(help_text="Typical time to first token (prior, ms).")
    output_tokens_per_second = models.PositiveIntegerField(help_text="Typical decode speed (prior).")
    is_baseline = models.BooleanField(default=False, help_text="Savings are measured against this model.")
    quality = models.JSONField(
        default=dict,
        blank=True,
        help_text="Expected answer quality per task type in [0, 1] (a prior; the quality loop measures it).",
    )
    price_source = models.URLField()
    price_checked_on = models.DateField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["tier", "input_price_per_mtok", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_baseline"], condition=models.Q(is_baseline=True), name="one_baseline_model"
            ),
            models.CheckConstraint(
                condition=models.Q(input_price_per_mtok__gte=Decimal(0), output_price_per_mtok__gte=Decimal(0)),
                name="model_prices_non_negative",
            ),
        ]
        verbose_name = "model"

    def __str__(self) -> str:
        return self.name


class TenantRoute(models.Model):
    """A tenant's named route (custom intent): requests like its examples go to its target."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="routes")
    name = models.SlugField(max_length=60)
    description = models.CharField(max_length=200, blank=True)
    target_model = models.ForeignKey(
        LLMModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Send matching requests to this model…",
    )
    target_tier = models.CharField(max_length=16, choices=Tier.choices, blank=True, help_text="…or to this tier…")
    target_mode = models.CharField(
        max_length=16,
        blank=True,
        choices=[("cost", "Lowest cost"), ("speed", "Lowest latency"), ("quality", "Highest quality")],
        help_text="…or route them with this mode.",
    )
    threshold = models.FloatField(default=0.5, help_text="Fitted from the examples to maximise F1.")
    fitted_f1 = models.FloatField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantOwnedManager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="one_route_name_per_tenant")]

    def __str__(self) -> str:
        return self.name

    @property
    def target_label(self) -> str:
        if self.target_model_id:
            return f"model {self.target_model.name}"
        if self.target_tier:
            return f"tier {self.target_tier}"
        return f"mode {self.target_mode}"


class RouteExample(models.Model):
    """An utterance for a route; without a route it is a negative (must match no route)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    route = models.ForeignKey(TenantRoute, on_delete=models.CASCADE, null=True, blank=True, related_name="examples")
    text = models.TextField()
    embedding = VectorField(dimensions=384)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantOwnedManager()

    class Meta:
        indexes = [models.Index(fields=["tenant", "route"], name="route_example_tenant")]

    def __str__(self) -> str:
        return self.text[:60]


class RouteIndexArtifact(models.Model):
    """A tenant's fitted route index (head weights and thresholds), so gateways load it, not fit it."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    route_ids = models.JSONField(default=list)
    has_negatives = models.BooleanField(default=False)
    weights = models.BinaryField(help_text="npz: vocabularies, IDF weights and coefficients of the head")
    thresholds = models.JSONField(default=list)
    knn_weight = models.FloatField(default=0.0)
    examples = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField()

    objects = TenantOwnedManager()

    def __str__(self) -> str:
        return f"route index of tenant {self.tenant_id}"


class ProviderHealth(models.Model):
    """One health probe of a provider (Celery beat), with deployment credentials."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="probes")
    model_name = models.CharField(max_length=100)
    ok = models.BooleanField()
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["provider", "-checked_at"], name="provider_health_latest")]

    def __str__(self) -> str:
        return f"{self.provider.slug} {'ok' if self.ok else 'failing'} at {self.checked_at:%H:%M:%S}"


class DecisionFeedback(models.Model):
    """A client's verdict on a routed answer (POST /api/v1/feedback)."""

    class Rating(models.TextChoices):
        UP = "up", "Good answer"
        DOWN = "down", "Bad answer"

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    decision_id = models.UUIDField()
    rating = models.CharField(max_length=8, choices=Rating.choices)
    comment = models.TextField(blank=True)
    task_type = models.CharField(max_length=32, blank=True, help_text="The task type the request really was.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantOwnedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "decision_id"], name="one_feedback_per_decision")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.rating}"


class TaskFeedbackExample(models.Model):
    """A request whose task type a client corrected: trains that tenant's task classifier head."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    decision_id = models.UUIDField(null=True, blank=True)
    text = models.TextField()
    task_type = models.CharField(max_length=32)
    complexity = models.FloatField(default=0.5)
    embedding = VectorField(dimensions=384)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantOwnedManager()

    def __str__(self) -> str:
        return f"{self.task_type}: {self.text[:40]}"


class TaskHeadArtifact(models.Model):
    """A tenant's task classifier head, refitted on the exemplars plus its feedback examples."""

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    weights = models.BinaryField()
    temperature = models.FloatField(default=1.0)
    feedback_examples = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField()

    objects = TenantOwnedManager()

    def __str__(self) -> str:
        return f"task head of tenant {self.tenant_id}"


class CacheEntry(models.Model):
    """A stored answer, found again by an exact key (SHA-256) or by meaning (pgvector cosine)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    exact_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical request.")
    semantic_key = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of what must match besides the meaning (model choice, parameters, system prompt).",
    )
    embedding = VectorField(dimensions=384, null=True, blank=True)
    ruleset_version = models.CharField(max_length=32, blank=True, help_text="Shield rules the request passed.")
    requested_model = models.CharField(max_length=120)
    model_name = models.CharField(max_length=100)
    provider = models.CharField(max_length=40)
    simulated = models.BooleanField(default=False)
    end_user = models.CharField(max_length=256, blank=True)
    prompt_preview = models.CharField(max_length=200, blank=True)
    task_type = models.CharField(max_length=32, blank=True)
    response = models.JSONField(help_text="The chat.completion body to replay.")
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=20, decimal_places=10, default=0)
    hits = models.PositiveIntegerField(default=0)
    last_hit_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = TenantOwnedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "exact_hash"], name="one_cache_entry_per_exact_key")]
        indexes = [
            models.Index(
                fields=["tenant", "semantic_key", "ruleset_version", "expires_at"], name="cache_semantic_filter"
            ),
            models.Index(fields=["tenant", "created_at"], name="cache_tenant_age"),
            HnswIndex(
                name="cache_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_name}: {self.prompt_preview[:40]}"


class SecurityEvent(models.Model):
    """Something the shield found in a request: what, how bad, and what it did about it."""

    class Action(models.TextChoices):
        BLOCKED = "blocked", "blocked (HTTP 403)"
        REDACTED = "redacted", "redacted before the provider"
        FLAGGED = "flagged", "flagged, allowed"
        MONITORED = "monitored", "would block; monitor mode allowed it"

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    decision_id = models.UUIDField(db_index=True)
    api_key_prefix = models.CharField(max_length=16, blank=True)
    end_user = models.CharField(max_length=256, blank=True)
    category = models.CharField(max_length=32)
    rule = models.CharField(max_length=64)
    severity = models.CharField(max_length=8, help_text="critical, high, medium or low.")
    action = models.CharField(max_length=12, choices=Action.choices)
    message_index = models.PositiveSmallIntegerField(default=0, help_text="Which message of the request.")
    explanation = models.CharField(max_length=200)
    excerpt = models.CharField(max_length=240, blank=True, help_text="Context around the match, secrets masked.")
    ruleset_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(db_index=True)

    objects = TenantOwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "created_at"], name="security_tenant_time"),
            models.Index(fields=["tenant", "category", "created_at"], name="security_tenant_category"),
        ]

    def __str__(self) -> str:
        return f"{self.severity} {self.category} ({self.action})"
