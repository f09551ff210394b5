"""The demo loader: the cohort's programme as history on the call's own calendar (closed, with every kind of
activity inside its window); a second run creates nothing; no call, no demo."""

import datetime as dt
from decimal import Decimal

import pytest

from govlab.calls.models import Call
from govlab.evaluation.selectors import preselected_applications
from govlab.strengthening import demo, selectors, services
from govlab.strengthening.enums import ActionStatus, MilestoneStatus, ProgrammeStatus
from govlab.strengthening.models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)
from tests.strengthening.conftest import preselect

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_call(monkeypatch, evaluation_call, make_applications, ready_challenge, lab_staff):
    """Three solvers preselected for one challenge, in this order; the call has the 2025 cohort's calendar."""
    applications = make_applications(["Alpha Robotics", "Beta Voice", "Gamma Labs"])
    preselect(evaluation_call, ready_challenge, applications, lab_staff, applications)
    monkeypatch.setattr(demo, "LAB", evaluation_call.lab.slug)
    monkeypatch.setattr(demo, "CALL", evaluation_call.slug)
    monkeypatch.setattr(demo, "STAFF", lab_staff.email)
    Call.objects.filter(pk=evaluation_call.pk).update(
        strengthening_starts_on=dt.date(2025, 6, 2),
        strengthening_ends_on=dt.date(2025, 9, 26),
        demo_day_on=dt.date(2025, 10, 16),
    )
    evaluation_call.refresh_from_db()
    evaluation_call.ranked = [a.pk for a in preselected_applications(evaluation_call)]
    return evaluation_call


def test_demo_without_the_call_does_nothing(db):
    assert demo.load() == {}
    assert not Programme.objects.exists()


def test_demo_without_preselection_does_nothing(monkeypatch, evaluation_call):
    monkeypatch.setattr(demo, "LAB", evaluation_call.lab.slug)
    monkeypatch.setattr(demo, "CALL", evaluation_call.slug)
    assert demo.load() == {}
    assert not Programme.objects.exists()


def test_demo_loads_the_closed_programme_once_on_the_calls_calendar(demo_call):
    first = demo.load()
    assert first["programmes"] == 1
    assert first["cohort_members"] == 3
    assert first["bootcamps"] == 4
    assert first["mentors"] == 2
    assert first["mentor_assignments"] == 3
    assert first["registrations"] == 12
    assert first["mentoring_sessions"] == 6
    assert first["actions"] == 12
    assert first["milestones"] == 9
    assert first["work_sessions"] == 3
    assert first["trl_assessments"] == 9
    programme = Programme.objects.get(call=demo_call)
    assert programme.status == ProgrammeStatus.CLOSED
    assert (programme.starts_on, programme.ends_on) == (dt.date(2025, 6, 2), dt.date(2025, 9, 26))
    assert sorted(b.starts_at.date() for b in Bootcamp.objects.filter(programme=programme)) == [
        dt.date(2025, 6, 11),
        dt.date(2025, 7, 2),
        dt.date(2025, 7, 30),
        dt.date(2025, 9, 17),
    ]
    # All four took place: one absent from the legal bootcamp, nobody left unrecorded.
    assert BootcampRegistration.objects.filter(attended=True).count() == 11
    assert BootcampRegistration.objects.filter(attended=False).count() == 1
    assert not BootcampRegistration.objects.filter(attended__isnull=True).exists()
    rows = selectors.cohort_progress(programme)
    assert [(r.trl_entry.level, r.trl_exit.level) for r in rows] == [(4, 6), (5, 7), (4, 5)]
    assert [(r.trl_entry.assessed_on, r.trl_exit.assessed_on) for r in rows] == [
        (dt.date(2025, 6, 4), dt.date(2025, 9, 19))
    ] * 3
    # What was missing is the third-ranked solver's: one agreed action never done, the manual never delivered.
    by_rank = {demo_call.ranked.index(r.member.application_id): r for r in rows}
    assert [by_rank[i].actions.late for i in range(3)] == [0, 0, 1]
    assert [by_rank[i].milestones.late for i in range(3)] == [0, 0, 1]
    assert AgreedAction.objects.filter(status=ActionStatus.DONE).count() == 11
    assert sorted(Milestone.objects.values_list("status", flat=True)) == sorted(
        [MilestoneStatus.ACCEPTED] * 8 + [MilestoneStatus.PLANNED]
    )
    missing = Milestone.objects.get(status=MilestoneStatus.PLANNED)
    assert (missing.member.application_id, missing.title) == (
        demo_call.ranked[2],
        "Manual de operación y métricas del piloto",
    )
    assert sorted(set(Milestone.objects.values_list("due_on", flat=True))) == [
        dt.date(2025, 7, 11),
        dt.date(2025, 8, 15),
        dt.date(2025, 9, 19),
    ]
    for milestone in Milestone.objects.filter(status=MilestoneStatus.ACCEPTED):
        assert milestone.submitted_at.date() < milestone.due_on < milestone.reviewed_at.date()
    totals = selectors.hours_totals(programme)
    # Bootcamps: 11 attendances of 4 h; mentoring 3 x 3.5; work sessions 3 x 2; MVP 120 + 140 + 160; 36 other.
    assert totals["total"] == Decimal("44") + Decimal("10.5") + 6 + 420 + 36
    assert TrlAssessment.objects.count() == 9
    # Every date of the story is inside the programme's window.
    window = (dt.date(2025, 6, 2), dt.date(2025, 9, 26))
    dates = [
        *CohortMember.objects.values_list("joined_at", flat=True),
        *MentorAssignment.objects.values_list("assigned_at", flat=True),
        *BootcampRegistration.objects.values_list("attendance_recorded_at", flat=True),
        *WorkSession.objects.values_list("held_at", flat=True),
    ]
    days = [d.date() for d in dates] + [
        *MentoringSession.objects.values_list("held_on", flat=True),
        *AgreedAction.objects.values_list("due_on", flat=True),
        *AgreedAction.objects.exclude(done_on=None).values_list("done_on", flat=True),
        *HoursEntry.objects.values_list("worked_on", flat=True),
        *TrlAssessment.objects.values_list("assessed_on", flat=True),
    ]
    assert all(window[0] <= d <= window[1] for d in days), sorted(days)

    second = demo.load()
    assert second == {"programmes_skipped": 1}
    assert Programme.objects.count() == 1
    assert TrlAssessment.objects.count() == 9


