"""Cycle times: how long challenges spend in each state and each phase, from their ChallengeTransition
history (the audit trail of the workflow) — the figure behind "reduces innovation cycles".

One query loads (challenge, to_status, created_at) for the lab's challenges (ordered); the rest is Python
(10,000 challenges times ~10 transitions is 100,000 small tuples).

- **By state**: a challenge is in the state a transition moved it to until the next transition; the time in
  its current state runs up to ``now``. A state visited twice (sent back for more information, then
  submitted again) adds up: one figure per challenge and state. Drafts (the entity's time) and the end
  states (closed, declined, withdrawn, abandoned) have no duration.
- **By phase**: from the first arrival in the phase's first state (or a later one) to the first arrival in
  the next phase's first state (or a later one); only phases a challenge has completed count.
- **Total**: from the first submission to the first selection of a solution, for challenges that got
  there.
- ``year``: the challenges first submitted that calendar year (in the lab's time zone), as in the funnel.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govlab.challenges.enums import EXIT_STATES
from govlab.challenges.enums import ChallengeStatus as S
from govlab.challenges.models import STATUS_LABELS, ChallengeTransition

from .computations import LATER, lab_of, scope_kind
from .enums import Scope

END_STATES = {S.CLOSED, *EXIT_STATES}
# The states measured, in the order of the pipeline.
MEASURED_STATES = [state for state in LATER[S.SUBMITTED] if state not in END_STATES]

PHASES = (
    ("intake", _("1. Intake and screening"), S.SUBMITTED, S.ACCEPTED),
    ("characterisation", _("2. Characterisation"), S.ACCEPTED, S.READY_FOR_CALL),
    ("call_evaluation", _("3. Call and evaluation"), S.IN_CALL, S.PRESELECTED),
    ("strengthening", _("4. Strengthening, pilots and Demo Day"), S.PRESELECTED, S.SOLUTION_SELECTED),
    ("procurement", _("5. Procurement and implementation"), S.SOLUTION_SELECTED, S.CLOSED),
)
_RANK = {state: index for index, state in enumerate(LATER[S.SUBMITTED])}

# (upper bound in days, inclusive; label). The last bucket has no bound.
BUCKETS = (
    (7, _("up to a week")),
    (30, _("8–30 days")),
    (90, _("31–90 days")),
    (180, _("91–180 days")),
    (365, _("181–365 days")),
    (None, _("over a year")),
)
DAY = 86400


@dataclass
class StateTime:
    state: str
    label: str
    n: int
    median_days: float | None
    p25: float | None
    p75: float | None
    mean_days: float | None
    histogram: list[tuple[str, int]] = field(default_factory=list)


def per_challenge(challenge, *, now=None) -> list[tuple[str, dt.datetime, dt.datetime | None, float | None]]:
    """(state, entered_at, left_at, days) for each stay of the challenge, oldest first. The current state
    has no ``left_at`` and runs up to ``now`` (an end state has no duration)."""
    now = now or timezone.now()
    rows = list(
        ChallengeTransition.objects.filter(challenge=challenge)
        .order_by("created_at", "pk")
        .values_list("to_status", "created_at")
    )
    out = []
    for index, (state, entered) in enumerate(rows):
        left = rows[index + 1][1] if index + 1 < len(rows) else None
        days = None if state in END_STATES else _days((left or now) - entered)
        out.append((state, entered, left, days))
    return out


@dataclass
class CycleTimes:
    by_state: list[StateTime]
    by_phase: list[StateTime]
    total_median_days: float | None
    total_n: int = 0
    challenges: int = 0
    computed_at: dt.datetime | None = None

    per_challenge = staticmethod(per_challenge)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["computed_at"] = self.computed_at.isoformat() if self.computed_at else None
        for group in ("by_state", "by_phase"):
            for row in data[group]:
                row["label"] = str(row["label"])
                row["histogram"] = [[str(label), count] for label, count in row["histogram"]]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> CycleTimes:
        def rows(items):
            return [
                StateTime(**{**item, "histogram": [tuple(pair) for pair in item.get("histogram", [])]})
                for item in items
            ]

        computed = data.get("computed_at")
        return cls(
            by_state=rows(data.get("by_state", [])),
            by_phase=rows(data.get("by_phase", [])),
            total_median_days=data.get("total_median_days"),
            total_n=data.get("total_n", 0),
            challenges=data.get("challenges", 0),
            computed_at=dt.datetime.fromisoformat(computed) if computed else None,
        )


# --- Statistics ------------------------------------------------------------------------------------------


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / DAY


def percentile(values: list[float], q: float) -> float | None:
    """The q-th quantile (0–1) by linear interpolation between the closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def histogram(values: list[float]) -> list[tuple[str, int]]:
    counts = [0] * len(BUCKETS)
    for value in values:
        for index, (bound, _label) in enumerate(BUCKETS):
            if bound is None or value <= bound:
                counts[index] += 1
                break
    return [(label, count) for (_bound, label), count in zip(BUCKETS, counts, strict=True)]


