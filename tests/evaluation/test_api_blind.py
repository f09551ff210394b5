"""Blind evaluation through the API: while the active phase hides identities, no answer an evaluator can
reach (every evaluator endpoint, the file download's headers, the refusals of the lab's endpoints)
names the organisation, its member, a partner, an identifying answer or the uploaded file's name. After a
phase that reveals identities, the application's content does."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from govlab.calls import services as call_services
from govlab.calls.enums import QuestionKind
from govlab.evaluation import services
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

from .conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
ORGANISATION = "Xylophonic Widgets"
MEMBER = "Ottoline Brisk"
MEMBER_EMAIL = "ottoline.brisk@xylophonic.example"
IDENTIFYING = "Quintus Fairweather"
PARTNER = "Partnerco Quillfeather"
FILE_NAME = "Xylophonic-Widgets-plan.pdf"
SECRETS = (ORGANISATION, MEMBER, MEMBER_EMAIL, IDENTIFYING, PARTNER, FILE_NAME, "Xylophonic")


@pytest.fixture
def application(evaluation_call, ready_challenge, lab_staff):
    """Submitted by Xylophonic Widgets: an identifying answer, a partner, a file with a telling name."""
    deadline = evaluation_call.deadline
    with freeze_time(deadline - dt.timedelta(days=3)):
        call_services.question_save(
            call=evaluation_call,
            updated_by=lab_staff,
            key="plan",
            kind=QuestionKind.FILE,
            label={"en": "Your plan"},
            config={"extensions": ["pdf"], "max_mb": 1},
        )
    organisation = OrganisationFactory(kind="startup", country="LU", name=ORGANISATION, trl=6)
    member = UserFactory(full_name=MEMBER, email=MEMBER_EMAIL)
    OrganisationMembershipFactory(organisation=organisation, user=member, role="admin")
    with freeze_time(deadline - dt.timedelta(days=2)):
        application, _ = call_services.application_start(
            call=evaluation_call, challenge=ready_challenge, organisation=organisation, started_by=member
        )
        call_services.application_upload(
            application=application,
            question_key="plan",
            file=SimpleUploadedFile(FILE_NAME, PDF, "application/pdf"),
            uploaded_by=member,
        )
        application.refresh_from_db()
        call_services.application_save(
            application=application,
            saved_by=member,
            answers={**COMPLETE_ANSWERS, "team_lead": IDENTIFYING},
            partners=[{"name": PARTNER, "country": "FR", "role": "Pilot site"}],
            declarations=ALL_DECLARATIONS,
        )
        call_services.application_submit(
            application=application, submitted_by=member, received_at=timezone.now()
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def world(evaluation_call, application, lab_staff, make_evaluator_user):
    """A blind phase in which evaluators see the others' reviews; a colleague has already reviewed."""
    phase = services.phase_save(call=evaluation_call, by=lab_staff, name={"en": "Blind"}, see_others="always")
    services.phase_activate(phase=phase, by=lab_staff)
    evaluator, colleague = (
        services.evaluator_add(
            call=evaluation_call,
            user=make_evaluator_user(name=name),
            role="external_expert",
            added_by=lab_staff,
        )
        for name in ("Eva Evaluator", "Carl Colleague")
    )
    theirs = services.assign(application=application, evaluator=colleague, by=lab_staff)
    services.conflict_declare(
        evaluator=colleague, application=application, has_conflict=False, by=colleague.user
    )
    review = services.review_for(theirs, colleague.user)
    criteria = [str(c.pk) for c in evaluation_call.criteria.order_by("position", "pk")]
    services.review_save(
        review=review,
        by=colleague.user,
        scores=dict.fromkeys(criteria, 2),
        comments={criteria[0]: "A sound approach."},
        strengths="Good pilot",
        weaknesses="Costly",
        recommendation="yes",
        confidence=4,
    )
    services.review_submit(review=review, by=colleague.user)
    assignment = services.assign(application=application, evaluator=evaluator, by=lab_staff)
    return {"evaluator": evaluator, "assignment": assignment, "criteria": criteria}


def leaks(response) -> list[str]:
    """The secrets found in a response's body or headers (a file's own bytes are the applicant's)."""
    headers = " ".join(f"{name}: {value}" for name, value in response.items())
    body = "" if getattr(response, "streaming", False) else response.content.decode()
    text = f"{headers}\n{body}"
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


