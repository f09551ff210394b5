"""Server-rendered SVG charts for a pilot's analysis: accessible, and safe under a strict CSP.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>`` (ids unique per
chart), drawn with presentation attributes only (no ``style`` attribute, no ``<style>``, no script), so it
needs no stylesheet and no JavaScript. Colours have at least 3:1 contrast against white, and nothing is
told by colour alone: bars carry their labels and values, series differ by marker shape and dash
pattern, and the baseline and target lines are labelled in text. All text is escaped. Charts are meant
to sit beside a data table holding the same figures; the ``desc`` should summarise what the chart shows.

Numbers and dates are formatted for the active language (``django.utils.formats``).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

__all__ = ["Bar", "Series", "comparison_chart", "timeline_chart"]

WIDTH = 680
MARGIN_LEFT = 76
MARGIN_RIGHT = 156  # room for the labels of the baseline and target lines
LABEL_CHARS = 22  # what fits in that margin at 12 px, per line
LINE_HEIGHT = 14
MARGIN_TOP = 28
PLOT_HEIGHT = 252
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

TEXT = "#1f2937"  # 14.7:1 on white
AXIS = "#374151"  # 10.3:1
GRID = "#e5e7eb"  # decoration only: the tick labels carry the values
ERROR_BAR = "#111827"  # 17.7:1
BASELINE = ("#4b5563", "8 4")  # grey, dashed — 7.6:1
TARGET = ("#9f1239", "3 3")  # dark rose, dotted — 8.3:1
BAR_COLOURS = ["#1d4ed8", "#b45309", "#6d28d9", "#0f766e", "#be185d", "#4d7c0f"]  # each ≥ 5:1 on white
SERIES_STYLES = [  # colour, dash pattern (None = solid), marker
    ("#1d4ed8", None, "circle"),
    ("#c2410c", "8 4", "square"),
    ("#6d28d9", "2 3", "triangle"),
    ("#0f766e", "10 3 2 3", "diamond"),
    ("#be185d", "4 2", "circle-open"),
    ("#4d7c0f", "12 4", "square-open"),
]

_counter = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[datetime.date, float]]


# --- numbers -----------------------------------------------------------------------------------------


def _number(value: float | Decimal | int | None) -> float | None:
    """A finite float, or None for missing and non-finite values."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _format(value: float, decimals: int) -> str:
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # never "-0"
    return formats.number_format(rounded, decimal_pos=decimals)


