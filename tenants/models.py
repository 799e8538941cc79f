"""Tenants, their members, API keys, routing policy and provider credentials."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from core.crypto import EncryptedTextField

KEY_PUBLIC_PREFIX = "nr-"


class Tenant(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TenantOwnedQuerySet(models.QuerySet):
    """Every read of tenant data starts here; there is no way to ask for "all tenants"."""

    def for_tenant(self, tenant: Tenant | int) -> TenantOwnedQuerySet:
        tenant_id = tenant if isinstance(tenant, int) else getattr(tenant, "pk", None)
        if not tenant_id:
            raise ValueError("a tenant is required to read tenant-owned data")
        return self.filter(tenant_id=tenant_id)


TenantOwnedManager = models.Manager.from_queryset(TenantOwnedQuerySet)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantOwnedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="one_membership_per_user_tenant")]
        ordering = ["tenant__name"]

    def __str__(self) -> str:
        return f"{self.user} in {self.tenant} ({self.role})"


class NeuralRoutingKeyGenerator(KeyGenerator):
    """The library's prefix.secret keys (SHA-512 at rest) with a recognisable ``nr-`` in front."""

    def generate(self) -> tuple[str, str, str]:
        key, prefix, hashed_key = super().generate()
        return KEY_PUBLIC_PREFIX + key, prefix, hashed_key

    def verify(self, key: str, hashed_key: str) -> bool:
        return super().verify(key.removeprefix(KEY_PUBLIC_PREFIX), hashed_key)


class ApiKeyManager(BaseAPIKeyManager, TenantOwnedManager):
    key_generator = NeuralRoutingKeyGenerator()


class ApiKey(AbstractAPIKey):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        indexes = [models.Index(fields=["tenant", "-created"], name="apikey_tenant_created")]

    @property
    def display_prefix(self) -> str:
        return f"{KEY_PUBLIC_PREFIX}{self.prefix}"


class RoutingMode(models.TextChoices):
    AUTO = "auto", "Auto (cheapest capable)"
    COST = "cost", "Lowest cost"
    SPEED = "speed", "Lowest latency"
    QUALITY = "quality", "Highest quality"
    CUSTOM = "custom", "Custom rules"


class PiiAction(models.TextChoices):
    BLOCK = "block", "Block the request (HTTP 403)"
    REDACT = "redact", "Redact: typed placeholders replace the values"
    ALLOW = "allow", "Allow: send as written (still logged)"


class Policy(models.Model):
    """How a tenant's traffic is routed and limited. One per tenant."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="policy")
    mode = models.CharField(max_length=16, choices=RoutingMode.choices, default=RoutingMode.AUTO)
    default_model = models.ForeignKey(
        "routing.LLMModel",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where `model: auto` goes until the router decides.",
    )
    rate_limit_rpm = models.PositiveIntegerField(
        default=600, help_text="Requests per minute per API key; 0 means unlimited."
    )
    disabled_models = models.ManyToManyField(
        "routing.LLMModel", blank=True, related_name="+", help_text="Models the router must never choose."
    )
    custom_rules = models.JSONField(
        default=list, blank=True, help_text="Ordered rules for mode 'custom' (see routing.pipeline.rules)."
    )
    cognitive_enabled = models.BooleanField(
        default=False, help_text="Ask a cheap router LLM when the classifier is unsure."
    )
    cognitive_threshold = models.FloatField(
        default=0.60, help_text="Classifier confidence below which the router LLM is asked."
    )
    router_model = models.ForeignKey(
        "routing.LLMModel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The model that classifies unsure requests (default: gpt-4o-mini).",
    )
    cache_enabled = models.BooleanField(default=True, help_text="Answer repeated requests from the cache.")
    cache_semantic = models.BooleanField(default=True, help_text="Also answer close paraphrases (cosine).")
    cache_threshold = models.FloatField(default=0.92, help_text="Cosine similarity a paraphrase needs to hit.")
    cache_ttl_seconds = models.PositiveIntegerField(default=86_400, help_text="How long an answer is reused.")
    cache_max_entries = models.PositiveIntegerField(default=10_000, help_text="Oldest answers go beyond this.")
    cache_max_temperature = models.FloatField(
        default=1.0, help_text="Requests sampled hotter than this are neither stored nor answered from cache."
    )
    cache_tool_requests = models.BooleanField(default=False, help_text="Cache requests that carry tools.")
    cache_per_user = models.BooleanField(
        default=False, help_text="Keep each end-user's answers to themselves (per-user context)."
    )
    tool_pruning_top_k = models.PositiveSmallIntegerField(
        default=0, help_text="Keep only the k most relevant tool definitions (0 = off)."
    )
    shield_enabled = models.BooleanField(default=True, help_text="Scan prompts for attacks, secrets and PII.")
    shield_enforce = models.BooleanField(
        default=True, help_text="Block HIGH and CRITICAL attacks with HTTP 403 (off: monitor only, log and allow)."
    )
    shield_semantic = models.BooleanField(
        default=True,
        help_text="Also compare the prompt's vector with written attack and benign examples (catches paraphrases).",
    )
    pii_action = models.CharField(
        max_length=8,
        choices=PiiAction.choices,
        default=PiiAction.REDACT,
        help_text="What happens to personal data and secrets in a prompt before a provider sees it.",
    )
    shield_allowlist = models.JSONField(
        default=list,
        blank=True,
        help_text="False positives to let through: rule ids (pii.email), categories (pii) or exact strings.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantOwnedManager()

    class Meta:
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return f"policy of {self.tenant}"


class ProviderCredential(models.Model):
    """A tenant's own key for a provider (bring your own key), encrypted at rest."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="provider_credentials")
    provider = models.ForeignKey("routing.Provider", on_delete=models.CASCADE, related_name="+")
    api_key = EncryptedTextField()
    base_url = models.URLField(blank=True, help_text="Overrides the provider's base URL (proxies, vLLM, Ollama).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantOwnedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "provider"], name="one_credential_per_tenant_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider} credential of {self.tenant}"
