"""Cycle times from explicit transition timestamps: exact medians and quartiles, a state visited twice,
the current state counted up to a frozen now, phases, the year filter, and a bounded query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring.cycle_times import CycleTimes, cycle_times, per_challenge, percentile
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db
NOW = at(2025, 12, 31)


def row(result, key, group="by_state"):
    return next(item for item in getattr(result, group) if item.state == key)


def test_percentiles_interpolate():
    assert percentile([], 0.5) is None
    assert percentile([4], 0.25) == 4
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([10, 20, 30, 40, 50], 0.25) == 20
    assert percentile([10, 20, 30, 40], 0.75) == 32.5


@pytest.fixture
def three(build):
    """Screening took 2, 4 and 10 days; one was sent back for more information (3 days) and screened again
    (another 4 days: 8 in all... see below)."""
    x = build.challenge(
        (S.SUBMITTED, at(2025, 1, 1)),
        (S.IN_SCREENING, at(2025, 1, 2)),  # submitted 1 day
        (S.ACCEPTED, at(2025, 1, 4)),  # screening 2 days
        (S.READY_FOR_CALL, at(2025, 2, 3)),  # accepted 30 days
        (S.IN_CALL, at(2025, 3, 5)),
        (S.PRESELECTED, at(2025, 5, 4)),
        (S.SOLUTION_SELECTED, at(2025, 7, 3)),
    )
    y = build.challenge(
        (S.SUBMITTED, at(2025, 1, 1)),
        (S.IN_SCREENING, at(2025, 1, 4)),  # submitted 3 days
        (S.MORE_INFO_REQUESTED, at(2025, 1, 6)),  # screening 2 days (first stay)
        (S.SUBMITTED, at(2025, 1, 9)),  # more information 3 days; submitted again 1 day
        (S.IN_SCREENING, at(2025, 1, 10)),
        (S.ACCEPTED, at(2025, 1, 12)),  # screening 2 more days: 4 in all
    )
    z = build.challenge(
        (S.SUBMITTED, at(2025, 3, 1)),
        (S.IN_SCREENING, at(2025, 3, 3)),  # submitted 2 days
        (S.DECLINED, at(2025, 3, 13)),  # screening 10 days; declined has no duration
    )
    return x, y, z


def test_time_per_state(three, mlab):
    result = cycle_times(mlab, now=NOW)
    screening = row(result, S.IN_SCREENING)
    assert screening.n == 3
    assert screening.median_days == 4  # 2, 4 (2 + 2), 10
    assert screening.p25 == 3
    assert screening.p75 == 7
    assert screening.mean_days == pytest.approx(5.3, abs=0.05)
    submitted = row(result, S.SUBMITTED)
    assert submitted.median_days == 2  # 1, 4 (3 + 1), 2
    more = row(result, S.MORE_INFO_REQUESTED)
    assert (more.n, more.median_days) == (1, 3)
    assert sum(count for _label, count in screening.histogram) == 3
    assert {str(k): v for k, v in screening.histogram}["up to a week"] == 2


def test_the_current_state_runs_up_to_now(three, mlab):
    # y is accepted since 12 January: 353 days at the end of the year.
    accepted = row(cycle_times(mlab, now=NOW), S.ACCEPTED)
    assert sorted([accepted.n, accepted.median_days]) == [2, 191.5]  # x: 30, y: 353
    assert row(cycle_times(mlab, now=at(2025, 1, 22)), S.ACCEPTED).p75 is not None


def test_phases_and_total(three, mlab):
    result = cycle_times(mlab, now=NOW)
    intake = row(result, "intake", "by_phase")
    assert (intake.n, intake.median_days) == (2, 7)  # x: 3 days, y: 11 days; z never accepted
    characterisation = row(result, "characterisation", "by_phase")
    assert (characterisation.n, characterisation.median_days) == (1, 30)
    assert row(result, "procurement", "by_phase").n == 0
    assert result.total_median_days == 183  # x: 1 January → 3 July
    assert result.total_n == 1
    assert result.challenges == 3


def test_year_filter(three, mlab, build):
    build.challenge((S.SUBMITTED, at(2024, 6, 1)), (S.IN_SCREENING, at(2024, 6, 2)))
    assert cycle_times(mlab, year=2025, now=NOW).challenges == 3
    assert cycle_times(mlab, year=2024, now=NOW).challenges == 1


def test_per_challenge(three):
    x, _y, z = three
    stays = per_challenge(z, now=NOW)
    assert [(state, days) for state, _in, _out, days in stays] == [
        (S.SUBMITTED, 2),
        (S.IN_SCREENING, 10),
        (S.DECLINED, None),
    ]
    assert per_challenge(x, now=NOW)[-1][2] is None  # the current state has not been left


def test_round_trip(three, mlab):
    result = cycle_times(mlab, now=NOW)
    again = CycleTimes.from_dict(result.as_dict())
    assert row(again, S.IN_SCREENING).median_days == 4
    assert again.computed_at == NOW


def test_query_count_does_not_grow(build, mlab):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            cycle_times(mlab, now=NOW)
        return len(captured)

    build.challenge((S.SUBMITTED, at(2025, 1, 1)))
    few = queries()
    for day in range(1, 25):
        build.challenge((S.SUBMITTED, at(2025, 1, day)), (S.ACCEPTED, at(2025, 2, day)))
    assert queries() == few == 1
