"""The statistics of a pilot's analysis, in pure Python (standard library only).

Three tests cover the pilot designs:

- ``welch`` — two independent groups of measurements (control vs treatment arm, before vs after period):
  Welch's t-test, which does not assume equal variances, with the Welch–Satterthwaite degrees of freedom.
- ``one_sample`` — measurements after the change only, compared with a fixed baseline value: a one-sample
  t-test.
- ``two_proportions`` — rates (successes out of trials) in two groups: a two-proportion z-test. The
  p-value uses the *pooled* standard error (the standard error under the null hypothesis that both rates
  are equal); the confidence interval of the difference uses the *unpooled* (Wald) standard error.

Every test returns a ``Result``. When a test cannot be computed — no data, too few observations, no
variation at all, rates of 0% or 100% everywhere — the result is *inconclusive* and carries a reason code
(``REASONS`` explains it in plain language); nothing ever divides by zero.

The Student t distribution is computed here from the regularised incomplete beta function,
``P(|T| > t) = I_x(df/2, 1/2)`` with ``x = df / (df + t²)``, evaluated by its continued fraction
(modified Lentz method); quantiles are found by a bracketed, safeguarded Newton iteration on the
distribution function. The test suite checks every figure against ``scipy.stats``, which is a development
dependency only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

__all__ = [
    "METHOD_LABELS",
    "REASONS",
    "Result",
    "Summary",
    "normal_cdf",
    "normal_ppf",
    "one_proportion",
    "one_sample",
    "summarise",
    "t_cdf",
    "t_ppf",
    "two_proportions",
    "welch",
]

WELCH_T = "welch_t"
ONE_SAMPLE_T = "one_sample_t"
TWO_PROPORTION_Z = "two_proportion_z"
ONE_PROPORTION_Z = "one_proportion_z"
NONE = "none"

NO_DATA = "no_data"
TOO_FEW = "too_few"
ZERO_VARIANCE = "zero_variance"
DEGENERATE_PROPORTIONS = "degenerate_proportions"

METHOD_LABELS: dict[str, str] = {
    WELCH_T: _("Welch's t-test (unequal variances)"),
    ONE_SAMPLE_T: _("One-sample t-test against the baseline value"),
    TWO_PROPORTION_Z: _(
        "two-proportion z-test (pooled standard error for the p-value, unpooled Wald interval for the "
        "difference)"
    ),
    ONE_PROPORTION_Z: _(
        "one-proportion z-test against the baseline share (its standard error for the p-value, Wald interval "
        "for the difference)"
    ),
    NONE: _("No test"),
}

REASONS: dict[str, str] = {
    NO_DATA: _(
        "There are no observations in at least one of the groups yet, so there is nothing to compare."
    ),
    TOO_FEW: _(
        "At least two observations are needed in each group to estimate how much the values vary; "
        "collect more observations before drawing a conclusion."
    ),
    ZERO_VARIANCE: _(
        "Every observation within each group is the same, so there is no variation to test a difference "
        "against. The difference is shown, but no confidence interval or p-value can be computed."
    ),
    # xgettext:no-python-format
    DEGENERATE_PROPORTIONS: _(
        "The rate is 0% or 100% in both groups together, so there is no variation to test a difference "
        "against."
    ),
}


@dataclass(frozen=True)
class Summary:
    """Descriptive statistics of one group; ``sd`` is the sample standard deviation (n - 1)."""

    n: int
    mean: float | None
    sd: float | None
    median: float | None
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True)
class Result:
    """The outcome of one test. A is the control arm / before period / baseline, B the treatment / after.

    ``difference`` is ``estimate_b - estimate_a``; ``ci_low``/``ci_high`` bound that difference at the
    ``confidence`` level; ``p_value`` is two-sided. When ``conclusive`` is False, ``reason`` is one of the
    codes of ``REASONS`` and the inferential fields (interval, p-value, statistic) are None.
    """

    method: str
    n_a: int
    n_b: int
    estimate_a: float | None
    estimate_b: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    statistic: float | None
    df: float | None
    confidence: float
    conclusive: bool
    reason: str

    @property
    def significant(self) -> bool:
        """Whether the difference is statistically significant at the chosen confidence level."""
        return self.conclusive and self.p_value is not None and self.p_value < 1 - self.confidence

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, "")


# ---------------------------------------------------------------------------------------------------
# Special functions
# ---------------------------------------------------------------------------------------------------

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_SQRT2 = math.sqrt(2.0)
_STIRLING_FROM = 10.0
_CF_EPS = 1e-16
_CF_TINY = 1e-300
_CF_MAX_TERMS = 100_000


def _stirling_remainder(z: float) -> float:
    """ω(z) in ln Γ(z) = (z - ½) ln z - z + ½ ln 2π + ω(z): the asymptotic series, used for z ≥ 10.

    Its terms are B₂ₖ / (2k (2k - 1) z^(2k-1)); six terms leave an error below 1e-17 at z = 10.
    """
    inv = 1.0 / z
    inv2 = inv * inv
    return inv * (
        1 / 12
        - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360)))))
    )


def _log_beta(a: float, b: float) -> float:
    """ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b), without the cancellation of large log-gammas."""
    small, large = min(a, b), max(a, b)
    if large < _STIRLING_FROM:
        return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    total = a + b
    if small < _STIRLING_FROM:
        # ln Γ(L) - ln Γ(L + s) from Stirling's formula, written so that nothing large cancels.
        log_ratio = (
            -(large - 0.5) * math.log1p(small / large)
            - small * math.log(total)
            + small
            + _stirling_remainder(large)
            - _stirling_remainder(total)
        )
        return math.lgamma(small) + log_ratio
    return (
        _HALF_LOG_2PI
        - 0.5 * math.log(total)
        + (a - 0.5) * math.log(a / total)
        + (b - 0.5) * math.log(b / total)
        + _stirling_remainder(a)
        + _stirling_remainder(b)
        - _stirling_remainder(total)
    )


def _log(x: float, one_minus_x: float) -> float:
    """ln x, accurate also when x is close to 1 (then computed from 1 - x)."""
    return math.log(x) if x < 0.5 else math.log1p(-one_minus_x)


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The value of 1 + d₁/(1 + d₂/(1 + d₃/(1 + …))) for the incomplete beta function.

    With m = 0, 1, 2, …: d₂ₘ₊₁ = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    d₂ₘ = m (b - m) x / ((a + 2m - 1)(a + 2m)) for m ≥ 1. Evaluated front to back with the modified
    Lentz method: the value is the running product of C·D, where C and D follow C ← 1 + d/C and
    D ← 1 / (1 + d·D), with zeros nudged to a tiny number. It converges quickly for x < (a+1)/(a+b+2).
    """
    value = 1.0
    c = 1.0
    d = 0.0
    for n in range(1, _CF_MAX_TERMS):
        m = n // 2
        if n % 2:
            coefficient = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:
            coefficient = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + coefficient * d
        if abs(d) < _CF_TINY:
            d = _CF_TINY
        d = 1.0 / d
        c = 1.0 + coefficient / c
        if abs(c) < _CF_TINY:
            c = _CF_TINY
        step = c * d
        value *= step
        if abs(step - 1.0) < _CF_EPS:
            return value
    raise ArithmeticError("the incomplete beta continued fraction did not converge")  # pragma: no cover


