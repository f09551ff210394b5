"""The analysis per metric on fixed data, checked against scipy.stats; the plain-language summary; why it
cannot conclude instead of dividing by zero."""

import datetime as dt

import pytest

from govlab.pilots import analysis, services, stats
from govlab.pilots.enums import Design
from tests.pilots.conftest import BASELINE, START, rate_metric

scipy_stats = pytest.importorskip("scipy.stats")

pytestmark = pytest.mark.django_db

BEFORE = [12.0, 13.5, 11.0, 12.5, 14.0]
AFTER = [8.0, 7.0, 9.5, 7.5]


def record(pilot, by, code, group, values, start, unit=None):
    metric = pilot.metrics.get(code=code)
    rows = [
        {
            "metric": metric,
            "unit": unit,
            "group": group,
            "value": str(value),
            "observed_on": start + dt.timedelta(days=day),
        }
        for day, value in enumerate(values)
    ]
    services.observations_record(pilot=pilot, by=by, rows=rows)


def test_before_after_mean_is_welch_after_minus_before(make_pilot, lab_staff):
    pilot = make_pilot()
    record(pilot, lab_staff, "wait", "before", BEFORE, BASELINE)
    record(pilot, lab_staff, "wait", "after", AFTER, START)
    item = analysis.analyse(pilot).metrics[0]
    expected = scipy_stats.ttest_ind(AFTER, BEFORE, equal_var=False)
    interval = expected.confidence_interval(0.95)
    result = item.result
    assert result.method == "welch_t"
    assert (result.n_a, result.n_b) == (5, 4)
    assert result.difference == pytest.approx(sum(AFTER) / 4 - sum(BEFORE) / 5, abs=1e-12)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert result.df == pytest.approx(expected.df, rel=1e-9)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(interval.low, rel=1e-6),
        pytest.approx(interval.high, rel=1e-6),
    )
    assert item.treated_estimate == 8.0
    assert item.change == -4.0  # against the baseline value 12
    assert item.change_pct == pytest.approx(-33.333333333, rel=1e-9)
    assert item.target_met is True  # lower is better, target 8: 8.0 reaches it
    p_text = "p < 0.001" if result.p_value < 0.001 else f"p = {result.p_value:.3f}"
    assert item.sentence == (
        "“Waiting time”: After: 8.00 minutes; Before: 12.60 minutes (difference -4.60, 95% confidence "
        f"interval {result.ci_low:+.2f} to {result.ci_high:+.2f}, {p_text}; Welch's t-test "
        "(unequal variances)). The difference is statistically significant. Change against the baseline "
        "(12.00): -4.00 (-33.3%). Target 8.00 minutes met."
    )


def test_before_after_without_before_data_uses_the_baseline_value(make_pilot, lab_staff):
    pilot = make_pilot()
    record(pilot, lab_staff, "wait", "after", AFTER, START)
    result = analysis.analyse(pilot).metrics[0].result
    expected = scipy_stats.ttest_1samp(AFTER, 12.0)
    interval = expected.confidence_interval(0.95)
    assert result.method == "one_sample_t"
    assert result.estimate_a == 12.0
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert result.ci_low == pytest.approx(interval.low - 12.0, rel=1e-6)
    assert result.ci_high == pytest.approx(interval.high - 12.0, rel=1e-6)


def test_ab_rate_is_the_two_proportion_test_and_the_target_is_not_met(make_pilot, lab_staff):
    pilot = make_pilot(design=Design.AB, metrics=[rate_metric()])
    a = [1] * 12 + [0] * 18  # 40%
    b = [1] * 16 + [0] * 14  # 53.3%
    services.units_set(
        pilot=pilot,
        by=lab_staff,
        units=[{"code": f"a{i}", "arm": "A"} for i in range(30)]
        + [{"code": f"b{i}", "arm": "B"} for i in range(30)],
    )
    units = {u.code: u for u in pilot.units.all()}
    rows = [
        {"metric": "person", "unit": units[f"{arm}{i}"], "value": str(v), "observed_on": START}
        for arm, values in (("a", a), ("b", b))
        for i, v in enumerate(values)
    ]
    services.observations_record(pilot=pilot, by=lab_staff, rows=rows)
    item = analysis.analyse(pilot).metrics[0]
    result = item.result
    p_a, p_b = 12 / 30, 16 / 30
    pooled = 28 / 60
    z = (p_b - p_a) / (pooled * (1 - pooled) * (2 / 30)) ** 0.5
    se = (p_a * (1 - p_a) / 30 + p_b * (1 - p_b) / 30) ** 0.5
    margin = scipy_stats.norm.ppf(0.975) * se
    assert result.method == "two_proportion_z"
    assert result.statistic == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(2 * scipy_stats.norm.sf(z), rel=1e-9)
    assert (result.ci_low, result.ci_high) == (
        pytest.approx(p_b - p_a - margin, rel=1e-9),
        pytest.approx(p_b - p_a + margin, rel=1e-9),
    )
    assert result.significant is False
    assert item.target_met is False  # 53.3% < 60%, higher is better
    assert "two-proportion z-test" in item.sentence
    assert "The difference is not statistically significant at the 95% level." in item.sentence
    assert item.sentence.endswith("Target 60.0% not met.")


