"""The strengthening services: each write, who may make it, and each refusal leaving nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.labs.enums import LabRole
from govlab.labs.models import LabMembership
from govlab.notifications.models import Notification
from govlab.strengthening import selectors, services
from govlab.strengthening.enums import ActionStatus, ActivityKind, MilestoneStatus, ProgrammeStatus
from govlab.strengthening.models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    Mentor,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)
from tests.factories import OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = (
    Programme,
    CohortMember,
    Bootcamp,
    BootcampRegistration,
    Mentor,
    MentorAssignment,
    MentoringSession,
    AgreedAction,
    WorkSession,
    Milestone,
    HoursEntry,
    TrlAssessment,
    AuditEntry,
    Notification,
    LabMembership,
)


def state() -> dict:
    """Everything a refused service could have changed."""
    return {
        **{model.__name__: model.objects.count() for model in MODELS},
        "programmes": list(Programme.objects.values_list("pk", "status")),
        "registrations": list(BootcampRegistration.objects.values_list("pk", "attended", "hours")),
        "milestones": list(Milestone.objects.values_list("pk", "status", "review_note")),
        "actions": list(AgreedAction.objects.values_list("pk", "status", "done_on")),
        "assignments": list(MentorAssignment.objects.values_list("pk", "ended_at")),
        "mentors": list(Mentor.objects.values_list("pk", "is_active")),
    }


def refused(code, fn, **kwargs):
    before = state()
    with pytest.raises(ValidationError) as caught:
        fn(**kwargs)
    assert caught.value.code == code
    assert state() == before
    return caught.value


def _timeline_last(challenge):
    from govlab.challenges.models import ChallengeEvent

    return ChallengeEvent.objects.filter(challenge=challenge).order_by("-pk").first()


# --- The programme ---------------------------------------------------------------------------------


def test_programme_start_forms_the_cohort_and_moves_the_challenge(
    preselected_call, lab_staff, ready_challenge
):
    applications = preselected_call.applications_made
    before = Notification.objects.count()
    programme = services.programme_start(call=preselected_call, by=lab_staff)
    assert programme.status == ProgrammeStatus.RUNNING
    assert sorted(
        CohortMember.objects.filter(programme=programme).values_list("application_id", flat=True)
    ) == sorted(a.pk for a in applications[:2])
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.STRENGTHENING
    entry = AuditEntry.objects.filter(action="strengthening.programme.start").get()
    assert entry.changes["cohort"] == [[], sorted(a.reference for a in applications[:2])]
    assert entry.changes["challenges"] == [[], [ready_challenge.reference]]
    told = Notification.objects.filter(kind="strengthening.started")
    assert Notification.objects.count() - before == told.count() == 2
    assert {n.recipient_id for n in told} == {applications[0].member.pk, applications[1].member.pk}


def test_programme_start_refused_to_a_solver(preselected_call, solver_member):
    refused("not_allowed", services.programme_start, call=preselected_call, by=solver_member)


def test_programme_start_refused_without_preselection(evaluation_call, lab_staff):
    refused("no_cohort", services.programme_start, call=evaluation_call, by=lab_staff)


def test_programme_start_refused_twice(programme, lab_staff):
    refused("already_started", services.programme_start, call=programme.call, by=lab_staff)


def test_programme_start_refuses_an_end_before_the_start(preselected_call, lab_staff, ready_challenge):
    error = refused(
        "invalid",
        services.programme_start,
        call=preselected_call,
        by=lab_staff,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    assert "ends_on" in error.message_dict
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED


def test_programme_close(programme, lab_staff, solver_member):
    refused("not_allowed", services.programme_close, programme=programme, by=solver_member)
    services.programme_close(programme=programme, by=lab_staff)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CLOSED
    refused("not_running", services.programme_close, programme=programme, by=lab_staff)


# --- Bootcamps -------------------------------------------------------------------------------------


def test_bootcamp_save_tells_the_cohort(programme, lab_staff, members):
    starts = timezone.now() + dt.timedelta(days=2)
    bootcamp = services.bootcamp_save(
        programme=programme,
        by=lab_staff,
        topic="Legal aspects of public purchasing",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3, minutes=30),
        link="https://meet.example/legal",
        capacity=10,
    )
    assert bootcamp.duration_hours == Decimal("3.50")
    told = Notification.objects.filter(kind="strengthening.bootcamp")
    assert {n.recipient_id for n in told} == {m.solver.pk for m in members}
    assert told.first().subject == "Bootcamp scheduled: Legal aspects of public purchasing"
    assert AuditEntry.objects.filter(action="strengthening.bootcamp.add").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"topic": " "}, "topic"),
        ({"ends_at": "start"}, "ends_at"),
        ({"place": "", "link": ""}, "place"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_bootcamp_save_refuses_bad_input(programme, lab_staff, change, field):
    starts = timezone.now() + dt.timedelta(days=2)
    values = {
        "topic": "Pitching",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "place": "Lab",
    }
    values.update(change)
    if values["ends_at"] == "start":
        values["ends_at"] = starts
    error = refused("invalid", services.bootcamp_save, programme=programme, by=lab_staff, **values)
    assert list(error.message_dict) == [field]


def test_bootcamp_save_refused_to_a_mentor(programme, mentor_user):
    starts = timezone.now()
    refused(
        "not_allowed",
        services.bootcamp_save,
        programme=programme,
        by=mentor_user,
        topic="Pitching",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="Lab",
    )


def test_register_and_record_attendance(bootcamp, member, other_member, lab_staff):
    colleague = OrganisationMembershipFactory(
        organisation=member.application.organisation, role="member"
    ).user
    first = services.bootcamp_register(
        bootcamp=bootcamp, member=member, person=member.solver, by=member.solver
    )
    second = services.bootcamp_register(bootcamp=bootcamp, member=member, person=colleague, by=member.solver)
    third = services.bootcamp_register(
        bootcamp=bootcamp, member=other_member, person=other_member.solver, by=lab_staff
    )
    with freeze_time(bootcamp.starts_at + dt.timedelta(hours=5)):
        refused(
            "not_allowed",
            services.attendance_record,
            bootcamp=bootcamp,
            by=member.solver,
            rows=[{"registration": first.pk, "attended": True}],
        )
        services.attendance_record(
            bootcamp=bootcamp,
            by=lab_staff,
            rows=[
                {"registration": first.pk, "attended": True},
                {"registration": second.pk, "attended": True, "hours": Decimal("2.5")},
                {"registration": third.pk, "attended": False},
            ],
        )
    assert list(BootcampRegistration.objects.order_by("pk").values_list("attended", "hours")) == [
        (True, Decimal("4.00")),
        (True, Decimal("2.50")),
        (False, Decimal("0.00")),
    ]
    hours, _shared = selectors.hours_by_member([member, other_member])
    assert hours[member.pk] == {ActivityKind.BOOTCAMP: Decimal("6.50")}
    assert hours[other_member.pk] == {}


def test_attendance_refuses_a_bad_row_and_records_none(bootcamp, member, lab_staff, programme):
    registration = services.bootcamp_register(
        bootcamp=bootcamp, member=member, person=member.solver, by=member.solver
    )
    with freeze_time(bootcamp.starts_at + dt.timedelta(hours=1)):
        error = refused(
            "invalid",
            services.attendance_record,
            bootcamp=bootcamp,
            by=lab_staff,
            rows=[
                {"registration": registration.pk, "attended": True},
                {"registration": 999999, "attended": True},
            ],
        )
        assert list(error.message_dict) == ["rows.1.registration"]
        error = refused(
            "invalid",
            services.attendance_record,
            bootcamp=bootcamp,
            by=lab_staff,
            rows=[{"registration": registration.pk, "attended": False, "hours": "3"}],
        )
        assert list(error.message_dict) == ["rows.0.hours"]


def test_attendance_refused_before_the_bootcamp(bootcamp, member, lab_staff):
    registration = services.bootcamp_register(
        bootcamp=bootcamp, member=member, person=member.solver, by=member.solver
    )
    refused(
        "not_started",
        services.attendance_record,
        bootcamp=bootcamp,
        by=lab_staff,
        rows=[{"registration": registration.pk, "attended": True}],
    )


def test_register_refusals(bootcamp, member, other_member, lab_staff, programme):
    # Another solver may not register this solver's people.
    refused(
        "not_allowed",
        services.bootcamp_register,
        bootcamp=bootcamp,
        member=member,
        person=member.solver,
        by=other_member.solver,
    )
    # Only the solver's own people.
    refused(
        "invalid",
        services.bootcamp_register,
        bootcamp=bootcamp,
        member=member,
        person=other_member.solver,
        by=member.solver,
    )
    services.bootcamp_register(bootcamp=bootcamp, member=member, person=member.solver, by=member.solver)
    refused(
        "duplicate",
        services.bootcamp_register,
        bootcamp=bootcamp,
        member=member,
        person=member.solver,
        by=member.solver,
    )
    Bootcamp.objects.filter(pk=bootcamp.pk).update(capacity=1)
    refused(
        "full",
        services.bootcamp_register,
        bootcamp=bootcamp,
        member=other_member,
        person=other_member.solver,
        by=other_member.solver,
    )
    with freeze_time(bootcamp.ends_at + dt.timedelta(minutes=1)):
        Bootcamp.objects.filter(pk=bootcamp.pk).update(capacity=None)
        refused(
            "over",
            services.bootcamp_register,
            bootcamp=bootcamp,
            member=other_member,
            person=other_member.solver,
            by=other_member.solver,
        )


# --- Mentors ---------------------------------------------------------------------------------------


def test_mentor_add_gives_the_lab_role(lab, lab_staff):
    person = UserFactory(full_name="New Mentor")
    mentor = services.mentor_add(lab=lab, user=person, by=lab_staff, expertise="Negotiation")
    assert LabMembership.objects.filter(lab=lab, user=person, role=LabRole.MENTOR).count() == 1
    assert mentor.is_active
    refused("duplicate", services.mentor_add, lab=lab, user=person, by=lab_staff)


def test_mentor_add_refused_to_a_mentor(lab, mentor_user):
    refused("not_allowed", services.mentor_add, lab=lab, user=UserFactory(), by=mentor_user)


def test_mentor_assign_tells_the_mentor_and_the_solver(mentor, member, lab_staff, mentor_user):
    assignment = services.mentor_assign(mentor=mentor, member=member, by=lab_staff)
    told = Notification.objects.filter(kind="strengthening.mentor_assigned")
    assert {n.recipient_id for n in told} == {mentor_user.pk, member.solver.pk}
    refused("duplicate", services.mentor_assign, mentor=mentor, member=member, by=lab_staff)
    services.mentor_unassign(assignment=assignment, by=lab_staff)
    refused("ended", services.mentor_unassign, assignment=assignment, by=lab_staff)


def test_mentor_assign_refuses_an_inactive_mentor(mentor, member, lab_staff):
    services.mentor_deactivate(mentor=mentor, by=lab_staff)
    refused("invalid", services.mentor_assign, mentor=mentor, member=member, by=lab_staff)


def test_mentor_sees_only_assigned_members(assignment, mentor_user, member, other_member, programme):
    assert list(selectors.visible_members(mentor_user, programme)) == [member]
    assert selectors.member_for(mentor_user, other_member.pk) is None
    assert list(selectors.mentored_members(mentor_user)) == [member]


# --- Mentoring -------------------------------------------------------------------------------------


def test_mentoring_session_with_actions(assignment, mentor_user, member, today):
    session = services.mentoring_session_record(
        member=member,
        by=mentor_user,
        held_on=today,
        hours="1.5",
        topics="Value proposition",
        notes="Talked about public buyers.",
        actions=[
            {"description": "Rewrite the pitch", "owner": "CEO", "due_on": today - dt.timedelta(days=1)},
            {"description": "Meet the legal team", "due_on": today + dt.timedelta(days=7)},
        ],
    )
    assert session.mentor == assignment.mentor
    assert session.hours == Decimal("1.50")
    assert list(AgreedAction.objects.filter(member=member).values_list("description", "status")) == [
        ("Rewrite the pitch", ActionStatus.OPEN),
        ("Meet the legal team", ActionStatus.OPEN),
    ]
    (progress,) = selectors.progress_for([member])
    assert (progress.actions.done, progress.actions.late, progress.actions.open) == (0, 1, 1)
    late = AgreedAction.objects.get(description="Rewrite the pitch")
    services.action_set_status(action=late, by=member.solver, status=ActionStatus.DONE)
    late.refresh_from_db()
    assert (late.status, late.done_on) == (ActionStatus.DONE, today)
    (progress,) = selectors.progress_for([member])
    assert (progress.actions.done, progress.actions.late, progress.actions.open) == (1, 0, 1)
    assert progress.hours[ActivityKind.MENTORING] == Decimal("1.50")


def test_mentoring_refused_to_an_unassigned_mentor(mentor, other_member, mentor_user, assignment, today):
    refused(
        "not_allowed",
        services.mentoring_session_record,
        member=other_member,
        by=mentor_user,
        held_on=today,
        hours=1,
        topics="Stakeholders",
    )


def test_mentoring_refuses_bad_input(assignment, mentor_user, member, today):
    error = refused(
        "invalid",
        services.mentoring_session_record,
        member=member,
        by=mentor_user,
        held_on=today + dt.timedelta(days=1),
        hours="-1",
        topics="",
        actions=[{"description": "", "due_on": None}],
    )
    assert sorted(error.message_dict) == [
        "actions.0.description",
        "actions.0.due_on",
        "held_on",
        "hours",
        "topics",
    ]


def test_action_status_refused_to_another_solver(assignment, mentor_user, member, other_member, today):
    services.mentoring_session_record(
        member=member,
        by=mentor_user,
        held_on=today,
        hours=1,
        topics="Negotiation",
        actions=[{"description": "Send the offer", "due_on": today}],
    )
    action = AgreedAction.objects.get()
    refused("not_allowed", services.action_set_status, action=action, by=other_member.solver, status="done")


# --- Work sessions ---------------------------------------------------------------------------------


def test_work_session_by_the_entity(programme, member, entity_member, today):
    held = timezone.now() - dt.timedelta(days=1)
    session = services.work_session_record(
        programme=programme,
        member=member,
        by=entity_member,
        held_at=held,
        agenda="Data access for the pilot",
        attendees=[entity_member, member.solver],
        other_attendees="Legal adviser of the ministry",
        decisions="Open the test database.",
        alignment_issues="Procurement timeline unclear.",
        hours=2,
    )
    assert session.challenge == member.application.challenge
    assert set(session.attendees.all()) == {entity_member, member.solver}
    (progress,) = selectors.progress_for([member])
    assert progress.hours[ActivityKind.WORK_SESSION] == Decimal("2.00")


def test_work_session_attendees_are_people_of_the_session(programme, member, entity_member):
    from tests.factories import UserFactory

    stranger = UserFactory(email="someone.else@example.org")
    error = refused(
        "invalid",
        services.work_session_record,
        programme=programme,
        member=member,
        by=entity_member,
        held_at=timezone.now() - dt.timedelta(days=1),
        agenda="Data access for the pilot",
        attendees=[entity_member, stranger],
        hours=1,
    )
    assert error.message_dict == {"attendees": ["Choose people from the entity, the solver or the lab."]}


def test_work_session_refused_to_a_solver(programme, member):
    refused(
        "not_allowed",
        services.work_session_record,
        programme=programme,
        member=member,
        by=member.solver,
        held_at=timezone.now(),
        agenda="x",
        hours=1,
    )


# --- Milestones ------------------------------------------------------------------------------------


def test_milestone_submit_and_accept_by_the_entity(programme, member, lab_staff, entity_member, today):
    milestone = services.milestone_save(
        member=member, by=lab_staff, title="MVP deployed in test", due_on=today + dt.timedelta(days=10)
    )
    services.milestone_submit(milestone=milestone, by=member.solver, evidence_url="https://demo.example/mvp")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert milestone.submitted_by == member.solver
    services.milestone_review(milestone=milestone, by=entity_member, accept=True, note="Works with our data.")
    milestone.refresh_from_db()
    assert (milestone.status, milestone.accepted_by, milestone.review_note) == (
        MilestoneStatus.ACCEPTED,
        entity_member,
        "Works with our data.",
    )
    notice = Notification.objects.filter(kind="strengthening.milestone_reviewed").get()
    assert (notice.recipient, notice.subject) == (member.solver, "Milestone accepted: MVP deployed in test")
    refused(
        "submitted", services.milestone_submit, milestone=milestone, by=member.solver, evidence_text="again"
    )
    refused(
        "accepted",
        services.milestone_save,
        milestone=milestone,
        member=member,
        by=lab_staff,
        title="x",
        due_on=today,
    )


def test_milestone_refusals(programme, member, other_member, lab_staff, today):
    milestone = services.milestone_save(member=member, by=lab_staff, title="MVP", due_on=today)
    refused(
        "not_allowed",
        services.milestone_submit,
        milestone=milestone,
        by=other_member.solver,
        evidence_text="x",
    )
    refused("invalid", services.milestone_submit, milestone=milestone, by=member.solver)
    refused("not_submitted", services.milestone_review, milestone=milestone, by=lab_staff, accept=True)
    services.milestone_submit(milestone=milestone, by=member.solver, evidence_text="Screenshots")
    refused("not_allowed", services.milestone_review, milestone=milestone, by=member.solver, accept=True)
    error = refused("invalid", services.milestone_review, milestone=milestone, by=lab_staff, accept=False)
    assert list(error.message_dict) == ["review_note"]
    services.milestone_review(milestone=milestone, by=lab_staff, accept=False, note="No test data.")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.REJECTED
    # A rejected milestone can be submitted again.
    services.milestone_submit(milestone=milestone, by=member.solver, evidence_text="Now with test data")
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.SUBMITTED


def test_milestone_late_in_progress(programme, member, lab_staff, today):
    services.milestone_save(member=member, by=lab_staff, title="Late", due_on=today - dt.timedelta(days=1))
    services.milestone_save(member=member, by=lab_staff, title="Coming", due_on=today)
    (progress,) = selectors.progress_for([member])
    assert (progress.milestones.done, progress.milestones.late, progress.milestones.open) == (0, 1, 1)


# --- Hours -----------------------------------------------------------------------------------------


def test_hours_totals(programme, member, other_member, lab_staff, today):
    services.hours_record(
        programme=programme, member=member, by=member.solver, kind="mvp", hours=30, worked_on=today
    )
    services.hours_record(programme=programme, by=lab_staff, kind="other", hours="12.5", worked_on=today)
    services.hours_record(
        programme=programme, member=other_member, by=lab_staff, kind="mvp", hours=8, worked_on=today
    )
    totals = selectors.hours_totals(programme)
    assert [(row["member"].pk, row["total"]) for row in totals["members"]] == [
        (member.pk, Decimal("30.00")),
        (other_member.pk, Decimal("8.00")),
    ]
    assert totals["shared"][ActivityKind.OTHER] == Decimal("12.50")
    assert totals["cohort"][ActivityKind.MVP] == Decimal("38.00")
    assert totals["total"] == Decimal("50.50")


def test_hours_refusals(programme, member, other_member, today):
    refused(
        "not_allowed",
        services.hours_record,
        programme=programme,
        member=member,
        by=other_member.solver,
        kind="mvp",
        hours=1,
        worked_on=today,
    )
    refused(
        "not_allowed",
        services.hours_record,
        programme=programme,
        by=member.solver,
        kind="mvp",
        hours=1,
        worked_on=today,
    )
    error = refused(
        "invalid",
        services.hours_record,
        programme=programme,
        member=member,
        by=member.solver,
        kind="nap",
        hours="lots",
        worked_on=today + dt.timedelta(days=1),
    )
    assert sorted(error.message_dict) == ["hours", "kind", "worked_on"]


# --- TRL -------------------------------------------------------------------------------------------


def test_trl_entry_and_exit(assignment, mentor_user, member, lab_staff, today):
    assert selectors.trl_entry_exit(member) == (None, None)
    entry = services.trl_assess(
        member=member,
        by=member.solver,
        kind="self",
        level=5,
        evidence={"4": "Lab prototype", "5": "Tested with sample receipts"},
        assessed_on=today - dt.timedelta(days=60),
    )
    expert_first = services.trl_assess(
        member=member,
        by=mentor_user,
        kind="expert",
        level=4,
        evidence={"4": "Works only on lab data"},
        assessed_on=today - dt.timedelta(days=59),
    )
    services.trl_assess(member=member, by=member.solver, kind="self", level=7, evidence={"7": "Pilot"})
    exit_ = services.trl_assess(member=member, by=lab_staff, kind="expert", level=6, evidence={"6": "Demo"})
    assert selectors.trl_entry_exit(member) == (entry, exit_)
    assert TrlAssessment.objects.filter(member=member).count() == 4
    expert_first.refresh_from_db()
    assert expert_first.level == 4  # history kept as it was
    (progress,) = selectors.progress_for([member])
    assert (progress.trl_entry.level, progress.trl_exit.level) == (5, 6)
    assert progress.has_self_assessment
    assert progress.has_expert_assessment


def test_trl_refusals(assignment, mentor_user, member, other_member, today):
    refused(
        "not_allowed",
        services.trl_assess,
        member=member,
        by=mentor_user,
        kind="self",
        level=4,
        evidence={"4": "x"},
    )
    refused(
        "not_allowed",
        services.trl_assess,
        member=member,
        by=member.solver,
        kind="expert",
        level=4,
        evidence={"4": "x"},
    )
    refused(
        "not_allowed",
        services.trl_assess,
        member=other_member,
        by=mentor_user,
        kind="expert",
        level=4,
        evidence={"4": "x"},
    )
    refused(
        "not_allowed",
        services.trl_assess,
        member=member,
        by=other_member.solver,
        kind="self",
        level=4,
        evidence={"4": "x"},
    )
    error = refused("invalid", services.trl_assess, member=member, by=member.solver, kind="self", level=10)
    assert list(error.message_dict) == ["level"]
    error = refused(
        "invalid",
        services.trl_assess,
        member=member,
        by=member.solver,
        kind="self",
        level=5,
        evidence={"4": "x"},
    )
    assert list(error.message_dict) == ["evidence.5"]
    error = refused(
        "invalid",
        services.trl_assess,
        member=member,
        by=member.solver,
        kind="self",
        level=5,
        evidence={"5": "x"},
        assessed_on=today + dt.timedelta(days=1),
    )
    assert list(error.message_dict) == ["assessed_on"]


def test_progress_lists_what_is_missing(programme, member):
    (progress,) = selectors.progress_for([member])
    assert progress.missing == ["TRL self-assessment", "TRL expert assessment", "a mentor", "MVP milestones"]


def test_member_leave_ends_the_mentoring(assignment, member, lab_staff, mentor_user, programme):
    refused("not_allowed", services.member_leave, member=member, by=member.solver, reason="x")
    refused("invalid", services.member_leave, member=member, by=lab_staff, reason=" ")
    services.member_leave(member=member, by=lab_staff, reason="The team dissolved.")
    member.refresh_from_db()
    assert member.left_reason == "The team dissolved."
    assignment.refresh_from_db()
    assert assignment.ended_at == member.left_at
    mentor_user = type(mentor_user).objects.get(pk=mentor_user.pk)
    assert selectors.member_for(mentor_user, member.pk) is None
    refused("left", services.member_leave, member=member, by=lab_staff, reason="Again")