def _incomplete_beta(a: float, b: float, x: float, one_minus_x: float) -> float:
    """The regularised incomplete beta function I_x(a, b); ``one_minus_x`` is 1 - x, passed for precision.

    I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) · 1 / (1 + d₁/(1 + d₂/(1 + …))), and by symmetry
    I_x(a, b) = 1 - I_{1-x}(b, a), which is used where the continued fraction would converge slowly.
    """
    if x <= 0.0:
        return 0.0
    if one_minus_x <= 0.0:
        return 1.0
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _incomplete_beta(b, a, one_minus_x, x)
    log_front = a * _log(x, one_minus_x) + b * _log(one_minus_x, x) - _log_beta(a, b)
    return math.exp(log_front) / a / _beta_continued_fraction(a, b, x)


def _check_df(df: float) -> float:
    df = float(df)
    if not df > 0:  # also refuses NaN
        raise ValueError("degrees of freedom must be positive")
    return df


def _t_two_sided(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with ``df`` degrees of freedom: I_x(df/2, 1/2), x = df / (df + t²)."""
    t = abs(t)
    if t == 0:
        return 1.0
    if math.isinf(t):
        return 0.0
    if math.isinf(df):
        return math.erfc(t / _SQRT2)
    a = df / 2.0
    log_ratio = math.log(df) - 2.0 * math.log(t)
    if log_ratio < -700.0:
        # So far out that x = df / (df + t²) underflows: I_x(a, ½) = x^a / (a B(a, ½)) · (1 + O(x)).
        return math.exp(a * log_ratio - _log_beta(a, 0.5)) / a
    if t > math.sqrt(df):
        ratio = df / t / t  # x = ratio / (1 + ratio), 1 - x = 1 / (1 + ratio); no overflow of t²
        x, one_minus_x = ratio / (1.0 + ratio), 1.0 / (1.0 + ratio)
    else:
        ratio = t * t / df  # x = 1 / (1 + ratio), 1 - x = ratio / (1 + ratio)
        x, one_minus_x = 1.0 / (1.0 + ratio), ratio / (1.0 + ratio)
    return _incomplete_beta(a, 0.5, x, one_minus_x)


def _t_pdf(t: float, df: float) -> float:
    if math.isinf(df):
        return math.exp(-0.5 * t * t - _HALF_LOG_2PI)
    t = abs(t)
    # ln(1 + t²/df), written so that t² cannot overflow far out in the tail.
    log_kernel = math.log1p(t * t / df) if t < 1e100 else 2.0 * math.log(t) - math.log(df)
    return math.exp(-_log_beta(df / 2.0, 0.5) - 0.5 * math.log(df) - (df + 1.0) / 2.0 * log_kernel)


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t distribution with ``df`` > 0 degrees of freedom (``math.inf`` = normal)."""
    t, df = float(t), _check_df(df)
    if math.isnan(t):
        raise ValueError("t must be a number")
    half_tail = _t_two_sided(t, df) / 2.0
    return half_tail if t < 0 else 1.0 - half_tail


def normal_cdf(x: float) -> float:
    """P(Z ≤ x) for the standard normal distribution."""
    x = float(x)
    if math.isnan(x):
        raise ValueError("x must be a number")
    return 0.5 * math.erfc(-x / _SQRT2)


def _normal_pdf(x: float) -> float:
    return math.exp(-0.5 * x * x - _HALF_LOG_2PI)


def _solve_upper_tail(
    tail: Callable[[float], float], density: Callable[[float], float], p: float, guess: float
) -> float:
    """The x > 0 where the upper tail ``tail(x)`` of a symmetric distribution equals ``p`` (0 < p < ½).

    Works on u = ln x, where the log tail is nearly linear far out: first brackets the root by steps that
    double, then Newton steps on g(u) = ln tail(eᵘ) - ln p, falling back to bisection whenever a step
    leaves the bracket. Stops when a step changes x by less than a few parts in 10¹⁶.
    """
    target = math.log(p)
    largest_u = math.log(1e308)

    def g(u: float) -> float:
        if u > largest_u:  # beyond the largest float: the tail is as good as empty
            return -math.inf
        value = tail(math.exp(u))
        return math.log(value) - target if value > 0 else -math.inf

    u = math.log(guess)
    gu = g(u)
    lo = hi = u
    step = 1.0
    if gu > 0:  # the tail at the guess is still too heavy: the root lies further out
        while gu > 0:
            lo = u
            u += step
            step *= 2
            gu = g(u)
        hi = u
    else:
        while gu < 0:
            hi = u
            u -= step
            step *= 2
            gu = g(u)
        lo = u
    if gu == 0:
        return math.exp(u)
    # g(lo) > 0 > g(hi); continue from the end nearer the root.
    for _iteration in range(400):
        x = math.exp(min(u, largest_u))
        tail_x = tail(x)
        slope = -density(x) * x / tail_x if tail_x > 0 else 0.0
        candidate = u - gu / slope if slope < 0 else math.nan
        if not lo < candidate < hi:
            candidate = (lo + hi) / 2.0
        delta = abs(candidate - u)
        u = candidate
        gu = g(u)
        if gu == 0:
            break
        if gu > 0:
            lo = u
        else:
            hi = u
        if delta <= 4e-16 * max(1.0, abs(u)) or hi - lo <= 4e-16 * max(1.0, abs(u)):
            break
    return math.exp(u)


def _check_probability(q: float) -> float:
    q = float(q)
    if not 0.0 <= q <= 1.0:  # also refuses NaN
        raise ValueError("a probability must lie between 0 and 1")
    return q


def t_ppf(q: float, df: float) -> float:
    """The quantile of Student's t: the t with P(T ≤ t) = q (-∞ at q = 0, +∞ at q = 1)."""
    q, df = _check_probability(q), _check_df(df)
    if math.isinf(df):
        return normal_ppf(q)
    if q == 0.5:
        return 0.0
    if q == 0.0:
        return -math.inf
    if q == 1.0:
        return math.inf
    p = q if q < 0.5 else 1.0 - q  # exact for q ≥ 0.5
    t = _solve_upper_tail(lambda t: _t_two_sided(t, df) / 2.0, lambda t: _t_pdf(t, df), p, guess=1.0)
    return -t if q < 0.5 else t


def normal_ppf(q: float) -> float:
    """The quantile of the standard normal distribution (-∞ at q = 0, +∞ at q = 1)."""
    q = _check_probability(q)
    if q == 0.5:
        return 0.0
    if q == 0.0:
        return -math.inf
    if q == 1.0:
        return math.inf
    p = q if q < 0.5 else 1.0 - q
    x = _solve_upper_tail(lambda x: 0.5 * math.erfc(x / _SQRT2), _normal_pdf, p, guess=1.0)
    return -x if q < 0.5 else x


# ---------------------------------------------------------------------------------------------------
# Descriptive statistics
# ---------------------------------------------------------------------------------------------------


def _floats(values: Sequence[float | Decimal | int]) -> list[float]:
    numbers = [float(value) for value in values]
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError("observations must be finite numbers")
    return numbers


def _mean_and_variance(numbers: list[float]) -> tuple[float, float]:
    """Mean and sample variance (n - 1); exactly zero variance when all values are equal."""
    n = len(numbers)
    if min(numbers) == max(numbers):
        return numbers[0], 0.0
    mean = math.fsum(numbers) / n
    return mean, math.fsum((x - mean) ** 2 for x in numbers) / (n - 1)


def summarise(values: Sequence[float]) -> Summary:
    """Count, mean, sample standard deviation, median, minimum and maximum (None where undefined)."""
    numbers = _floats(values)
    n = len(numbers)
    if n == 0:
        return Summary(n=0, mean=None, sd=None, median=None, minimum=None, maximum=None)
    mean, variance = _mean_and_variance(numbers)
    ordered = sorted(numbers)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0
    return Summary(
        n=n,
        mean=mean,
        sd=math.sqrt(variance) if n >= 2 else None,
        median=median,
        minimum=ordered[0],
        maximum=ordered[-1],
    )


# ---------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must lie strictly between 0 and 1")
    return confidence


def _inconclusive(
    method: str,
    reason: str,
    confidence: float,
    *,
    n_a: int,
    n_b: int,
    estimate_a: float | None,
    estimate_b: float | None,
) -> Result:
    difference = estimate_b - estimate_a if estimate_a is not None and estimate_b is not None else None
    return Result(
        method=method,
        n_a=n_a,
        n_b=n_b,
        estimate_a=estimate_a,
        estimate_b=estimate_b,
        difference=difference,
        ci_low=None,
        ci_high=None,
        p_value=None,
        statistic=None,
        df=None,
        confidence=confidence,
        conclusive=False,
        reason=reason,
    )


def welch(a: Sequence[float], b: Sequence[float], confidence: float = 0.95) -> Result:
    """Welch's t-test of mean(B) - mean(A) for two independent groups (variances not assumed equal).

    t = (mean_b - mean_a) / se with se² = var_a/n_a + var_b/n_b (sample variances), and the
    Welch–Satterthwaite degrees of freedom df = se⁴ / ((var_a/n_a)²/(n_a - 1) + (var_b/n_b)²/(n_b - 1)).
    The two-sided p-value is P(|T_df| ≥ |t|); the interval is the difference ± t_{(1+c)/2, df} · se.
    A group may have zero variance as long as the other does not.
    """
    confidence = _check_confidence(confidence)
    xs, ys = _floats(a), _floats(b)
    n_a, n_b = len(xs), len(ys)
    mean_a = math.fsum(xs) / n_a if n_a else None
    mean_b = math.fsum(ys) / n_b if n_b else None
    if n_a == 0 or n_b == 0:
        return _inconclusive(
            WELCH_T, NO_DATA, confidence, n_a=n_a, n_b=n_b, estimate_a=mean_a, estimate_b=mean_b
        )
    if n_a < 2 or n_b < 2:
        return _inconclusive(
            WELCH_T, TOO_FEW, confidence, n_a=n_a, n_b=n_b, estimate_a=mean_a, estimate_b=mean_b
        )
    mean_a, var_a = _mean_and_variance(xs)
    mean_b, var_b = _mean_and_variance(ys)
    share_a, share_b = var_a / n_a, var_b / n_b
    se_squared = share_a + share_b
    if se_squared <= 0:
        return _inconclusive(
            WELCH_T, ZERO_VARIANCE, confidence, n_a=n_a, n_b=n_b, estimate_a=mean_a, estimate_b=mean_b
        )
    se = math.sqrt(se_squared)
    # se⁴ / (share_a²/(n_a - 1) + share_b²/(n_b - 1)), with the shares taken relative to se² so that
    # nothing underflows to a zero denominator.
    weight_a, weight_b = share_a / se_squared, share_b / se_squared
    df = 1.0 / (weight_a**2 / (n_a - 1) + weight_b**2 / (n_b - 1))
    difference = mean_b - mean_a
    statistic = difference / se
    margin = t_ppf((1.0 + confidence) / 2.0, df) * se
    return Result(
        method=WELCH_T,
        n_a=n_a,
        n_b=n_b,
        estimate_a=mean_a,
        estimate_b=mean_b,
        difference=difference,
        ci_low=difference - margin,
        ci_high=difference + margin,
        p_value=_t_two_sided(statistic, df),
        statistic=statistic,
        df=df,
        confidence=confidence,
        conclusive=True,
        reason="",
    )


def one_sample(values: Sequence[float], reference: float, confidence: float = 0.95) -> Result:
    """One-sample t-test of mean(values) - reference (after-only measurements against a baseline value).

    t = (mean - reference) / (sd / √n) with n - 1 degrees of freedom; A is the reference (``n_a`` = 0).
    """
    confidence = _check_confidence(confidence)
    reference = float(reference)
    if not math.isfinite(reference):
        raise ValueError("the reference value must be a finite number")
    numbers = _floats(values)
    n = len(numbers)
    mean = math.fsum(numbers) / n if n else None
    if n == 0:
        return _inconclusive(
            ONE_SAMPLE_T, NO_DATA, confidence, n_a=0, n_b=0, estimate_a=reference, estimate_b=None
        )
    if n < 2:
        return _inconclusive(
            ONE_SAMPLE_T, TOO_FEW, confidence, n_a=0, n_b=n, estimate_a=reference, estimate_b=mean
        )
    mean, variance = _mean_and_variance(numbers)
    se = math.sqrt(variance / n)
    if se <= 0:
        return _inconclusive(
            ONE_SAMPLE_T, ZERO_VARIANCE, confidence, n_a=0, n_b=n, estimate_a=reference, estimate_b=mean
        )
    df = float(n - 1)
    difference = mean - reference
    statistic = difference / se
    margin = t_ppf((1.0 + confidence) / 2.0, df) * se
    return Result(
        method=ONE_SAMPLE_T,
        n_a=0,
        n_b=n,
        estimate_a=reference,
        estimate_b=mean,
        difference=difference,
        ci_low=difference - margin,
        ci_high=difference + margin,
        p_value=_t_two_sided(statistic, df),
        statistic=statistic,
        df=df,
        confidence=confidence,
        conclusive=True,
        reason="",
    )


def _count(value: int, name: str) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"{name} must be a whole number of zero or more")
    return int(value)


