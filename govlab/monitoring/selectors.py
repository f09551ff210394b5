"""Reads for monitoring: a KPI's series against its targets, a lab's KPIs, a challenge's (with its pilots'
metrics rolled up as impact KPIs), the funnel and cycle times from their snapshots, and the cross-lab view.

Query counts depend on the number of KPIs and periods shown, never on the size of the data: a computed
value is one or two aggregate queries (``computations``); targets and manual values are prefetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .computations import COMPUTATIONS, scope_object
from .cycle_times import CycleTimes, cycle_times
from .enums import Direction, Source
from .funnel import Funnel, funnel
from .models import KpiDefinition, KpiTarget, KpiValue, Snapshot
from .periods import Period, periods_for

COMPUTED, MANUAL = "computed", "manual"
MET, NOT_MET, NO_TARGET = "met", "not_met", "no_target"
SERIES_YEARS = 5  # a KPI row shows this many years up to the chosen one


@dataclass
class SeriesPoint:
    period: Period
    value: Any  # Decimal, a dict (breakdowns) or None
    target: Decimal | None
    source: str  # "computed" | "manual"
    records_url: str | None = None
    evidence: str = ""
    evidence_url: str = ""


@dataclass
class KpiRow:
    kpi: KpiDefinition
    series: list[SeriesPoint]
    latest: SeriesPoint | None  # the newest point with a value (in the chosen year when one is given)
    target: Decimal | None  # that point's target
    status: str  # "met" | "not_met" | "no_target"
    computed_at: dt.datetime | None = None  # when the computed values shown were computed (None: just now)
    cached: dict = field(default_factory=dict, repr=False)  # the KPI's entry of the snapshot, if current


@dataclass
class PilotMetricRow:
    """A pilot's metric shown as an impact KPI of its challenge."""

    pilot: Any
    metric: Any
    name: str
    unit: str
    direction: str  # the pilot's: "increase" | "decrease"
    baseline: Decimal
    target: Decimal
    observed: float | None  # the estimate after / in arm B
    change: float | None
    target_met: bool | None
    decision: str  # the pilot's decision, if decided
    category: str = "impact"


@dataclass
class ChallengeKpis:
    kpis: list[KpiRow] = field(default_factory=list)
    pilot_metrics: list[PilotMetricRow] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.kpis or self.pilot_metrics)


@dataclass
class CrossLabRow:
    lab: Any
    funnel: dict[str, int]  # stage key → count
    median_cycle_days: float | None
    cycle_n: int
    kpi_count: int
    computed_at: dt.datetime | None


# --- One KPI --------------------------------------------------------------------------------------------


def status_of(kpi, value, target) -> str:
    """Has the value met the target, in the KPI's direction?"""
    if target is None or value is None or isinstance(value, dict) or kpi.direction == Direction.NEUTRAL:
        return NO_TARGET
    if kpi.direction == Direction.DOWN:
        return MET if value <= target else NOT_MET
    return MET if value >= target else NOT_MET


def _targets(kpi) -> dict[dt.date, Decimal]:
    cache = getattr(kpi, "_prefetched_objects_cache", {})
    rows = cache["targets"] if "targets" in cache else KpiTarget.objects.filter(kpi=kpi)
    return {row.period_start: row.value for row in rows}


def _values(kpi) -> dict[dt.date, KpiValue]:
    cache = getattr(kpi, "_prefetched_objects_cache", {})
    rows = cache["values"] if "values" in cache else KpiValue.objects.filter(kpi=kpi)
    return {row.period_start: row for row in rows}


# --- Precomputed values (a Snapshot per lab, refreshed by the task) ---------------------------------------

KPI_VALUES = "kpi_values"


def kpi_signature(kpi) -> str:
    """What a computed value depends on: a KPI changed since its snapshot is computed afresh."""
    return "|".join(
        str(part)
        for part in (
            kpi.computation,
            kpi.scope,
            kpi.campaign_id,
            kpi.call_id,
            kpi.challenge_id,
            kpi.periodicity,
        )
    )


