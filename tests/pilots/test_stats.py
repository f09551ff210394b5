"""The pilots' statistics against scipy.stats on fixed data (scipy is a development dependency only)."""

import math
import random
from decimal import Decimal

import pytest

from govlab.pilots import stats

scipy_stats = pytest.importorskip("scipy.stats")

REL = 1e-9
REL_QUANTILE = 1e-7

CONTROL = [12.1, 14.3, 11.8, 13.9, 15.2, 12.7, 13.3, 14.8, 12.2, 13.6]
TREATMENT = [15.4, 13.1, 19.8, 17.2, 16.9, 22.4, 14.6]  # fewer units, far larger spread


def close(actual, expected, rel=REL):
    return actual == pytest.approx(expected, rel=rel, abs=0)


def assert_matches_scipy_welch(a, b, confidence=0.95):
    result = stats.welch(a, b, confidence=confidence)
    # scipy tests mean(first) - mean(second); the Result's difference is B - A, so B goes first.
    reference = scipy_stats.ttest_ind(b, a, equal_var=False)
    var_a, var_b = scipy_stats.tvar(a) / len(a), scipy_stats.tvar(b) / len(b)
    df = (var_a + var_b) ** 2 / (var_a**2 / (len(a) - 1) + var_b**2 / (len(b) - 1))
    margin = scipy_stats.t.ppf((1 + confidence) / 2, df) * math.sqrt(var_a + var_b)
    difference = sum(b) / len(b) - sum(a) / len(a)
    assert result.method == "welch_t"
    assert result.conclusive is True
    assert result.reason == ""
    assert (result.n_a, result.n_b) == (len(a), len(b))
    assert close(result.estimate_a, sum(a) / len(a))
    assert close(result.estimate_b, sum(b) / len(b))
    assert close(result.difference, difference)
    assert close(result.statistic, reference.statistic)
    assert close(result.p_value, reference.pvalue)
    assert close(result.df, df)
    assert close(result.ci_low, difference - margin)
    assert close(result.ci_high, difference + margin)
    assert result.confidence == confidence
    # scipy ≥ 1.11 computes the same interval itself.
    interval = reference.confidence_interval(confidence_level=confidence)
    assert close(result.ci_low, interval.low)
    assert close(result.ci_high, interval.high)
    assert close(result.df, reference.df)
    return result


# --- distributions -----------------------------------------------------------------------------------

DFS = [1, 2, 2.5, 5, 30, 1000]


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("t", [-1e6, -40.0, -8.0, -3.0, -1.96, -0.5, 0.0, 0.3, 1.0, 2.0, 5.0, 10.0, 100.0])
def test_t_cdf_matches_scipy(df, t):
    assert close(stats.t_cdf(t, df), scipy_stats.t.cdf(t, df))


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize("t", [2.0, 8.0, 40.0, 1e4])
def test_t_cdf_far_tail_keeps_relative_precision(df, t):
    expected = scipy_stats.t.sf(t, df)
    assert close(stats.t_cdf(-t, df), expected)
    assert (stats.t_cdf(-t, df) > 0) is bool(expected > 0)  # no loss to 0 (only where it underflows)


def test_t_cdf_closed_forms():
    # df = 1 is the Cauchy distribution; df = 2 has a closed form too.
    for t in [-1e8, -3.7, -1e-8]:
        assert close(stats.t_cdf(t, 1), math.atan(-1 / t) / math.pi)  # = ½ + atan(t)/π, no cancellation
    for t in [-3.7, -1e-8, 1e-8, 0.2, 4.4]:
        assert close(stats.t_cdf(t, 1), 0.5 + math.atan(t) / math.pi)
        assert close(stats.t_cdf(t, 2), 0.5 + t / (2 * math.sqrt(2 + t * t)))


@pytest.mark.parametrize("df", DFS)
@pytest.mark.parametrize(
    "q", [1e-12, 1e-5, 0.001, 0.025, 0.1, 0.3, 0.49, 0.500001, 0.6, 0.9, 0.975, 0.999, 1 - 1e-9]
)
def test_t_ppf_matches_scipy(df, q):
    assert close(stats.t_ppf(q, df), scipy_stats.t.ppf(q, df), rel=REL_QUANTILE)


