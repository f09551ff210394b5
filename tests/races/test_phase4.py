# ruff: noqa: F811  (pytest fixtures imported from the app conftests are redefined as arguments)
"""Concurrent phase-4 writes, raced on PostgreSQL: starting a programme, randomising a pilot, recording
observations, selecting a Demo Day's solution, a juror's scores, scoring against closing, and a score
against the juror's removal.

Each race meets (``Rendezvous``) right after the read that decides, inside the service's transaction:
with the lock, the second thread cannot reach that read until the first has committed, so the meeting
never happens (``met`` is False) and the second sees the first's write; without the lock, both would read
the same state and both would write.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls.models import Call
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, ChallengeTransition
from govlab.demoday import services as demoday_services
from govlab.demoday.enums import DemoDayStatus
from govlab.demoday.models import DemoDay, JuryMember, JuryScore, Outcome, Selection
from govlab.evaluation import selectors as evaluation_selectors
from govlab.notifications.models import Notification
from govlab.organisations.selectors import organisation_people
from govlab.pilots import randomisation
from govlab.pilots import services as pilot_services
from govlab.pilots.models import Observation, ObservationImport, Pilot, PilotUnit
from govlab.strengthening import services as strengthening_services
from govlab.strengthening.enums import ProgrammeStatus
from govlab.strengthening.models import CohortMember, Programme
from tests.demoday.conftest import (  # noqa: F401  (fixtures)
    cohort_call,
    criteria_of,
    demo_day,
    make_demo_day,
    make_juror_user,
    ready_day,
    scored_day,
)
from tests.evaluation.conftest import (  # noqa: F401  (fixtures)
    entity,
    evaluation_call,
    lab_staff,
    make_call,
    make_ready_challenge,
    make_submitted,
    ready_challenge,
)
from tests.factories import LabMembershipFactory
from tests.pilots.conftest import application, cohort, make_pilot  # noqa: F401  (fixtures)
from tests.strengthening.conftest import make_applications, preselected_call  # noqa: F401  (fixtures)

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, pause_before, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colleague(lab):
    """A second member of the lab's team, so that two people act at once."""
    return LabMembershipFactory(lab=lab, role="staff").user


def _only_error(outcomes) -> ValidationError:
    errors = errors_of(outcomes)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError), repr(errors[0])
    return errors[0]


# --- 1. Starting the strengthening programme ------------------------------------------------------


def test_starting_the_programme_twice_at_once_starts_it_once(
    preselected_call, ready_challenge, lab_staff, colleague, monkeypatch
):
    cohort = preselected_call.applications_made[:2]
    people = organisation_people({a.organisation_id for a in cohort})
    meeting = Rendezvous()
    # After the lock and the "already started?" check; the cohort is read next, then written.
    pause_after(evaluation_selectors, "preselected_applications", meeting, monkeypatch)

    def start(by):
        call = Call.objects.select_related("lab").get(pk=preselected_call.pk)
        return lambda: strengthening_services.programme_start(call=call, by=by)

    outcomes = race(start(lab_staff), start(colleague))

    error = _only_error(outcomes)
    assert error.code == "already_started"
    assert error.message_dict == {"__all__": ["The programme has already started."]}
    [winner] = [o.value for o in outcomes if o.ok]
    programme = Programme.objects.get()
    assert (programme.pk, programme.call_id, programme.status) == (
        winner.pk,
        preselected_call.pk,
        ProgrammeStatus.RUNNING,
    )
    assert sorted(CohortMember.objects.values_list("programme_id", "application_id")) == sorted(
        (programme.pk, a.pk) for a in cohort
    )
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.STRENGTHENING
    assert list(
        ChallengeTransition.objects.filter(
            challenge=ready_challenge, to_status=ChallengeStatus.STRENGTHENING
        ).values_list("from_status", flat=True)
    ) == [ChallengeStatus.PRESELECTED]
    assert AuditEntry.objects.filter(action="strengthening.programme.start").count() == 1
    assert sorted(
        Notification.objects.filter(kind="strengthening.started").values_list("recipient_id", flat=True)
    ) == sorted(p.pk for p in people)
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 2. Randomising a pilot ------------------------------------------------------------------------