def evaluator_responses(api, call, assignment, criteria) -> dict:
    """One response from every endpoint an evaluator can reach (reads, writes and refusals)."""
    base = f"{API}/assignments/{assignment.pk}"
    responses = {
        "queue": api.get(f"{API}/assignments/"),
        "queue item": api.get(f"{base}/"),
        "declaration": api.post(
            f"{base}/declaration/", {"decision": "none"}, content_type="application/json"
        ),
        "declaration again": api.post(
            f"{base}/declaration/", {"decision": "none"}, content_type="application/json"
        ),
        "application": api.get(f"{base}/application/"),
        "review": api.get(f"{base}/review/"),
    }
    content = responses["application"].json()
    responses["file"] = api.get(content["files"][0]["url"])
    version = responses["review"].json()["version"]
    responses["review save"] = api.patch(
        f"{base}/review/",
        {
            "version": version,
            "scores": dict.fromkeys(criteria, 3),
            "recommendation": "yes",
            "confidence": 3,
            "strengths": "Convincing",
        },
        content_type="application/json",
    )
    responses["review stale"] = api.patch(
        f"{base}/review/", {"version": version, "strengths": "x"}, content_type="application/json"
    )
    responses["review bad score"] = api.patch(
        f"{base}/review/",
        {"version": version + 1, "scores": {criteria[0]: 9}},
        content_type="application/json",
    )
    responses["review submit"] = api.post(f"{base}/review/submit/", {}, content_type="application/json")
    responses["other reviews"] = api.get(f"{base}/reviews/")
    reference = content["reference"]
    responses["feedback"] = api.get(f"{API}/feedback/{reference}/")
    for path in (
        "settings/",
        "phases/",
        "evaluators/",
        "assignments/",
        "assignments/gaps/",
        "ranking/",
        "consensus/",
        "preselection/",
        "feedback/",
    ):
        responses[f"lab {path}"] = api.get(f"{API}/calls/{call.pk}/{path}")
    # The rest of the API an evaluator is signed in to: the applications and their own notifications.
    application_id = assignment.application_id
    responses["applications"] = api.get("/api/v1/applications/", {"call": call.pk})
    responses["application (calls API)"] = api.get(f"/api/v1/applications/{application_id}/")
    responses["files (calls API)"] = api.get(f"/api/v1/applications/{application_id}/files/")
    responses["notifications"] = api.get("/api/v1/notifications/")
    return responses


def test_no_evaluator_endpoint_names_the_applicant_while_blind(client, login, evaluation_call, world):
    api = login(world["evaluator"].user)

    responses = evaluator_responses(api, evaluation_call, world["assignment"], world["criteria"])

    statuses = {name: response.status_code for name, response in responses.items()}
    assert statuses == {
        "queue": 200,
        "queue item": 200,
        "declaration": 201,
        "declaration again": 400,
        "application": 200,
        "review": 200,
        "file": 200,
        "review save": 200,
        "review stale": 409,
        "review bad score": 400,
        "review submit": 200,
        "other reviews": 200,
        "feedback": 404,
        **{name: 403 for name in responses if name.startswith("lab ")},
        "applications": 200,
        "application (calls API)": 404,
        "files (calls API)": 404,
        "notifications": 200,
    }
    assert responses["applications"].json()["results"] == []
    assert responses["notifications"].json()["count"] == 1  # "You are on the evaluation panel…"
    found = {name: leaks(response) for name, response in responses.items()}
    assert {name: secrets for name, secrets in found.items() if secrets} == {}

    content = responses["application"].json()
    assert content["identities_visible"] is False
    assert (content["organisation"], content["partners"]) == (None, None)
    assert "team_lead" not in [q["key"] for q in content["questions"]]
    reference = content["reference"]
    assert [f["name"] for f in content["files"]] == [f"{reference}-plan.pdf"]
    plan = next(q for q in content["questions"] if q["key"] == "plan")
    assert plan["answer"]["file"]["name"] == f"{reference}-plan.pdf"
    assert f'filename="{reference}-plan.pdf"' in responses["file"]["Content-Disposition"]
    assert b"".join(responses["file"].streaming_content) == PDF
    assert [r["strengths"] for r in responses["other reviews"].json()] == ["Good pilot"]


def test_the_content_names_the_applicant_after_a_phase_that_reveals_identities(
    client, login, evaluation_call, world, lab_staff
):
    assignment = world["assignment"]
    evaluator = world["evaluator"]
    services.conflict_declare(
        evaluator=evaluator, application=assignment.application, has_conflict=False, by=evaluator.user
    )
    staff = login(lab_staff)
    phase = staff.post(
        f"{API}/calls/{evaluation_call.pk}/phases/",
        {"name": {"en": "Open discussion"}, "identities_visible": True, "see_others": "always"},
        content_type="application/json",
    ).json()
    assert staff.post(f"{API}/calls/{evaluation_call.pk}/phases/{phase['id']}/activate/").status_code == 200

    api = login(evaluator.user)
    response = api.get(f"{API}/assignments/{assignment.pk}/application/")

    assert response.status_code == 200
    content = response.json()
    assert content["identities_visible"] is True
    assert content["organisation"]["name"] == ORGANISATION
    assert [p["name"] for p in content["partners"]] == [PARTNER]
    team_lead = next(q for q in content["questions"] if q["key"] == "team_lead")
    assert team_lead["answer"] == IDENTIFYING
    assert [f["name"] for f in content["files"]] == [FILE_NAME]
    download = api.get(content["files"][0]["url"])
    assert FILE_NAME in download["Content-Disposition"]
    assert ORGANISATION in leaks(response)
    # The person who applied is still named nowhere: the API never shows who submitted.
    assert MEMBER not in response.content.decode()


def test_a_conflicted_evaluator_reaches_nothing_of_the_application(client, login, evaluation_call, world):
    assignment = world["assignment"]
    api = login(world["evaluator"].user)
    declared = api.post(
        f"{API}/assignments/{assignment.pk}/declaration/",
        {"decision": "conflict", "reason": "My former employer."},
        content_type="application/json",
    )
    assert declared.status_code == 201

    for path in ("", "application/", "review/", "reviews/"):
        assert api.get(f"{API}/assignments/{assignment.pk}/{path}").status_code == 404, path
    file_id = assignment.application.files.get().pk
    assert api.get(f"{API}/assignments/{assignment.pk}/application/files/{file_id}/").status_code == 404
    assert api.get(f"{API}/assignments/").json()["results"] == []
