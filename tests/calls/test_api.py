"""The calls API: a solver's whole journey, the deadline edges, and bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from govlab.audit.models import AuditEntry
from govlab.calls import services
from govlab.calls.enums import ApplicationStatus, CallStatus, QuestionKind
from govlab.calls.models import (
    Application,
    ApplicationFile,
    ApplicationRevision,
    Call,
    DeadlineExtension,
    Enquiry,
    Follow,
    FormQuestion,
)
from govlab.challenges.enums import ChallengeStatus
from govlab.organisations.models import Organisation
from tests.conftest import error
from tests.conftest import patch as json_patch
from tests.conftest import post as json_post
from tests.factories import OrganisationFactory, OrganisationMembershipFactory

from .conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS, CRITERIA

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def add_file_question(call, by, key="plan", extensions=("pdf",), max_mb=1, required=True):
    return services.question_save(
        call=call,
        updated_by=by,
        key=key,
        kind=QuestionKind.FILE,
        label={"en": "Your plan (PDF)"},
        required=required,
        config={"extensions": list(extensions), "max_mb": max_mb},
    )


def state(application=None) -> tuple:
    """Everything a refused request could have changed."""
    rows = list(
        Application.objects.order_by("pk").values_list("pk", "status", "version", "answers", "declarations")
    )
    return (
        rows,
        ApplicationRevision.objects.count(),
        ApplicationFile.objects.count(),
        AuditEntry.objects.count(),
    )


# --- The solver's journey ----------------------------------------------------------------------------


def test_solver_journey_find_ask_start_save_upload_submit_verify_withdraw(
    client, login, open_call, ready_challenge, solver, solver_member, lab_staff, mailoutbox
):
    add_file_question(open_call, lab_staff)
    api = login(solver_member)

    # Find the call.
    listing = api.get(f"{API}/calls/", {"state": "open"})
    assert listing.status_code == 200
    assert [row["id"] for row in listing.json()["results"]] == [open_call.pk]
    row = listing.json()["results"][0]
    assert row["challenges"] == [
        {
            "id": ready_challenge.pk,
            "reference": ready_challenge.reference,
            "title": ready_challenge.title,
            "status": ChallengeStatus.IN_CALL,
        }
    ]
    assert (row["status"], row["time_zone"], row["is_open"]) == ("published", "Europe/Luxembourg", True)
    local_deadline = open_call.deadline.astimezone(open_call.zone)
    assert row["deadline"] == local_deadline.isoformat()
    assert row["deadline"][-6:] in ("+01:00", "+02:00")

    detail = api.get(f"{API}/calls/{open_call.pk}/").json()
    assert detail["eligibility"] == {
        "kinds": [],
        "countries": [],
        "min_trl": None,
        "consortium_allowed": True,
    }
    assert detail["timeline"]["time_zone"] == "Europe/Luxembourg"
    assert detail["timeline"]["deadline"] == local_deadline.isoformat()
    assert [(c["name"], c["weight"]) for c in detail["criteria"]] == [
        ({"en": "Innovation"}, "40.00"),
        ({"en": "Feasibility"}, "35.00"),
        ({"en": "Team"}, "25.00"),
    ]
    assert detail["criteria"][0]["scale"] == CRITERIA[0]["scale"]
    assert list(detail["questions"]) == ["proposal"]
    assert [q["key"] for q in detail["questions"]["proposal"]] == [
        "solution_name",
        "approach",
        "price",
        "plan",
    ]
    assert detail["questions"]["proposal"][1]["config"] == {"max_length": 500}
    assert detail["enquiries"] == []
    assert detail["enquiries_open"] is True

    # Ask a question: private until staff answer and publish it.
    asked = json_post(api, f"{API}/calls/{open_call.pk}/enquiries/", {"question": "May a consortium apply?"})
    assert asked.status_code == 201, asked.content
    enquiry_id = asked.json()["id"]
    assert client.get(f"{API}/calls/{open_call.pk}/enquiries/").json() == []
    answered = json_post(
        login(lab_staff),
        f"{API}/calls/{open_call.pk}/enquiries/{enquiry_id}/answer/",
        {"answer": {"en": "Yes, with up to 20 partners."}},
    )
    # Published only with the question as staff word it (the asker's own words may identify them).
    assert answered.status_code == 400
    assert error(answered)["fields"] == {
        "public_question": [
            "Give the question as it will be published, without anything that identifies the asker."
        ]
    }
    answered = json_post(
        login(lab_staff),
        f"{API}/calls/{open_call.pk}/enquiries/{enquiry_id}/answer/",
        {
            "answer": {"en": "Yes, with up to 20 partners."},
            "public_question": {"en": "May a consortium apply?"},
        },
    )
    assert answered.status_code == 200, answered.content
    client.logout()
    public = client.get(f"{API}/calls/{open_call.pk}/enquiries/").json()
    enquiry = Enquiry.objects.get(pk=enquiry_id)
    assert public == [
        {
            "id": enquiry_id,
            "question": {"en": "May a consortium apply?"},
            "answer": {"en": "Yes, with up to 20 partners."},
            "published_at": public[0]["published_at"],
        }
    ]
    assert enquiry.is_published
    assert enquiry.asked_by == solver_member

    # Start, then start again (a double click): the same application.
    api = login(solver_member)
    start = {"call": open_call.pk, "challenge": ready_challenge.reference, "organisation": solver.pk}
    first = json_post(api, f"{API}/applications/", start)
    assert first.status_code == 201, first.content
    again = json_post(api, f"{API}/applications/", start)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Application.objects.count() == 1
    body = first.json()
    application = Application.objects.get()
    assert (body["reference"], body["status"], body["version"], body["stage"]) == (
        application.reference,
        "draft",
        1,
        "proposal",
    )
    assert body["organisation"] == {"id": solver.pk, "slug": solver.slug, "name": solver.name}
    assert body["call"]["id"] == open_call.pk
    assert body["deadline"] == local_deadline.isoformat()
    url = f"{API}/applications/{application.pk}/"

    # Save answers (autosave), then leave and come back: everything is there.
    saved = json_patch(
        api, url, {"version": 1, "answers": COMPLETE_ANSWERS, "declarations": ALL_DECLARATIONS}
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 2
    assert saved.json()["answer_errors"] == {}
    assert api.get(url).json()["answers"] == COMPLETE_ANSWERS
    cleared = json_patch(api, url, {"version": 2, "answers": {"price": None}})
    assert (cleared.status_code, cleared.json()["version"]) == (200, 3)
    assert cleared.json()["answers"] == {k: v for k, v in COMPLETE_ANSWERS.items() if k != "price"}

    gaps = api.get(f"{url}gaps/").json()
    assert gaps == {"complete": False, "gaps": {"plan": ["This question is required."]}}

    # Upload the plan.
    uploaded = api.post(
        f"{url}files/",
        {"question_key": "plan", "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.content
    file_id = uploaded.json()["id"]
    assert (uploaded.json()["question_key"], uploaded.json()["original_name"], uploaded.json()["size"]) == (
        "plan",
        "plan.pdf",
        len(PDF),
    )
    assert api.get(url).json()["answers"]["plan"] == file_id
    assert api.get(f"{url}gaps/").json() == {"complete": True, "gaps": {}}
    download = api.get(f"{url}files/{file_id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")

    # Submit: a revision with its receipt.
    submitted = json_post(api, f"{url}submit/")
    assert submitted.status_code == 201, submitted.content
    revision = ApplicationRevision.objects.get()
    receipt = submitted.json()
    assert receipt == {
        "number": 1,
        "receipt_code": revision.receipt_code,
        "content_hash": revision.content_hash,
        "received_at": revision.received_at.astimezone(open_call.zone).isoformat(),
        "submitted_at": revision.submitted_at.astimezone(open_call.zone).isoformat(),
        "form_version": revision.form_version,
    }
    assert len(receipt["content_hash"]) == 64
    assert api.get(url).json()["status"] == "submitted"
    # A second click stores nothing more and answers the same receipt.
    again = json_post(api, f"{url}submit/")
    assert (again.status_code, again.json()["receipt_code"]) == (200, revision.receipt_code)
    assert ApplicationRevision.objects.count() == 1
    assert [row["number"] for row in api.get(f"{url}revisions/").json()] == [1]

    # Anyone can verify the receipt; it says nothing of the answers.
    client.logout()
    verified = json_post(
        client,
        f"{API}/receipts/verify/",
        {"receipt_code": receipt["receipt_code"], "content_hash": receipt["content_hash"]},
    )
    assert verified.status_code == 200
    assert verified.json() == {
        "valid": True,
        "call": {
            "id": open_call.pk,
            "slug": open_call.slug,
            "title": open_call.title,
            "lab": open_call.lab.slug,
        },
        "received_at": receipt["received_at"],
        "submitted_at": receipt["submitted_at"],
    }
    assert "Human first" not in verified.content.decode()
    forged = json_post(
        client, f"{API}/receipts/verify/", {"receipt_code": receipt["receipt_code"], "content_hash": "0" * 64}
    )
    assert forged.json() == {"valid": False, "call": None, "received_at": None, "submitted_at": None}

    # The lab sees it.
    staff_list = login(lab_staff).get(f"{API}/applications/", {"call": open_call.pk}).json()
    assert [(row["id"], row["status"]) for row in staff_list["results"]] == [(application.pk, "submitted")]

    # Withdraw; then a submit is refused.
    api = login(solver_member)
    withdrawn = json_post(api, f"{url}withdraw/", {"reason": "We found a partner elsewhere."})
    assert withdrawn.status_code == 200, withdrawn.content
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawal_reason"]) == (
        "withdrawn",
        "We found a partner elsewhere.",
    )
    before = state()
    refused = json_post(api, f"{url}submit/")
    assert refused.status_code == 400
    assert error(refused) == {
        "code": "withdrawn",
        "message": "This application was withdrawn; it can no longer be changed or submitted.",
        "fields": {},
    }
    assert state() == before


# --- Deadline edges ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-1, 201), (0, 400), (1, 400)],
    ids=["one-second-before", "at-the-deadline", "one-second-after"],
)
def test_submit_deadline_edges(offset, expected, login, make_call, ready_challenge, solver, solver_member):
    deadline = (timezone.now() + dt.timedelta(hours=1)).replace(microsecond=0)
    call = make_call(publish=True, deadline=deadline)
    application, _ = services.application_start(
        call=call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    services.application_save(
        application=application,
        saved_by=solver_member,
        answers=COMPLETE_ANSWERS,
        declarations=ALL_DECLARATIONS,
    )
    api = login(solver_member)
    with freeze_time(deadline + dt.timedelta(seconds=offset)):
        response = json_post(api, f"{API}/applications/{application.pk}/submit/")
    assert response.status_code == expected, response.content
    application.refresh_from_db()
    if expected == 201:
        assert (
            response.json()["received_at"]
            == (deadline - dt.timedelta(seconds=1)).astimezone(call.zone).isoformat()
        )
        assert application.status == ApplicationStatus.SUBMITTED
    else:
        body = error(response)
        assert body["code"] == "deadline_passed"
        local = deadline.astimezone(call.zone)
        assert body["message"] == (
            f"The deadline was {local.day} {local:%B %Y, %H:%M} (Europe/Luxembourg); submissions are closed."
        )
        assert body["fields"] == {}
        assert application.status == ApplicationStatus.DRAFT
        assert ApplicationRevision.objects.count() == 0


def test_an_extension_lets_one_organisation_submit_after_the_deadline(
    login, make_call, ready_challenge, solver, solver_member, other_solver, other_solver_member, lab_staff
):
    deadline = (timezone.now() + dt.timedelta(hours=1)).replace(microsecond=0)
    call = make_call(publish=True, deadline=deadline)
    applications = {}
    for organisation, member in ((solver, solver_member), (other_solver, other_solver_member)):
        application, _ = services.application_start(
            call=call, challenge=ready_challenge, organisation=organisation, started_by=member
        )
        services.application_save(
            application=application, saved_by=member, answers=COMPLETE_ANSWERS, declarations=ALL_DECLARATIONS
        )
        applications[organisation.pk] = application
    until = deadline + dt.timedelta(hours=2)
    granted = json_post(
        login(lab_staff),
        f"{API}/calls/{call.pk}/extensions/",
        {"organisation": solver.pk, "until": until.isoformat(), "reason": "Power cut in their building."},
    )
    assert granted.status_code == 201, granted.content
    assert granted.json()["until"] == until.astimezone(call.zone).isoformat()
    assert DeadlineExtension.objects.get().organisation == solver

    with freeze_time(deadline + dt.timedelta(minutes=30)):
        lucky = json_post(login(solver_member), f"{API}/applications/{applications[solver.pk].pk}/submit/")
        late = json_post(
            login(other_solver_member), f"{API}/applications/{applications[other_solver.pk].pk}/submit/"
        )
    assert lucky.status_code == 201, lucky.content
    assert (late.status_code, error(late)["code"]) == (400, "deadline_passed")


# --- Drafts: conflicts, limits, files ------------------------------------------------------------------


def test_two_saves_on_the_same_version_conflict(login, draft_application, solver_member):
    api = login(solver_member)
    url = f"{API}/applications/{draft_application.pk}/"
    first = json_patch(api, url, {"version": 1, "answers": {"solution_name": "First tab"}})
    assert first.status_code == 200
    before = state()
    second = json_patch(api, url, {"version": 1, "answers": {"solution_name": "Second tab"}})
    assert second.status_code == 409
    body = error(second)
    assert (body["code"], body["fields"]) == ("conflict", {})
    assert state() == before
    draft_application.refresh_from_db()
    assert (draft_application.answers, draft_application.version) == ({"solution_name": "First tab"}, 2)
    missing = json_patch(api, url, {"answers": {"solution_name": "No version"}})
    assert (missing.status_code, list(error(missing)["fields"])) == (400, ["version"])


def test_one_megabyte_of_text_is_refused_at_the_field_and_nothing_is_stored(
    login, draft_application, solver_member
):
    api = login(solver_member)
    before = state()
    response = json_patch(
        api,
        f"{API}/applications/{draft_application.pk}/",
        {"version": 1, "answers": {"approach": "x" * 1_000_000, "solution_name": "Kept?"}},
    )
    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid",
        "message": "The request has invalid fields.",
        "fields": {
            "answers.approach": ["This answer is too large to save (over 60000 characters); shorten it."]
        },
    }
    assert state() == before


def test_an_answer_over_its_limit_is_kept_and_reported(login, draft_application, solver_member):
    api = login(solver_member)
    response = json_patch(
        api, f"{API}/applications/{draft_application.pk}/", {"version": 1, "answers": {"approach": "y" * 600}}
    )
    assert response.status_code == 200
    assert response.json()["answer_errors"] == {"approach": ["Keep this to 500 characters; it has 600."]}
    draft_application.refresh_from_db()
    assert draft_application.answers == {"approach": "y" * 600}  # nothing typed is lost
    submit = json_post(api, f"{API}/applications/{draft_application.pk}/submit/")
    body = error(submit)
    assert (submit.status_code, body["code"], body["message"]) == (
        400,
        "incomplete",
        "The application is not complete enough to submit.",
    )
    assert body["fields"]["approach"] == ["Keep this to 500 characters; it has 600."]
    assert body["fields"]["solution_name"] == ["This question is required."]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PNG),
        ("plan.pdf", b"Just some text pretending to be a PDF\n"),
        ("plan.exe", b"MZ\x90\x00"),
    ],
    ids=["png-named-pdf", "text-named-pdf", "exe"],
)
def test_disguised_or_wrong_files_are_refused(
    name, content, login, open_call, draft_application, lab_staff, solver_member
):
    add_file_question(open_call, lab_staff)
    before = state()
    response = login(solver_member).post(
        f"{API}/applications/{draft_application.pk}/files/",
        {"question_key": "plan", "file": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 400, response.content
    body = error(response)
    assert (body["code"], list(body["fields"])) == ("invalid", ["plan"])
    assert state() == before


def test_a_file_over_the_question_limit_is_refused(
    login, open_call, draft_application, lab_staff, solver_member
):
    add_file_question(open_call, lab_staff, max_mb=1)
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = login(solver_member).post(
        f"{API}/applications/{draft_application.pk}/files/", {"question_key": "plan", "file": big}
    )
    assert (response.status_code, list(error(response)["fields"])) == (400, ["plan"])
    assert ApplicationFile.objects.count() == 0


def test_upload_to_a_question_that_is_not_a_file_question(login, draft_application, solver_member):
    response = login(solver_member).post(
        f"{API}/applications/{draft_application.pk}/files/",
        {"question_key": "approach", "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {
        "question_key": ["There is no file question with this key in this form."]
    }


# --- Starting: forged and ineligible organisations -------------------------------------------------------


@pytest.mark.parametrize("which", ["someone_elses", "missing"])
def test_a_forged_organisation_id_is_refused_and_nothing_is_created(
    which, login, open_call, ready_challenge, solver_member, other_solver
):
    organisation_id = other_solver.pk if which == "someone_elses" else 999_999
    before = state()
    response = json_post(
        login(solver_member),
        f"{API}/applications/",
        {"call": open_call.pk, "challenge": ready_challenge.reference, "organisation": organisation_id},
    )
    assert response.status_code == 403
    assert error(response) == {
        "code": "not_member",
        "message": "You may apply only for an organisation you are a member of.",
        "fields": {"organisation": ["You are not a member of this organisation."]},
    }
    assert state() == before


def test_an_ineligible_organisation_is_told_why(login, make_call, ready_challenge, solver, solver_member):
    call = make_call(publish=True, min_trl=7)
    response = json_post(
        login(solver_member),
        f"{API}/applications/",
        {"call": call.pk, "challenge": ready_challenge.reference, "organisation": solver.pk},
    )
    assert response.status_code == 400
    assert error(response) == {
        "code": "not_eligible",
        "message": "This organisation may not apply to this call.",
        "fields": {"organisation": ["This call asks for TRL 7 or more; your profile says 5."]},
    }
    assert Application.objects.count() == 0


def test_a_draft_call_cannot_be_applied_to(login, draft_call, ready_challenge, solver, solver_member):
    response = json_post(
        login(solver_member),
        f"{API}/applications/",
        {"call": draft_call.pk, "challenge": ready_challenge.reference, "organisation": solver.pk},
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {"call": ["No such call open to you."]}
    assert Application.objects.count() == 0


# --- Calls: lab staff -----------------------------------------------------------------------------------


def test_staff_create_a_call_set_the_form_and_publish_it(login, lab, lab_staff, ready_challenge, mailoutbox):
    api = login(lab_staff)
    created = json_post(
        api,
        f"{API}/calls/",
        {
            "lab": lab.slug,
            "slug": "bye-bye-robots",
            "title": {"en": "Bye bye Robots!", "fr": "Au revoir les robots !"},
            "summary": {"en": "Answer citizens without robots."},
            "challenges": [ready_challenge.reference],
            "eligibility": {"kinds": ["startup", "sme"], "countries": ["lu", "FR"], "min_trl": 4},
            "timeline": {"time_zone": "Europe/Luxembourg", "deadline": "2099-03-12T17:00:00"},
            "support": {"currency": "EUR", "pilot_budget": "50000.00", "text": {"en": "Mentoring"}},
            "criteria": CRITERIA,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    call = Call.objects.get(pk=body["id"])
    assert (call.status, call.lab, call.created_by) == (CallStatus.DRAFT, lab, lab_staff)
    # A deadline without an offset is read in the call's time zone (CET in March).
    assert body["timeline"]["deadline"] == "2099-03-12T17:00:00+01:00"
    assert call.deadline == dt.datetime(2099, 3, 12, 16, 0, tzinfo=dt.UTC)
    assert body["eligibility"] == {
        "kinds": ["startup", "sme"],
        "countries": ["FR", "LU"],
        "min_trl": 4,
        "consortium_allowed": True,
    }
    assert body["support"] == {
        "currency": "EUR",
        "strengthening_budget": None,
        "pilot_budget": "50000.00",
        "text": {"en": "Mentoring"},
    }
    assert [c["weight"] for c in body["criteria"]] == ["40.00", "35.00", "25.00"]
    assert call.pilot_budget == Decimal("50000.00")

    url = f"{API}/calls/{call.pk}/"
    refused = json_post(api, f"{url}publish/")
    assert refused.status_code == 400
    assert error(refused) == {
        "code": "not_ready",
        "message": "The call is not ready to be published.",
        "fields": {"questions": ["Add at least one question to the application form."]},
    }
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT

    question = json_post(
        api,
        f"{url}questions/",
        {
            "key": "approach",
            "kind": "long_text",
            "label": {"en": "Your approach"},
            "required": True,
            "config": {"max_length": 2000},
        },
    )
    assert question.status_code == 201, question.content
    assert question.json() == {
        "id": question.json()["id"],
        "stage": "proposal",
        "key": "approach",
        "kind": "long_text",
        "label": {"en": "Your approach"},
        "help_text": {},
        "required": True,
        "identifying": False,
        "config": {"max_length": 2000},
        "position": 1,
    }
    bad = json_post(
        api,
        f"{url}questions/",
        {"kind": "single_choice", "label": {"en": "Pick"}, "config": {"choices": ["a"]}},
    )
    assert (bad.status_code, error(bad)["fields"]) == (
        400,
        {"config.choices": ["Give at least two choices."]},
    )

    changed = json_patch(api, f"{url}questions/{question.json()['id']}/", {"required": False})
    assert (changed.status_code, changed.json()["required"]) == (200, False)

    criteria = api.put(
        f"{url}criteria/",
        {"criteria": [{"name": {"en": "Impact"}, "weight": "100", "scale": CRITERIA[0]["scale"]}]},
        content_type="application/json",
    )
    assert criteria.status_code == 200, criteria.content
    assert [(c["name"], c["weight"]) for c in criteria.json()] == [({"en": "Impact"}, "100.00")]

    published = json_post(api, f"{url}publish/")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.IN_CALL

    update = json_patch(api, url, {"title": {"en": "Bye bye Robots! (2099)"}})
    assert (update.status_code, update.json()["title"]) == (200, {"en": "Bye bye Robots! (2099)"})

    cancelled = json_post(api, f"{url}cancel/", {"reason": "The ministry withdrew the budget."})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")


def test_staff_create_refuses_bad_input_and_changes_nothing(login, lab, lab_staff, other_lab):
    api = login(lab_staff)
    before = (Call.objects.count(), AuditEntry.objects.count())
    response = json_post(
        api,
        f"{API}/calls/",
        {
            "lab": lab.slug,
            "slug": "x",
            "title": {"xx": "Nope"},
            "summary": {"en": "S"},
            "challenges": ["NOPE-1"],
            "timeline": {"time_zone": "Mars/Olympus", "deadline": "2099-01-01T00:00:00Z"},
        },
    )
    assert response.status_code == 400
    assert sorted(error(response)["fields"]) == ["timeline.time_zone", "title"]
    missing = json_post(
        api, f"{API}/calls/", {"lab": lab.slug, "slug": "x", "title": {"en": "T"}, "summary": {"en": "S"}}
    )
    assert error(missing)["fields"] == {"timeline.deadline": ["Give the submission deadline."]}
    elsewhere = json_post(
        api,
        f"{API}/calls/",
        {
            "lab": other_lab.slug,
            "slug": "x",
            "title": {"en": "T"},
            "summary": {"en": "S"},
            "timeline": {"deadline": "2099-01-01T00:00:00Z"},
        },
    )
    assert elsewhere.status_code == 403
    assert (Call.objects.count(), AuditEntry.objects.count()) == before


def test_call_list_filters_and_visibility(
    client, login, make_call, lab, lab_staff, other_lab_staff, make_ready_challenge
):
    open_call = make_call(publish=True, slug="open-one")
    draft = make_call(slug="draft-one", challenges=[make_ready_challenge()])
    closing = make_call(publish=True, slug="closing", challenges=[make_ready_challenge()])
    Call.objects.filter(pk=closing.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    later = make_call(
        publish=True,
        slug="later",
        challenges=[make_ready_challenge()],
        publishes_at=timezone.now() + dt.timedelta(days=3),
    )

    def ids(api, **params):
        response = api.get(f"{API}/calls/", params)
        assert response.status_code == 200, response.content
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(client) == sorted([open_call.pk, closing.pk])
    assert ids(client, state="open") == [open_call.pk]
    assert ids(client, state="closed") == [closing.pk]
    assert ids(client, state="upcoming") == []
    assert ids(client, q="robots") == sorted([open_call.pk, closing.pk])
    assert ids(client, q="closing") == [closing.pk]
    assert ids(client, lab=lab.slug) == sorted([open_call.pk, closing.pk])
    assert ids(client, lab="nowhere") == []
    assert client.get(f"{API}/calls/{draft.pk}/").status_code == 404
    assert client.get(f"{API}/calls/{later.pk}/").status_code == 404
    staff = login(lab_staff)
    assert ids(staff) == sorted([open_call.pk, draft.pk, closing.pk, later.pk])
    assert ids(staff, state="upcoming") == [later.pk]

    assert error(client.get(f"{API}/calls/", {"state": "soon"}))["fields"] == {
        "state": ["Choose one of: open, upcoming, closed."]
    }
    assert staff.get(f"{API}/calls/{draft.pk}/").status_code == 200
    outsider = login(other_lab_staff)
    assert ids(outsider) == sorted([open_call.pk, closing.pk])
    assert outsider.get(f"{API}/calls/{draft.pk}/").status_code == 404


def test_staff_see_every_enquiry_others_only_published(
    login, open_call, lab_staff, solver_member, other_solver_member
):
    services.enquiry_ask(call=open_call, asked_by=solver_member, question="Is the pilot paid?")
    rows = login(lab_staff).get(f"{API}/calls/{open_call.pk}/enquiries/").json()
    assert [(row["asked_question"], row["is_published"]) for row in rows] == [("Is the pilot paid?", False)]
    assert login(other_solver_member).get(f"{API}/calls/{open_call.pk}/enquiries/").json() == []
    refused = json_post(
        login(solver_member),
        f"{API}/calls/{open_call.pk}/enquiries/{rows[0]['id']}/answer/",
        {"answer": {"en": "x"}},
    )
    assert refused.status_code == 403
    assert Enquiry.objects.get().answer == {}


CALL_STAFF_ENDPOINTS = {
    "update": ("patch", "", {"summary": {"en": "New summary"}}),
    "publish": ("post", "publish/", None),
    "cancel": ("post", "cancel/", {"reason": "No budget"}),
    "question_add": ("post", "questions/", {"kind": "yes_no", "label": {"en": "Open source?"}}),
    "extensions": ("get", "extensions/", None),
}


@pytest.mark.parametrize("role", ["anonymous", "solver", "other_lab_staff", "staff"])
@pytest.mark.parametrize("endpoint", list(CALL_STAFF_ENDPOINTS))
def test_call_staff_endpoints_role_matrix(
    endpoint, role, client, login, draft_call, lab_staff, other_lab_staff, solver_member
):
    method, path, payload = CALL_STAFF_ENDPOINTS[endpoint]
    user = {"solver": solver_member, "other_lab_staff": other_lab_staff, "staff": lab_staff}.get(role)
    api = login(user) if user else client
    # The draft is visible to the lab's staff only: everyone else gets 404 (401 for writes signed out).
    expected = {"anonymous": 401 if method != "get" else 404, "solver": 404, "other_lab_staff": 404}
    before = (
        list(Call.objects.values_list("status", "summary")),
        FormQuestion.objects.count(),
        AuditEntry.objects.count(),
    )
    url = f"{API}/calls/{draft_call.pk}/{path}"
    response = (
        api.get(url)
        if method == "get"
        else getattr(api, method)(url, payload or {}, content_type="application/json")
    )
    if role == "staff":
        assert response.status_code < 300 or error(response)["code"] in ("not_ready",), response.content
    else:
        assert response.status_code == expected[role], response.content
        after = (
            list(Call.objects.values_list("status", "summary")),
            FormQuestion.objects.count(),
            AuditEntry.objects.count(),
        )
        assert after == before


def test_solver_may_see_a_published_call_but_not_change_it(login, open_call, solver_member):
    api = login(solver_member)
    assert api.get(f"{API}/calls/{open_call.pk}/").status_code == 200
    response = json_patch(api, f"{API}/calls/{open_call.pk}/", {"summary": {"en": "Mine now"}})
    assert response.status_code == 403
    assert error(response)["code"] == "permission_denied"


# --- Follows, organisations ------------------------------------------------------------------------------


def test_follows_are_personal(client, login, lab, solver_member, other_solver_member, ready_challenge):
    api = login(solver_member)
    created = json_post(api, f"{API}/follows/", {"kind": "lab", "target": lab.slug})
    assert created.status_code == 201, created.content
    assert {k: created.json()[k] for k in ("kind", "target")} == {"kind": "lab", "target": lab.slug}
    again = json_post(api, f"{API}/follows/", {"kind": "lab", "target": lab.slug})
    assert again.json()["id"] == created.json()["id"]
    assert Follow.objects.count() == 1
    unknown = json_post(api, f"{API}/follows/", {"kind": "sector", "target": "no-such-sector"})
    assert error(unknown)["fields"] == {"target": ["Nothing of this kind has this name."]}
    follow_id = created.json()["id"]
    other = login(other_solver_member)
    assert other.get(f"{API}/follows/").json()["results"] == []
    assert other.delete(f"{API}/follows/{follow_id}/").status_code == 404
    api = login(solver_member)
    assert [row["id"] for row in api.get(f"{API}/follows/").json()["results"]] == [follow_id]
    assert api.delete(f"{API}/follows/{follow_id}/").status_code == 204
    assert Follow.objects.count() == 0
    client.logout()
    assert client.get(f"{API}/follows/").status_code == 401


def test_solver_profile_fields_and_trl_filter_in_the_organisations_api(client):
    low = OrganisationFactory(slug="low", trl=3, main_solution={"en": "Chatbot"}, interests={"en": "Health"})
    high = OrganisationFactory(slug="high", kind="research", trl=8)
    OrganisationFactory(slug="none", kind="ngo")
    row = client.get(f"{API}/organisations/{low.slug}/").json()
    assert (row["trl"], row["main_solution"], row["interests"]) == (3, {"en": "Chatbot"}, {"en": "Health"})
    slugs = [r["slug"] for r in client.get(f"{API}/organisations/", {"trl_min": 5}).json()["results"]]
    assert slugs == [high.slug]
    slugs = [
        r["slug"]
        for r in client.get(f"{API}/organisations/", {"trl_min": 3, "kind": "startup"}).json()["results"]
    ]
    assert slugs == [low.slug]
    assert error(client.get(f"{API}/organisations/", {"trl_min": 12}))["fields"] == {
        "trl_min": ["Give a TRL from 1 to 9."]
    }


def test_organisation_admin_sets_the_solver_profile_through_the_api(login, solver, solver_member):
    response = json_patch(
        login(solver_member),
        f"{API}/organisations/{solver.slug}/",
        {
            "trl": 6,
            "main_solution": {"en": "Voice assistant for town halls"},
            "interests": {"en": "Citizen services"},
        },
    )
    assert response.status_code == 200, response.content
    solver.refresh_from_db()
    assert (solver.trl, solver.main_solution) == (6, {"en": "Voice assistant for town halls"})
    bad = json_patch(login(solver_member), f"{API}/organisations/{solver.slug}/", {"trl": 10})
    assert (bad.status_code, list(error(bad)["fields"])) == (400, ["trl"])
    assert Organisation.objects.get(pk=solver.pk).trl == 6


# --- Schema, query counts -----------------------------------------------------------------------------


def test_schema_holds_the_calls_and_applications_paths(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/calls/",
        "/api/v1/calls/{id}/",
        "/api/v1/calls/{id}/publish/",
        "/api/v1/calls/{id}/enquiries/",
        "/api/v1/applications/",
        "/api/v1/applications/{id}/",
        "/api/v1/applications/{id}/files/",
        "/api/v1/applications/{id}/submit/",
        "/api/v1/applications/{id}/withdraw/",
        "/api/v1/applications/{id}/revisions/",
        "/api/v1/applications/{id}/gaps/",
        "/api/v1/receipts/verify/",
        "/api/v1/follows/",
    ):
        assert path in paths, path
    assert {"get", "patch"} <= set(paths["/api/v1/applications/{id}/"])
    assert {"get", "post", "patch", "put"} & set(paths["/api/v1/applications/{id}/submit/"]) == {"post"}


def test_docs_page_lists_the_calls_operations(client):
    html = client.get("/api/docs/").content.decode()
    for operation in (
        "GET /api/v1/calls/",
        "POST /api/v1/applications/",
        "POST /api/v1/applications/{id}/submit/",
        "POST /api/v1/receipts/verify/",
    ):
        assert operation in html, operation


def test_schema_generates_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert warnings == []


@pytest.mark.parametrize("count", [1, 4])
def test_call_list_query_count_is_flat(
    count, client, login, lab_staff, make_call, make_ready_challenge, django_assert_num_queries
):
    for index in range(count):
        make_call(
            publish=True, slug=f"call-{index}", challenges=[make_ready_challenge(), make_ready_challenge()]
        )
    with django_assert_num_queries(3):  # count, page, challenges
        response = client.get(f"{API}/calls/")
    assert response.json()["count"] == count
    staff = login(lab_staff)
    staff.get(f"{API}/calls/")
    with django_assert_num_queries(6):  # session, user, lab roles, count, page, challenges
        response = staff.get(f"{API}/calls/")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 4])
def test_application_list_query_count_is_flat(
    count, login, open_call, ready_challenge, lab_staff, django_assert_num_queries
):
    for _ in range(count):
        organisation = OrganisationFactory(kind="startup", country="LU", trl=5)
        member = OrganisationMembershipFactory(organisation=organisation).user
        services.application_start(
            call=open_call, challenge=ready_challenge, organisation=organisation, started_by=member
        )
    staff = login(lab_staff)
    staff.get(f"{API}/applications/")
    # session, user, organisation and lab roles, count, page, challenges, extensions
    with django_assert_num_queries(8):
        response = staff.get(f"{API}/applications/")
    assert response.json()["count"] == count


# --- Time zones, documents, two stages ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "shown", "utc"),
    [
        ("2099-03-28T17:00:00", "2099-03-28T17:00:00+01:00", dt.datetime(2099, 3, 28, 16, 0, tzinfo=dt.UTC)),
        ("2099-03-29T17:00:00", "2099-03-29T17:00:00+02:00", dt.datetime(2099, 3, 29, 15, 0, tzinfo=dt.UTC)),
        ("2099-10-25T17:00:00", "2099-10-25T17:00:00+01:00", dt.datetime(2099, 10, 25, 16, 0, tzinfo=dt.UTC)),
        ("2099-03-29T17:00:00Z", "2099-03-29T19:00:00+02:00", dt.datetime(2099, 3, 29, 17, 0, tzinfo=dt.UTC)),
    ],
    ids=["before-spring-change", "after-spring-change", "after-autumn-change", "with-offset"],
)
def test_deadlines_are_read_and_shown_in_the_call_time_zone_across_dst(
    local, shown, utc, login, draft_call, lab_staff
):
    response = json_patch(
        login(lab_staff),
        f"{API}/calls/{draft_call.pk}/",
        {"timeline": {"time_zone": "Europe/Luxembourg", "deadline": local}},
    )
    assert response.status_code == 200, response.content
    assert response.json()["timeline"]["deadline"] == shown
    draft_call.refresh_from_db()
    assert draft_call.deadline == utc


def test_a_local_time_the_clocks_skip_is_refused(login, draft_call, lab_staff):
    before = draft_call.deadline
    response = json_patch(
        login(lab_staff), f"{API}/calls/{draft_call.pk}/", {"timeline": {"deadline": "2099-03-29T02:30:00"}}
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {
        "timeline.deadline": [
            "2099-03-29 02:30 does not exist in Europe/Luxembourg: the clocks go forward at that moment. "
            "Choose a time outside the skipped hour."
        ]
    }
    draft_call.refresh_from_db()
    assert draft_call.deadline == before


def test_a_local_time_that_happens_twice_is_refused(login, draft_call, lab_staff):
    before = draft_call.deadline
    response = json_patch(
        login(lab_staff), f"{API}/calls/{draft_call.pk}/", {"timeline": {"deadline": "2099-10-25T02:30:00"}}
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {
        "timeline.deadline": [
            "2099-10-25 02:30 happens twice in Europe/Luxembourg: the clocks go back at that moment. "
            "Choose a time outside the repeated hour."
        ]
    }
    draft_call.refresh_from_db()
    assert draft_call.deadline == before


def test_staff_publish_documents_with_the_call(client, login, open_call, lab_staff):
    api = login(lab_staff)
    url = f"{API}/calls/{open_call.pk}/documents/"
    disguised = api.post(
        url, {"file": SimpleUploadedFile("terms.pdf", PNG, "application/pdf"), "title": '{"en": "Terms"}'}
    )
    assert (disguised.status_code, list(error(disguised)["fields"])) == (400, ["file"])
    added = api.post(
        url,
        {
            "file": SimpleUploadedFile("terms.pdf", PDF, "application/pdf"),
            "title": '{"en": "Terms of reference"}',
            "is_template": "false",
        },
    )
    assert added.status_code == 201, added.content
    document = added.json()
    assert (document["title"], document["original_name"], document["size"], document["is_template"]) == (
        {"en": "Terms of reference"},
        "terms.pdf",
        len(PDF),
        False,
    )
    assert document["url"] == f"/calls/{open_call.lab.slug}/{open_call.slug}/documents/{document['id']}/"
    client.logout()
    assert [d["id"] for d in client.get(f"{API}/calls/{open_call.pk}/").json()["documents"]] == [
        document["id"]
    ]
    api = login(lab_staff)
    assert api.delete(f"{url}{document['id']}/").status_code == 204
    assert open_call.documents.count() == 0


def test_two_stage_invitation_through_the_api(
    login, make_call, ready_challenge, solver, solver_member, lab_staff
):
    call = make_call(publish=True, two_stage=True, proposal_deadline=timezone.now() + dt.timedelta(days=40))
    assert list(login(solver_member).get(f"{API}/calls/{call.pk}/").json()["questions"]) == [
        "eoi",
        "proposal",
    ]
    api = login(solver_member)
    start = json_post(
        api,
        f"{API}/applications/",
        {"call": call.pk, "challenge": ready_challenge.reference, "organisation": solver.pk},
    )
    assert (start.status_code, start.json()["stage"]) == (201, "eoi")
    eoi_id = start.json()["id"]
    json_patch(
        api,
        f"{API}/applications/{eoi_id}/",
        {"version": 1, "answers": COMPLETE_ANSWERS, "declarations": ALL_DECLARATIONS},
    )
    assert json_post(api, f"{API}/applications/{eoi_id}/submit/").status_code == 201
    refused = json_post(api, f"{API}/applications/{eoi_id}/invite/")
    assert refused.status_code == 403
    staff = login(lab_staff)
    invited = json_post(staff, f"{API}/applications/{eoi_id}/invite/")
    assert invited.status_code == 201, invited.content
    assert (invited.json()["stage"], invited.json()["status"]) == ("proposal", "draft")
    assert invited.json()["invited_at"] is not None
    again = json_post(staff, f"{API}/applications/{eoi_id}/invite/")
    assert (again.status_code, again.json()["id"]) == (200, invited.json()["id"])
    mine = login(solver_member).get(f"{API}/applications/", {"stage": "proposal"}).json()["results"]
    assert [row["id"] for row in mine] == [invited.json()["id"]]


def test_staff_unpublish_an_answer_through_the_api(client, login, open_call, solver_member, lab_staff):
    enquiry = services.enquiry_ask(call=open_call, asked_by=solver_member, question="Paid pilot?")
    services.enquiry_answer(
        enquiry=enquiry,
        answered_by=lab_staff,
        answer={"en": "Yes."},
        public_question={"en": "Is the pilot paid?"},
    )
    url = f"{API}/calls/{open_call.pk}/enquiries/{enquiry.pk}/unpublish/"
    assert json_post(login(solver_member), url).status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.is_published
    response = json_post(login(lab_staff), url)
    assert response.status_code == 200
    assert response.json()["is_published"] is False
    enquiry.refresh_from_db()
    assert enquiry.is_published is False
    assert Client().get(f"{API}/calls/{open_call.pk}/enquiries/").json() == []
