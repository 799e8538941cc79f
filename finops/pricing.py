"""Money: token usage times list price, in Decimal USD, never float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from routing.catalog import CatalogModel

PER_MILLION = Decimal(1_000_000)
QUANTUM = Decimal("0.0000000001")  # ten decimal places, as stored in the ledger
ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Charge:
    cost_usd: Decimal
    baseline_cost_usd: Decimal

    @property
    def savings_usd(self) -> Decimal:
        return self.baseline_cost_usd - self.cost_usd


def price(model: CatalogModel, *, input_tokens: int, output_tokens: int) -> Decimal:
    raw = Decimal(input_tokens) * model.input_price_per_mtok + Decimal(output_tokens) * model.output_price_per_mtok
    return (raw / PER_MILLION).quantize(QUANTUM, rounding=ROUND_HALF_UP)


def charge(model: CatalogModel | None, baseline: CatalogModel, *, input_tokens: int, output_tokens: int) -> Charge:
    """What the request cost on ``model`` and what the same tokens would have cost on the baseline."""
    if model is None or (input_tokens == 0 and output_tokens == 0):
        return Charge(ZERO, ZERO)
    return Charge(
        cost_usd=price(model, input_tokens=input_tokens, output_tokens=output_tokens),
        baseline_cost_usd=price(baseline, input_tokens=input_tokens, output_tokens=output_tokens),
    )
