"""Template filters of the monitoring pages: figures formatted for the active language."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()

DASH = "—"


@register.filter
def figure(value, decimals=None):
    """27.0000 → "27", 6200 → "6,200" (grouped as the language groups), 66.6667 → "66.7"; None → "—".

    At most one decimal unless ``decimals`` says otherwise; a breakdown (a dict) is summed."""
    if value is None or value == "":
        return DASH
    if isinstance(value, dict):
        value = sum((Decimal(str(v)) for v in value.values() if v is not None), Decimal(0))
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    places = 1 if decimals in (None, "") else int(decimals)
    number = number.quantize(Decimal(1).scaleb(-places)) if places else number.quantize(Decimal(1))
    if number == number.to_integral():
        number, places = number.quantize(Decimal(1)), 0
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def with_unit(value, unit):
    text = figure(value)
    if text == DASH or not unit:
        return text
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def percent(rate):
    """A percentage (0–100) as text ("75%"); None → "—"."""
    from govlab.monitoring.charts import percent as as_percent

    return as_percent(rate)
