"""The catalog seeded by the data migration."""

from __future__ import annotations

from decimal import Decimal

import pytest

from routing.catalog import CatalogCache, catalog_load
from routing.models import LLMModel, Provider

pytestmark = pytest.mark.django_db


def test_about_a_dozen_models_from_six_providers_with_decimal_prices():
    models = LLMModel.objects.select_related("provider")
    assert 12 <= models.count() <= 24
    assert set(Provider.objects.values_list("slug", flat=True)) >= {
        "openai",
        "anthropic",
        "google",
        "deepseek",
        "mistral",
        "groq",
    }
    for model in models:
        assert isinstance(model.input_price_per_mtok, Decimal) and model.input_price_per_mtok > 0
        assert model.output_price_per_mtok >= model.input_price_per_mtok
        assert model.context_window >= 8000 and model.tier in {"economy", "standard", "premium"}
        assert model.price_source.startswith("https://") and model.price_checked_on.year >= 2025


def test_gpt_4o_is_the_one_baseline_at_its_list_price():
    baseline = LLMModel.objects.get(is_baseline=True)
    assert baseline.name == "gpt-4o"
    assert (baseline.input_price_per_mtok, baseline.output_price_per_mtok) == (Decimal("2.5"), Decimal("10"))


def test_an_open_model_on_an_openai_compatible_host_is_listed():
    llama = LLMModel.objects.get(name="llama-3.3-70b")
    assert llama.provider.kind == "openai_compatible" and llama.provider.slug == "groq"


def test_the_snapshot_skips_disabled_models_and_expires():
    LLMModel.objects.filter(name="o3-mini").update(is_active=False)
    catalog = catalog_load()
    assert catalog.get("o3-mini") is None and catalog.baseline.name == "gpt-4o"
    cache = CatalogCache(ttl=-1)
    cache.store(catalog)
    assert cache.current() is None, "a snapshot older than its TTL is reloaded"
