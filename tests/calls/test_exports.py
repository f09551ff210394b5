"""CSV and XLSX exports of a call's applications: exact header, revision answers, no formula injection."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govlab.calls import services
from govlab.calls.enums import QuestionKind, Stage
from govlab.calls.exports import safe_cell
from govlab.calls.models import Application
from tests.calls.conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

HEADER = [
    "Reference",
    "Organisation",
    "Country",
    "Organisation kind",
    "Challenge",
    "Challenge title",
    "Stage",
    "Status",
    "Last submitted (Europe/Luxembourg)",
    "Receipt number",
    "Answers from",
    "Name of your solution",
    "Your approach",
    "Indicative price",
    "'=Motto",
]


@pytest.fixture
def exported(open_call, lab_staff, complete_application, solver_member):
    """Two applications whose content starts with every character a spreadsheet reads as a formula."""
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        stage=Stage.PROPOSAL,
        key="motto",
        kind=QuestionKind.SHORT_TEXT,
        label={"en": "=Motto"},
    )
    # A submitted application: the export shows the submitted revision, not later unsubmitted edits.
    services.application_save(
        application=complete_application,
        saved_by=solver_member,
        answers={**COMPLETE_ANSWERS, "solution_name": "+Human first"},
        declarations=ALL_DECLARATIONS,
    )
    complete_application.refresh_from_db()
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    complete_application.refresh_from_db()
    services.application_save(
        application=complete_application, saved_by=solver_member, answers={"solution_name": "Changed later"}
    )
    # A draft by a hostile organisation, its answers stored as typed.
    hostile = OrganisationFactory(name="=cmd|' /C calc'!A0", kind="startup", country="LU")
    member = OrganisationMembershipFactory(organisation=hostile).user
    draft, _created = services.application_start(
        call=open_call, challenge=open_call.challenges.get(), organisation=hostile, started_by=member
    )
    Application.objects.filter(pk=draft.pk).update(
        answers={"solution_name": "@SUM(1+1)", "approach": "\rReturn", "price": "-5", "motto": "\tTabbed"}
    )
    complete_application.refresh_from_db()
    draft.refresh_from_db()
    return {"submitted": complete_application, "revision": revision, "draft": draft}


def _expected_rows(open_call, exported):
    submitted, revision, draft = exported["submitted"], exported["revision"], exported["draft"]
    challenge = open_call.challenges.get()
    local = timezone.localtime(submitted.submitted_at, open_call.zone).strftime("%Y-%m-%d %H:%M:%S")
    return {
        submitted.reference: [
            submitted.reference,
            submitted.organisation.name,
            "LU",
            "Start-up",
            challenge.reference,
            challenge.title["en"],
            "Full proposal",
            "Submitted",
            local,
            revision.receipt_code,
            "Submitted revision 1",
            "'+Human first",
            COMPLETE_ANSWERS["approach"],
            "45000 EUR",
            "",
        ],
        draft.reference: [
            draft.reference,
            "'=cmd|' /C calc'!A0",
            "LU",
            "Start-up",
            challenge.reference,
            challenge.title["en"],
            "Full proposal",
            "Draft",
            "",
            "",
            "Draft, never submitted",
            "'@SUM(1+1)",
            "'\rReturn",
            "'-5 EUR",
            "'\tTabbed",
        ],
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.django_db
def test_csv_export_has_the_exact_header_and_escapes_every_formula(login, lab_staff, open_call, exported):
    response = login(lab_staff).get(reverse("calls:lab_export_csv", args=[open_call.lab.slug, open_call.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{open_call.lab.slug}-{open_call.slug}-proposal-applications.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[0] == HEADER
    assert {row[0]: row for row in rows[1:]} == _expected_rows(open_call, exported)


@pytest.mark.django_db
def test_xlsx_export_holds_the_same_text_cells_and_no_formula(login, lab_staff, open_call, exported):
    response = login(lab_staff).get(reverse("calls:lab_export_xlsx", args=[open_call.lab.slug, open_call.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows()]
    assert all(cell.data_type == "s" for row in cells for cell in row if cell.value is not None)
    values = [[cell.value if cell.value is not None else "" for cell in row] for row in cells]
    assert values[0] == HEADER
    expected = _expected_rows(open_call, exported)
    # XML reads a carriage return back as a line feed; the quote in front of it is what matters.
    expected[exported["draft"].reference][12] = "'\nReturn"
    assert {row[0]: row for row in values[1:]} == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["calls:lab_export_csv", "calls:lab_export_xlsx"])
def test_exports_are_refused_to_solvers_and_other_labs(
    name, login, client, open_call, exported, solver_member, other_lab_staff
):
    url = reverse(name, args=[open_call.lab.slug, open_call.pk])
    assert login(solver_member).get(url).status_code == 404
    assert login(other_lab_staff).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_an_unknown_stage_is_404(login, lab_staff, open_call):
    url = reverse("calls:lab_export_csv", args=[open_call.lab.slug, open_call.pk])
    assert login(lab_staff).get(url, {"stage": "eoi"}).status_code == 404
