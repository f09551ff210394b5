"""Periods of a KPI: calendar years or quarters, as dates (inclusive), and their instants in a lab's zone.

A value or a target belongs to one period that matches the KPI's periodicity exactly (1 January →
31 December, or a calendar quarter); ``matching_period`` says which, or None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from .enums import Periodicity


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def key(self) -> str:
        """A stable code: ``2025`` or ``2025-Q2`` (used in exports, the API and snapshot keys)."""
        if self.start.month == 1 and self.end.month == 12:
            return str(self.start.year)
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def bounds(self, zone_name: str = "UTC") -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware instants: midnight at the start, midnight after the end, in the zone."""
        zone = ZoneInfo(zone_name or "UTC")
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end

    def is_future(self, today: dt.date | None = None) -> bool:
        """Has the period not begun yet?"""
        return self.start > (today or timezone.localdate())


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), str(y))


def quarter(y: int, q: int) -> Period:
    if q not in (1, 2, 3, 4):
        raise ValueError(f"No quarter {q}.")
    start = dt.date(y, 3 * q - 2, 1)
    next_start = dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)
    return Period(start, next_start - dt.timedelta(days=1), f"{y} Q{q}")


def _periodicity(kpi_or_periodicity) -> str:
    return getattr(kpi_or_periodicity, "periodicity", kpi_or_periodicity)


def periods_for(kpi_or_periodicity, years) -> list[Period]:
    """Every period of these years for a KPI (or a periodicity), oldest first."""
    periodicity = _periodicity(kpi_or_periodicity)
    out: list[Period] = []
    for y in sorted(years):
        if periodicity == Periodicity.QUARTER:
            out.extend(quarter(y, q) for q in (1, 2, 3, 4))
        else:
            out.append(year(y))
    return out


def period_of(kpi_or_periodicity, day: dt.date) -> Period:
    """The period of this periodicity that contains ``day``."""
    if _periodicity(kpi_or_periodicity) == Periodicity.QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    return year(day.year)


def matching_period(kpi_or_periodicity, start: dt.date, end: dt.date) -> Period | None:
    """The period of this periodicity that is exactly [start, end], or None."""
    if start is None or end is None:
        return None
    period = period_of(kpi_or_periodicity, start)
    return period if (period.start, period.end) == (start, end) else None


def parse_key(key: str) -> Period | None:
    """``2025`` → the year; ``2025-Q2`` → the quarter; anything else → None."""
    try:
        if "-Q" in key:
            y, q = key.split("-Q", 1)
            return quarter(int(y), int(q))
        return year(int(key))
    except (TypeError, ValueError):
        return None


def recent_years(count: int = 5, today: dt.date | None = None) -> list[int]:
    """The last ``count`` calendar years, this one included, oldest first."""
    this = (today or timezone.localdate()).year
    return list(range(this - count + 1, this + 1))
