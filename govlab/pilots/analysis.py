"""The analysis of a pilot, per metric, according to its design — shared by the pages, the API, the exports
and the decision (which keeps a ``snapshot``).

- before/after: the "after" observations against the "before" ones (Welch's t-test for a mean, the
  two-proportion z-test for a rate); without any "before" observation, the "after" ones against the
  metric's baseline value (one-sample t-test);
- A/B and randomised: arm B (the new solution) against arm A (the current way): Welch's t-test for a
  mean, the two-proportion z-test for a rate.

The difference is always B - A (after - before). "Change vs baseline" is the treated group's estimate
(after / arm B) minus the metric's baseline; the target is met when that estimate reaches the target in
the metric's direction. A test that cannot conclude says why (``stats.REASONS``) instead of dividing by
zero. Two queries whatever the number of metrics and observations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import stats
from .enums import DESIGN_GROUPS, Design, Direction, Group, MetricKind
from .models import Metric, Observation, Pilot


@dataclass
class GroupData:
    """The observations of one period or arm."""

    key: str
    label: str
    values: list[float]
    summary: stats.Summary
    # [(day, mean of that day's values)], by day: the timeline.
    by_day: list[tuple] = field(default_factory=list)


@dataclass
class MetricAnalysis:
    metric: Metric
    reference: GroupData  # before / arm A
    treated: GroupData  # after / arm B
    result: stats.Result
    is_rate: bool
    treated_estimate: float | None
    change: float | None  # treated estimate - baseline
    change_pct: float | None  # relative to the baseline (None when the baseline is 0)
    target_met: bool | None
    sentence: str
    by_unit: bool = False  # the test compared units (each the mean of its observations), not observations

    @property
    def has_data(self) -> bool:
        return self.treated.summary.n > 0

    @property
    def method_label(self) -> str:
        return str(stats.METHOD_LABELS.get(self.result.method, self.result.method))

    @property
    def reason_text(self) -> str:
        return str(stats.REASONS.get(self.result.reason, "")) if not self.result.conclusive else ""

    @property
    def compared_to_baseline_value(self) -> bool:
        return self.result.method in (stats.ONE_SAMPLE_T, stats.ONE_PROPORTION_Z)


@dataclass
class PilotAnalysis:
    pilot: Pilot
    metrics: list[MetricAnalysis]
    observations: int

    @property
    def targets_met(self) -> int:
        return sum(1 for m in self.metrics if m.target_met)


def group_label(key: str) -> str:
    return str(Group(key).label)


def _decimal(value: float, places: int, *, signed: bool = False) -> str:
    """A number in the reader's language (decimal comma where it is the custom), "+" when asked."""
    text = number_format(round(value, places), decimal_pos=places)
    return f"+{text}" if signed and value >= 0 else text


