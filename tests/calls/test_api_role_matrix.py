"""Who may do what with solver A's application through the API, and lists that never leak it.

Roles: A's member, B's member (another solver organisation with its own application), a member of the
public entity that owns the challenge, the lab's staff, the lab's evaluator (no access until the
evaluation issue), the staff of another lab, and anonymous.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls import services
from govlab.calls.enums import QuestionKind
from govlab.calls.models import Application, ApplicationFile, ApplicationRevision
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory

from .conftest import ALL_DECLARATIONS, COMPLETE_ANSWERS

pytestmark = pytest.mark.django_db

API = "/api/v1"
PDF = b"%PDF-1.4\n%%EOF\n"
ROLES = [
    "solver_a",
    "solver_b",
    "entity_member",
    "lab_staff",
    "lab_evaluator",
    "other_lab_staff",
    "anonymous",
]


@pytest.fixture
def world(
    open_call, ready_challenge, solver, solver_member, other_solver, other_solver_member, lab_staff, entity
):
    """A's application, submitted once (revision 1, with a file) and changed since; B's own draft."""
    services.question_save(
        call=open_call,
        updated_by=lab_staff,
        key="plan",
        kind=QuestionKind.FILE,
        label={"en": "Your plan"},
        config={"extensions": ["pdf"], "max_mb": 1},
    )
    application, _ = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=solver, started_by=solver_member
    )
    services.application_save(
        application=application,
        saved_by=solver_member,
        answers=COMPLETE_ANSWERS,
        declarations=ALL_DECLARATIONS,
    )
    uploaded = services.application_upload(
        application=application,
        question_key="plan",
        file=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        uploaded_by=solver_member,
    )
    services.application_submit(
        application=application, submitted_by=solver_member, received_at=timezone.now()
    )
    services.application_save(
        application=application, saved_by=solver_member, answers={"solution_name": "Human first, v2"}
    )
    application.refresh_from_db()
    theirs, _ = services.application_start(
        call=open_call, challenge=ready_challenge, organisation=other_solver, started_by=other_solver_member
    )
    return {"application": application, "file": uploaded, "theirs": theirs}


@pytest.fixture
def as_role(client, login, lab, other_lab, solver_member, other_solver_member, lab_staff, entity):
    def make(role):
        user = {
            "solver_a": solver_member,
            "solver_b": other_solver_member,
            "lab_staff": lab_staff,
        }.get(role)
        if role == "entity_member":
            user = OrganisationMembershipFactory(organisation=entity).user
        elif role == "lab_evaluator":
            user = LabMembershipFactory(lab=lab, role="evaluator").user
        elif role == "other_lab_staff":
            user = LabMembershipFactory(lab=other_lab, role="staff").user
        return (login(user) if user else client), user

    return make


def state():
    return (
        list(
            Application.objects.order_by("pk").values_list(
                "pk", "status", "version", "answers", "withdrawn_at"
            )
        ),
        ApplicationRevision.objects.count(),
        ApplicationFile.objects.count(),
        AuditEntry.objects.count(),
    )


def expect(ok, *, staff):
    """A's member gets ``ok``; the lab's staff ``staff``; everyone else signed in 404; anonymous 401."""
    table = dict.fromkeys(ROLES, 404)
    table |= {"solver_a": ok, "lab_staff": staff, "anonymous": 401}
    return table


READ = expect(200, staff=200)

# name: (method, path after /applications/<id>/, payload, expected status by role)
ENDPOINTS = {
    "detail": ("get", "", None, READ),
    "patch": (
        "patch",
        "",
        lambda w: {"version": w["application"].version, "answers": {"price": "1000"}},
        expect(200, staff=403),
    ),
    "submit": ("post", "submit/", None, expect(201, staff=403)),
    "withdraw": ("post", "withdraw/", {"reason": "Changed our mind"}, expect(200, staff=403)),
    "files": ("get", "files/", None, READ),
    "file_upload": (
        "multipart",
        "files/",
        lambda w: {"question_key": "plan", "file": SimpleUploadedFile("plan2.pdf", PDF, "application/pdf")},
        expect(201, staff=403),
    ),
    "file_download": ("get", lambda w: f"files/{w['file'].pk}/", None, READ),
    "revisions": ("get", "revisions/", None, READ),
    "revision": ("get", "revisions/1/", None, READ),
    "gaps": ("get", "gaps/", None, READ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_application_endpoint_role_matrix(endpoint, role, world, as_role, mailoutbox):
    method, path, payload, expected = ENDPOINTS[endpoint]
    path = path(world) if callable(path) else path
    payload = payload(world) if callable(payload) else payload
    api, _user = as_role(role)
    url = f"{API}/applications/{world['application'].pk}/{path}"
    mailoutbox.clear()
    before = state()
    if method == "get":
        response = api.get(url)
    elif method == "multipart":
        response = api.post(url, payload)
    else:
        response = getattr(api, method)(url, payload or {}, content_type="application/json")
    assert response.status_code == expected[role], response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) == {"code", "message", "fields"}
        # Nothing of A's application in a refusal.
        assert world["application"].reference not in response.content.decode()
        assert state() == before
        assert mailoutbox == []
    elif method != "get":
        assert state() != before


def test_a_missing_application_answers_like_someone_elses(world, as_role):
    api, _user = as_role("solver_b")
    missing = api.get(f"{API}/applications/999999/")
    theirs = api.get(f"{API}/applications/{world['application'].pk}/")
    assert (missing.status_code, missing.json()) == (theirs.status_code, theirs.json())


def test_a_file_of_another_application_is_not_served_through_ones_own(world, as_role):
    api, _user = as_role("solver_b")
    response = api.get(f"{API}/applications/{world['theirs'].pk}/files/{world['file'].pk}/")
    assert response.status_code == 404


LIST_FILTERS = {
    "none": lambda w: {},
    "organisation": lambda w: {"organisation": w["application"].organisation_id},
    "call": lambda w: {"call": w["application"].call_id},
    "challenge": lambda w: {"challenge": w["application"].challenge.reference},
    "status": lambda w: {"status": "submitted"},
    "stage": lambda w: {"stage": "proposal"},
    "all_at_once": lambda w: {
        "organisation": w["application"].organisation_id,
        "call": w["application"].call_id,
        "challenge": w["application"].challenge.reference,
        "status": "submitted",
    },
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("filters", list(LIST_FILTERS))
def test_lists_never_show_a_to_whoever_may_not_see_it(filters, role, world, as_role):
    api, _user = as_role(role)
    response = api.get(f"{API}/applications/", LIST_FILTERS[filters](world))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    seen = {row["id"] for row in response.json()["results"]}
    mine = world["application"].pk
    assert (mine in seen) is (role in ("solver_a", "lab_staff"))
    if role == "solver_b":
        expected = {world["theirs"].pk} if filters in ("none", "call", "challenge", "stage") else set()
        assert seen == expected
    if role in ("entity_member", "lab_evaluator", "other_lab_staff"):
        assert seen == set()
    assert world["application"].reference not in response.content.decode() or role in (
        "solver_a",
        "lab_staff",
    )


@pytest.mark.parametrize("role", ROLES)
def test_b_cannot_start_an_application_for_a(role, world, as_role, solver):
    api, _user = as_role(role)
    application = world["application"]
    before = state()
    response = api.post(
        f"{API}/applications/",
        {
            "call": application.call_id,
            "challenge": application.challenge.reference,
            "organisation": solver.pk,
        },
        content_type="application/json",
    )
    if role == "solver_a":
        # A's own: the existing application, nothing new.
        assert (response.status_code, response.json()["id"]) == (200, application.pk)
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
    assert state() == before


@pytest.mark.parametrize("count", [1, 4])
def test_a_members_list_query_count_is_flat(
    count, login, open_call, make_ready_challenge, solver, solver_member, django_assert_num_queries
):
    challenges = [make_ready_challenge() for _ in range(count)]
    open_call.challenges.add(*challenges)
    for challenge in challenges:
        services.application_start(
            call=open_call, challenge=challenge, organisation=solver, started_by=solver_member
        )
    api = login(solver_member)
    api.get(f"{API}/applications/")
    with django_assert_num_queries(
        8
    ):  # session, user, organisation and lab roles, count, page, challenges, extensions
        response = api.get(f"{API}/applications/")
    assert response.json()["count"] == count


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/applications/99999999999999999999/",
        "/api/v1/applications/abc/",
        "/api/v1/calls/99999999999999999999/",
    ],
)
def test_absurd_ids_answer_404_not_500(url, world, as_role):
    api, _user = as_role("solver_a")
    assert api.get(url).status_code == 404


def test_absurd_filter_ids_are_refused_at_the_field(world, as_role):
    api, _user = as_role("solver_a")
    response = api.get(f"{API}/applications/", {"organisation": "9" * 30, "call": "x"})
    assert response.status_code == 400
    assert sorted(response.json()["error"]["fields"]) == ["call"]
    response = api.get(f"{API}/applications/", {"organisation": "9" * 30})
    assert response.json()["error"]["fields"] == {"organisation": ["Give an id (a whole number)."]}
