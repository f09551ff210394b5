"""Monitoring exports: every KPI series as CSV (exact rows), the funnel and cycle times as CSV, all in one
XLSX; text made safe, numbers kept numbers; only the lab's team downloads them."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring import exports
from govlab.monitoring.enums import Category, Source
from govlab.monitoring.models import KpiTarget, KpiValue
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(build, mlab):
    build.challenge((S.SUBMITTED, at(2025, 2, 1)), (S.ACCEPTED, at(2025, 3, 3)))
    build.challenge((S.SUBMITTED, at(2025, 4, 1)))
    computed = build.kpi("identified", name={"en": "Challenges identified"}, unit="challenges")
    KpiTarget.objects.create(
        kpi=computed, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31), value=Decimal("5")
    )
    manual = build.kpi(
        "satisfaction",
        name={"en": '=HYPERLINK("http://evil")'},
        source=Source.MANUAL,
        category=Category.IMPACT,
        unit="points",
    )
    KpiValue.objects.create(
        kpi=manual,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=Decimal("7.5000"),
        evidence="Survey of 200 users.",
        evidence_url="https://example.org/survey",
        entered_by=build.user,
    )
    return {"computed": computed, "manual": manual}


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_kpis_csv_rows_are_exact(mlab, data):
    rows = rows_of(exports.kpis_csv(mlab))
    assert rows[0] == [
        "KPI code",
        "KPI",
        "Category",
        "Scope",
        "Source",
        "Unit",
        "Direction",
        "Period",
        "Period starts",
        "Period ends",
        "Group",
        "Value",
        "Target",
        "Evidence",
        "Evidence address",
        "Records counted",
    ]
    body = {(row[0], row[7]): row for row in rows[1:]}
    manual = body[("satisfaction", "2025")]
    assert manual[:13] == [
        "satisfaction",
        '\'=HYPERLINK("http://evil")',
        "Impact",
        "Whole lab",
        "Entered by hand",
        "points",
        "Higher is better",
        "2025",
        "2025-01-01",
        "2025-12-31",
        "",
        "7.5",
        "",
    ]
    assert manual[13:15] == ["Survey of 200 users.", "https://example.org/survey"]
    computed = body[("identified", "2025")]
    assert computed[:13] == [
        "identified",
        "Challenges identified",
        "Results",
        "Whole lab",
        "Computed by govlab",
        "challenges",
        "Higher is better",
        "2025",
        "2025-01-01",
        "2025-12-31",
        "",
        "2",
        "5",
    ]
    assert computed[15].startswith("/")  # the records it counts
    # one row per KPI and year, from the first year with a value or a target to this year
    years = [str(y) for y in range(2025, timezone.localdate().year + 1)]
    assert sorted(key for key in body if key[0] == "identified") == [("identified", y) for y in years]


def test_funnel_csv_has_stages_then_exits(mlab, data):
    rows = rows_of(exports.funnel_csv(mlab, year=2025))
    assert rows[0] == [
        "Stage code",
        "Stage",
        "Count",
        "Share of the previous stage (%)",
        "Share of the first stage (%)",
        "Records",
    ]
    stages = {row[0]: row for row in rows[1:] if row and row[0] and len(row) == 6}
    assert stages["submitted"][2:5] == ["2", "", ""]
    assert stages["accepted"][2:5] == ["1", "50", "50"]
    blank = rows.index([])
    assert rows[blank + 1] == ["Stage code", "Left at", "Reason code", "Reason", "Count"]


def test_cycle_times_csv(mlab, data):
    rows = rows_of(exports.cycle_times_csv(mlab, year=2025))
    assert rows[0][:8] == [
        "Kind",
        "Code",
        "Phase or state",
        "Challenges",
        "Median days",
        "25th percentile",
        "75th percentile",
        "Mean days",
    ]
    phases = [row for row in rows[1:] if row[0] == "Phase"]
    intake = phases[0]
    assert intake[3:5] == ["1", "30.0"]  # 1 Feb → 3 Mar 2025: 30 days from submitted to accepted


def test_xlsx_opens_with_every_sheet_and_numbers(mlab, data):
    workbook = load_workbook(io.BytesIO(exports.lab_xlsx(mlab, year=2025)))
    assert workbook.sheetnames == ["KPIs", "Funnel", "Exits", "Cycle times"]
    rows = list(workbook["KPIs"].iter_rows(values_only=True))
    assert rows[0][0] == "KPI code"
    by_key = {(row[0], row[7]): row for row in rows[1:]}
    assert by_key[("identified", "2025")][11] == 2
    assert by_key[("identified", "2025")][12] == 5
    assert by_key[("satisfaction", "2025")][11] == 7.5
    assert by_key[("satisfaction", "2025")][1] == '\'=HYPERLINK("http://evil")'
    funnel = {row[0]: row for row in workbook["Funnel"].iter_rows(min_row=2, values_only=True)}
    assert funnel["submitted"][2] == 2


def test_downloads_for_the_team_only(login, client, mlab, mstaff, data):
    address = reverse("monitoring:export_csv", args=[mlab.slug])
    response = login(mstaff).get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{mlab.slug}-kpis.csv"'
    response = login(mstaff).get(reverse("monitoring:export_xlsx", args=[mlab.slug]) + "?year=2025")
    assert response["Content-Disposition"] == f'attachment; filename="{mlab.slug}-monitoring-2025.xlsx"'
    load_workbook(io.BytesIO(response.content))
