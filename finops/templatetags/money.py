"""Money formatting for templates: Decimal in, dollars out, never through float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def usd(value) -> str:
    """$1,234.56 for amounts from a cent up; four significant decimals below (LLM calls are cheap)."""
    try:
        amount = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == 0:
        return "$0.00"
    if amount >= Decimal("0.01"):
        return f"{sign}${amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return f"{sign}${amount.quantize(Decimal('0.000001'), rounding=ROUND_HALF_UP).normalize():f}"
