"""The pilots demo: three MiLAB pilots on the 2025 cohort call's calendar, all ended and decided before its
Demo Day (one meets its target and scales, one does not and stops — kept as learning —, one randomised with
its seed recorded, to iterate) and the "Bye bye Robots!" pilot, running now; a second run creates
nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.demo.loader import load, run_demo_module
from govlab.pilots import analysis, demo, selectors
from govlab.pilots.models import Observation, ObservationImport, Pilot
from govlab.strengthening.demo import cohort_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def preselected():
    """The demo up to the evaluation (the pilots' own demo is run by the tests)."""
    load(with_challenges=False)
    for name in ("govlab.challenges.demo", "govlab.calls.demo", "govlab.evaluation.demo"):
        assert run_demo_module(name)


def test_demo_pilots_and_idempotence(preselected):
    created = demo.load()
    assert created["pilots"] == 4
    assert created["observations"] == Observation.objects.count()
    pilots = {p.title: p for p in Pilot.objects.select_related("challenge", "lab")}
    scaled = pilots["Respuesta ágil a solicitudes ciudadanas"]
    stopped = pilots["Asistente de trámites en puntos de atención"]
    randomised = pilots["Trámite en línea asistido — asignación aleatoria de oficinas"]
    robots = pilots["Human first call routing"]
    assert (scaled.design, scaled.status, scaled.decision) == ("before_after", "decided", "scale")
    assert (stopped.design, stopped.status, stopped.decision) == ("ab", "decided", "stop")
    assert (randomised.design, randomised.status, randomised.decision) == ("randomised", "decided", "iterate")
    assert (robots.lab.slug, robots.status) == ("govtech-lab-luxembourg", "running")
    assert [m["target_met"] for m in scaled.decision_analysis["metrics"]] == [True]
    assert [m["target_met"] for m in stopped.decision_analysis["metrics"]] == [False]
    assert ObservationImport.objects.get().pilot == scaled
    assert randomised.seed is not None
    assert selectors.verify_assignment(randomised).ok
    result = analysis.analyse(randomised).metrics[0]
    # Each office was measured on several days: the rate is compared office by office (12 offices).
    assert (result.by_unit, result.result.method) == (True, "welch_t")
    assert result.result.n_a + result.result.n_b == randomised.units.count()
    robots_result = analysis.analyse(robots).metrics
    assert [m.target_met for m in robots_result] == [True, False]
    for pilot in pilots.values():
        pilot.challenge.refresh_from_db()
        assert pilot.challenge.status in (ChallengeStatus.PILOTING, ChallengeStatus.SOLUTION_SELECTED)
    assert stopped in list(selectors.public_pilots_for_challenge(stopped.challenge))
    # MiLAB's pilots: inside the call's strengthening window, decided before its Demo Day.
    call = scaled.application.call
    assert (call.strengthening_starts_on, call.demo_day_on) == (dt.date(2025, 6, 2), dt.date(2025, 10, 16))
    zone = zoneinfo.ZoneInfo(cohort_calendar(call).zone)
    windows = [
        (p.baseline_starts_on, p.starts_on, p.ends_on, timezone.localtime(p.decided_at, zone).date())
        for p in (scaled, stopped, randomised)
    ]
    assert windows == [
        (dt.date(2025, 6, 3), dt.date(2025, 7, 1), dt.date(2025, 9, 19), dt.date(2025, 9, 23)),
        (None, dt.date(2025, 7, 8), dt.date(2025, 9, 12), dt.date(2025, 9, 16)),
        (None, dt.date(2025, 7, 15), dt.date(2025, 9, 19), dt.date(2025, 9, 24)),
    ]
    for pilot in (scaled, stopped, randomised):
        assert timezone.localtime(pilot.started_at, zone).date() == pilot.starts_on
        days = list(pilot.observations.values_list("group", "observed_on"))
        assert all(
            (pilot.baseline_starts_on <= day < pilot.starts_on)
            if group == "before"
            else (pilot.starts_on <= day <= pilot.ends_on)
            for group, day in days
        )
    assert randomised.randomised_at < randomised.started_at
    assert timezone.localtime(ObservationImport.objects.get().imported_at, zone).date() == scaled.ends_on
    # "Bye bye Robots!" is the live example: running today.
    assert robots.starts_on < timezone.localdate() < robots.ends_on
    counts = (Pilot.objects.count(), Observation.objects.count())
    assert demo.load() == {}
    assert (Pilot.objects.count(), Observation.objects.count()) == counts