def two_proportions(
    successes_a: int, n_a: int, successes_b: int, n_b: int, confidence: float = 0.95
) -> Result:
    """Two-proportion z-test of p_b - p_a, with p = successes / n in each group.

    The p-value comes from the pooled test: z = (p_b - p_a) / √(p(1 - p)(1/n_a + 1/n_b)) with the pooled
    rate p = (successes_a + successes_b) / (n_a + n_b), two-sided P(|Z| ≥ |z|). The confidence interval
    of the difference uses the unpooled (Wald) standard error √(p_a(1 - p_a)/n_a + p_b(1 - p_b)/n_b):
    (p_b - p_a) ± z_{(1+c)/2} · se. (The Wald interval collapses to a point when both rates are 0% or
    100%, even if the pooled test can still be computed.)
    """
    confidence = _check_confidence(confidence)
    successes_a, n_a = _count(successes_a, "successes_a"), _count(n_a, "n_a")
    successes_b, n_b = _count(successes_b, "successes_b"), _count(n_b, "n_b")
    if successes_a > n_a or successes_b > n_b:
        raise ValueError("there cannot be more successes than trials")
    if n_a == 0 or n_b == 0:
        return _inconclusive(
            TWO_PROPORTION_Z,
            NO_DATA,
            confidence,
            n_a=n_a,
            n_b=n_b,
            estimate_a=successes_a / n_a if n_a else None,
            estimate_b=successes_b / n_b if n_b else None,
        )
    rate_a, rate_b = successes_a / n_a, successes_b / n_b
    pooled = (successes_a + successes_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        return _inconclusive(
            TWO_PROPORTION_Z,
            DEGENERATE_PROPORTIONS,
            confidence,
            n_a=n_a,
            n_b=n_b,
            estimate_a=rate_a,
            estimate_b=rate_b,
        )
    difference = rate_b - rate_a
    statistic = difference / math.sqrt(pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b))
    wald_se = math.sqrt(rate_a * (1.0 - rate_a) / n_a + rate_b * (1.0 - rate_b) / n_b)
    margin = normal_ppf((1.0 + confidence) / 2.0) * wald_se
    return Result(
        method=TWO_PROPORTION_Z,
        n_a=n_a,
        n_b=n_b,
        estimate_a=rate_a,
        estimate_b=rate_b,
        difference=difference,
        ci_low=difference - margin,
        ci_high=difference + margin,
        p_value=math.erfc(abs(statistic) / _SQRT2),
        statistic=statistic,
        df=None,
        confidence=confidence,
        conclusive=True,
        reason="",
    )