@pytest.mark.parametrize("df", DFS)
def test_t_ppf_inverts_t_cdf(df):
    for q in [1e-9, 0.01, 0.2, 0.7, 0.995]:
        assert close(stats.t_cdf(stats.t_ppf(q, df), df), q)


def test_t_ppf_fixed_points():
    assert stats.t_ppf(0.5, 7) == 0.0
    assert stats.t_ppf(0.0, 7) == -math.inf
    assert stats.t_ppf(1.0, 7) == math.inf
    assert close(stats.t_ppf(1e-300, 1), -1 / (math.pi * 1e-300), rel=1e-12)


def test_large_df_matches_scipy_and_infinite_df_is_normal():
    assert close(stats.t_cdf(-2.5, 1e5), scipy_stats.t.cdf(-2.5, 1e5))
    assert close(stats.t_ppf(0.975, 1e5), scipy_stats.t.ppf(0.975, 1e5), rel=REL_QUANTILE)
    assert stats.t_cdf(1.3, math.inf) == stats.normal_cdf(1.3)
    assert stats.t_ppf(0.9, math.inf) == stats.normal_ppf(0.9)


@pytest.mark.parametrize("x", [-37.0, -10.0, -3.0, -1.0, 0.0, 0.5, 1.96, 6.0])
def test_normal_cdf_matches_scipy(x):
    assert close(stats.normal_cdf(x), scipy_stats.norm.cdf(x))


@pytest.mark.parametrize("q", [1e-300, 1e-12, 0.001, 0.025, 0.2, 0.5, 0.8, 0.975, 0.995, 1 - 1e-12])
def test_normal_ppf_matches_scipy(q):
    expected = scipy_stats.norm.ppf(q)
    if expected == 0:
        assert stats.normal_ppf(q) == 0.0
    else:
        assert close(stats.normal_ppf(q), expected, rel=REL_QUANTILE)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (stats.t_cdf, (1.0, 0)),
        (stats.t_cdf, (1.0, -2)),
        (stats.t_cdf, (math.nan, 3)),
        (stats.t_cdf, (1.0, math.nan)),
        (stats.t_ppf, (1.5, 3)),
        (stats.t_ppf, (-0.1, 3)),
        (stats.t_ppf, (0.5, 0)),
        (stats.normal_ppf, (math.nan,)),
        (stats.normal_cdf, (math.nan,)),
    ],
)
def test_distributions_refuse_invalid_arguments(call, args):
    with pytest.raises(ValueError):  # noqa: PT011 — the message is not the point here
        call(*args)


# --- summaries ---------------------------------------------------------------------------------------


def test_summarise_matches_scipy():
    summary = stats.summarise(TREATMENT)
    assert summary.n == 7
    assert close(summary.mean, scipy_stats.tmean(TREATMENT))
    assert close(summary.sd, scipy_stats.tstd(TREATMENT))
    assert summary.median == 16.9
    assert summary.minimum == 13.1
    assert summary.maximum == 22.4
    assert stats.summarise([4, 1, 3, 2]).median == 2.5


def test_summarise_edge_cases():
    assert stats.summarise([]) == stats.Summary(
        n=0, mean=None, sd=None, median=None, minimum=None, maximum=None
    )
    assert stats.summarise([Decimal("2.5")]) == stats.Summary(
        n=1, mean=2.5, sd=None, median=2.5, minimum=2.5, maximum=2.5
    )
    # All equal: exactly zero spread, not a rounding residue.
    assert stats.summarise([0.1, 0.1, 0.1]) == stats.Summary(
        n=3, mean=0.1, sd=0.0, median=0.1, minimum=0.1, maximum=0.1
    )


# --- Welch's t-test ----------------------------------------------------------------------------------


def test_welch_unequal_variances_and_sizes():
    result = assert_matches_scipy_welch(CONTROL, TREATMENT)
    assert result.significant is True
    assert result.ci_low > 0


