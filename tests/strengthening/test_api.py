"""The strengthening API: the lab's flow, the solver's and the mentor's, the role matrix (404 for what the
caller may not see, 403 for what they see but may not do), bad input, query counts, and the schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from freezegun import freeze_time

from govlab.audit.models import AuditEntry
from govlab.strengthening import services
from govlab.strengthening.models import (
    AgreedAction,
    BootcampRegistration,
    CohortMember,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
)
from tests.conftest import error, post
from tests.factories import LabMembershipFactory

from .conftest import preselect

pytestmark = pytest.mark.django_db

API = "/api/v1/strengthening"


def test_start_the_programme(client, login, preselected_call, lab_staff, solver_member):
    login(solver_member)
    response = post(client, f"{API}/programmes/", {"call": preselected_call.pk})
    assert response.status_code == 403
    assert error(response)["code"] == "not_allowed"
    assert not Programme.objects.exists()
    login(lab_staff)
    response = post(client, f"{API}/programmes/", {"call": preselected_call.pk, "starts_on": "2026-03-01"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["starts_on"]) == ("running", "2026-03-01")
    response = post(client, f"{API}/programmes/", {"call": preselected_call.pk})
    assert response.status_code == 400
    assert error(response)["code"] == "already_started"
    members = client.get(f"{API}/programmes/{body['id']}/members/").json()
    assert [m["reference"] for m in members] == [a.reference for a in preselected_call.applications_made[:2]]


def test_programme_is_the_labs(client, login, programme, member, mentor_user, other_lab):
    for user in (member.solver, mentor_user, LabMembershipFactory(lab=other_lab, role="staff").user):
        login(user)
        assert client.get(f"{API}/programmes/{programme.pk}/").status_code == 404
        assert client.get(f"{API}/programmes/").json()["results"] == []


def test_anonymous_gets_401(client, programme, member):
    assert client.get(f"{API}/members/{member.pk}/").status_code in (401, 403)
    assert client.get(f"{API}/programmes/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", 200),
        ("mentor", 200),
        ("solver", 200),
        ("other_solver", 404),
        ("entity", 200),
        ("unassigned", 404),
    ],
)
def test_member_role_matrix(
    client,
    login,
    lab,
    lab_staff,
    assignment,
    mentor_user,
    member,
    other_member,
    entity_member,
    role,
    expected,
):
    users = {
        "staff": lab_staff,
        "mentor": mentor_user,
        "solver": member.solver,
        "other_solver": other_member.solver,
        "entity": entity_member,
        "unassigned": LabMembershipFactory(lab=lab, role="mentor").user,
    }
    login(users[role])
    assert client.get(f"{API}/members/{member.pk}/").status_code == expected
    listed = {row["id"] for row in client.get(f"{API}/members/").json()["results"]}
    assert (member.pk in listed) == (expected == 200)


def test_mentor_lists_only_assigned(client, login, assignment, mentor_user, member, other_member):
    login(mentor_user)
    assert [row["id"] for row in client.get(f"{API}/members/").json()["results"]] == [member.pk]
    assert client.get(f"{API}/members/{other_member.pk}/trl-assessments/").status_code == 404


def test_bootcamp_flow(client, login, programme, lab_staff, member):
    login(lab_staff)
    response = post(
        client,
        f"{API}/programmes/{programme.pk}/bootcamps/",
        {
            "topic": "Pitching",
            "starts_at": "2030-05-04T09:00",
            "ends_at": "2030-05-04T12:00",
            "place": "MiLAB",
        },
    )
    assert response.status_code == 201, response.json()
    bootcamp_id = response.json()["id"]
    assert response.json()["starts_at"].startswith("2030-05-04T14:00")  # read in Bogotá's time zone
    login(member.solver)
    response = post(
        client,
        f"{API}/bootcamps/{bootcamp_id}/registrations/",
        {"member": member.pk, "person": member.solver.pk},
    )
    assert response.status_code == 201, response.json()
    registration_id = response.json()["id"]
    response = post(
        client,
        f"{API}/bootcamps/{bootcamp_id}/attendance/",
        {"rows": [{"registration": registration_id, "attended": True}]},
    )
    assert response.status_code == 403
    with freeze_time("2030-05-04T18:00:00Z"):
        login(lab_staff)  # signed in then: a session from today would have expired
        response = post(
            client,
            f"{API}/bootcamps/{bootcamp_id}/attendance/",
            {"rows": [{"registration": registration_id, "attended": True}]},
        )
    assert response.status_code == 200, response.json()
    assert response.json()[0]["hours"] == "3.00"
    assert BootcampRegistration.objects.get().attended is True


def test_register_refuses_another_solvers_member(client, login, programme, bootcamp, member, other_member):
    login(other_member.solver)
    response = post(
        client,
        f"{API}/bootcamps/{bootcamp.pk}/registrations/",
        {"member": member.pk, "person": member.solver.pk},
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {"member": ["No such member of this programme."]}
    assert not BootcampRegistration.objects.exists()


def test_mentoring_flow(client, login, assignment, mentor_user, member, today):
    login(mentor_user)
    response = post(
        client,
        f"{API}/members/{member.pk}/mentoring-sessions/",
        {
            "held_on": today.isoformat(),
            "hours": "1.5",
            "topics": "Stakeholders",
            "actions": [{"description": "Map the buyers", "due_on": today.isoformat()}],
        },
    )
    assert response.status_code == 201, response.json()
    action_id = response.json()["actions"][0]["id"]
    login(member.solver)
    response = client.patch(
        f"{API}/actions/{action_id}/", {"status": "done"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert AgreedAction.objects.get().status == "done"
    assert client.get(f"{API}/members/{member.pk}/mentoring-sessions/").json()[0]["topics"] == "Stakeholders"


def test_mentoring_refused_to_the_solver(client, login, assignment, member, today):
    login(member.solver)
    response = post(
        client,
        f"{API}/members/{member.pk}/mentoring-sessions/",
        {"held_on": today.isoformat(), "hours": "1", "topics": "x"},
    )
    assert response.status_code == 403
    assert not MentoringSession.objects.exists()


def test_entity_cannot_read_mentoring(client, login, member, entity_member):
    login(entity_member)
    assert client.get(f"{API}/members/{member.pk}/mentoring-sessions/").status_code == 403


def test_trl_through_the_api(client, login, assignment, mentor_user, member):
    login(member.solver)
    response = post(
        client,
        f"{API}/members/{member.pk}/trl-assessments/",
        {"kind": "self", "level": 4, "evidence": {"4": "Lab"}},
    )
    assert response.status_code == 201, response.json()
    response = post(
        client,
        f"{API}/members/{member.pk}/trl-assessments/",
        {"kind": "expert", "level": 6, "evidence": {"6": "x"}},
    )
    assert response.status_code == 403
    login(mentor_user)
    response = post(client, f"{API}/members/{member.pk}/trl-assessments/", {"kind": "expert", "level": 6})
    assert response.status_code == 400
    assert error(response)["fields"] == {"evidence.6": ["Give the evidence for the level you choose."]}
    response = post(
        client,
        f"{API}/members/{member.pk}/trl-assessments/",
        {"kind": "expert", "level": 6, "evidence": {"6": "Demo"}},
    )
    assert response.status_code == 201
    body = client.get(f"{API}/members/{member.pk}/").json()
    assert (body["trl_entry"], body["trl_exit"]) == (4, 6)
    assert TrlAssessment.objects.count() == 2


def test_milestone_through_the_api(client, login, member, lab_staff, entity_member, other_member, today):
    login(lab_staff)
    response = post(
        client, f"{API}/members/{member.pk}/milestones/", {"title": "MVP", "due_on": today.isoformat()}
    )
    assert response.status_code == 201
    milestone_id = response.json()["id"]
    login(other_member.solver)
    assert post(client, f"{API}/milestones/{milestone_id}/submit/", {"evidence_text": "x"}).status_code == 404
    login(member.solver)
    response = post(
        client, f"{API}/milestones/{milestone_id}/submit/", {"evidence_url": "https://mvp.example"}
    )
    assert response.status_code == 200
    assert post(client, f"{API}/milestones/{milestone_id}/review/", {"accept": True}).status_code == 403
    login(entity_member)
    response = post(client, f"{API}/milestones/{milestone_id}/review/", {"accept": False})
    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"review_note"}
    response = post(client, f"{API}/milestones/{milestone_id}/review/", {"accept": True, "note": "Good"})
    assert response.status_code == 200
    assert Milestone.objects.get().status == "accepted"


def test_work_session_and_hours(client, login, programme, member, entity_member, lab_staff, today):
    login(entity_member)
    response = post(
        client,
        f"{API}/members/{member.pk}/work-sessions/",
        {
            "held_at": "2026-01-10T10:00",
            "agenda": "Data access",
            "hours": "2",
            "attendees": [entity_member.pk],
        },
    )
    assert response.status_code == 201, response.json()
    login(member.solver)
    response = post(
        client,
        f"{API}/members/{member.pk}/hours/",
        {"kind": "mvp", "hours": "10", "worked_on": today.isoformat()},
    )
    assert response.status_code == 201
    login(lab_staff)
    body = client.get(f"{API}/programmes/{programme.pk}/hours/").json()
    assert body["total"] == "12.00"
    assert body["members"][0] == {
        "member": member.pk,
        "by_kind": {
            "bootcamp": "0.00",
            "mentoring": "0.00",
            "work_session": "2.00",
            "mvp": "10.00",
            "other": "0.00",
        },
        "total": "12.00",
    }


def test_refusal_changes_nothing(client, login, programme, member, lab_staff):
    login(lab_staff)
    audits = AuditEntry.objects.count()
    response = post(
        client,
        f"{API}/programmes/{programme.pk}/hours/",
        {"kind": "mvp", "hours": "5", "worked_on": "2999-01-01"},
    )
    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"worked_on"}
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("count", [1, 3])
def test_progress_queries_flat(
    client, login, count, evaluation_call, make_applications, ready_challenge, lab_staff, today
):
    applications = make_applications([f"S{n}" for n in range(3)])
    preselect(evaluation_call, ready_challenge, applications, lab_staff, applications[:count])
    programme = services.programme_start(call=evaluation_call, by=lab_staff)
    for member in CohortMember.objects.filter(programme=programme):
        services.milestone_save(member=member, by=lab_staff, title="MVP", due_on=today)
        services.trl_assess(member=member, by=lab_staff, kind="expert", level=5, evidence={"5": "x"})
    login(lab_staff)
    url = f"{API}/programmes/{programme.pk}/progress/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(response.json()) == count
    assert len(queries) == 15, "\n".join(q["sql"][:120] for q in queries.captured_queries)


def test_schema_has_the_endpoints_without_warnings():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = [str(w) for w in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]]
    GENERATOR_STATS.reset()
    ours = {p for p in schema["paths"] if p.startswith("/api/v1/strengthening/")}
    assert {
        "/api/v1/strengthening/programmes/",
        "/api/v1/strengthening/programmes/{id}/progress/",
        "/api/v1/strengthening/programmes/{id}/bootcamps/",
        "/api/v1/strengthening/programmes/{id}/hours/",
        "/api/v1/strengthening/bootcamps/{id}/registrations/",
        "/api/v1/strengthening/bootcamps/{id}/attendance/",
        "/api/v1/strengthening/members/{id}/mentoring-sessions/",
        "/api/v1/strengthening/members/{id}/trl-assessments/",
        "/api/v1/strengthening/members/{id}/work-sessions/",
        "/api/v1/strengthening/members/{id}/milestones/",
        "/api/v1/strengthening/milestones/{id}/review/",
        "/api/v1/strengthening/actions/{id}/",
        "/api/v1/strengthening/mentors/assign/",
    } <= ours
    component_names = {
        name
        for path in ours
        for operation in schema["paths"][path].values()
        for name in str(operation).split("'")
        if name.startswith("#/components/schemas/")
    }
    ours_named = {name.rsplit("/", 1)[-1] for name in component_names}
    assert not [w for w in warnings if any(name in w for name in ours_named)]
    assert not [w for w in warnings if "strengthening" in w.lower()]


def test_bootcamp_seen_only_by_its_cohort(client, login, bootcamp, member, other_lab):
    login(LabMembershipFactory(lab=other_lab, role="staff").user)
    assert client.get(f"{API}/bootcamps/{bootcamp.pk}/").status_code == 404
    login(member.solver)
    assert client.get(f"{API}/bootcamps/{bootcamp.pk}/").json()["topic"] == "Business models"


def test_challenge_work_session_and_mentor_deactivation(
    client, login, programme, assignment, mentor, lab_staff, ready_challenge
):
    login(lab_staff)
    response = post(
        client,
        f"{API}/programmes/{programme.pk}/work-sessions/",
        {
            "challenge": ready_challenge.reference,
            "held_at": "2026-01-10T10:00",
            "agenda": "Kick-off",
            "hours": "3",
        },
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["member"], response.json()["challenge"]) == (None, ready_challenge.reference)
    response = post(
        client,
        f"{API}/programmes/{programme.pk}/work-sessions/",
        {"held_at": "2026-01-10T10:00", "agenda": "x", "hours": "1"},
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {"challenge": ["Give the member or the challenge."]}
    response = post(client, f"{API}/mentors/{mentor.pk}/deactivate/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert post(client, f"{API}/mentors/{mentor.pk}/deactivate/").status_code == 400