def test_a_zero_variance_comparison_says_why_it_cannot_conclude(make_pilot, lab_staff):
    pilot = make_pilot()
    record(pilot, lab_staff, "wait", "before", [12, 12, 12], BASELINE)
    record(pilot, lab_staff, "wait", "after", [8, 8, 8], START)
    item = analysis.analyse(pilot).metrics[0]
    assert (item.result.conclusive, item.result.reason, item.result.p_value) == (False, "zero_variance", None)
    assert item.result.difference == -4.0
    reason = str(stats.REASONS["zero_variance"])
    assert f"We cannot conclude because {reason[0].lower()}{reason[1:]}" in item.sentence
    assert item.target_met is True


def test_tiny_samples_degenerate_rates_and_no_data(make_pilot, lab_staff):
    pilot = make_pilot(
        metrics=[
            {
                "code": "wait",
                "name": "Waiting time",
                "unit": "minutes",
                "kind": "mean",
                "direction": "decrease",
                "baseline": "12",
                "target": "8",
                "how_measured": "Logs.",
            },
            rate_metric(),
            {**rate_metric(code="other"), "name": "Other"},
        ]
    )
    record(pilot, lab_staff, "wait", "before", [12, 13], BASELINE)
    record(pilot, lab_staff, "wait", "after", [9], START)
    record(pilot, lab_staff, "person", "before", [1, 1], BASELINE)
    record(pilot, lab_staff, "person", "after", [1], START)
    wait, person, other = analysis.analyse(pilot).metrics
    assert (wait.result.method, wait.result.conclusive, wait.result.reason) == ("welch_t", False, "too_few")
    assert wait.result.difference == -3.5
    assert "collect more observations" in wait.sentence
    assert (person.result.method, person.result.reason) == ("two_proportion_z", "degenerate_proportions")
    assert person.has_data is True
    assert (other.has_data, other.result.reason, other.target_met) == (False, "no_data", None)
    assert other.sentence.startswith("“Other”: no observations yet — cannot conclude because there are no")


def test_the_analysis_takes_two_queries(make_pilot, lab_staff, django_assert_num_queries):
    pilot = make_pilot(metrics=[rate_metric(), {**rate_metric(code="two"), "name": "Two"}])
    record(pilot, lab_staff, "person", "after", [1, 0, 1], START)
    record(pilot, lab_staff, "two", "after", [1, 1, 0], START)
    with django_assert_num_queries(2):
        result = analysis.analyse(pilot)
    assert result.observations == 6
    snapshot = analysis.snapshot(result)
    assert [m["metric"] for m in snapshot["metrics"]] == ["person", "two"]
    assert snapshot["metrics"][0]["groups"][1] == {
        "group": "after",
        "n": 3,
        "mean": pytest.approx(2 / 3),
        "sd": pytest.approx(0.5773502692),
        "median": 1.0,
        "minimum": 0.0,
        "maximum": 1.0,
    }


def test_units_measured_repeatedly_are_compared_unit_by_unit():
    """Arms go to units: three days of one office are one office, not three independent observations."""
    from types import SimpleNamespace

    from scipy import stats as scipy_stats

    from govlab.pilots.analysis import analyse_metric

    metric = SimpleNamespace(
        kind="mean", baseline=10, target=8, direction="decrease", unit="minutes", name="Wait"
    )
    rows = [
        ("A", 10, None, 1), ("A", 12, None, 1), ("A", 11, None, 2), ("A", 13, None, 2),
        ("A", 12, None, 3), ("B", 8, None, 4), ("B", 9, None, 4), ("B", 7, None, 5), ("B", 10, None, 6),
    ]  # fmt: skip
    item = analyse_metric(metric, "randomised", rows)
    expected = scipy_stats.ttest_ind([11, 12, 12], [8.5, 7, 10], equal_var=False)  # the units' means
    assert item.by_unit is True
    assert (item.result.n_a, item.result.n_b) == (3, 3)
    assert item.result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert item.treated.summary.n == 4  # the tables still describe the observations


def test_a_rate_without_a_before_period_is_tested_against_the_baseline_share():
    from types import SimpleNamespace

    from govlab.pilots.analysis import analyse_metric

    metric = SimpleNamespace(
        kind="rate", baseline=0.4, target=0.6, direction="increase", unit="share of calls", name="Person"
    )
    rows = [("after", 1, None, None)] * 20
    item = analyse_metric(metric, "before_after", rows)
    assert (item.result.method, item.result.conclusive, item.compared_to_baseline_value) == (
        "one_proportion_z",
        True,
        True,
    )
    assert item.target_met is True
