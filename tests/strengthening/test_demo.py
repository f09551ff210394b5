"""The demo loader: a running programme for the cohort, with every kind of activity; a second run creates
nothing; no call, no demo."""

import pytest

from govlab.calls.models import Call
from govlab.strengthening import demo, selectors
from govlab.strengthening.enums import ActionStatus, MilestoneStatus, ProgrammeStatus
from govlab.strengthening.models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    Milestone,
    Programme,
    TrlAssessment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_call(monkeypatch, preselected_call, lab_staff):
    monkeypatch.setattr(demo, "LAB", preselected_call.lab.slug)
    monkeypatch.setattr(demo, "CALL", preselected_call.slug)
    monkeypatch.setattr(demo, "STAFF", lab_staff.email)
    return preselected_call


def test_demo_without_the_call_does_nothing(db):
    assert demo.load() == {}
    assert not Programme.objects.exists()


def test_demo_without_preselection_does_nothing(monkeypatch, evaluation_call):
    monkeypatch.setattr(demo, "LAB", evaluation_call.lab.slug)
    monkeypatch.setattr(demo, "CALL", evaluation_call.slug)
    assert demo.load() == {}
    assert not Programme.objects.exists()


def test_demo_loads_a_running_programme_once(demo_call):
    first = demo.load()
    assert first["programmes"] == 1
    assert first["cohort_members"] == 2
    assert first["bootcamps"] == 4
    assert first["mentors"] == 2
    assert first["mentor_assignments"] == 2
    assert first["registrations"] == 8
    assert first["mentoring_sessions"] == 4
    assert first["actions"] == 8
    assert first["milestones"] == 6
    assert first["work_sessions"] == 2
    assert first["trl_assessments"] == 6
    programme = Programme.objects.get(call=demo_call)
    assert programme.status == ProgrammeStatus.RUNNING
    assert Bootcamp.objects.filter(programme=programme).count() == 4
    assert (
        BootcampRegistration.objects.filter(attended=True).count() == 5
    )  # one absent from the legal bootcamp
    assert BootcampRegistration.objects.filter(attended__isnull=True).count() == 2  # pitching is coming
    rows = selectors.cohort_progress(programme)
    assert [(r.trl_entry.level, r.trl_exit.level) for r in rows] == [(4, 6), (5, 7)]
    assert [r.actions.late for r in rows] == [1, 0]
    assert AgreedAction.objects.filter(status=ActionStatus.DONE).count() == 5
    assert sorted(Milestone.objects.values_list("status", flat=True)) == sorted(
        [MilestoneStatus.ACCEPTED] * 2
        + [MilestoneStatus.SUBMITTED, MilestoneStatus.PLANNED]
        + [MilestoneStatus.PLANNED] * 2
    )
    assert [r.milestones.late for r in rows] == [0, 1]
    totals = selectors.hours_totals(programme)
    # Bootcamps: 5 attendances of 4 h; mentoring 2 x 3.5; work sessions 2 x 2; MVP 120 + 140; 36 other.
    assert totals["total"] == 20 + 7 + 4 + 260 + 36
    assert TrlAssessment.objects.count() == 6

    second = demo.load()
    assert second == {"programmes_skipped": 1}
    assert Programme.objects.count() == 1
    assert TrlAssessment.objects.count() == 6


def test_demo_on_the_milab_cohort():
    """On the real demo data (challenges, calls and evaluation loaded before), MiLAB's cohort runs."""
    from govlab.calls import demo as calls_demo
    from govlab.challenges import demo as challenges_demo
    from govlab.demo.loader import load as base_load
    from govlab.evaluation import demo as evaluation_demo
    from govlab.evaluation.selectors import preselected_applications

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
    assert rows[0].actions.late == 1
    assert demo.load() == {"programmes_skipped": 1}