def test_randomising_a_pilot_twice_at_once_draws_once(make_pilot, lab_staff, colleague, monkeypatch):
    pilot = make_pilot(design="randomised", start=False)
    codes = [f"office-{i}" for i in range(1, 9)]
    pilot_services.units_set(pilot=pilot, by=lab_staff, units=[{"code": c} for c in codes])
    pilot = pilot_services.pilot_start(pilot=pilot, by=lab_staff)
    meeting = Rendezvous()
    # After the lock and the "already randomised?" check: the seed is drawn, then the arms written.
    pause_after(randomisation, "draw_seed", meeting, monkeypatch)

    def randomise(by):
        fresh = Pilot.objects.get(pk=pilot.pk)
        return lambda: pilot_services.pilot_randomise(pilot=fresh, by=by)

    outcomes = race(randomise(lab_staff), randomise(colleague))

    error = _only_error(outcomes)
    assert error.code == "already_randomised"
    [winner] = [o.value for o in outcomes if o.ok]
    stored = Pilot.objects.get(pk=pilot.pk)
    assert stored.seed == winner.seed
    assert error.message_dict == {
        "__all__": [f"The units were already randomised with seed {stored.seed}: the draw is kept."]
    }
    expected = randomisation.assign(codes, ["A", "B"], stored.seed)
    assert dict(PilotUnit.objects.filter(pilot=pilot).values_list("code", "arm")) == expected
    assert stored.randomisation_algorithm == randomisation.ALGORITHM
    assert stored.assignment_fingerprint == randomisation.fingerprint(expected)
    [entry] = AuditEntry.objects.filter(action="pilot.randomise", target_id=str(pilot.pk))
    assert entry.changes["seed"] == [None, stored.seed]
    assert entry.changes["fingerprint"] == [None, stored.assignment_fingerprint]
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 3. Recording the same observations twice ------------------------------------------------------

CSV = (
    b"metric,period,observed_on,value\n"
    b"wait,before,2026-01-05,12\n"
    b"wait,after,2026-03-02,8\n"
    b"wait,after,2026-03-03,7.5\n"
)
ALREADY = "An observation of this metric, unit, day and period is already recorded."


def _recorded():
    return sorted(
        Observation.objects.values_list("metric__code", "group", "observed_on", "value", "source", "batch_id")
    )


def test_the_same_csv_imported_twice_at_once_is_stored_once(make_pilot, lab_staff, colleague, monkeypatch):
    pilot = make_pilot()
    meeting = Rendezvous()
    # After the lock and the read of what is already recorded; the batch and its rows are written next.
    pause_after(pilot_services, "_duplicates", meeting, monkeypatch)

    def upload(by, name):
        fresh = Pilot.objects.get(pk=pilot.pk)
        return lambda: pilot_services.observation_import_csv(pilot=fresh, by=by, content=CSV, file_name=name)

    outcomes = race(upload(lab_staff, "first.csv"), upload(colleague, "second.csv"))

    error = _only_error(outcomes)
    assert isinstance(error, pilot_services.ImportRefused)
    assert error.code == "csv"
    assert error.rows == [(row, "observed_on", ALREADY) for row in (2, 3, 4)]
    [batch] = [o.value for o in outcomes if o.ok]
    assert list(ObservationImport.objects.values_list("pk", "rows", "file_name")) == [
        (batch.pk, 3, batch.file_name)
    ]
    assert _recorded() == sorted(
        [
            ("wait", "before", dt.date(2026, 1, 5), Decimal("12"), "csv", batch.pk),
            ("wait", "after", dt.date(2026, 3, 2), Decimal("8"), "csv", batch.pk),
            ("wait", "after", dt.date(2026, 3, 3), Decimal("7.5"), "csv", batch.pk),
        ]
    )
    assert AuditEntry.objects.filter(action="pilot.observations.import").count() == 1
    assert not AuditEntry.objects.filter(action="pilot.observations").exists()
    assert meeting.met is False  # the lock kept the second thread from the decisive read


