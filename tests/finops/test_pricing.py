from decimal import Decimal

from finops.pricing import charge, price
from routing.catalog import CatalogModel


def model(name: str, price_in: str, price_out: str, baseline: bool = False) -> CatalogModel:
    return CatalogModel(
        id=1,
        name=name,
        upstream_name=name,
        display_name=name,
        provider_slug="p",
        provider_name="P",
        provider_kind="openai_compatible",
        provider_base_url="http://x",
        tier="economy",
        input_price_per_mtok=Decimal(price_in),
        output_price_per_mtok=Decimal(price_out),
        context_window=1000,
        max_output_tokens=100,
        supports_tools=True,
        supports_json=True,
        supports_vision=False,
        supports_streaming=True,
        ttft_ms=1,
        output_tokens_per_second=1,
        is_baseline=baseline,
    )


MINI = model("mini", "0.15", "0.60")
GPT4O = model("gpt-4o", "2.50", "10.00", baseline=True)


def test_price_is_tokens_times_list_price_in_exact_decimal():
    assert price(MINI, input_tokens=1_000_000, output_tokens=1_000_000) == Decimal("0.75")
    assert price(MINI, input_tokens=16, output_tokens=16) == Decimal("0.0000120000")
    assert isinstance(price(MINI, input_tokens=1, output_tokens=1), Decimal)


def test_tiny_amounts_keep_ten_decimal_places():
    assert price(MINI, input_tokens=1, output_tokens=0) == Decimal("0.0000001500")


def test_savings_are_baseline_minus_actual():
    bill = charge(MINI, GPT4O, input_tokens=1000, output_tokens=500)
    assert bill.cost_usd == Decimal("0.00045")
    assert bill.baseline_cost_usd == Decimal("0.0075")
    assert bill.savings_usd == Decimal("0.00705")


def test_a_pricier_model_than_the_baseline_has_negative_savings():
    opus = model("opus", "15", "75")
    assert charge(opus, GPT4O, input_tokens=100, output_tokens=100).savings_usd < 0


def test_no_tokens_or_no_model_costs_nothing():
    assert charge(MINI, GPT4O, input_tokens=0, output_tokens=0).cost_usd == 0
    assert charge(None, GPT4O, input_tokens=5, output_tokens=5).baseline_cost_usd == 0
