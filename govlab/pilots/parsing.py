"""Numbers and dates as people type them (forms, API, CSV files)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from govlab.calls.forms_engine import COMMA_THOUSANDS, DECIMAL_COMMA, DOTTED_THOUSANDS

# A value from a spreadsheet may carry more decimals than a form field: up to 6 after a comma, unless it
# reads as thousands ("1,250").
DECIMAL_COMMA_LONG = re.compile(r"^-?\d+,\d{1,6}$")
AMBIGUOUS_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2},\d{3}$")


def parse_decimal(value) -> Decimal | None:
    """A finite Decimal, tolerating a decimal comma ("12,5", "1.250,50") as the calls' forms do; or None.

    "1,250" stays refused (1250 in English, 1.25 in French); "0,125" and "1,2500" are decimals.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not text:
        return None
    if DECIMAL_COMMA.match(text) or (DECIMAL_COMMA_LONG.match(text) and not AMBIGUOUS_THOUSANDS.match(text)):
        text = text.replace(",", ".")
    elif DOTTED_THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif COMMA_THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def parse_date(value) -> dt.date | None:
    """A date from a date or "YYYY-MM-DD"; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