def _number(value: float | None, is_rate: bool, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    if is_rate:
        text = _decimal(value * 100, 1, signed=signed)
        return text + (_(" points") if signed else "%")
    return _decimal(value, 2, signed=signed)


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 0.001:
        return f"p < {number_format(0.001, decimal_pos=3)}"
    return f"p = {number_format(round(value, 3), decimal_pos=3)}"


def _test(metric: Metric, design: str, reference: list[float], treated: list[float]) -> stats.Result:
    if metric.kind == MetricKind.RATE and design == Design.BEFORE_AFTER and not reference:
        return stats.one_proportion(int(sum(treated)), len(treated), float(metric.baseline))
    if metric.kind == MetricKind.RATE:
        return stats.two_proportions(int(sum(reference)), len(reference), int(sum(treated)), len(treated))
    if design == Design.BEFORE_AFTER and not reference:
        return stats.one_sample(treated, float(metric.baseline))
    return stats.welch(reference, treated)


def _sentence(item: MetricAnalysis, unit: str) -> str:
    metric, result, rate = item.metric, item.result, item.is_rate
    unit_text = "" if rate else f" {unit}"
    parts = []
    if not item.has_data:
        return _("“%(metric)s”: no observations yet — cannot conclude because %(reason)s") % {
            "metric": metric.name,
            "reason": str(stats.REASONS.get(stats.NO_DATA, "")).lower(),
        }
    reference_label = _("the baseline value") if item.compared_to_baseline_value else item.reference.label
    parts.append(
        _("“%(metric)s”: %(treated_label)s: %(treated)s%(unit)s; %(reference_label)s: %(reference)s%(unit)s")
        % {
            "metric": metric.name,
            "treated_label": item.treated.label,
            "treated": _number(result.estimate_b, rate),
            "reference_label": reference_label,
            "reference": _number(result.estimate_a, rate),
            "unit": unit_text,
        }
    )
    if result.conclusive:
        parts[-1] += _(
            " (difference %(difference)s, %(confidence)d%% confidence interval %(low)s to %(high)s, "
            "%(p)s; %(method)s)."
        ) % {
            "difference": _number(result.difference, rate, signed=True),
            "confidence": round(result.confidence * 100),
            "low": _number(result.ci_low, rate, signed=True),
            "high": _number(result.ci_high, rate, signed=True),
            "p": _p(result.p_value),
            "method": item.method_label,
        }
        if item.by_unit:
            parts.append(
                _("The test compares the units (%(a)d and %(b)d), each with the mean of its observations.")
                % {"a": result.n_a, "b": result.n_b}
            )
        if result.significant:
            parts.append(_("The difference is statistically significant."))
        else:
            parts.append(
                _("The difference is not statistically significant at the %(confidence)d%% level.")
                % {"confidence": round(result.confidence * 100)}
            )
    else:
        parts[-1] += "."
        parts.append(
            _("We cannot conclude because %(reason)s")
            % {"reason": item.reason_text[:1].lower() + item.reason_text[1:]}
        )
    if item.change is not None:
        parts.append(
            _("Change against the baseline (%(baseline)s): %(change)s%(pct)s.")
            % {
                "baseline": _number(float(metric.baseline), rate),
                "change": _number(item.change, rate, signed=True),
                "pct": f" ({_decimal(item.change_pct, 1, signed=True)}%)"
                if item.change_pct is not None and not rate
                else "",
            }
        )
    if item.target_met is not None:
        parts.append(
            (_("Target %(target)s met.") if item.target_met else _("Target %(target)s not met."))
            % {"target": _number(float(metric.target), rate) + unit_text}
        )
    return " ".join(str(p) for p in parts)


def _per_unit(observations: list[tuple]) -> dict[str, list[float]] | None:
    """When a unit was measured more than once, the test compares units, not observations: the arms were
    given to units, so several days of one unit are not independent. Each unit counts once, with the mean
    of its values (its share, for a rate); observations without a unit count one each. None when every
    unit has a single observation (the test is then the same on observations)."""
    per_unit: dict[tuple, list[float]] = defaultdict(list)
    loose: dict[str, list[float]] = defaultdict(list)
    for group, value, _day, unit in observations:
        if unit is None:
            loose[group].append(float(value))
        else:
            per_unit[(group, unit)].append(float(value))
    if all(len(values) == 1 for values in per_unit.values()):
        return None
    values = defaultdict(list, {group: list(items) for group, items in loose.items()})
    for (group, _unit), items in per_unit.items():
        values[group].append(sum(items) / len(items))
    return values


def analyse_metric(metric: Metric, design: str, observations: list[tuple]) -> MetricAnalysis:
    """``observations``: (group, value, day, unit id or None) of this metric."""
    reference_key, treated_key = DESIGN_GROUPS[design]
    values = defaultdict(list)
    days = defaultdict(lambda: defaultdict(list))
    for group, value, day, _unit in observations:
        values[group].append(float(value))
        days[group][day].append(float(value))
    units = _per_unit(observations) if design != Design.BEFORE_AFTER else None

    def group(key):
        by_day = [(day, sum(v) / len(v)) for day, v in sorted(days[key].items())]
        return GroupData(
            key=key,
            label=group_label(key),
            values=values[key],
            summary=stats.summarise(values[key]),
            by_day=by_day,
        )

    reference, treated = group(reference_key), group(treated_key)
    if units is None:
        result = _test(metric, design, reference.values, treated.values)
    else:  # one value per unit: Welch's test on the units' means (or shares), for a mean and a rate alike
        result = stats.welch(units[reference_key], units[treated_key])
    is_rate = metric.kind == MetricKind.RATE
    estimate = treated.summary.mean
    baseline = float(metric.baseline)
    change = estimate - baseline if estimate is not None else None
    change_pct = change / abs(baseline) * 100 if change is not None and baseline != 0 else None
    target_met = None
    if estimate is not None:
        target = float(metric.target)
        target_met = estimate >= target if metric.direction == Direction.INCREASE else estimate <= target
    item = MetricAnalysis(
        metric=metric,
        reference=reference,
        treated=treated,
        result=result,
        is_rate=is_rate,
        treated_estimate=estimate,
        change=change,
        change_pct=change_pct,
        target_met=target_met,
        sentence="",
        by_unit=units is not None,
    )
    item.sentence = _sentence(item, metric.unit)
    return item


def analyse(pilot: Pilot, metrics: list[Metric] | None = None) -> PilotAnalysis:
    """Every metric of the pilot analysed (two queries)."""
    if metrics is None:
        metrics = list(Metric.objects.filter(pilot=pilot).select_related("hypothesis"))
    rows = defaultdict(list)
    count = 0
    # The values as floats from the database: no Decimal per observation (a third of the time at 100,000).
    for metric_id, group, value, day, unit in Observation.objects.filter(pilot=pilot).values_list(
        "metric_id", "group", Cast("value", FloatField()), "observed_on", "unit_id"
    ):
        rows[metric_id].append((group, value, day, unit))
        count += 1
    return PilotAnalysis(
        pilot=pilot,
        metrics=[analyse_metric(metric, pilot.design, rows.get(metric.pk, [])) for metric in metrics],
        observations=count,
    )


def _json(value):
    if isinstance(value, float):
        return round(value, 10)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _plain(value: Decimal) -> str:
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return f"{value:f}"


def metric_dict(item: MetricAnalysis) -> dict:
    """One metric's analysis as plain data (API, exports, the decision's snapshot)."""
    result = item.result
    metric = item.metric
    return {
        "metric": metric.code,
        "name": metric.name,
        "unit": metric.unit,
        "kind": metric.kind,
        "direction": metric.direction,
        "baseline": _plain(metric.baseline),
        "target": _plain(metric.target),
        "groups": [
            {
                "group": str(group.key),
                "n": group.summary.n,
                "mean": _json(group.summary.mean),
                "sd": _json(group.summary.sd),
                "median": _json(group.summary.median),
                "minimum": _json(group.summary.minimum),
                "maximum": _json(group.summary.maximum),
            }
            for group in (item.reference, item.treated)
        ],
        "method": result.method,
        "method_label": item.method_label,
        "n_a": result.n_a,
        "n_b": result.n_b,
        "estimate_a": _json(result.estimate_a),
        "estimate_b": _json(result.estimate_b),
        "difference": _json(result.difference),
        "ci_low": _json(result.ci_low),
        "ci_high": _json(result.ci_high),
        "p_value": _json(result.p_value),
        "statistic": _json(result.statistic),
        "df": _json(result.df),
        "confidence": result.confidence,
        "conclusive": result.conclusive,
        "significant": result.significant,
        "reason": result.reason,
        "reason_text": item.reason_text,
        "change_vs_baseline": _json(item.change),
        "change_vs_baseline_pct": _json(item.change_pct),
        "target_met": item.target_met,
        "by_unit": item.by_unit,
        "summary": item.sentence,
    }


def snapshot(analysis: PilotAnalysis) -> dict:
    return {
        "design": analysis.pilot.design,
        "observations": analysis.observations,
        "metrics": [metric_dict(item) for item in analysis.metrics],
    }
