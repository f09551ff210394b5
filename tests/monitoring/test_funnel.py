"""The funnel against the hand-counted world (see conftest.world), and its query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring.funnel import Funnel, funnel
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


def counts(result):
    return {stage.key: stage.count for stage in result.stages}


def test_stages_count_what_ever_reached_them(world, mlab):
    result = funnel(mlab)
    assert counts(result) == {
        "submitted": 4,  # A (sent back and resubmitted: once), B, C, E; never the draft D
        "accepted": 3,  # A, C, E
        "ready": 1,
        "in_call": 1,
        "applications": 2,  # the withdrawn application and the draft are left out
        "preselected": 1,
        "piloted": 2,
        "selected": 0,
        "procured": 0,
        "implemented": 0,
    }
    accepted = result.stages[1]
    assert str(accepted.rate_from_previous) == "75.0"
    assert str(accepted.rate_from_first) == "75.0"
    assert result.stages[0].rate_from_previous is None
    assert result.stages[-1].rate_from_previous is None  # nothing procured: no rate, not 0
    assert str(result.stages[-1].rate_from_first) == "0.0"
    assert result.stages[0].records_url
    assert {stage.unit for stage in result.stages} == {"challenges", "applications", "solutions"}


def test_exits_name_their_reasons(world, mlab):
    exits = {(e.stage_key, e.reason_key): e.count for e in funnel(mlab).exits}
    assert exits == {
        ("submitted", "no_budget"): 1,  # B declined
        ("accepted", "withdrawn"): 1,  # C withdrawn once accepted
        ("applications", "lower_score"): 1,  # app2 not preselected
        ("piloted", "pilot_stopped"): 1,
    }


def test_year_keeps_the_challenges_first_submitted_that_year(world, mlab):
    assert counts(funnel(mlab, year=2024))["submitted"] == 2  # A and B (A's resubmission is the same year)
    assert counts(funnel(mlab, year=2024))["applications"] == 2  # A's, received in 2025
    assert counts(funnel(mlab, year=2023))["accepted"] == 1  # E
    assert counts(funnel(mlab, year=2025))["applications"] == 0


def test_by_campaign_and_by_call(world, mlab):
    by_campaign = counts(funnel(mlab, campaign=world["campaign"]))
    assert by_campaign["submitted"] == 2  # A and B
    assert by_campaign["applications"] == 2
    by_call = counts(funnel(mlab, call=world["call"]))
    assert by_call["in_call"] == 1
    assert by_call["applications"] == 2
    assert by_call["piloted"] == 2


def test_round_trips_through_a_snapshot(world, mlab):
    result = funnel(mlab)
    again = Funnel.from_dict(result.as_dict())
    assert counts(again) == counts(result)
    assert again.stages[1].rate_from_previous == result.stages[1].rate_from_previous


def test_query_count_does_not_grow_with_the_data(build, mlab):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            funnel(mlab)
            funnel(mlab, year=2025)
        return len(captured)

    build.challenge((S.SUBMITTED, at(2025, 1, 1)), (S.DECLINED, at(2025, 1, 2)), decline_reason="duplicate")
    few = queries()
    for day in range(1, 20):
        challenge = build.challenge(
            (S.SUBMITTED, at(2025, 1, day)),
            (S.ACCEPTED, at(2025, 2, day)),
            (S.READY_FOR_CALL, at(2025, 3, day)),
        )
        call = build.call(challenge, published=at(2025, 4, 1))
        build.application(call, challenge, submitted=at(2025, 4, 2))
        build.challenge((S.SUBMITTED, at(2025, 1, day)), (S.WITHDRAWN, at(2025, 1, day + 1)))
    assert queries() == few