def test_the_same_observations_recorded_twice_at_once_are_stored_once(
    make_pilot, lab_staff, colleague, monkeypatch
):
    pilot = make_pilot()
    rows = [
        {"metric": "wait", "group": "before", "observed_on": "2026-01-05", "value": "12"},
        {"metric": "wait", "group": "after", "observed_on": "2026-03-02", "value": "8"},
    ]
    meeting = Rendezvous()
    pause_after(pilot_services, "_duplicates", meeting, monkeypatch)

    def record(by):
        fresh = Pilot.objects.get(pk=pilot.pk)
        return lambda: pilot_services.observations_record(pilot=fresh, by=by, rows=rows)

    outcomes = race(record(lab_staff), record(colleague))

    error = _only_error(outcomes)
    assert error.code == "duplicate"
    assert error.message_dict == {"0.observed_on": [ALREADY], "1.observed_on": [ALREADY]}
    assert _recorded() == [
        ("wait", "after", dt.date(2026, 3, 2), Decimal("8"), "api", None),
        ("wait", "before", dt.date(2026, 1, 5), Decimal("12"), "api", None),
    ]
    assert AuditEntry.objects.filter(action="pilot.observations").count() == 1
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 4. Selecting the solution of a challenge ------------------------------------------------------


def test_two_selections_for_one_challenge_at_once_select_once(scored_day, lab_staff, colleague, monkeypatch):
    alpha, beta = scored_day.alpha, scored_day.beta
    challenge = alpha.challenge
    meeting = Rendezvous()
    # After the locks and the "already selected?" check: the cohort is read next, then the selection written.
    pause_after(demoday_services, "preselected_applications", meeting, monkeypatch)

    def select(by, winner, loser):
        day = DemoDay.objects.select_related("call__lab").get(pk=scored_day.pk)
        return lambda: demoday_services.select_solution(
            demo_day=day,
            challenge=challenge,
            application=winner,
            reasons=f"{winner.reference} convinced the jury.",
            feedback={loser.pk: f"Feedback for {loser.reference}."},
            by=by,
        )

    outcomes = race(select(lab_staff, alpha, beta), select(colleague, beta, alpha))

    error = _only_error(outcomes)
    assert error.code == "decided"
    assert error.message_dict == {"__all__": ["The solution for this challenge has already been selected."]}
    [[selection]] = [o.value for o in outcomes if o.ok]
    chosen = selection.application_id
    other = beta.pk if chosen == alpha.pk else alpha.pk
    assert list(Selection.objects.values_list("pk", "challenge_id", "application_id")) == [
        (selection.pk, challenge.pk, chosen)
    ]
    reference = {alpha.pk: alpha.reference, beta.pk: beta.reference}
    assert sorted(Outcome.objects.values_list("application_id", "selected", "feedback")) == sorted(
        [
            (chosen, True, f"{reference[chosen]} convinced the jury."),
            (other, False, f"Feedback for {reference[other]}."),
        ]
    )
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.SOLUTION_SELECTED
    assert list(
        ChallengeTransition.objects.filter(
            challenge=challenge, to_status=ChallengeStatus.SOLUTION_SELECTED
        ).values_list("from_status", flat=True)
    ) == [ChallengeStatus.PRESELECTED]
    assert AuditEntry.objects.filter(action="demoday.select").count() == 1
    assert Notification.objects.filter(kind="demoday.selected").count() == len(
        organisation_people(Selection.objects.get().application.organisation_id)
    )
    assert DemoDay.objects.get(pk=scored_day.pk).status == DemoDayStatus.DECIDED
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 5. One juror's scores, saved twice at once ----------------------------------------------------


def test_a_jurors_two_saves_at_once_keep_one_score_per_criterion(ready_day, lab_staff, monkeypatch):
    demoday_services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    alpha = ready_day.alpha
    demoday_services.jury_declare(member=ana, application=alpha, has_conflict=False, by=ana.user)
    criteria = criteria_of(ready_day)
    meeting = Rendezvous()
    # After the Demo Day's lock and the read of the juror's rows (none yet): the first row is written.
    pause_before(JuryScore.objects, "create", meeting, monkeypatch)

    def save(level):
        member = JuryMember.objects.get(pk=ana.pk)
        return lambda: demoday_services.score_save(
            member=member,
            application=alpha,
            by=member.user,
            scores={str(c.pk): level for c in criteria},
        )

    outcomes = race(save(2), save(5))

    # Both are saved, one after the other: the later one wins, as a change of the earlier one.
    assert errors_of(outcomes) == []
    first, second = (
        entry.changes["scores"] for entry in AuditEntry.objects.filter(action="demoday.score").order_by("pk")
    )
    earlier = first[str(criteria[0].pk)][1]
    later = 5 if earlier == 2 else 2
    assert first == {str(c.pk): [None, earlier] for c in criteria}
    assert second == {str(c.pk): [earlier, later] for c in criteria}
    assert sorted(
        JuryScore.objects.filter(member=ana, application=alpha).values_list("criterion_id", "score")
    ) == sorted((c.pk, later) for c in criteria)
    assert JuryScore.objects.count() == len(criteria)
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 6. Scoring against closing --------------------------------------------------------------------


