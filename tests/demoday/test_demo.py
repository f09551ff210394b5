"""The Demo Day demo: MiLAB's 2025 cohort through the services, idempotent; nothing without the call.

The first tests build their own preselected ``milab/cohorte-govtech-2025`` call with the fixtures (fast, and
independent of the other demo data); the last one runs the whole demo loader."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from govlab.calls.models import Call
from govlab.challenges.enums import ChallengeStatus
from govlab.demoday import aggregation, demo
from govlab.demoday.enums import DemoDayStatus, JurorRole
from govlab.demoday.models import DemoDay, JuryDeclaration, JuryMember, JuryScore, Outcome, Pitch, Selection
from govlab.notifications.models import Notification
from tests.factories import LabFactory, LabMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(db):
    return LabFactory(slug="milab", time_zone="America/Bogota")


@pytest.fixture
def milab_cohort(cohort_call, lab):
    LabMembershipFactory(lab=lab, role="staff", user=UserFactory(email="staff@milab.example"))
    # The slug and the calendar of MiLAB's 2025 cohort call.
    Call.objects.filter(pk=cohort_call.pk).update(
        slug=demo.CALL,
        strengthening_starts_on=dt.date(2025, 6, 2),
        strengthening_ends_on=dt.date(2025, 9, 26),
        demo_day_on=dt.date(2025, 10, 16),
    )
    cohort_call.refresh_from_db()
    return cohort_call


def test_nothing_without_the_cohort_call(db):
    assert demo.load() == {}
    assert not DemoDay.objects.exists()


def test_demo_runs_the_whole_demo_day_once(milab_cohort):
    created = demo.load()
    alpha, beta, _gamma = milab_cohort.cohort
    assert created == {
        "demo_days": 1,
        "criteria": 4,
        "pitches": 2,
        "users": 4,
        "email_addresses": 4,
        "jurors": 4,
        "declarations": 8,
        "scores": 4 * 7,
        "selections": 1,
    }
    day = DemoDay.objects.get(call=milab_cohort)
    assert day.status == DemoDayStatus.DECIDED
    # On the call's Demo Day, from 15:00 Bogotá time; scored during the pitches, decided at 18:00.
    bogota = zoneinfo.ZoneInfo("America/Bogota")
    assert day.starts_at == dt.datetime(2025, 10, 16, 15, 0, tzinfo=bogota)
    assert day.scoring_opened_at == day.starts_at
    assert day.scoring_closed_at == dt.datetime(2025, 10, 16, 15, 45, tzinfo=bogota)
    assert day.decided_at == dt.datetime(2025, 10, 16, 18, 0, tzinfo=bogota)
    saved = sorted(set(JuryScore.objects.values_list("updated_at", flat=True)))
    assert saved[0] == dt.datetime(2025, 10, 16, 15, 13, tzinfo=bogota)
    assert saved[-1] == dt.datetime(2025, 10, 16, 15, 31, tzinfo=bogota)
    agenda = Pitch.objects.order_by("order").values_list("application_id", flat=True)
    assert list(agenda) == [alpha.pk, beta.pk]
    assert [c.weight for c in day.criteria.order_by("position")] == [35, 25, 20, 20]
    jury = list(JuryMember.objects.filter(demo_day=day).select_related("user").order_by("pk"))
    assert [m.user.email for m in jury] == [email for email, _name, _role in demo.JURY]
    assert jury[0].role == JurorRole.CHAIR
    conflict = JuryDeclaration.objects.get(has_conflict=True)
    assert (conflict.member_id, conflict.application_id) == (jury[2].pk, alpha.pk)
    assert not JuryScore.objects.filter(member=jury[2], application=alpha).exists()
    rows = aggregation.ranking(day)
    assert [(r.application_id, r.rank, r.n_jurors) for r in rows] == [(alpha.pk, 1, 3), (beta.pk, 2, 4)]
    selection = Selection.objects.get()
    assert selection.application_id == alpha.pk
    assert selection.reasons == demo.REASONS
    assert selection.decided_at == day.decided_at
    assert set(Outcome.objects.values_list("decided_at", flat=True)) == {day.decided_at}
    assert Outcome.objects.get(application=beta).feedback == demo.FEEDBACK
    alpha.challenge.refresh_from_db()
    assert alpha.challenge.status == ChallengeStatus.SOLUTION_SELECTED
    assert Notification.objects.filter(kind="demoday.not_selected", recipient=beta.member).count() == 1
    # A second run creates nothing.
    assert demo.load() == {"demo_days_skipped": 1}
    assert DemoDay.objects.count() == 1
    assert JuryScore.objects.count() == 28


def test_nothing_before_the_demo_day_has_taken_place(milab_cohort):
    Call.objects.filter(pk=milab_cohort.pk).update(demo_day_on=timezone.localdate() + dt.timedelta(days=5))
    assert demo.load() == {}
    assert not DemoDay.objects.exists()


PHASE_5 = {"procuring", "implementing", "closed"}


def test_the_full_demo_has_a_milab_demo_day_with_a_winner_per_challenge(db):
    from govlab.demo.loader import load

    load()
    demo.load()  # in case the loader's chain stopped before the Demo Day (a phase without a demo yet)
    call = Call.objects.filter(lab__slug="milab", slug=demo.CALL).first()
    if call is None:
        pytest.skip("The demo has no MiLAB 2025 cohort call yet.")
    day = DemoDay.objects.get(call=call)
    assert day.status == DemoDayStatus.DECIDED
    assert timezone.localtime(day.starts_at, zoneinfo.ZoneInfo("America/Bogota")).date() == call.demo_day_on
    challenges = set(Pitch.objects.filter(demo_day=day).values_list("application__challenge_id", flat=True))
    assert set(Selection.objects.filter(demo_day=day).values_list("challenge_id", flat=True)) == challenges
    # The jury weighs the pilots, all decided before the Demo Day: a stopped pilot's solution is not selected.
    from govlab.pilots.models import Pilot

    pilots = list(Pilot.objects.filter(application__call=call))
    assert sorted(p.decision for p in pilots) == ["iterate", "scale", "stop"]
    assert all(p.decided_at < day.starts_at for p in pilots)
    selected = set(Selection.objects.filter(demo_day=day).values_list("application_id", flat=True))
    assert {p.application_id for p in pilots if p.decision != "stop"} <= selected
    assert not {p.application_id for p in pilots if p.decision == "stop"} & selected
    # ... and the selected solvers delivered every milestone of the programme.
    from govlab.strengthening.models import Milestone

    assert (
        not Milestone.objects.filter(member__application_id__in=selected).exclude(status="accepted").exists()
    )
    assert JuryDeclaration.objects.filter(member__demo_day=day, has_conflict=True).count() == 1
    # Each challenge's timeline tells the same story, in order: the steps before the call, publication,
    # preselection, the programme, the pilot, the Demo Day's selection.
    from govlab.challenges.models import ChallengeTransition

    for selection in Selection.objects.filter(demo_day=day):
        steps = list(
            ChallengeTransition.objects.filter(challenge_id=selection.challenge_id)
            .order_by("pk")
            .values_list("to_status", "created_at")
        )
        assert [when for _status, when in steps] == sorted(when for _status, when in steps)
        dates = dict(steps)
        assert dates["in_call"] == call.published_at
        assert timezone.localtime(dates["preselected"], zoneinfo.ZoneInfo("America/Bogota")).date() == (
            call.preselection_on
        )
        assert dates["solution_selected"] == selection.decided_at
        # The Demo Day ends phase 4 in 2025; the purchase (phase 5) follows in the months after.
        assert max(when for status, when in steps if status not in PHASE_5).year == 2025
    assert demo.load() == {"demo_days_skipped": 1}
