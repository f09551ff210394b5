"""CSV and XLSX exports of a call's applications: exact header, revision answers (never a draft's), file
names, no formula injection."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govlab.calls import services
from govlab.calls.enums import QuestionKind, Stage
from govlab.calls.exports import format_answer, revision_file_ids
from govlab.calls.models import ApplicationRevision
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
    "Items missing for a submission",
    "Name of your solution",
    "Your approach",
    "Indicative price",
    "'=Motto",
    "Pitch deck",
]
PDF = b"%PDF-1.4\n%test\n"


def _start(call, organisation):
    member = OrganisationMembershipFactory(organisation=organisation).user
    application, _created = services.application_start(
        call=call, challenge=call.challenges.get(), organisation=organisation, started_by=member
    )
    return application, member


@pytest.fixture
def exported(open_call, lab_staff, complete_application, solver_member):
    """Three applications: one submitted with a file, one submitted by a hostile organisation whose content
    starts with every character a spreadsheet reads as a formula, and a draft never submitted."""
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        stage=Stage.PROPOSAL,
        key="motto",
        kind=QuestionKind.SHORT_TEXT,
        label={"en": "=Motto"},
    )
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        stage=Stage.PROPOSAL,
        key="pitch_deck",
        kind=QuestionKind.FILE,
        label={"en": "Pitch deck"},
        config={"extensions": ["pdf"], "max_mb": 2},
    )
    # A submitted application: the export shows the submitted revision, not later unsubmitted edits.
    services.application_save(
        application=complete_application,
        saved_by=solver_member,
        answers={**COMPLETE_ANSWERS, "solution_name": "+Human first"},
        declarations=ALL_DECLARATIONS,
    )
    complete_application.refresh_from_db()
    services.application_upload(
        application=complete_application,
        question_key="pitch_deck",
        file=SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=solver_member,
        received_at=timezone.now(),
    )
    complete_application.refresh_from_db()
    revision = services.application_submit(
        application=complete_application, submitted_by=solver_member, received_at=timezone.now()
    )
    complete_application.refresh_from_db()
    services.application_save(
        application=complete_application, saved_by=solver_member, answers={"solution_name": "Changed later"}
    )
    # A hostile organisation's submission, its answers stored as typed.
    hostile, member = _start(
        open_call, OrganisationFactory(name="=cmd|' /C calc'!A0", kind="startup", country="LU")
    )
    services.application_save(
        application=hostile, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
    )
    hostile.refresh_from_db()
    hostile_revision = services.application_submit(
        application=hostile, submitted_by=member, received_at=timezone.now()
    )
    ApplicationRevision.objects.filter(pk=hostile_revision.pk).update(
        answers={"solution_name": "@SUM(1+1)", "approach": "\rReturn", "price": "-5", "motto": "\tTabbed"}
    )
    # A draft never submitted: the lab does not read its answers, not even in an export.
    draft, member = _start(open_call, OrganisationFactory(name="Quiet drafts", kind="startup", country="LU"))
    services.application_save(application=draft, saved_by=member, answers={"solution_name": "Secret plan"})
    services.application_upload(
        application=draft,
        question_key="pitch_deck",
        file=SimpleUploadedFile("secret-deck.pdf", PDF, content_type="application/pdf"),
        uploaded_by=member,
        received_at=timezone.now(),
    )
    for application in (complete_application, hostile, draft):
        application.refresh_from_db()
    return {
        "submitted": complete_application,
        "revision": revision,
        "hostile": hostile,
        "hostile_revision": hostile_revision,
        "draft": draft,
    }


def _expected_rows(open_call, exported):
    submitted, revision, draft = exported["submitted"], exported["revision"], exported["draft"]
    hostile, hostile_revision = exported["hostile"], exported["hostile_revision"]
    challenge = open_call.challenges.get()

    def local(application):
        return timezone.localtime(application.submitted_at, open_call.zone).strftime("%Y-%m-%d %H:%M:%S")

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
            local(submitted),
            revision.receipt_code,
            "Submitted revision 1",
            "",
            "'+Human first",
            COMPLETE_ANSWERS["approach"],
            "45000 EUR",
            "",
            "deck.pdf",
        ],
        hostile.reference: [
            hostile.reference,
            "'=cmd|' /C calc'!A0",
            "LU",
            "Start-up",
            challenge.reference,
            challenge.title["en"],
            "Full proposal",
            "Submitted",
            local(hostile),
            hostile_revision.receipt_code,
            "Submitted revision 1",
            "",
            "'@SUM(1+1)",
            "'\rReturn",
            "'-5 EUR",
            "'\tTabbed",
            "",
        ],
        # Missing: the approach (required) and the declarations; no answer shown.
        draft.reference: [
            draft.reference,
            "Quiet drafts",
            "LU",
            "Start-up",
            challenge.reference,
            challenge.title["en"],
            "Full proposal",
            "Draft",
            "",
            "",
            "Draft, never submitted",
            "2",
            "",
            "",
            "",
            "",
            "",
        ],
    }


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
    # Read back, a carriage return is a line feed or stays one, depending on the XML parser openpyxl
    # finds (lxml keeps it); the quote in front of it is what matters.
    values = [[(cell.value or "").replace("\r", "\n") for cell in row] for row in cells]
    assert values[0] == HEADER
    expected = _expected_rows(open_call, exported)
    expected[exported["hostile"].reference][13] = "'\nReturn"
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


class _File:
    original_name = "working.pdf"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"file": {"id": 7, "name": "deck.pdf", "sha256": "ab" * 32, "size": 15}}, "deck.pdf"),  # a revision
        (7, "working.pdf"),  # the working copy: the file's id
        (8, "8"),  # an id no longer stored
        (None, ""),
    ],
)
def test_format_answer_reads_both_shapes_of_a_file_answer(value, expected):
    assert format_answer(QuestionKind.FILE, {}, value, files={7: _File()}) == expected


def test_revision_file_ids_are_those_a_revision_holds():
    answers = {
        "deck": {"file": {"id": 7, "name": "deck.pdf", "sha256": "ab" * 32, "size": 15}},
        "working_copy_id": 9,
        "text": "12",
        "group": [{"file": {"id": 11}}],
    }
    assert revision_file_ids(answers) == {7}