def test_a_score_racing_the_close_lands_before_it_or_is_refused(ready_day, lab_staff, monkeypatch):
    demoday_services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    alpha = ready_day.alpha
    demoday_services.jury_declare(member=ana, application=alpha, has_conflict=False, by=ana.user)
    criteria = criteria_of(ready_day)
    # A score is judged by when its request arrived: one that arrived before the close is kept even if
    # written after it (by design). So stamp this one later than the close can be: it may then be kept only
    # if it was written while scoring was still open.
    late = timezone.now() + dt.timedelta(hours=1)
    meeting = Rendezvous()
    # The juror meets after reading that scoring is open; the lab after writing the close.
    pause_after(demoday_services, "_require_scoring_open", meeting, monkeypatch)
    pause_after(demoday_services, "audit_record", meeting, monkeypatch)
    member = JuryMember.objects.get(pk=ana.pk)
    day = DemoDay.objects.select_related("call__lab").get(pk=ready_day.pk)

    outcomes = race(
        lambda: demoday_services.score_save(
            member=member,
            application=alpha,
            by=member.user,
            scores={str(c.pk): 4 for c in criteria},
            received_at=late,
        ),
        lambda: demoday_services.demo_day_set_status(
            demo_day=day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff
        ),
    )

    scored, closed = outcomes
    assert closed.ok, closed.error
    day.refresh_from_db()
    assert day.status == DemoDayStatus.SCORING_CLOSED
    stored = list(JuryScore.objects.values_list("score", "updated_at"))
    if scored.ok:
        assert sorted(s for s, _ in stored) == [4] * len(criteria)
        assert all(updated < day.scoring_closed_at for _, updated in stored)
    else:
        assert isinstance(scored.error, ValidationError)
        assert scored.error.code == "scoring_closed"
        assert stored == []
        assert not AuditEntry.objects.filter(action="demoday.score").exists()
    assert meeting.met is False  # the lock kept the second thread from the decisive read


# --- 7. A score racing the juror's removal ---------------------------------------------------------


class _Until:
    """Hold the first call in each racing thread until ``event`` is set, never more than ``timeout``."""

    def __init__(self, event: threading.Event, timeout: float = 2.0):
        self.event, self.timeout = event, timeout
        self._seen = threading.local()

    def wait(self) -> None:
        if threading.current_thread() is threading.main_thread() or getattr(self._seen, "done", False):
            return
        self._seen.done = True
        self.event.wait(self.timeout)


def test_a_score_racing_the_jurors_removal_is_not_saved_after_it(ready_day, lab_staff, monkeypatch):
    demoday_services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    bo = ready_day.jurors[1]
    alpha = ready_day.alpha
    demoday_services.jury_declare(member=bo, application=alpha, has_conflict=False, by=bo.user)
    criteria = criteria_of(ready_day)
    removed = threading.Event()
    # The juror has been checked ("still on the jury"); the removal then commits before the score goes on.
    pause_after(demoday_services, "_require_juror", _Until(removed), monkeypatch)
    member = JuryMember.objects.get(pk=bo.pk)
    target = JuryMember.objects.select_related("demo_day__call__lab").get(pk=bo.pk)

    def remove():
        try:
            return demoday_services.juror_remove(member=target, by=lab_staff)
        finally:
            removed.set()

    scored, gone = race(
        lambda: demoday_services.score_save(
            member=member, application=alpha, by=member.user, scores={str(c.pk): 3 for c in criteria}
        ),
        remove,
    )

    assert gone.ok, gone.error
    removed_at = JuryMember.objects.get(pk=bo.pk).removed_at
    assert removed_at is not None
    stored = list(JuryScore.objects.filter(member=bo).values_list("updated_at", flat=True))
    if scored.ok:  # Saved before the removal: the lock held the removal back.
        assert len(stored) == len(criteria)
        assert all(updated < removed_at for updated in stored)
    else:  # Or refused, once the removal is committed.
        assert isinstance(scored.error, ValidationError)
        assert scored.error.code == "not_allowed"
        assert stored == []
        assert not AuditEntry.objects.filter(action="demoday.score").exists()
