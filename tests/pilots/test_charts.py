"""Server-rendered SVG charts: valid, accessible, CSP-safe, escaped, and robust to awkward data."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.safestring import SafeString

from govlab.pilots.charts import (
    Bar,
    Series,
    comparison_chart,
    date_ticks,
    format_value,
    nice_ticks,
    timeline_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "</title><script>alert('x')</script> & \"quoted\" <b>bold</b>"
DAY = datetime.date(2026, 1, 5)


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (our own SVG, parsed in a test)


def texts(svg):
    """Every piece of text drawn (text elements and their tspans), in document order."""
    root = parse(svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def comparison(**overrides):
    arguments = {
        "title": "Waiting time by arm",
        "description": "Mean waiting time per arm with its 95% confidence interval.",
        "unit": "minutes",
        "bars": [Bar("Control", 13.39, 12.61, 14.17), Bar("Treatment", 17.06, 14.12, 20.0)],
        "baseline": 14.0,
        "target": 12.0,
    }
    return comparison_chart(**(arguments | overrides))


def timeline(**overrides):
    arguments = {
        "title": "Cases closed per week",
        "description": "Cases closed each week in both arms.",
        "unit": "cases",
        "series": [
            Series("Control", [(DAY + datetime.timedelta(weeks=w), 10.0 + w % 3) for w in range(6)]),
            Series("Treatment", [(DAY + datetime.timedelta(weeks=w), 12.0 + w) for w in range(6)]),
        ],
        "baseline": 11.0,
        "target": 15.5,
    }
    return timeline_chart(**(arguments | overrides))


def contrast_with_white(colour):
    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


ALL_CHARTS = [
    pytest.param(comparison, id="comparison"),
    pytest.param(timeline, id="timeline"),
    pytest.param(lambda: comparison(bars=[]), id="comparison-empty"),
    pytest.param(lambda: timeline(series=[]), id="timeline-empty"),
]


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_chart_is_valid_accessible_svg(make):
    svg = make()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d+)?", root.get("viewBox"))
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title_id.endswith("-title")
    assert desc_id.endswith("-desc")


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_chart_is_csp_safe(make):
    svg = str(make())
    root = parse(svg)
    for element in root.iter():
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert not any(value.strip().lower().startswith("javascript:") for value in element.attrib.values())


@pytest.mark.parametrize("make", ALL_CHARTS)
def test_graphics_have_enough_contrast_against_white(make):
    root = parse(make())
    grid = {id(line) for group in root.iter(f"{SVG}g") if group.get("class") == "grid" for line in group}
    colours = set()
    for element in root.iter():
        if id(element) in grid:
            continue
        for attribute in ("fill", "stroke"):
            value = element.get(attribute)
            if value and value not in ("none", "#ffffff"):
                colours.add(value)
    assert colours  # something was drawn
    for colour in colours:
        assert contrast_with_white(colour) >= 3.0, colour


def test_hostile_text_is_escaped():
    svg = comparison(
        title=HOSTILE,
        description=HOSTILE,
        unit="<i>u</i>",
        bars=[Bar(HOSTILE, 3.0), Bar("B & C", 4.0)],
    )
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert not list(root.iter(f"{SVG}script"))
    drawn = texts(svg)
    assert "<i>u</i>" in drawn
    assert "B & C" in drawn
    series_svg = timeline(title=HOSTILE, unit="<i>u</i>", series=[Series(HOSTILE, [(DAY, 1.0)])])
    assert "<script>" not in series_svg
    assert parse(series_svg).find(f"{SVG}title").text == HOSTILE


def test_ids_are_unique_across_charts_even_with_the_same_title():
    first, second, third = (
        parse(comparison()),
        parse(comparison()),
        parse(timeline(title="Waiting time by arm")),
    )
    ids = [
        element.get("id") for root in (first, second, third) for element in root.iter() if element.get("id")
    ]
    assert len(ids) == 6
    assert len(set(ids)) == 6


def test_comparison_shows_values_ticks_and_labelled_reference_lines():
    drawn = texts(comparison())
    assert drawn[:5] == ["0", "5", "10", "15", "20"]  # round ticks covering 0 to 20
    assert "minutes" in drawn
    assert "13.39" in drawn
    assert "17.06" in drawn
    assert "Control" in drawn
    assert "Treatment" in drawn
    assert "Baseline: 14 minutes" in drawn
    assert "Target: 12 minutes" in drawn
    root = parse(comparison())
    bars = list(root.iter(f"{SVG}rect"))
    assert len(bars) == 2
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "error-bar"]) == 2
    references = [line for line in root.iter(f"{SVG}line") if line.get("class") == "reference"]
    assert len(references) == 2
    assert references[0].get("stroke-dasharray") != references[1].get("stroke-dasharray")


def test_comparison_bar_heights_follow_the_values():
    root = parse(comparison(bars=[Bar("A", 10.0), Bar("B", 20.0)], baseline=None, target=None))
    first, second = (float(rect.get("height")) for rect in root.iter(f"{SVG}rect"))
    assert second == pytest.approx(2 * first, abs=0.02)


def test_comparison_negative_values_go_below_zero():
    svg = comparison(
        bars=[Bar("Down", -3.5, -6.0, -1.0), Bar("Up", 2.25, -1.0, 5.5)], baseline=None, target=4
    )
    drawn = texts(svg)
    assert drawn[: drawn.index("%") if "%" in drawn else 7] == [
        "-7.5",
        "-5.0",
        "-2.5",
        "0.0",
        "2.5",
        "5.0",
        "7.5",
    ]
    assert "-3.5" in drawn
    assert "2.25" in drawn
    root = parse(svg)
    zero = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "zero")
    down, up = root.iter(f"{SVG}rect")
    assert float(down.get("y")) == pytest.approx(float(zero.get("y1")), abs=0.01)  # hangs from zero
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(float(zero.get("y1")), abs=0.02)


@pytest.mark.parametrize(
    "bars",
    [[], [Bar("A", None), Bar("B", None)], [Bar("A", float("nan"))]],
    ids=["no bars", "all missing", "not a number"],
)
def test_comparison_without_values_says_so(bars):
    svg = comparison(bars=bars)
    assert texts(svg) == ["No observations yet"]
    assert parse(svg).find(f"{SVG}title").text == "Waiting time by arm"


def test_comparison_with_one_missing_value():
    drawn = texts(comparison(bars=[Bar("Before", 8.5), Bar("After", None)]))
    assert "No data" in drawn
    assert "8.5" in drawn
    assert "After" in drawn


def test_comparison_all_zero_and_all_equal_values():
    drawn = texts(comparison(bars=[Bar("A", 0.0), Bar("B", 0.0)], baseline=None, target=None))
    assert drawn.count("0") >= 2  # a zero tick and the values
    assert "No observations yet" not in drawn
    drawn = texts(comparison(bars=[Bar("A", 5.0), Bar("B", 5.0)], baseline=5.0, target=5.0))
    assert drawn.count("5") >= 2
    assert "Baseline: 5 minutes" in drawn
    assert "Target: 5 minutes" in drawn


def test_comparison_accepts_decimals_and_partial_intervals():
    svg = comparison(bars=[Bar("A", Decimal("12.5"), Decimal("11"), None), Bar("B", Decimal("0.4231"))])
    drawn = texts(svg)
    assert "12.5" in drawn
    assert "0.423" in drawn
    assert not [g for g in parse(svg).iter(f"{SVG}g") if g.get("class") == "error-bar"]


def test_long_labels_are_wrapped_and_elided():
    label = "Treatment arm with the new appointment system and reminders by text message"
    root = parse(comparison(bars=[Bar(label, 1.0), Bar("B", 2.0), Bar("C", 3.0)]))
    tspans = [tspan.text for tspan in root.iter(f"{SVG}tspan")]
    assert len(tspans) == 4  # two lines for the long label, one each for B and C
    assert tspans[1].endswith("…")
    assert " ".join(tspans[:2]).rstrip("…") in label


def test_numbers_follow_the_active_language():
    with translation.override("es"):
        drawn = texts(comparison())
    assert "13,39" in drawn
    assert "17,06" in drawn


def test_timeline_shows_dates_values_and_a_legend():
    svg = timeline()
    drawn = texts(svg)
    assert "cases" in drawn
    assert [t for t in drawn if re.fullmatch(r"\d+ \w+", t)] == [
        "5 Jan",
        "12 Jan",
        "19 Jan",
        "26 Jan",
        "2 Feb",
        "9 Feb",
    ]
    assert "Control (latest: 12 cases on Feb. 9, 2026)" in drawn
    assert "Treatment (latest: 17 cases on Feb. 9, 2026)" in drawn
    assert "Baseline: 11 cases" in drawn
    assert "Target: 15.5 cases" in drawn
    root = parse(svg)
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    assert polylines[0].get("stroke-dasharray") != polylines[1].get("stroke-dasharray")
    # Each point carries its value as a tooltip.
    tooltips = [title.text for title in root.iter(f"{SVG}title")][1:]
    assert "Treatment, Jan. 19, 2026: 14 cases" in tooltips


def test_timeline_series_differ_by_marker_shape():
    series = [
        Series(f"S{n}", [(DAY, float(n)), (DAY + datetime.timedelta(days=3), n + 1.0)]) for n in range(4)
    ]
    root = parse(timeline(series=series))
    shapes = [
        [child.tag for child in group if child.tag != f"{SVG}polyline"]
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "series"
    ]
    assert [kinds[0] for kinds in shapes] == [f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon", f"{SVG}polygon"]
    groups = [group for group in root.iter(f"{SVG}g") if group.get("class") == "series"]
    polygons = [group.find(f"{SVG}polygon").get("points") for group in groups[2:]]
    assert len(polygons[0].split()) == 3  # triangle
    assert len(polygons[1].split()) == 4  # diamond


def test_timeline_missing_value_breaks_the_line_and_unsorted_points_are_sorted():
    points = [(DAY + datetime.timedelta(days=d), None if d == 2 else float(d)) for d in (4, 0, 1, 2, 3, 5)]
    root = parse(timeline(series=[Series("Gappy", points)], baseline=None, target=None))
    polylines = list(root.iter(f"{SVG}polyline"))
    assert len(polylines) == 2
    first_xs = [float(point.split(",")[0]) for point in polylines[0].get("points").split()]
    assert first_xs == sorted(first_xs)
    assert len(first_xs) == 2  # days 0 and 1, then the gap at day 2
    assert len(polylines[1].get("points").split()) == 3  # days 3, 4, 5


@pytest.mark.parametrize(
    "series",
    [
        [],
        [Series("Nothing yet", [])],
        [Series("Only gaps", [(DAY, None)])],
    ],
    ids=["no series", "no points", "only missing values"],
)
def test_timeline_without_values_says_so(series):
    assert texts(timeline(series=series)) == ["No observations yet"]


def test_timeline_single_point_and_all_equal_values():
    svg = timeline(series=[Series("Flat", [(DAY, 7.0)])], baseline=7.0, target=None)
    drawn = texts(svg)
    assert "Flat (latest: 7 cases on Jan. 5, 2026)" in drawn
    assert "Baseline: 7 cases" in drawn
    assert len(parse(svg).findall(f".//{SVG}circle")) == 2  # the point and the legend sample
    flat = texts(
        timeline(
            series=[Series("Flat", [(DAY + datetime.timedelta(days=d), 3.0) for d in range(5)])],
            baseline=None,
            target=None,
        )
    )
    assert flat[:7] == ["2.6", "2.8", "3.0", "3.2", "3.4", "cases", "5 Jan"]  # padded around the value
    assert "Flat (latest: 3 cases on Jan. 9, 2026)" in flat


def test_timeline_series_without_values_next_to_one_with_values():
    svg = timeline(
        series=[Series("A", [(DAY, -2.0), (DAY + datetime.timedelta(days=1), 4.0)]), Series("B", [])]
    )
    drawn = texts(svg)
    assert "B (no observations yet)" in drawn
    assert "A (latest: 4 cases on Jan. 6, 2026)" in drawn
    assert drawn[0] == "-5"
    tooltips = [title.text for title in parse(svg).iter(f"{SVG}title")]
    assert "A, Jan. 5, 2026: -2 cases" in tooltips


@pytest.mark.parametrize(
    ("low", "high", "expected", "decimals"),
    [
        (0.0, 17.06, [0, 5, 10, 15, 20], 0),
        (-6.0, 5.5, [-7.5, -5.0, -2.5, 0.0, 2.5, 5.0, 7.5], 1),
        (0.0, 0.42, [0.0, 0.1, 0.2, 0.3, 0.4, 0.5], 1),
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], 1),
        (120.0, 980.0, [0, 200, 400, 600, 800, 1000], 0),
        (5.0, 5.0, [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6], 1),
        (0.0, 0.0, [-1.0, -0.5, 0.0, 0.5, 1.0], 1),
        (1000.0, 1012.0, [1000.0, 1002.5, 1005.0, 1007.5, 1010.0, 1012.5], 1),
    ],
)
def test_nice_ticks(low, high, expected, decimals):
    assert nice_ticks(low, high) == (expected, decimals)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (13.386, "13.39"),
        (17.0, "17"),
        (-3.5, "-3.5"),
        (0.4231, "0.423"),
        (1234.56, "1235"),
        (123.45, "123.5"),
        (0.00041, "0.00041"),
        (-0.0001, "-0.0001"),
        (-0.0000001, "0"),
    ],
)
def test_format_value(value, text):
    assert format_value(value) == text


@pytest.mark.parametrize(
    ("start", "end", "expected", "pattern"),
    [
        (DAY, DAY + datetime.timedelta(days=3), [DAY + datetime.timedelta(days=d) for d in range(4)], "j M"),
        (
            DAY,
            DAY + datetime.timedelta(days=12),
            [DAY + datetime.timedelta(days=d) for d in range(0, 13, 2)],
            "j M",
        ),
        (
            DAY,
            DAY + datetime.timedelta(days=35),
            [DAY + datetime.timedelta(weeks=w) for w in range(6)],
            "j M",
        ),
        (DAY, datetime.date(2026, 6, 20), [datetime.date(2026, m, 1) for m in range(2, 7)], "M Y"),
        (
            datetime.date(2025, 1, 1),
            datetime.date(2026, 12, 31),
            [
                datetime.date(2025, 1, 1),
                datetime.date(2025, 7, 1),
                datetime.date(2026, 1, 1),
                datetime.date(2026, 7, 1),
            ],
            "M Y",
        ),
        (
            datetime.date(2019, 6, 1),
            datetime.date(2026, 3, 1),
            [datetime.date(y, 1, 1) for y in range(2020, 2027)],
            "Y",
        ),
    ],
)
def test_date_ticks(start, end, expected, pattern):
    assert date_ticks(start, end) == (expected, pattern)


def test_a_long_reference_label_takes_two_lines_in_the_margin():
    """ "Línea de base: 3,2 puntos (1–5)" would run off the chart on one line."""
    with translation.override("es"):
        root = parse(comparison(unit="puntos (1–5)", baseline=3.2, target=4))
    labels = [
        [span.text for span in element.iter(f"{SVG}tspan")] or [element.text]
        for element in root.iter(f"{SVG}text")
        if "".join(element.itertext()).startswith(("Línea de base", "Meta"))
    ]
    assert labels == [["Línea de base: 3,2", "puntos (1–5)"], ["Meta: 4 puntos (1–5)"]]
