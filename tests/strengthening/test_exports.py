"""The attendance and hours exports: exact rows, numbers as numbers, formulas defused, the lab's only."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from govlab.strengthening import exports, services

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture
def recorded(programme, bootcamp, member, other_member, lab_staff, today):
    """Member 1: one person attended 4 h; member 2: absent. Hours: 30 MVP (member 1), 12.5 other (cohort)."""
    organisation = member.application.organisation
    organisation.name = EVIL
    organisation.save(update_fields=["name"])
    first = services.bootcamp_register(bootcamp=bootcamp, member=member, person=member.solver, by=lab_staff)
    second = services.bootcamp_register(
        bootcamp=bootcamp, member=other_member, person=other_member.solver, by=lab_staff
    )
    with freeze_time(bootcamp.ends_at + dt.timedelta(hours=1)):
        services.attendance_record(
            bootcamp=bootcamp,
            by=lab_staff,
            rows=[
                {"registration": first.pk, "attended": True},
                {"registration": second.pk, "attended": False},
            ],
        )
    services.hours_record(
        programme=programme, member=member, by=lab_staff, kind="mvp", hours=30, worked_on=today
    )
    services.hours_record(programme=programme, by=lab_staff, kind="other", hours="12.5", worked_on=today)
    return programme


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_attendance_csv(recorded, bootcamp, member, other_member):
    rows = _rows(exports.attendance_csv(recorded))
    assert rows[0] == [
        "Bootcamp",
        "Starts",
        "Reference",
        "Organisation",
        "Person",
        "E-mail",
        "Attended",
        "Hours",
    ]
    expected = sorted(
        [
            [member.application.reference, "'" + EVIL, "yes", "4.00"],
            [other_member.application.reference, other_member.application.organisation.name, "no", "0.00"],
        ]
    )
    assert [row[2:4] + row[6:] for row in rows[1:]] == expected


def test_hours_xlsx_keeps_numbers(recorded, member, other_member):
    book = load_workbook(io.BytesIO(exports.hours_xlsx(recorded)))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert rows[0] == [
        "Reference",
        "Organisation",
        "Bootcamps",
        "Mentoring",
        "Work sessions",
        "Building the MVP",
        "Other",
        "Total",
    ]
    assert rows[1] == [member.application.reference, "'" + EVIL, 4, 0, 0, 30, 0, 34]
    assert rows[2] == [
        other_member.application.reference,
        other_member.application.organisation.name,
        0,
        0,
        0,
        0,
        0,
        0,
    ]
    assert rows[3] == [None, "Whole cohort (not one solver)", 0, 0, 0, 0, 12.5, 12.5]
    assert rows[4] == [None, "Total", 4, 0, 0, 30, 12.5, 46.5]


def test_hours_csv_totals(recorded):
    rows = _rows(exports.hours_csv(recorded))
    assert rows[-1] == ["", "Total", "4.00", "0.00", "0.00", "30.00", "12.50", "46.50"]


@pytest.mark.parametrize("name", ["export_attendance", "export_hours"])
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_exports_for_the_lab_only(client, login, recorded, lab_staff, member, name, extension):
    url = reverse(f"strengthening:{name}", args=[recorded.call.lab.slug, recorded.call.pk, extension])
    login(member.solver)
    assert client.get(url).status_code == 404
    login(lab_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{extension}"')


def test_export_unknown_format(client, login, recorded, lab_staff):
    login(lab_staff)
    url = reverse("strengthening:export_hours", args=[recorded.call.lab.slug, recorded.call.pk, "pdf"])
    assert client.get(url).status_code == 404
