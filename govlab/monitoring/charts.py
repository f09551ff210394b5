"""Server-rendered SVG charts for monitoring: a KPI's values per period against its targets, the funnel,
cycle times (median bars with their interquartile whiskers) and a histogram.

They follow ``govlab.pilots.charts`` (and reuse its pieces): each chart is an ``<svg role="img">``
labelled by its own ``<title>`` and ``<desc>``, drawn with presentation attributes only (no ``style``,
no script: safe under the strict CSP), with text of at least 4.5:1 contrast and marks of at least 3:1
on white. Nothing is told by colour alone: every bar carries its value in text, targets are drawn as a
dotted line *and* named in a legend and in the value labels. All text is escaped. A chart always sits
beside a data table holding the same figures (the templates put it there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from govlab.pilots.charts import (
    AXIS,
    BAR_COLOURS,
    ERROR_BAR,
    GRID,
    MARGIN_TOP,
    TARGET,
    TEXT,
    WIDTH,
    Bar,
    _chart_id,
    _empty,
    _n,
    _number,
    _open_svg,
    _text,
    _wrap,
    _y_axis,
    _YScale,
    comparison_chart,
    format_value,
)

__all__ = ["Point", "Spread", "Stage", "cycle_time_chart", "funnel_chart", "histogram_chart", "kpi_chart"]

BAR = BAR_COLOURS[0]  # blue, 6.7:1 on white
TRACK = "#f3f4f6"  # the funnel's full-width track: decoration only, the counts are in text
PLOT_HEIGHT = 220
LEFT = 76
RIGHT_MARGIN = 24


@dataclass(frozen=True)
class Point:
    """One period of a KPI: its label ("2025", "Q1 2025"), value and target (either may be missing)."""

    label: str
    value: float | Decimal | None
    target: float | Decimal | None = None


@dataclass(frozen=True)
class Stage:
    label: str
    count: int
    rate: float | Decimal | None = None  # conversion from the previous stage, in % (None for the first)


@dataclass(frozen=True)
class Spread:
    """A median with its interquartile range (days), and how many it summarises."""

    label: str
    median: float | Decimal | None
    p25: float | Decimal | None = None
    p75: float | Decimal | None = None
    n: int = 0


def percent(rate: float | Decimal | None) -> str:
    """A percentage (0–100) as text: "75%"; None → "—"."""
    if rate is None:
        return "—"
    return _("%(value)s%%") % {"value": format_value(float(rate))}


def _with_unit(value: float, unit: str) -> str:
    return f"{format_value(value)} {unit}".strip()


def _done(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text is escaped where it is made


def _label_below(x: float, y: float, label: str, width_chars: int) -> str:
    lines = _wrap(label, max(4, width_chars))
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="12" fill="{TEXT}">'
        + "".join(
            f'<tspan x="{_n(x)}" dy="{0 if number == 0 else 15}">{escape(line)}</tspan>'
            for number, line in enumerate(lines)
        )
        + "</text>"
    )


def kpi_chart(*, title: str, description: str, unit: str, points: Sequence[Point]) -> SafeString:
    """One bar per period (its value written above it) and each period's target as a dotted dark-rose
    line across its slot, named in the legend; a period without a value says "No data"."""
    chart_id = _chart_id(title)
    cleaned = [(point.label, _number(point.value), _number(point.target)) for point in points]
    values = [number for _label, *numbers in cleaned for number in numbers if number is not None]
    if not cleaned or not any(value is not None for _label, value, _target in cleaned):
        return _empty(chart_id, title, description)
    has_target = any(target is not None for _label, _value, target in cleaned)
    left, right = LEFT, WIDTH - RIGHT_MARGIN
    top, bottom = MARGIN_TOP, MARGIN_TOP + PLOT_HEIGHT
    legend_y = bottom + 54
    height = legend_y + (16 if has_target else 0)
    scale = _YScale(values, top, bottom, include_zero=True)
    zero = scale(0.0)
    parts = _open_svg(chart_id, height, title, description)
    parts += _y_axis(scale, left, right, unit)
    slot = (right - left) / len(cleaned)
    bar_width = min(72.0, slot * 0.6)
    colour, dash = TARGET
    parts.append('<g class="bars">')
    for index, (label, value, target) in enumerate(cleaned):
        centre = left + slot * (index + 0.5)
        top_of_marks = zero
        if value is None:
            parts.append(_text(centre, zero - 6, _("No data")))
        else:
            y = scale(value)
            top_of_marks = min(y, zero)
            parts.append(
                f'<rect x="{_n(centre - bar_width / 2)}" y="{_n(min(y, zero))}" width="{_n(bar_width)}" '
                f'height="{_n(max(abs(zero - y), 1.0))}" fill="{BAR}"><title>'
                f"{escape(label)}: {escape(_with_unit(value, unit))}</title></rect>"
            )
        if target is not None:
            y_target = scale(target)
            top_of_marks = min(top_of_marks, y_target)
            half = min(slot * 0.45, bar_width / 2 + 10)
            parts.append(
                f'<line class="target" x1="{_n(centre - half)}" x2="{_n(centre + half)}" y1="{_n(y_target)}" '
                f'y2="{_n(y_target)}" stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>'
            )
        if value is not None:
            parts.append(_text(centre, max(top_of_marks - 6, 12), format_value(value), size=13))
        parts.append(_label_below(centre, bottom + 20, label, int(slot / 7)))
    parts.append("</g>")
    parts.append(
        f'<line class="zero" x1="{_n(left)}" x2="{_n(right)}" y1="{_n(zero)}" y2="{_n(zero)}" '
        f'stroke="{AXIS}" stroke-width="1.5"/>'
    )
    if has_target:
        parts.append(
            f'<g class="legend"><line x1="{left}" x2="{left + 36}" y1="{_n(legend_y)}" y2="{_n(legend_y)}" '
            f'stroke="{colour}" stroke-width="3" stroke-dasharray="{dash}"/>'
            + _text(left + 44, legend_y + 4, _("Target of the period"), anchor="start")
            + "</g>"
        )
    return _done(parts)


def funnel_chart(*, title: str, description: str, stages: Sequence[Stage]) -> SafeString:
    """Horizontal bars, one per stage, widest first: each says its count and its conversion from the
    stage before ("42 · 60% of previous")."""
    chart_id = _chart_id(title)
    if not stages or not any(stage.count for stage in stages):
        return _empty(chart_id, title, description)
    label_width = 170
    row = 34
    left, right = label_width, WIDTH - 210
    top = 12
    height = top + row * len(stages) + 8
    largest = max(stage.count for stage in stages) or 1
    parts = _open_svg(chart_id, height, title, description)
    parts.append('<g class="funnel">')
    for index, stage in enumerate(stages):
        y = top + row * index
        width = (right - left) * stage.count / largest
        lines = _wrap(stage.label, 25)
        label_y = y + row / 2 + 4 - (7 if len(lines) > 1 else 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{_n(label_y)}" text-anchor="end" font-size="12" fill="{TEXT}">'
            + "".join(
                f'<tspan x="{label_width - 8}" dy="{0 if number == 0 else 14}">{escape(line)}</tspan>'
                for number, line in enumerate(lines)
            )
            + "</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{_n(y + 5)}" width="{_n(right - left)}" height="{row - 10}" '
            f'fill="{TRACK}"/>'
        )
        if stage.count:
            parts.append(
                f'<rect x="{left}" y="{_n(y + 5)}" width="{_n(max(width, 1.0))}" height="{row - 10}" '
                f'fill="{BAR}"/>'
            )
        text = format_value(stage.count)
        if stage.rate is not None:
            text = _("%(count)s · %(rate)s of previous") % {"count": text, "rate": percent(stage.rate)}
        parts.append(_text(right + 8, y + row / 2 + 4, text, anchor="start"))
    parts.append("</g>")
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{_n(height - 8)}" stroke="{AXIS}" stroke-width="1"/>'
    )
    return _done(parts)


def cycle_time_chart(
    *, title: str, description: str, rows: Sequence[Spread], unit: str | None = None
) -> SafeString:
    """Horizontal median bars, one per state or phase, with whiskers from the 25th to the 75th
    percentile; each row says "median 12 days (8–20)" in text."""
    chart_id = _chart_id(title)
    unit = _("days") if unit is None else unit
    cleaned = [(row.label, _number(row.median), _number(row.p25), _number(row.p75), row.n) for row in rows]
    if not any(median is not None for _label, median, *_rest in cleaned):
        return _empty(chart_id, title, description)
    label_width = 190
    row_height = 34
    left, right = label_width, WIDTH - 190
    top = 12
    axis_y = top + row_height * len(cleaned) + 4
    height = axis_y + 40
    highest = max(number for _label, *numbers, _count in cleaned for number in numbers if number is not None)
    ticks, decimals = _ticks(highest)
    limit = ticks[-1] or 1.0

    def x_of(value: float) -> float:
        return left + (right - left) * value / limit

    parts = _open_svg(chart_id, height, title, description)
    parts.append('<g class="x-axis">')
    for tick in ticks:
        x = x_of(tick)
        parts.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{top}" y2="{_n(axis_y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, axis_y + 16, format_value(tick) if decimals else str(int(tick))))
    parts.append(_text((left + right) / 2, axis_y + 34, unit))
    parts.append(
        f'<line x1="{left}" x2="{right}" y1="{_n(axis_y)}" y2="{_n(axis_y)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append("</g>")
    parts.append('<g class="bars">')
    for index, (label, median, p25, p75, _count) in enumerate(cleaned):
        y = top + row_height * index
        middle = y + row_height / 2
        lines = _wrap(label, 28)
        label_y = middle + 4 - (7 if len(lines) > 1 else 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{_n(label_y)}" text-anchor="end" font-size="12" fill="{TEXT}">'
            + "".join(
                f'<tspan x="{label_width - 8}" dy="{0 if number == 0 else 14}">{escape(line)}</tspan>'
                for number, line in enumerate(lines)
            )
            + "</text>"
        )
        if median is None:
            parts.append(_text(left + 8, middle + 4, _("No data"), anchor="start"))
            continue
        parts.append(
            f'<rect x="{left}" y="{_n(y + 8)}" width="{_n(max(x_of(median) - left, 1.0))}" '
            f'height="{row_height - 16}" fill="{BAR}"/>'
        )
        text = _("median %(median)s") % {"median": _with_unit(median, unit)}
        if p25 is not None and p75 is not None:
            low, high = min(p25, p75), max(p25, p75)
            parts.append(
                f'<g class="whisker" stroke="{ERROR_BAR}" stroke-width="1.5">'
                f'<line x1="{_n(x_of(low))}" x2="{_n(x_of(high))}" y1="{_n(middle)}" y2="{_n(middle)}"/>'
                f'<line x1="{_n(x_of(low))}" x2="{_n(x_of(low))}" y1="{_n(middle - 7)}" '
                f'y2="{_n(middle + 7)}"/>'
                f'<line x1="{_n(x_of(high))}" x2="{_n(x_of(high))}" y1="{_n(middle - 7)}" '
                f'y2="{_n(middle + 7)}"/></g>'
            )
            text += f" ({format_value(low)}–{format_value(high)})"
        parts.append(_text(right + 8, middle + 4, text, anchor="start"))
    parts.append("</g>")
    return _done(parts)


def _ticks(highest: float) -> tuple[list[float], int]:
    from govlab.pilots.charts import nice_ticks

    ticks, decimals = nice_ticks(0.0, max(highest, 1.0), count=5)
    return [tick for tick in ticks if tick >= 0], decimals


def histogram_chart(
    *, title: str, description: str, buckets: Sequence[tuple[str, int]], unit: str = ""
) -> SafeString:
    """Counts per bucket as vertical bars (the pilots' comparison chart, without intervals)."""
    return comparison_chart(
        title=title,
        description=description,
        unit=unit or _("challenges"),
        bars=[Bar(label=str(label), value=count) for label, count in buckets],
    )
