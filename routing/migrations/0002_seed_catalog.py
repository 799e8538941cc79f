"""Seed the model catalog with public list prices (USD per 1M tokens).

Prices were copied from each provider's public pricing page (``price_source``) as listed on
``PRICE_DATE``; standard (non-batch, non-cached) input and output rates. Edit them in the admin
or with ``python manage.py catalog_prices``; costs already in the ledger keep the price they
were charged at.
"""

import datetime
from decimal import Decimal

from django.db import migrations

PRICE_DATE = datetime.date(2025, 6, 2)

PROVIDERS = [
    # slug, name, kind, base_url, website
    ("openai", "OpenAI", "openai_compatible", "https://api.openai.com/v1", "https://openai.com/api/pricing/"),
    ("anthropic", "Anthropic", "anthropic", "https://api.anthropic.com", "https://www.anthropic.com/pricing#api"),
    ("google", "Google Gemini", "gemini", "https://generativelanguage.googleapis.com/v1beta",
     "https://ai.google.dev/gemini-api/docs/pricing"),
    ("deepseek", "DeepSeek", "openai_compatible", "https://api.deepseek.com/v1",
     "https://api-docs.deepseek.com/quick_start/pricing"),
    ("mistral", "Mistral AI", "openai_compatible", "https://api.mistral.ai/v1", "https://mistral.ai/pricing#api-pricing"),
    ("groq", "Groq (open models)", "openai_compatible", "https://api.groq.com/openai/v1", "https://groq.com/pricing"),
]

# provider, name, upstream name, display name, tier, input $/1M, output $/1M, context, max output,
# tools, json, vision, ttft ms, output tokens/s
MODELS = [
    ("openai", "gpt-4o", "gpt-4o", "GPT-4o", "premium", "2.50", "10.00", 128000, 16384, 1, 1, 1, 450, 90),
    ("openai", "gpt-4o-mini", "gpt-4o-mini", "GPT-4o mini", "economy", "0.15", "0.60", 128000, 16384, 1, 1, 1, 400, 85),
    ("openai", "gpt-4.1", "gpt-4.1", "GPT-4.1", "premium", "2.00", "8.00", 1047576, 32768, 1, 1, 1, 500, 90),
    ("openai", "gpt-4.1-mini", "gpt-4.1-mini", "GPT-4.1 mini", "economy", "0.40", "1.60", 1047576, 32768, 1, 1, 1,
     400, 80),
    ("openai", "gpt-4.1-nano", "gpt-4.1-nano", "GPT-4.1 nano", "economy", "0.10", "0.40", 1047576, 32768, 1, 1, 1,
     300, 150),
    ("openai", "o3-mini", "o3-mini", "o3-mini (reasoning)", "standard", "1.10", "4.40", 200000, 100000, 1, 1, 0,
     2500, 150),
    ("anthropic", "claude-3-5-haiku", "claude-3-5-haiku-20241022", "Claude 3.5 Haiku", "standard", "0.80", "4.00",
     200000, 8192, 1, 1, 1, 700, 65),
    ("anthropic", "claude-sonnet-4", "claude-sonnet-4-20250514", "Claude Sonnet 4", "premium", "3.00", "15.00",
     200000, 64000, 1, 1, 1, 1200, 60),
    ("anthropic", "claude-opus-4", "claude-opus-4-20250514", "Claude Opus 4", "premium", "15.00", "75.00", 200000,
     32000, 1, 1, 1, 1800, 40),
    ("google", "gemini-2.0-flash", "gemini-2.0-flash", "Gemini 2.0 Flash", "economy", "0.10", "0.40", 1048576, 8192,
     1, 1, 1, 350, 200),
    ("google", "gemini-2.5-flash", "gemini-2.5-flash", "Gemini 2.5 Flash", "economy", "0.30", "2.50", 1048576, 65536,
     1, 1, 1, 600, 200),
    ("google", "gemini-2.5-pro", "gemini-2.5-pro", "Gemini 2.5 Pro", "standard", "1.25", "10.00", 1048576, 65536,
     1, 1, 1, 2000, 130),
    ("deepseek", "deepseek-chat", "deepseek-chat", "DeepSeek-V3", "economy", "0.27", "1.10", 64000, 8192, 1, 1, 0,
     1500, 30),
    ("deepseek", "deepseek-reasoner", "deepseek-reasoner", "DeepSeek-R1", "standard", "0.55", "2.19", 64000, 64000,
     0, 1, 0, 3000, 30),
    ("mistral", "mistral-small", "mistral-small-latest", "Mistral Small 3.1", "economy", "0.10", "0.30", 128000, 8192,
     1, 1, 1, 300, 130),
    ("mistral", "mistral-large", "mistral-large-latest", "Mistral Large 2", "premium", "2.00", "6.00", 128000, 8192,
     1, 1, 0, 500, 50),
    ("groq", "llama-3.3-70b", "llama-3.3-70b-versatile", "Llama 3.3 70B (Groq)", "standard", "0.59", "0.79", 131072,
     32768, 1, 1, 0, 200, 275),
    ("groq", "llama-3.1-8b", "llama-3.1-8b-instant", "Llama 3.1 8B (Groq)", "economy", "0.05", "0.08", 131072, 8192,
     1, 1, 0, 150, 750),
]

BASELINE = "gpt-4o"


def seed(apps, schema_editor):
    Provider = apps.get_model("routing", "Provider")
    LLMModel = apps.get_model("routing", "LLMModel")
    providers = {}
    for slug, name, kind, base_url, website in PROVIDERS:
        providers[slug], _ = Provider.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "base_url": base_url, "website": website}
        )
    for row in MODELS:
        (provider, name, upstream, display, tier, price_in, price_out, context, max_out,
         tools, json_mode, vision, ttft, tps) = row
        LLMModel.objects.update_or_create(
            name=name,
            defaults={
                "provider": providers[provider],
                "upstream_name": upstream,
                "display_name": display,
                "tier": tier,
                "input_price_per_mtok": Decimal(price_in),
                "output_price_per_mtok": Decimal(price_out),
                "context_window": context,
                "max_output_tokens": max_out,
                "supports_tools": bool(tools),
                "supports_json": bool(json_mode),
                "supports_vision": bool(vision),
                "ttft_ms": ttft,
                "output_tokens_per_second": tps,
                "is_baseline": name == BASELINE,
                "price_source": providers[provider].website,
                "price_checked_on": PRICE_DATE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
