"""Monitoring charts: well-formed SVG, labelled (title, desc, role), CSP-safe, escaped, figures in text."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from govlab.monitoring.charts import (
    Point,
    Spread,
    Stage,
    cycle_time_chart,
    funnel_chart,
    histogram_chart,
    kpi_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "</title><script>alert('x')</script> & \"quoted\""


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (our own SVG, parsed in a test)


def texts(svg):
    return ["".join(element.itertext()) for element in parse(svg).iter(f"{SVG}text")]


def charts():
    return {
        "kpi": kpi_chart(
            title="Challenges identified",
            description="Per year, against the target.",
            unit="challenges",
            points=[
                Point("2024", 12, 10),
                Point("2025", Decimal("27"), Decimal("30")),
                Point("2026", None, 35),
            ],
        ),
        "funnel": funnel_chart(
            title="Funnel",
            description="From submitted to implemented.",
            stages=[Stage("Submitted", 40), Stage("Accepted", 30, 75), Stage("Ready", 12, Decimal("40.0"))],
        ),
        "cycle": cycle_time_chart(
            title="Cycle times",
            description="Median days per phase.",
            rows=[Spread("Intake", 12, 8, 20, 14), Spread("Characterisation", Decimal("30.5"), 21, 44, 9)],
        ),
        "histogram": histogram_chart(
            title="Distribution", description="Challenges by days.", buckets=[("0–7", 3), ("8–30", 9)]
        ),
    }


@pytest.mark.parametrize("name", ["kpi", "funnel", "cycle", "histogram"])
def test_each_chart_is_labelled_svg_without_style_or_script(name):
    svg = str(charts()[name])
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert title.text
    assert desc is not None
    assert desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style" not in svg
    assert "<script" not in svg


def test_kpi_chart_writes_values_and_names_the_target():
    drawn = texts(charts()["kpi"])
    assert {"12", "27", "2024", "2025", "2026", "No data", "Target of the period"} <= set(drawn)
    assert len(parse(charts()["kpi"]).findall(f".//{SVG}line[@class='target']")) == 3


def test_funnel_chart_gives_counts_and_conversion_rates_in_text():
    drawn = texts(charts()["funnel"])
    assert "40" in drawn
    assert "30 · 75% of previous" in drawn
    assert "12 · 40% of previous" in drawn
    assert {"Submitted", "Accepted", "Ready"} <= set(drawn)


def test_cycle_time_chart_gives_median_and_quartiles_in_text():
    drawn = texts(charts()["cycle"])
    assert "median 12 days (8–20)" in drawn
    assert "median 30.5 days (21–44)" in drawn


def test_histogram_counts_are_drawn():
    assert {"3", "9", "0–7", "8–30"} <= set(texts(charts()["histogram"]))


def test_empty_charts_say_so():
    for svg in (
        kpi_chart(title="t", description="d", unit="", points=[]),
        kpi_chart(title="t", description="d", unit="", points=[Point("2025", None)]),
        funnel_chart(title="t", description="d", stages=[Stage("Submitted", 0)]),
        cycle_time_chart(title="t", description="d", rows=[Spread("Intake", None)]),
    ):
        assert "No observations yet" in texts(svg)


def test_hostile_text_is_escaped():
    svg = kpi_chart(title=HOSTILE, description=HOSTILE, unit=HOSTILE, points=[Point(HOSTILE, 1, 2)])
    root = parse(svg)
    assert root.find(f"{SVG}title").text == HOSTILE
    assert "<script" not in str(svg)
    svg = funnel_chart(title=HOSTILE, description=HOSTILE, stages=[Stage(HOSTILE, 3)])
    assert "<script" not in str(svg)
    parse(svg)


def test_numbers_follow_the_language():
    with translation.override("fr"):
        drawn = texts(
            cycle_time_chart(title="t", description="d", rows=[Spread("Intake", Decimal("30.5"), 21, 44, 9)])
        )
    assert any("30,5" in text for text in drawn)
