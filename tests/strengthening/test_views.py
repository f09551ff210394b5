"""The strengthening pages: the role matrix (lab, mentor, solver, another solver, the entity, others,
anonymous), the forms (errors at the field, input kept), and query counts flat in the cohort's size."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from govlab.challenges.enums import ChallengeStatus
from govlab.strengthening import services
from govlab.strengthening.enums import MilestoneStatus
from govlab.strengthening.models import (
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    MentoringSession,
    Programme,
    TrlAssessment,
)
from tests.factories import LabMembershipFactory, UserFactory

from .conftest import preselect

pytestmark = pytest.mark.django_db


def lab_url(name, call, *args):
    return reverse(f"strengthening:{name}", args=[call.lab.slug, call.pk, *args])


def member_url(name, member, *args):
    return reverse(f"strengthening:{name}", args=[member.pk, *args])


@pytest.fixture
def people(lab, lab_staff, assignment, mentor_user, member, other_member, entity_member, other_lab):
    return {
        "staff": lab_staff,
        "mentor": mentor_user,
        "solver": member.solver,
        "other_solver": other_member.solver,
        "entity": entity_member,
        "other_lab_staff": LabMembershipFactory(lab=other_lab, role="staff").user,
        "unassigned_mentor": LabMembershipFactory(lab=lab, role="mentor").user,
        "plain": UserFactory(),
    }


# --- The role matrix -------------------------------------------------------------------------------

MEMBER_PAGE = {
    "staff": 200,
    "mentor": 200,
    "solver": 200,
    "other_solver": 404,
    "entity": 200,
    "other_lab_staff": 404,
    "unassigned_mentor": 404,
    "plain": 404,
}


@pytest.mark.parametrize(("role", "expected"), MEMBER_PAGE.items())
def test_member_page_role_matrix(client, login, people, member, role, expected):
    login(people[role])
    response = client.get(member_url("member", member))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 200), ("mentor", 404), ("solver", 404), ("other_solver", 200), ("entity", 200)],
)
def test_other_member_page_role_matrix(client, login, people, other_member, role, expected):
    """The mentor is assigned to the first solver only: the second is as if it did not exist to them."""
    login(people[role])
    assert client.get(member_url("member", other_member)).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, member, programme):
    for url in (
        member_url("member", member),
        member_url("trl", member),
        lab_url("programme", programme.call),
        reverse("strengthening:mine"),
        reverse("strengthening:mentoring"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


ACTIONS = {
    # page: {role: status}
    "trl": {"staff": 200, "mentor": 200, "solver": 200, "entity": 403},
    "mentoring_add": {"staff": 200, "mentor": 200, "solver": 403, "entity": 403},
    "milestone_add": {"staff": 200, "mentor": 200, "solver": 403, "entity": 403},
    "work_session_add": {"staff": 200, "mentor": 403, "solver": 403, "entity": 200},
    "register": {"staff": 200, "mentor": 403, "solver": 200, "entity": 403},
    "hours_add": {"staff": 200, "mentor": 403, "solver": 200, "entity": 403},
}


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [(page, role, status) for page, statuses in ACTIONS.items() for role, status in statuses.items()],
)
def test_member_action_pages_role_matrix(client, login, people, member, page, role, expected):
    login(people[role])
    assert client.get(member_url(page, member)).status_code == expected


LAB_PAGES = ("programme", "bootcamps", "mentors", "work_sessions", "hours")


@pytest.mark.parametrize("page", LAB_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", 200), ("mentor", 404), ("solver", 404), ("entity", 404), ("other_lab_staff", 404)],
)
def test_lab_pages_role_matrix(client, login, people, programme, page, role, expected):
    login(people[role])
    assert client.get(lab_url(page, programme.call)).status_code == expected


def test_mine_and_my_solvers(client, login, people, member, other_member):
    login(people["solver"])
    html = client.get(reverse("strengthening:mine")).content.decode()
    assert member.application.reference in html
    assert other_member.application.reference not in html
    login(people["mentor"])
    html = client.get(reverse("strengthening:mentoring")).content.decode()
    assert member.application.reference in html
    assert other_member.application.reference not in html


# --- Flows -----------------------------------------------------------------------------------------


def test_staff_start_the_programme_from_the_page(client, login, preselected_call, lab_staff, ready_challenge):
    login(lab_staff)
    url = lab_url("programme", preselected_call)
    page = client.get(url)
    assert page.status_code == 200
    assert preselected_call.applications_made[0].reference in page.content.decode()
    response = client.post(url, {"start-starts_on": "2026-03-01", "start-ends_on": "2026-06-30"})
    assert response.status_code == 302
    programme = Programme.objects.get(call=preselected_call)
    assert (programme.starts_on, programme.ends_on) == (dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    assert CohortMember.objects.filter(programme=programme).count() == 2
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.STRENGTHENING


def test_start_form_keeps_input_on_error(client, login, preselected_call, lab_staff):
    login(lab_staff)
    response = client.post(
        lab_url("programme", preselected_call),
        {"start-starts_on": "2026-03-01", "start-ends_on": "2026-02-01"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert "The programme cannot end before it starts." in html
    assert 'value="2026-02-01"' in html
    assert not Programme.objects.exists()


def test_plan_a_bootcamp_in_the_lab_time_zone(client, login, programme, lab_staff):
    login(lab_staff)
    response = client.post(
        lab_url("bootcamps", programme.call),
        {
            "bootcamp-topic": "Pitching",
            "bootcamp-starts_at": "2030-05-04T09:00",
            "bootcamp-ends_at": "2030-05-04T13:00",
            "bootcamp-place": "Bogotá",
        },
    )
    assert response.status_code == 302
    bootcamp = Bootcamp.objects.get()
    # America/Bogota is UTC-5.
    assert bootcamp.starts_at == dt.datetime(2030, 5, 4, 14, 0, tzinfo=dt.UTC)
    assert bootcamp.duration_hours == Decimal("4.00")


def test_bootcamp_error_at_the_field(client, login, programme, lab_staff):
    login(lab_staff)
    response = client.post(
        lab_url("bootcamps", programme.call),
        {
            "bootcamp-topic": "Pitching",
            "bootcamp-starts_at": "2030-05-04T09:00",
            "bootcamp-ends_at": "2030-05-04T08:00",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_bootcamp-ends_at_errors"' in html
    assert 'id="id_bootcamp-place_errors"' in html
    assert 'value="Pitching"' in html
    assert not Bootcamp.objects.exists()


def test_attendance_page_records_the_batch(client, login, bootcamp, member, other_member, lab_staff):
    first = services.bootcamp_register(
        bootcamp=bootcamp, member=member, person=member.solver, by=member.solver
    )
    second = services.bootcamp_register(
        bootcamp=bootcamp, member=other_member, person=other_member.solver, by=other_member.solver
    )
    login(lab_staff)
    with freeze_time(bootcamp.ends_at + dt.timedelta(hours=1)):
        response = client.post(
            lab_url("attendance", bootcamp.programme.call, bootcamp.pk),
            {
                f"attendance-attended_{first.pk}": "yes",
                f"attendance-attended_{second.pk}": "no",
                f"attendance-hours_{first.pk}": "3",
            },
        )
    assert response.status_code == 302
    assert list(BootcampRegistration.objects.order_by("pk").values_list("attended", "hours")) == [
        (True, Decimal("3.00")),
        (False, Decimal("0.00")),
    ]


def test_solver_registers_and_self_assesses(client, login, bootcamp, member):
    login(member.solver)
    response = client.post(
        member_url("register", member), {"reg-bootcamp": bootcamp.pk, "reg-person": member.solver.pk}
    )
    assert response.status_code == 302
    assert BootcampRegistration.objects.filter(member=member, person=member.solver).count() == 1
    response = client.post(
        member_url("trl", member),
        {"trl-kind": "self", "trl-level": "4", "trl-evidence_4": "Validated in the lab"},
    )
    assert response.status_code == 302
    assessment = TrlAssessment.objects.get()
    assert (assessment.kind, assessment.level, assessment.evidence) == (
        "self",
        4,
        {"4": "Validated in the lab"},
    )


def test_trl_form_error_at_the_evidence(client, login, member):
    login(member.solver)
    response = client.post(
        member_url("trl", member), {"trl-kind": "self", "trl-level": "6", "trl-note": "Kept"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_trl-evidence_6_errors"' in html
    assert "Kept" in html
    assert not TrlAssessment.objects.exists()


def test_solver_cannot_post_an_expert_assessment(client, login, member):
    login(member.solver)
    response = client.post(
        member_url("trl", member), {"trl-kind": "expert", "trl-level": "6", "trl-evidence_6": "x"}
    )
    assert response.status_code == 200  # the choice is not offered: an error at the field
    assert not TrlAssessment.objects.exists()


def test_mentor_records_a_session(client, login, assignment, mentor_user, member, today):
    login(mentor_user)
    response = client.post(
        member_url("mentoring_add", member),
        {
            "session-held_on": today.isoformat(),
            "session-hours": "2",
            "session-topics": "Govtech clients",
            "session-action_0_description": "Call two buyers",
            "session-action_0_due_on": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.mentor, session.hours, session.actions.count()) == (assignment.mentor, Decimal("2.00"), 1)


def test_milestone_evidence_then_entity_accepts(client, login, member, lab_staff, entity_member, today):
    milestone = services.milestone_save(member=member, by=lab_staff, title="MVP", due_on=today)
    url = member_url("milestone", member, milestone.pk)
    login(member.solver)
    assert client.post(url, {"form": "evidence", "evidence-evidence_text": "Demo video"}).status_code == 302
    login(entity_member)
    page = client.get(url).content.decode()
    assert "Demo video" in page
    assert client.post(url, {"form": "review", "review-decision": "accept"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.status, milestone.reviewed_by) == (MilestoneStatus.ACCEPTED, entity_member)


def test_other_solver_cannot_reach_the_milestone(client, login, member, other_member, lab_staff, today):
    milestone = services.milestone_save(member=member, by=lab_staff, title="MVP", due_on=today)
    login(other_member.solver)
    url = member_url("milestone", member, milestone.pk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "evidence", "evidence-evidence_text": "x"}).status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.PLANNED


def test_entity_does_not_see_mentoring_notes(
    client, login, assignment, mentor_user, member, entity_member, today
):
    services.mentoring_session_record(
        member=member, by=mentor_user, held_on=today, hours=1, topics="Negotiation", notes="Private notes"
    )
    login(entity_member)
    html = client.get(member_url("member", member)).content.decode()
    assert "Private notes" not in html
    login(member.solver)
    assert "Private notes" in client.get(member_url("member", member)).content.decode()


# --- Query counts ----------------------------------------------------------------------------------


def _busy(member, staff, mentor, today, bootcamp):
    services.mentor_assign(mentor=mentor, member=member, by=staff)
    services.milestone_save(member=member, by=staff, title="MVP", due_on=today)
    services.trl_assess(member=member, by=staff, kind="expert", level=5, evidence={"5": "x"})
    services.hours_record(
        programme=member.programme, member=member, by=staff, kind="mvp", hours=3, worked_on=today
    )
    person = CohortMember.objects.get(pk=member.pk).application.organisation.memberships.first().user
    services.bootcamp_register(bootcamp=bootcamp, member=member, person=person, by=staff)


@pytest.mark.parametrize("count", [1, 3])
def test_programme_page_queries_flat(
    client, login, count, evaluation_call, make_applications, ready_challenge, lab_staff, mentor, today
):
    applications = make_applications([f"Solver {n}" for n in range(3)])
    preselect(evaluation_call, ready_challenge, applications, lab_staff, applications[:count])
    programme = services.programme_start(call=evaluation_call, by=lab_staff)
    starts = timezone.now() + dt.timedelta(days=1)
    bootcamp = services.bootcamp_save(
        programme=programme,
        by=lab_staff,
        topic="T",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="X",
    )
    for member in CohortMember.objects.filter(programme=programme):
        _busy(member, lab_staff, mentor, today, bootcamp)
    login(lab_staff)
    url = lab_url("programme", evaluation_call)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('href="/strengthening/member/') >= count
    # Same number of queries for one solver as for three.
    assert len(queries) == 23, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_bootcamp_materials_for_the_cohort(
    client, login, programme, lab_staff, member, other_lab, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    starts = timezone.now() + dt.timedelta(days=1)
    bootcamp = services.bootcamp_save(
        programme=programme,
        by=lab_staff,
        topic="Legal",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Lab",
        materials_file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", content_type="application/pdf"),
    )
    url = member_url("bootcamp_materials", member, bootcamp.pk)
    login(member.solver)
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 slides"
    login(LabMembershipFactory(lab=other_lab, role="staff").user)
    assert client.get(url).status_code == 404


def test_bootcamp_materials_refuse_a_disguised_file(programme, lab_staff):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    starts = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.bootcamp_save(
            programme=programme,
            by=lab_staff,
            topic="Legal",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place="Lab",
            materials_file=SimpleUploadedFile("slides.pdf", b"MZ not a pdf"),
        )
    assert list(caught.value.message_dict) == ["materials_file"]
    assert not Bootcamp.objects.exists()


def test_staff_record_a_leave_from_the_page(client, login, member, lab_staff):
    login(lab_staff)
    response = client.post(member_url("leave", member), {"leave-reason": "Merged with another team."})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_reason == "Merged with another team."
    login(member.solver)
    assert client.post(member_url("leave", member), {"leave-reason": "x"}).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_member_page_queries_flat(
    client, login, count, assignment, mentor_user, member, lab_staff, entity_member, today
):
    for n in range(count):
        services.milestone_save(member=member, by=lab_staff, title=f"M{n}", due_on=today)
        services.mentoring_session_record(
            member=member,
            by=mentor_user,
            held_on=today,
            hours=1,
            topics=f"T{n}",
            actions=[{"description": f"A{n}", "due_on": today}],
        )
        services.trl_assess(member=member, by=lab_staff, kind="expert", level=5, evidence={"5": "x"})
        services.work_session_record(
            programme=member.programme,
            member=member,
            by=lab_staff,
            held_at=timezone.now(),
            agenda=f"W{n}",
            hours=1,
            attendees=[entity_member],
        )
        starts = timezone.now() + dt.timedelta(days=1 + n)
        bootcamp = services.bootcamp_save(
            programme=member.programme,
            by=lab_staff,
            topic=f"B{n}",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            place="X",
        )
        services.bootcamp_register(bootcamp=bootcamp, member=member, person=member.solver, by=lab_staff)
    login(lab_staff)
    url = member_url("member", member)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == 25, "\n".join(q["sql"][:120] for q in queries.captured_queries)