def format_value(value: float) -> str:
    """A value label: about three significant figures, trailing zeros dropped, localised."""
    magnitude = abs(value)
    if magnitude == 0 or magnitude >= 1000:
        decimals = 0
    elif magnitude >= 100:
        decimals = 1
    elif magnitude >= 1:
        decimals = 2
    else:
        decimals = min(6, 2 - math.floor(math.log10(magnitude)))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _format(value, len(text.split(".")[1]) if "." in text else 0)


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[list[float], int]:
    """Round ticks covering [low, high], steps of 1, 2, 2.5 or 5 times a power of ten; and their decimals."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    exponent = math.floor(math.log10(raw))
    magnitude = 10.0**exponent
    multiple = next(m for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude * (1 + 1e-9))
    step = multiple * magnitude
    decimals = max(0, -exponent + (1 if multiple == 2.5 else 0) - (1 if multiple == 10 else 0))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, decimals) for k in range(first, last + 1)], decimals


# --- SVG pieces --------------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(
    x: float, y: float, content: str, *, anchor: str = "middle", size: int = 12, extra: str = ""
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" fill="{TEXT}"{extra}>'
        f"{escape(content)}</text>"
    )


def _wrap(label: str, width_chars: int, lines: int = 2) -> list[str]:
    """Words of ``label`` in at most ``lines`` lines of about ``width_chars``; the rest elided with "…"."""
    words = label.split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width_chars or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1] + "…"
    return [
        line if len(line) <= width_chars + 1 else line[: max(1, width_chars - 1)] + "…" for line in result
    ]


def _chart_id(title: str) -> str:
    digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    return f"chart-{digest}-{next(_counter)}"


def _open_svg(chart_id: str, height: float, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _empty(chart_id: str, title: str, description: str) -> SafeString:
    height = 140
    parts = _open_svg(chart_id, height, title, description)
    parts.append(
        f'<rect x="1" y="1" width="{WIDTH - 2}" height="{height - 2}" fill="none" stroke="{AXIS}" '
        f'stroke-dasharray="4 4"/>'
    )
    parts.append(_text(WIDTH / 2, height / 2 + 5, _("No observations yet"), size=15))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text above is escaped


class _YScale:
    def __init__(self, values: Iterable[float], top: float, bottom: float, include_zero: bool) -> None:
        values = list(values)
        if include_zero:
            values.append(0.0)
        self.ticks, self.decimals = nice_ticks(min(values), max(values))
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.top, self.bottom = top, bottom

    def __call__(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)


def _y_axis(scale: _YScale, left: float, right: float, unit: str) -> list[str]:
    parts = ['<g class="grid">']
    parts += [
        f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(scale(tick))}" y2="{_n(scale(tick))}" '
        f'stroke="{GRID}" stroke-width="1"/>'
        for tick in scale.ticks
    ]
    parts.append("</g>")
    parts.append('<g class="y-axis">')
    parts += [
        _text(left - 8, scale(tick) + 4, _format(tick, scale.decimals), anchor="end") for tick in scale.ticks
    ]
    parts.append(
        f'<line x1="{_n(left)}" x2="{_n(left)}" y1="{_n(scale.top)}" y2="{_n(scale.bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    if unit:
        middle = (scale.top + scale.bottom) / 2
        parts.append(_text(16, middle, unit, extra=f' transform="rotate(-90 16 {_n(middle)})"'))
    parts.append("</g>")
    return parts


def _reference_lines(
    scale: _YScale, left: float, right: float, unit: str, baseline: float | None, target: float | None
) -> list[str]:
    lines = []
    if baseline is not None:
        lines.append((baseline, _("Baseline: %(value)s") % {"value": _with_unit(baseline, unit)}, BASELINE))
    if target is not None:
        lines.append((target, _("Target: %(value)s") % {"value": _with_unit(target, unit)}, TARGET))
    parts: list[str] = []
    label_ys: list[float] = []
    for value, label, (colour, dash) in lines:
        y = scale(value)
        parts.append(
            f'<line class="reference" x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        # A long label ("Línea de base: 3,2 puntos (1–5)") takes two lines in the right margin.
        wrapped = _wrap(label, LABEL_CHARS)
        label_y = y + 4 - (LINE_HEIGHT / 2 if len(wrapped) > 1 else 0)
        gap = LINE_HEIGHT * (len(wrapped) + 0.2)
        if label_ys and abs(label_y - label_ys[0]) < gap:  # keep the two labels apart
            label_y = label_ys[0] + (gap if label_y >= label_ys[0] else -gap)
        label_ys.append(label_y)
        if len(wrapped) == 1:
            parts.append(_text(right + 8, label_y, label, anchor="start"))
        else:
            spans = "".join(
                f'<tspan x="{_n(right + 8)}" dy="{0 if number == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
                for number, line in enumerate(wrapped)
            )
            parts.append(
                f'<text x="{_n(right + 8)}" y="{_n(label_y)}" text-anchor="start" font-size="12" '
                f'fill="{TEXT}">{spans}</text>'
            )
    return parts


def _with_unit(value: float, unit: str) -> str:
    return f"{format_value(value)} {unit}".strip()


# --- the charts --------------------------------------------------------------------------------------


def comparison_chart(
    *,
    title: str,
    description: str,
    unit: str,
    bars: Sequence[Bar],
    baseline: float | None = None,
    target: float | None = None,
) -> SafeString:
    """Vertical bars (e.g. the arms, or before and after) with error bars for their confidence intervals.

    Bars start at zero (negative values go down), each carries its value as text and its label below;
    a bar without a value says "No data". Optional baseline and target lines are drawn across, labelled.
    """
    chart_id = _chart_id(title)
    baseline, target = _number(baseline), _number(target)
    cleaned = [(bar.label, _number(bar.value), _number(bar.ci_low), _number(bar.ci_high)) for bar in bars]
    values = [number for _label, *numbers in cleaned for number in numbers if number is not None]
    if not any(value is not None for _label, value, _low, _high in cleaned):
        return _empty(chart_id, title, description)
    values += [number for number in (baseline, target) if number is not None]

    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, MARGIN_TOP + PLOT_HEIGHT
    height = bottom + 56
    scale = _YScale(values, top, bottom, include_zero=True)
    zero = scale(0.0)

    parts = _open_svg(chart_id, height, title, description)
    parts += _y_axis(scale, left, right, unit)
    slot = (right - left) / len(cleaned)
    bar_width = min(88.0, slot * 0.6)
    parts.append('<g class="bars">')
    for index, (label, value, low, high) in enumerate(cleaned):
        centre = left + slot * (index + 0.5)
        colour = BAR_COLOURS[index % len(BAR_COLOURS)]
        if value is None:
            parts.append(_text(centre, zero - 6, _("No data")))
        else:
            y = scale(value)
            parts.append(
                f'<rect x="{_n(centre - bar_width / 2)}" y="{_n(min(y, zero))}" width="{_n(bar_width)}" '
                f'height="{_n(max(abs(zero - y), 1.0))}" fill="{colour}"/>'
            )
            peak = trough = value
            if low is not None and high is not None:
                low, high = min(low, high), max(low, high)
                peak, trough = max(value, high), min(value, low)
                y_low, y_high = scale(low), scale(high)
                parts.append(
                    f'<g class="error-bar" stroke="{ERROR_BAR}" stroke-width="1.5">'
                    f'<line x1="{_n(centre)}" x2="{_n(centre)}" y1="{_n(y_low)}" y2="{_n(y_high)}"/>'
                    f'<line x1="{_n(centre - 8)}" x2="{_n(centre + 8)}" y1="{_n(y_low)}" y2="{_n(y_low)}"/>'
                    f'<line x1="{_n(centre - 8)}" x2="{_n(centre + 8)}" y1="{_n(y_high)}" y2="{_n(y_high)}"/>'
                    "</g>"
                )
            # The value above the bar (and its interval), or below it when negative.
            label_y = max(scale(peak) - 6, 12) if value >= 0 else min(scale(trough) + 16, bottom + 14)
            parts.append(_text(centre, label_y, format_value(value), size=13))
        lines = _wrap(label, max(6, int(slot / 7)))
        parts.append(
            f'<text x="{_n(centre)}" y="{_n(bottom + 20)}" text-anchor="middle" font-size="12" fill="{TEXT}">'
            + "".join(
                f'<tspan x="{_n(centre)}" dy="{0 if number == 0 else 15}">{escape(line)}</tspan>'
                for number, line in enumerate(lines)
            )
            + "</text>"
        )
    parts.append("</g>")
    parts.append(
        f'<line class="zero" x1="{_n(left)}" x2="{_n(right)}" y1="{_n(zero)}" y2="{_n(zero)}" '
        f'stroke="{AXIS}" stroke-width="1.5"/>'
    )
    parts += _reference_lines(scale, left, right, unit, baseline, target)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text above is escaped


def _marker(kind: str, x: float, y: float, colour: str, tooltip: str) -> str:
    """A point marker; each series has its own shape, so series differ without colour."""
    tip = f"<title>{escape(tooltip)}</title>"
    filled = f'fill="{colour}" stroke="{colour}" stroke-width="1.5"'
    hollow = f'fill="#ffffff" stroke="{colour}" stroke-width="2"'
    if kind in ("circle", "circle-open"):
        paint = filled if kind == "circle" else hollow
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" {paint}>{tip}</circle>'
    if kind in ("square", "square-open"):
        paint = filled if kind == "square" else hollow
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" {paint}>{tip}</rect>'
    if kind == "triangle":
        points = f"{_n(x)},{_n(y - 5.5)} {_n(x + 5)},{_n(y + 4)} {_n(x - 5)},{_n(y + 4)}"
    else:  # diamond
        points = f"{_n(x)},{_n(y - 5.5)} {_n(x + 5.5)},{_n(y)} {_n(x)},{_n(y + 5.5)} {_n(x - 5.5)},{_n(y)}"
    return f'<polygon points="{points}" {filled}>{tip}</polygon>'


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def date_ticks(start: datetime.date, end: datetime.date) -> tuple[list[datetime.date], str]:
    """Round dates between ``start`` and ``end`` (days, weeks, first days of months or of years), and a
    date format for their labels; at most about seven ticks."""
    span = (end - start).days
    if span <= 14:
        step = 1 if span <= 7 else 2
        return [start + datetime.timedelta(days=d) for d in range(0, span + 1, step)], "j M"
    if span <= 98:
        step = 7 if span <= 49 else 14
        return [start + datetime.timedelta(days=d) for d in range(0, span + 1, step)], "j M"
    if span <= 3 * 366:
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next(m for m in (1, 2, 3, 6, 12) if months / m <= 7)
        first = start if start.day == 1 else _add_months(start, 1)
        ticks = []
        while first <= end:
            ticks.append(first)
            first = _add_months(first, step)
        return ticks, "M Y"
    years = end.year - start.year
    step = next(y for y in (1, 2, 5, 10, 20, 50, 100, 1000) if years / y <= 7)
    first_year = start.year + (0 if (start.month, start.day) == (1, 1) else 1)
    first_year += -first_year % step
    return [datetime.date(year, 1, 1) for year in range(first_year, end.year + 1, step)], "Y"


def timeline_chart(
    *,
    title: str,
    description: str,
    unit: str,
    series: Sequence[Series],
    baseline: float | None = None,
    target: float | None = None,
) -> SafeString:
    """Values over time, one line per series (each with its own marker and dash pattern) and a legend
    that also gives each series' latest value; a missing value (None) breaks the line. Optional baseline
    and target lines are drawn across, labelled."""
    chart_id = _chart_id(title)
    baseline, target = _number(baseline), _number(target)
    cleaned: list[tuple[str, list[tuple[datetime.date, float | None]]]] = [
        (line.label, sorted(((day, _number(value)) for day, value in line.points), key=lambda p: p[0]))
        for line in series
    ]
    values = [value for _label, points in cleaned for _day, value in points if value is not None]
    if not values:
        return _empty(chart_id, title, description)
    days = [day for _label, points in cleaned for day, value in points if value is not None]
    values += [number for number in (baseline, target) if number is not None]

    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, MARGIN_TOP + PLOT_HEIGHT
    legend_top = bottom + 44
    height = legend_top + 22 * len(cleaned) + 6
    scale = _YScale(values, top, bottom, include_zero=False)
    start, end = min(days), max(days)
    if start == end:
        start, end = start - datetime.timedelta(days=1), end + datetime.timedelta(days=1)
    span = (end - start).days
    inset = 12.0  # keep the first and last markers off the axis

    def x_of(day: datetime.date) -> float:
        return left + inset + (day - start).days / span * (right - left - 2 * inset)

    parts = _open_svg(chart_id, height, title, description)
    parts += _y_axis(scale, left, right, unit)
    ticks, date_pattern = date_ticks(start, end)
    parts.append('<g class="x-axis">')
    parts.append(
        f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(bottom)}" y2="{_n(bottom)}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    for tick in ticks:
        x = x_of(tick)
        parts.append(
            f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(bottom)}" y2="{_n(bottom + 5)}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(x, bottom + 20, formats.date_format(tick, date_pattern)))
    parts.append("</g>")
    parts += _reference_lines(scale, left, right, unit, baseline, target)

    for index, (label, points) in enumerate(cleaned):
        colour, dash, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append('<g class="series">')
        segments: list[list[tuple[float, float]]] = [[]]
        for day, value in points:
            if value is None:
                segments.append([])
            else:
                segments[-1].append((x_of(day), scale(value)))
        for segment in segments:
            if len(segment) >= 2:
                coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in segment)
                parts.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f"{dash_attribute}/>"
                )
        for day, value in points:
            if value is not None:
                tooltip = f"{label}, {formats.date_format(day, 'DATE_FORMAT')}: {_with_unit(value, unit)}"
                parts.append(_marker(marker, x_of(day), scale(value), colour, tooltip))
        parts.append("</g>")

        # Legend: a sample of the line with its marker, the label and the latest value.
        y = legend_top + 22 * index
        parts.append(
            f'<line x1="{left}" x2="{left + 36}" y1="{_n(y)}" y2="{_n(y)}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attribute}/>'
        )
        parts.append(_marker(marker, left + 18, y, colour, label))
        latest = [(day, value) for day, value in points if value is not None]
        if latest:
            day, value = latest[-1]
            legend = _("%(series)s (latest: %(value)s on %(date)s)") % {
                "series": label,
                "value": _with_unit(value, unit),
                "date": formats.date_format(day, "DATE_FORMAT"),
            }
        else:
            legend = _("%(series)s (no observations yet)") % {"series": label}
        parts.append(_text(left + 46, y + 4, legend, anchor="start"))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text above is escaped