def test_demo_without_the_calls_dates_ends_the_story_ten_weeks_ago(demo_call):
    Call.objects.filter(pk=demo_call.pk).update(
        strengthening_starts_on=None, strengthening_ends_on=None, demo_day_on=None
    )
    assert demo.load()["programmes"] == 1
    programme = Programme.objects.get(call=demo_call)
    today = services.lab_today(demo_call.lab)
    assert programme.ends_on == today - dt.timedelta(days=70)
    assert programme.starts_on == programme.ends_on - dt.timedelta(days=116)
    assert programme.status == ProgrammeStatus.CLOSED


def test_demo_does_nothing_while_the_story_is_not_over(demo_call):
    today = services.lab_today(demo_call.lab)
    Call.objects.filter(pk=demo_call.pk).update(
        strengthening_starts_on=today - dt.timedelta(days=100),
        strengthening_ends_on=today + dt.timedelta(days=16),
        demo_day_on=today + dt.timedelta(days=30),
    )
    assert demo.load() == {}
    assert not Programme.objects.exists()


def test_demo_on_the_milab_cohort():
    """On the real demo data (challenges, calls and evaluation loaded before), MiLAB's cohort runs."""
    from govlab.calls import demo as calls_demo
    from govlab.challenges import demo as challenges_demo
    from govlab.demo.loader import load as base_load
    from govlab.evaluation import demo as evaluation_demo

    base_load(with_challenges=False)
    challenges_demo.load()
    calls_demo.load()
    evaluation_demo.load()
    call = Call.objects.filter(lab__slug="milab", slug="cohorte-govtech-2025").first()
    if call is None or not preselected_applications(call).exists():
        pytest.skip("The MiLAB 2025 cohort is not in the demo data yet.")
    cohort = preselected_applications(call).count()
    first = demo.load()
    assert first["cohort_members"] == cohort
    assert first["bootcamps"] == 4
    rows = selectors.cohort_progress(Programme.objects.get(call=call))
    assert rows[0].trl_entry.level == 4
    assert rows[0].trl_exit.level == 6
    # The solvers preselected third for their challenge are the ones late: "one or two" in this cohort.
    ranked: dict[int, list[int]] = {}
    for application in preselected_applications(call):
        ranked.setdefault(application.challenge_id, []).append(application.pk)
    thirds = {pk for pks in ranked.values() for pk in pks[2:]}
    assert 1 <= len(thirds) <= 2
    assert {r.member.application_id for r in rows if r.actions.late} == thirds
    assert {r.member.application_id for r in rows if r.milestones.late} == thirds
    programme = Programme.objects.get(call=call)
    assert (programme.starts_on, programme.ends_on, programme.status) == (
        call.strengthening_starts_on,
        call.strengthening_ends_on,
        ProgrammeStatus.CLOSED,
    )
    assert demo.load() == {"programmes_skipped": 1}