def test_welch_tiny_samples():
    result = assert_matches_scipy_welch([3.0, 5.0], [4.0, 9.5])
    assert result.df < 2
    assert result.significant is False


def test_welch_other_confidence_level():
    result = assert_matches_scipy_welch(CONTROL, TREATMENT, confidence=0.9)
    wider = stats.welch(CONTROL, TREATMENT, confidence=0.99)
    assert wider.ci_low < result.ci_low < result.ci_high < wider.ci_high
    assert wider.p_value == result.p_value


def test_welch_negative_difference_and_values():
    result = assert_matches_scipy_welch([-1.0, -2.5, 0.5, -0.75], [-4.0, -6.5, -3.25, -5.0, -4.5])
    assert result.difference < 0
    assert result.statistic < 0


def test_welch_large_samples():
    rng = random.Random(20261204)
    a = [rng.gauss(50.0, 9.0) for _ in range(5000)]
    b = [rng.gauss(50.4, 12.0) for _ in range(4000)]
    result = assert_matches_scipy_welch(a, b)
    assert result.df > 7000


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")  # scipy on a constant arm
def test_welch_one_arm_without_variance_still_works():
    result = assert_matches_scipy_welch([10.0, 10.0, 10.0, 10.0], [11.0, 12.5, 10.5, 13.0])
    assert result.df == pytest.approx(3.0, rel=1e-12)  # all of the spread comes from B (n - 1 = 3)


def test_welch_decimal_input():
    as_decimals = stats.welch([Decimal(str(x)) for x in CONTROL], [Decimal(str(x)) for x in TREATMENT])
    assert as_decimals == stats.welch(CONTROL, TREATMENT)
    assert_matches_scipy_welch(CONTROL, TREATMENT)


def test_welch_both_arms_without_variance_is_inconclusive():
    result = stats.welch([5.0, 5.0, 5.0], [7.0, 7.0])
    assert result == stats.Result(
        method="welch_t",
        n_a=3,
        n_b=2,
        estimate_a=5.0,
        estimate_b=7.0,
        difference=2.0,
        ci_low=None,
        ci_high=None,
        p_value=None,
        statistic=None,
        df=None,
        confidence=0.95,
        conclusive=False,
        reason="zero_variance",
    )
    assert result.significant is False
    assert "no variation" in str(stats.REASONS[result.reason])
    # Values that are equal but not exactly representable do not leave a rounding residue either.
    assert stats.welch([0.1] * 3, [0.1] * 7).reason == "zero_variance"


@pytest.mark.parametrize(
    ("a", "b", "reason", "estimate_a", "estimate_b"),
    [
        ([], [], "no_data", None, None),
        ([], [1.0, 2.0], "no_data", None, 1.5),
        ([1.0, 2.0, 4.0], [], "no_data", 7 / 3, None),
        ([3.0], [1.0, 2.0], "too_few", 3.0, 1.5),
        ([1.0, 2.0], [8.0], "too_few", 1.5, 8.0),
    ],
)
def test_welch_without_enough_data_says_why(a, b, reason, estimate_a, estimate_b):
    result = stats.welch(a, b)
    assert result.conclusive is False
    assert result.reason == reason
    assert result.estimate_a == estimate_a
    assert result.estimate_b == estimate_b
    assert (result.p_value, result.ci_low, result.ci_high, result.statistic, result.df) == (None,) * 5
    assert result.significant is False