def summarise(key: str, label, values: list[float]) -> StateTime:
    return StateTime(
        state=key,
        label=label,
        n=len(values),
        median_days=_round(percentile(values, 0.5)),
        p25=_round(percentile(values, 0.25)),
        p75=_round(percentile(values, 0.75)),
        mean_days=_round(sum(values) / len(values)) if values else None,
        histogram=histogram(values),
    )


# --- Loading ---------------------------------------------------------------------------------------------


def _transitions(scope_obj):
    """The transitions of the scope's challenges."""
    path = {
        Scope.LAB: "challenge__lab",
        Scope.CAMPAIGN: "challenge__campaign",
        Scope.CALL: "challenge__calls",
        Scope.CHALLENGE: "challenge",
    }[scope_kind(scope_obj)]
    return ChallengeTransition.objects.filter(**{path: scope_obj})


def _histories(scope_obj) -> dict[int, list[tuple[str, dt.datetime]]]:
    """{challenge id: [(to_status, created_at), ...] oldest first}, in one query."""
    rows = (
        _transitions(scope_obj)
        .order_by("challenge_id", "created_at", "pk")
        .values_list("challenge_id", "to_status", "created_at")
    )
    out: dict[int, list] = {}
    for challenge_id, state, created_at in rows:
        out.setdefault(challenge_id, []).append((state, created_at))
    return out


def _first_arrivals(history) -> dict[str, dt.datetime]:
    """{pipeline state: when the challenge first reached it or a later state}."""
    first: dict[str, dt.datetime] = {}
    for state, created_at in history:
        rank = _RANK.get(state)
        if rank is None:
            continue
        for earlier in LATER[S.SUBMITTED][: rank + 1]:
            first.setdefault(earlier, created_at)
    return first


def _in_year(history, year: int | None, zone: ZoneInfo) -> bool:
    if year is None:
        return True
    submitted = _first_arrivals(history).get(S.SUBMITTED)
    return submitted is not None and submitted.astimezone(zone).year == year


def cycle_times(lab, *, year: int | None = None, now=None, campaign=None) -> CycleTimes:
    """The lab's cycle times (or one campaign's), for the challenges first submitted in ``year`` if given."""
    now = now or timezone.now()
    zone = ZoneInfo(lab.time_zone or "UTC")
    histories = {
        challenge_id: history
        for challenge_id, history in _histories(campaign or lab).items()
        if _in_year(history, year, zone)
    }
    stays: dict[str, list[float]] = {state: [] for state in MEASURED_STATES}
    phases: dict[str, list[float]] = {key: [] for key, *_rest in PHASES}
    totals: list[float] = []
    for history in histories.values():
        per_state: dict[str, float] = {}
        for index, (state, entered) in enumerate(history):
            if state not in stays:
                continue
            left = history[index + 1][1] if index + 1 < len(history) else now
            per_state[state] = per_state.get(state, 0.0) + _days(left - entered)
        for state, days in per_state.items():
            stays[state].append(days)
        first = _first_arrivals(history)
        for key, _label, start, end in PHASES:
            if start in first and end in first:
                phases[key].append(_days(first[end] - first[start]))
        if S.SUBMITTED in first and S.SOLUTION_SELECTED in first:
            totals.append(_days(first[S.SOLUTION_SELECTED] - first[S.SUBMITTED]))
    return CycleTimes(
        by_state=[summarise(state, STATUS_LABELS[state], stays[state]) for state in MEASURED_STATES],
        by_phase=[summarise(key, label, phases[key]) for key, label, *_rest in PHASES],
        total_median_days=_round(percentile(totals, 0.5)),
        total_n=len(totals),
        challenges=len(histories),
        computed_at=now,
    )


def median_total_days(scope_obj, period) -> Decimal | None:
    """The median days from first submission to first selection of a solution, over the scope's
    challenges whose solution was first selected in the period (all time without one). One grouped query:
    only the challenges that got there come back."""
    rows = (
        _transitions(scope_obj)
        .order_by()
        .values("challenge")
        .annotate(
            submitted=Min("created_at", filter=Q(to_status__in=LATER[S.SUBMITTED])),
            selected=Min("created_at", filter=Q(to_status__in=LATER[S.SOLUTION_SELECTED])),
        )
        .filter(selected__isnull=False, submitted__isnull=False)
    )
    if period is not None:
        start, end = period.bounds(lab_of(scope_obj).time_zone)
        rows = rows.filter(selected__gte=start, selected__lt=end)
    totals = [
        _days(selected - submitted) for submitted, selected in rows.values_list("submitted", "selected")
    ]
    median = _round(percentile(totals, 0.5))
    return None if median is None else Decimal(str(median))