def encode(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return {key: str(number) for key, number in value.items()}
    return str(value)


def decode(value):
    if value is None:
        return None
    if isinstance(value, dict):
        return {key: Decimal(number) for key, number in value.items()}
    return Decimal(value)


def cached_entry(snapshot, kpi) -> dict:
    """The KPI's entry of the lab's ``kpi_values`` snapshot, or {} when there is none or the KPI changed
    since."""
    entry = (snapshot.data.get(str(kpi.pk)) if snapshot is not None else None) or {}
    return entry if entry.get("signature") == kpi_signature(kpi) else {}


def kpi_series(
    kpi, periods: list[Period], *, today: dt.date | None = None, cached: dict | None = None
) -> list[SeriesPoint]:
    """The KPI's value and target for each period (no value for a period not begun yet). ``cached``: the
    KPI's ``cached_entry`` (read here when not given), used for the periods it has."""
    today = today or timezone.localdate()
    if cached is None and kpi.source == Source.COMPUTED:
        cached = cached_entry(
            Snapshot.objects.filter(lab_id=kpi.lab_id, key=KPI_VALUES).only("data").first(), kpi
        )
    cached_values = (cached or {}).get("values", {})
    targets = _targets(kpi)
    points = []
    if kpi.source == Source.MANUAL:
        values = _values(kpi)
        for period in periods:
            entered = values.get(period.start)
            points.append(
                SeriesPoint(
                    period=period,
                    value=entered.value if entered else None,
                    target=targets.get(period.start),
                    source=MANUAL,
                    evidence=entered.evidence if entered else "",
                    evidence_url=entered.evidence_url if entered else "",
                )
            )
        return points
    computation = COMPUTATIONS.get(kpi.computation)
    scope = scope_object(kpi)
    for period in periods:
        value = url = None
        if computation is not None and scope is not None and not period.is_future(today):
            if period.key in cached_values:
                value = decode(cached_values[period.key])
            else:
                value = computation.compute(scope, period)
            url = computation.records_url(scope, period)
        points.append(
            SeriesPoint(
                period=period, value=value, target=targets.get(period.start), source=COMPUTED, records_url=url
            )
        )
    return points


def kpi_row(kpi, *, year: int | None = None, today: dt.date | None = None, snapshot=None) -> KpiRow:
    """The KPI with its series over the years up to ``year``; ``snapshot``: the lab's ``kpi_values``."""
    today = today or timezone.localdate()
    last = min(year or today.year, today.year)
    cached = cached_entry(snapshot, kpi)
    series = kpi_series(
        kpi, periods_for(kpi, range(last - SERIES_YEARS + 1, last + 1)), today=today, cached=cached
    )
    chosen = [point for point in series if year is None or point.period.start.year == year]
    latest = next((point for point in reversed(chosen) if point.value is not None), None)
    target = (
        latest.target if latest else next((p.target for p in reversed(chosen) if p.target is not None), None)
    )
    return KpiRow(
        kpi=kpi,
        series=series,
        latest=latest,
        target=target,
        status=status_of(kpi, latest.value if latest else None, target),
        computed_at=snapshot.computed_at if cached and kpi.source == Source.COMPUTED else None,
        cached=cached,
    )


def _kpis(queryset):
    return queryset.select_related("lab", "campaign", "call", "challenge", "challenge__lab").prefetch_related(
        Prefetch("targets", queryset=KpiTarget.objects.order_by("period_start")),
        Prefetch("values", queryset=KpiValue.objects.order_by("period_start")),
    )


def lab_kpis(lab, *, public_only: bool = False, year: int | None = None) -> list[KpiRow]:
    """The lab's active KPIs (the public ones only on the results page), each with its series."""
    kpis = KpiDefinition.objects.filter(lab=lab, is_active=True)
    if public_only:
        kpis = kpis.filter(is_public=True)
    snapshot = Snapshot.objects.filter(lab=lab, key=KPI_VALUES).first()
    rows = []
    for kpi in _kpis(kpis.order_by("position", "pk")):
        _share_lab(kpi, lab)
        rows.append(kpi_row(kpi, year=year, snapshot=snapshot))
    return rows


def _share_lab(kpi, lab) -> None:
    """Point the KPI's scope objects at the lab already loaded (their time zone; no query each)."""
    kpi.lab = lab
    for name in ("campaign", "call", "challenge"):
        obj = getattr(kpi, name)
        if obj is not None:
            obj.lab = lab


# --- A challenge -----------------------------------------------------------------------------------------


def challenge_kpis(challenge, *, year: int | None = None) -> ChallengeKpis:
    """The challenge's own KPIs, and the metrics of its running, analysed or decided pilots."""
    from govlab.pilots.analysis import analyse
    from govlab.pilots.enums import PilotStatus
    from govlab.pilots.models import Metric, Pilot

    kpis = list(
        _kpis(KpiDefinition.objects.filter(challenge=challenge, is_active=True).order_by("position", "pk"))
    )
    computed = any(kpi.source == Source.COMPUTED for kpi in kpis)
    snapshot = _snapshot(challenge.lab, KPI_VALUES) if computed else None
    rows = []
    for kpi in kpis:
        _share_lab(kpi, challenge.lab)
        rows.append(kpi_row(kpi, year=year, snapshot=snapshot))
    pilots = (
        Pilot.objects.filter(
            challenge=challenge, status__in=(PilotStatus.RUNNING, PilotStatus.ANALYSING, PilotStatus.DECIDED)
        )
        .select_related("application__organisation")
        .prefetch_related(Prefetch("metrics", queryset=Metric.objects.order_by("order", "pk")))
        .order_by("started_at", "pk")
    )
    metrics = []
    for pilot in pilots:
        analysis = analyse(pilot, list(pilot.metrics.all()))
        for item in analysis.metrics:
            metric = item.metric
            metrics.append(
                PilotMetricRow(
                    pilot=pilot,
                    metric=metric,
                    name=metric.name,
                    unit=metric.unit,
                    direction=metric.direction,
                    baseline=metric.baseline,
                    target=metric.target,
                    observed=item.treated_estimate,
                    change=item.change,
                    target_met=item.target_met,
                    decision=pilot.decision,
                )
            )
    return ChallengeKpis(kpis=rows, pilot_metrics=metrics)


# --- Funnel and cycle times, from their snapshots ------------------------------------------------


def snapshot_key(name: str, year: int | None = None) -> str:
    return name if year is None else f"{name}:{year}"


def _snapshot(lab, key: str) -> Snapshot | None:
    return Snapshot.objects.filter(lab=lab, key=key).first()


def lab_funnel(lab, *, year: int | None = None, campaign=None, call=None, fresh: bool = False) -> Funnel:
    """The funnel; the lab-wide one from its snapshot when the task has made one (``computed_at`` says
    when), else computed now."""
    if not fresh and campaign is None and call is None:
        snapshot = _snapshot(lab, snapshot_key("funnel", year))
        if snapshot is not None:
            result = Funnel.from_dict(snapshot.data)
            result.computed_at = snapshot.computed_at
            return result
    result = funnel(lab, campaign=campaign, call=call, year=year)
    result.computed_at = timezone.now()
    return result


def lab_cycle_times(lab, *, year: int | None = None, fresh: bool = False) -> CycleTimes:
    """The cycle times; from their snapshot when the task has made one, else computed now."""
    if not fresh:
        snapshot = _snapshot(lab, snapshot_key("cycle_times", year))
        if snapshot is not None:
            result = CycleTimes.from_dict(snapshot.data)
            result.computed_at = snapshot.computed_at
            return result
    return cycle_times(lab, year=year)


def monitored_labs(user):
    """The labs whose monitoring this person sees: the ones they run (every lab for a superuser)."""
    from govlab.labs.models import Lab
    from govlab.labs.selectors import labs_where_team

    labs = Lab.objects.all() if user.is_superuser else labs_where_team(user)
    return labs.order_by("slug")


def cross_lab(labs) -> list[CrossLabRow]:
    """Per lab: the funnel's counts, the median cycle (first submission → solution selected) and the
    number of active KPIs. From the snapshots when there are; one query for the KPI counts."""
    labs = list(labs)
    kpi_counts = dict(
        KpiDefinition.objects.filter(lab__in=labs, is_active=True)
        .order_by()
        .values_list("lab")
        .annotate(n=Count("pk"))
    )
    snapshots = {
        (row.lab_id, row.key): row
        for row in Snapshot.objects.filter(lab__in=labs).filter(Q(key="funnel") | Q(key="cycle_times"))
    }
    rows = []
    for lab in labs:
        funnel_snapshot = snapshots.get((lab.pk, "funnel"))
        cycle_snapshot = snapshots.get((lab.pk, "cycle_times"))
        result = Funnel.from_dict(funnel_snapshot.data) if funnel_snapshot else funnel(lab)
        cycle = CycleTimes.from_dict(cycle_snapshot.data) if cycle_snapshot else cycle_times(lab)
        rows.append(
            CrossLabRow(
                lab=lab,
                funnel={stage.key: stage.count for stage in result.stages},
                median_cycle_days=cycle.total_median_days,
                cycle_n=cycle.total_n,
                kpi_count=kpi_counts.get(lab.pk, 0),
                computed_at=funnel_snapshot.computed_at if funnel_snapshot else None,
            )
        )
    return rows
