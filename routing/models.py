"""The model catalog: providers and the models they serve, with list prices as Decimal."""

from __future__ import annotations

from decimal import Decimal

from django.db import models


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