def test_welch_refuses_non_finite_values_and_bad_confidence():
    with pytest.raises(ValueError, match="finite"):
        stats.welch([1.0, math.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        stats.welch([1.0, 2.0], [1.0, math.inf])
    with pytest.raises(ValueError, match="confidence"):
        stats.welch([1.0, 2.0], [1.0, 3.0], confidence=1.0)


# --- one-sample t-test -------------------------------------------------------------------------------


@pytest.mark.parametrize(("values", "reference"), [(TREATMENT, 15.0), ([2.0, 3.5], 2.0), (CONTROL, 14.0)])
def test_one_sample_matches_scipy(values, reference):
    result = stats.one_sample(values, reference)
    expected = scipy_stats.ttest_1samp(values, reference)
    n = len(values)
    mean = sum(values) / n
    margin = scipy_stats.t.ppf(0.975, n - 1) * scipy_stats.sem(values)
    assert result.method == "one_sample_t"
    assert result.conclusive is True
    assert (result.n_a, result.n_b) == (0, n)
    assert result.estimate_a == reference
    assert close(result.estimate_b, mean)
    assert close(result.difference, mean - reference)
    assert close(result.statistic, expected.statistic)
    assert close(result.p_value, expected.pvalue)
    assert result.df == n - 1
    assert close(result.ci_low, mean - reference - margin)
    assert close(result.ci_high, mean - reference + margin)


def test_one_sample_decimal_reference_and_values():
    decimals = stats.one_sample([Decimal("14.2"), Decimal("15.9"), Decimal("13.1")], Decimal("12"))
    assert decimals == stats.one_sample([14.2, 15.9, 13.1], 12.0)
    assert close(decimals.p_value, scipy_stats.ttest_1samp([14.2, 15.9, 13.1], 12.0).pvalue)


@pytest.mark.parametrize(
    ("values", "reason", "n_b", "estimate_b"),
    [([], "no_data", 0, None), ([4.0], "too_few", 1, 4.0), ([4.0, 4.0, 4.0], "zero_variance", 3, 4.0)],
)
def test_one_sample_inconclusive(values, reason, n_b, estimate_b):
    result = stats.one_sample(values, 3.0)
    assert result.conclusive is False
    assert result.reason == reason
    assert (result.n_a, result.n_b) == (0, n_b)
    assert result.estimate_a == 3.0
    assert result.estimate_b == estimate_b
    assert result.difference == (None if estimate_b is None else estimate_b - 3.0)
    assert result.p_value is None
    assert result.ci_low is None


# --- two proportions ---------------------------------------------------------------------------------


def reference_two_proportions(sa, na, sb, nb, confidence=0.95):
    pa, pb = sa / na, sb / nb
    pooled = (sa + sb) / (na + nb)
    z = (pb - pa) / math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    p_value = 2 * scipy_stats.norm.sf(abs(z))
    margin = scipy_stats.norm.ppf((1 + confidence) / 2) * math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    return pa, pb, z, p_value, pb - pa - margin, pb - pa + margin


@pytest.mark.parametrize(
    ("sa", "na", "sb", "nb", "confidence"),
    [
        (45, 120, 68, 130, 0.95),
        (3, 9, 5, 7, 0.95),
        (0, 40, 6, 38, 0.95),  # one rate of 0%: the pooled test still works
        (500, 1000, 498, 1000, 0.9),
        (9870, 20000, 10355, 21000, 0.99),
        (30, 30, 20, 25, 0.95),
    ],
)
def test_two_proportions_match_scipy(sa, na, sb, nb, confidence):
    result = stats.two_proportions(sa, na, sb, nb, confidence=confidence)
    pa, pb, z, p_value, low, high = reference_two_proportions(sa, na, sb, nb, confidence)
    assert result.method == "two_proportion_z"
    assert result.conclusive is True
    assert (result.n_a, result.n_b) == (na, nb)
    assert result.estimate_a == pa
    assert result.estimate_b == pb
    assert close(result.difference, pb - pa)
    assert close(result.statistic, z)
    assert close(result.p_value, p_value)
    assert close(result.ci_low, low)
    assert close(result.ci_high, high)
    assert result.df is None


def test_two_proportions_significance():
    assert stats.two_proportions(45, 120, 68, 130).significant is True
    assert stats.two_proportions(500, 1000, 498, 1000).significant is False


@pytest.mark.parametrize(
    ("args", "reason", "estimates"),
    [
        ((0, 50, 0, 60), "degenerate_proportions", (0.0, 0.0)),
        ((50, 50, 60, 60), "degenerate_proportions", (1.0, 1.0)),
        ((0, 0, 0, 0), "no_data", (None, None)),
        ((0, 0, 4, 10), "no_data", (None, 0.4)),
    ],
)
def test_two_proportions_inconclusive(args, reason, estimates):
    result = stats.two_proportions(*args)
    assert result.conclusive is False
    assert result.reason == reason
    assert (result.estimate_a, result.estimate_b) == estimates
    assert (result.p_value, result.statistic, result.ci_low, result.ci_high) == (None,) * 4
    assert result.significant is False


@pytest.mark.parametrize("args", [(11, 10, 1, 5), (1, 5, 6, 5), (-1, 5, 1, 5), (1, -5, 1, 5), (1.5, 5, 1, 5)])
def test_two_proportions_refuse_impossible_counts(args):
    with pytest.raises(ValueError):  # noqa: PT011 — several messages; each refusal is the point
        stats.two_proportions(*args)


# --- labels ------------------------------------------------------------------------------------------


def test_every_method_and_reason_has_a_plain_language_label():
    assert set(stats.METHOD_LABELS) == {
        "welch_t",
        "one_sample_t",
        "two_proportion_z",
        "one_proportion_z",
        "none",
    }
    assert set(stats.REASONS) == {"no_data", "too_few", "zero_variance", "degenerate_proportions"}
    assert "pooled" in str(stats.METHOD_LABELS["two_proportion_z"])
    assert "Wald" in str(stats.METHOD_LABELS["two_proportion_z"])
    assert str(stats.METHOD_LABELS["welch_t"]) == "Welch's t-test (unequal variances)"
    result = stats.welch([1.0], [2.0, 3.0])
    assert result.reason_text == stats.REASONS["too_few"]
    assert result.method_label == stats.METHOD_LABELS["welch_t"]


# --- One proportion against the baseline share ----------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "reference", "confidence"),
    [(30, 50, 0.4, 0.95), (7, 20, 0.5, 0.9), (120, 400, 0.25, 0.99), (20, 20, 0.6, 0.95), (0, 15, 0.3, 0.95)],
)
def test_one_proportion_matches_the_normal_distribution(successes, n, reference, confidence):
    result = stats.one_proportion(successes, n, reference, confidence)
    rate = successes / n
    z = (rate - reference) / math.sqrt(reference * (1 - reference) / n)
    margin = scipy_stats.norm.ppf((1 + confidence) / 2) * math.sqrt(rate * (1 - rate) / n)
    assert (result.method, result.n_a, result.n_b, result.conclusive) == ("one_proportion_z", 0, n, True)
    assert (result.estimate_a, result.estimate_b) == (reference, rate)
    assert close(result.statistic, z)
    assert close(result.p_value, 2 * scipy_stats.norm.sf(abs(z)))
    assert result.ci_low == pytest.approx(rate - reference - margin, rel=1e-9, abs=1e-12)
    assert result.ci_high == pytest.approx(rate - reference + margin, rel=1e-9, abs=1e-12)


def test_one_proportion_concludes_when_every_observation_is_the_same():
    """Twenty successes out of twenty against 60 %: a t-test on 0/1 values would find no variance."""
    result = stats.one_proportion(20, 20, 0.6)
    assert result.conclusive
    assert result.significant
    assert stats.one_sample([1.0] * 20, 0.6).reason == "zero_variance"


@pytest.mark.parametrize(
    ("args", "reason"), [((0, 0, 0.4), "no_data"), ((3, 10, 0.0), "degenerate_proportions")]
)
def test_one_proportion_inconclusive(args, reason):
    result = stats.one_proportion(*args)
    assert (result.conclusive, result.reason, result.p_value, result.ci_low) == (False, reason, None, None)


@pytest.mark.parametrize(
    ("args", "match"),
    [((11, 10, 0.5), "more successes"), ((-1, 10, 0.5), "successes"), ((3, 10, 1.5), "share")],
)
def test_one_proportion_refuses_impossible_input(args, match):
    with pytest.raises(ValueError, match=match):
        stats.one_proportion(*args)
