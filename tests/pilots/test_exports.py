"""Pilot data exports: observations and analysis as CSV, both in one XLSX; text made safe, numbers kept."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govlab.pilots import exports, services
from tests.pilots.conftest import BASELINE, START, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(make_pilot, lab_staff):
    pilot = make_pilot()
    metric = pilot.metrics.get()
    for day, value in enumerate(["12", "13", "11"]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=BASELINE + dt.timedelta(days=day),
            group="before",
            note='=HYPERLINK("http://evil")' if day == 0 else "",
        )
    for day, value in enumerate(["8", "9", "7.5"]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=START + dt.timedelta(days=day),
            group="after",
        )
    return pilot


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_observations_csv(pilot):
    rows = rows_of(exports.observations_csv(pilot))
    assert rows[0][:7] == [
        "Metric",
        "Unit of measure",
        "Unit",
        "Period or arm",
        "Observed on",
        "Value",
        "Note",
    ]
    assert [row[:7] for row in rows[1:]] == [
        ["wait", "minutes", "", "before", "2026-01-05", "12", '\'=HYPERLINK("http://evil")'],
        ["wait", "minutes", "", "before", "2026-01-06", "13", ""],
        ["wait", "minutes", "", "before", "2026-01-07", "11", ""],
        ["wait", "minutes", "", "after", "2026-03-02", "8", ""],
        ["wait", "minutes", "", "after", "2026-03-03", "9", ""],
        ["wait", "minutes", "", "after", "2026-03-04", "7.5", ""],
    ]


def test_analysis_csv_has_the_page_figures(pilot):
    rows = rows_of(exports.analysis_csv(pilot))
    header, row = rows
    data = dict(zip(header, row, strict=True))
    assert data["Metric"] == "wait"
    assert data["Method"] == "Welch's t-test (unequal variances)"
    assert (data["n (A / before)"], data["n (B / after)"]) == ("3", "3")
    assert float(data["Difference (B - A)"]) == pytest.approx(8.1666666667 - 12, abs=1e-9)
    assert data["Target met"] == "No"  # 8.17 minutes, target 8, lower is better
    assert data["Summary"].startswith("“Waiting time”: After: 8.17 minutes; Before: 12.00 minutes")


def test_xlsx_has_both_sheets_with_numbers(pilot):
    workbook = load_workbook(io.BytesIO(exports.pilot_xlsx(pilot)))
    assert workbook.sheetnames == ["Observations", "Analysis"]
    values = [row[5] for row in workbook["Observations"].iter_rows(min_row=2, values_only=True)]
    assert [float(v) for v in values] == [12, 13, 11, 8, 9, 7.5]
    analysis_row = next(workbook["Analysis"].iter_rows(min_row=2, values_only=True))
    assert isinstance(analysis_row[15], float)  # the p-value


def test_the_solver_downloads_and_another_solver_does_not(login, pilot, cohort):
    address = reverse("pilots:export_observations_csv", args=[pilot.pk])
    response = login(member_of(cohort[0])).get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="pilot-{pilot.pk}-observations-')
    assert login(member_of(cohort[1])).get(address).status_code == 404
