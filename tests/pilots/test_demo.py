"""The pilots demo: three MiLAB pilots (one meets its target and scales, one does not and stops — kept as
learning —, one randomised with its seed recorded) and the "Bye bye Robots!" pilot; a second run creates
nothing."""

import pytest

from govlab.challenges.enums import ChallengeStatus
from govlab.demo.loader import load, run_demo_module
from govlab.pilots import analysis, demo, selectors
from govlab.pilots.models import Observation, ObservationImport, Pilot

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
    assert (randomised.design, randomised.status, randomised.decision) == ("randomised", "analysing", "")
    assert (robots.lab.slug, robots.status) == ("govtech-lab-luxembourg", "running")
    assert [m["target_met"] for m in scaled.decision_analysis["metrics"]] == [True]
    assert [m["target_met"] for m in stopped.decision_analysis["metrics"]] == [False]
    assert ObservationImport.objects.get().pilot == scaled
    assert randomised.seed is not None
    assert selectors.verify_assignment(randomised).ok
    result = analysis.analyse(randomised).metrics[0]
    assert result.result.method == "two_proportion_z"
    robots_result = analysis.analyse(robots).metrics
    assert [m.target_met for m in robots_result] == [True, False]
    for pilot in pilots.values():
        pilot.challenge.refresh_from_db()
        assert pilot.challenge.status in (ChallengeStatus.PILOTING, ChallengeStatus.SOLUTION_SELECTED)
    assert stopped in list(selectors.public_pilots_for_challenge(stopped.challenge))
    counts = (Pilot.objects.count(), Observation.objects.count())
    assert demo.load() == {}
    assert (Pilot.objects.count(), Observation.objects.count()) == counts