def one_proportion(successes: int, n: int, reference: float, confidence: float = 0.95) -> Result:
    """One-proportion z-test of p - p0, with p = successes / n and p0 the ``reference`` share (the baseline).

    The p-value uses the standard error under the null hypothesis: z = (p - p0) / √(p0(1 - p0)/n),
    two-sided P(|Z| ≥ |z|). The confidence interval of the difference uses the Wald standard error
    √(p(1 - p)/n): (p - p0) ± z_{(1+c)/2} · se. Unlike a one-sample t-test on 0/1 values, it concludes when
    every observation is 0 or every one is 1. ``estimate_a`` is p0 and ``n_a`` is 0, as in ``one_sample``.
    """
    confidence = _check_confidence(confidence)
    successes, n = _count(successes, "successes"), _count(n, "n")
    if successes > n:
        raise ValueError("there cannot be more successes than trials")
    reference = float(reference)
    if not 0.0 <= reference <= 1.0 or math.isnan(reference):
        raise ValueError("the reference share must be between 0 and 1")
    if n == 0:
        return _inconclusive(
            ONE_PROPORTION_Z, NO_DATA, confidence, n_a=0, n_b=0, estimate_a=reference, estimate_b=None
        )
    rate = successes / n
    if reference in (0.0, 1.0):
        return _inconclusive(
            ONE_PROPORTION_Z,
            DEGENERATE_PROPORTIONS,
            confidence,
            n_a=0,
            n_b=n,
            estimate_a=reference,
            estimate_b=rate,
        )
    difference = rate - reference
    statistic = difference / math.sqrt(reference * (1.0 - reference) / n)
    margin = normal_ppf((1.0 + confidence) / 2.0) * math.sqrt(rate * (1.0 - rate) / n)
    return Result(
        method=ONE_PROPORTION_Z,
        n_a=0,
        n_b=n,
        estimate_a=reference,
        estimate_b=rate,
        difference=difference,
        ci_low=difference - margin,
        ci_high=difference + margin,
        p_value=math.erfc(abs(statistic) / _SQRT2),
        statistic=statistic,
        df=None,
        confidence=confidence,
        conclusive=True,
        reason="",
    )
