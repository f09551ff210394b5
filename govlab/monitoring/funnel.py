"""The funnel of a lab (or one campaign, or one call): from challenges submitted to solutions implemented,
with the conversion between stages and the reasons things left it.

Stages (``count`` is of challenges, applications or solutions — see ``unit``):

1. submitted, accepted, ready, in_call — challenges that ever reached the state (or a later one), from the
   ChallengeTransition history: a challenge sent back for more information is counted once;
2. applications — submitted applications (not withdrawn) to the challenges; preselected — applications
   preselected by the evaluation; piloted — pilots started; selected — Demo Day selections; procured —
   procurement processes awarded (when the procurement app is there);
3. implemented — challenges that reached implementation.

``year`` keeps the challenges first submitted that calendar year (in the lab's time zone) and what came of
them. A fixed number of aggregate queries, whatever the number of challenges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from govlab.challenges.enums import ChallengeStatus as S
from govlab.challenges.enums import DeclineReason
from govlab.challenges.models import STATUS_LABELS, Challenge, ChallengeTransition
from govlab.evaluation.enums import OutcomeReason

from . import computations as c
from .periods import year as year_period

CHALLENGES, APPLICATIONS, SOLUTIONS = "challenges", "applications", "solutions"

# (key, label, unit, challenge state reached — for challenge stages)
STAGES = (
    ("submitted", _("Submitted"), CHALLENGES, S.SUBMITTED),
    ("accepted", _("Accepted"), CHALLENGES, S.ACCEPTED),
    ("ready", _("Ready for a call"), CHALLENGES, S.READY_FOR_CALL),
    ("in_call", _("In a call"), CHALLENGES, S.IN_CALL),
    ("applications", _("Applications"), APPLICATIONS, None),
    ("preselected", _("Preselected"), APPLICATIONS, None),
    ("piloted", _("Piloted"), SOLUTIONS, None),
    ("selected", _("Selected at a Demo Day"), SOLUTIONS, None),
    ("procured", _("Procured"), SOLUTIONS, None),
    ("implemented", _("Implemented"), CHALLENGES, S.IMPLEMENTING),
)
STAGE_LABELS = {key: label for key, label, *_rest in STAGES}
# The funnel stage a challenge had reached when it left from this state.
STAGE_OF_STATE = {
    S.SUBMITTED: "submitted",
    S.IN_SCREENING: "submitted",
    S.MORE_INFO_REQUESTED: "submitted",
    S.ACCEPTED: "accepted",
    S.CHARACTERISING: "accepted",
    S.READY_FOR_CALL: "ready",
    S.IN_CALL: "in_call",
    S.PRESELECTED: "preselected",
    S.STRENGTHENING: "preselected",
    S.PILOTING: "piloted",
    S.SOLUTION_SELECTED: "selected",
    S.PROCURING: "selected",
    S.IMPLEMENTING: "implemented",
}
PILOT_STOPPED = "pilot_stopped"
HUNDRED = Decimal(100)


@dataclass
class Stage:
    key: str
    label: str
    count: int
    rate_from_previous: Decimal | None
    rate_from_first: Decimal | None
    records_url: str | None = None
    unit: str = CHALLENGES


@dataclass
class Exit:
    stage_key: str
    reason_key: str
    reason_label: str
    count: int


@dataclass
class Funnel:
    stages: list[Stage]
    exits: list[Exit] = field(default_factory=list)
    computed_at: dt.datetime | None = None  # set by selectors.lab_funnel (a snapshot's time, or now)

    def count(self, key: str) -> int:
        return next((stage.count for stage in self.stages if stage.key == key), 0)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("computed_at", None)
        for row in data["stages"]:
            row["label"] = str(row["label"])
            for name in ("rate_from_previous", "rate_from_first"):
                row[name] = None if row[name] is None else str(row[name])
        for row in data["exits"]:
            row["reason_label"] = str(row["reason_label"])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Funnel:
        stages = []
        for row in data.get("stages", []):
            row = dict(row)
            for name in ("rate_from_previous", "rate_from_first"):
                row[name] = None if row.get(name) is None else Decimal(row[name])
            stages.append(Stage(**row))
        return cls(stages=stages, exits=[Exit(**row) for row in data.get("exits", [])])


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cohort_filter(lab, year: int | None, challenge_lookup: str) -> Q | None:
    """The rows whose challenge (``challenge_lookup`` from them) was first submitted in ``year``: one
    submission that year and none before — two EXISTS (semi- and anti-joins on the transitions' challenge
    index), which both databases plan well, unlike an IN over a grouped subquery."""
    if year is None:
        return None
    start, end = year_period(year).bounds(lab.time_zone)
    submissions = ChallengeTransition.objects.filter(
        challenge=OuterRef(challenge_lookup), to_status__in=c.LATER[S.SUBMITTED]
    )
    return Q(Exists(submissions.filter(created_at__gte=start, created_at__lt=end))) & ~Q(
        Exists(submissions.filter(created_at__lt=start))
    )


def funnel(lab, *, campaign=None, call=None, year: int | None = None) -> Funnel:
    from govlab.demoday.models import Selection
    from govlab.evaluation.models import PreselectionDecision
    from govlab.pilots.enums import Decision, PilotStatus
    from govlab.pilots.models import Pilot

    scope_obj = call or campaign or lab
    kind = c.scope_kind(scope_obj)

    def restrict(queryset, challenge_lookup: str):
        condition = cohort_filter(lab, year, challenge_lookup)
        return queryset if condition is None else queryset.filter(condition)

    # Challenge stages: one query, a distinct count per stage.
    transitions = restrict(
        c._scoped(ChallengeTransition.objects.all(), scope_obj, c.CHALLENGE_PATHS), "challenge"
    )
    reached = transitions.aggregate(
        **{
            key: Count("challenge", distinct=True, filter=Q(to_status__in=c.LATER[state]))
            for key, _label, _unit, state in STAGES
            if state is not None
        }
    )
    counts = dict(reached)
    applications = restrict(c.received_applications(scope_obj), "challenge")
    counts["applications"] = applications.count()
    decisions = restrict(
        c._scoped(
            PreselectionDecision.objects.all(),
            scope_obj,
            {k: f"application__{v}" for k, v in c.APPLICATION_PATHS.items()},
        ),
        "application__challenge",
    )
    counts["preselected"] = decisions.filter(selected=True).count()
    pilot_paths = {**c.PILOT_PATHS, "campaign": "challenge__campaign"}
    pilots = restrict(c._scoped(Pilot.objects.all(), scope_obj, pilot_paths), "challenge").aggregate(
        started=Count("pk", filter=Q(started_at__isnull=False)),
        stopped=Count("pk", filter=Q(status=PilotStatus.DECIDED, decision=Decision.STOP)),
    )
    counts["piloted"] = pilots["started"]
    selection_paths = {**c.SELECTION_PATHS, "campaign": "challenge__campaign"}
    counts["selected"] = restrict(
        c._scoped(Selection.objects.all(), scope_obj, selection_paths), "challenge"
    ).count()
    counts["procured"] = _procured(scope_obj, kind, restrict)

    stages: list[Stage] = []
    for key, label, unit, state in STAGES:
        count = counts.get(key) or 0
        previous = stages[-1].count if stages else None
        stages.append(
            Stage(
                key=key,
                label=label,
                count=count,
                rate_from_previous=_rate(count, previous) if previous is not None else None,
                rate_from_first=_rate(count, stages[0].count) if stages else None,
                records_url=_records_url(key, state, scope_obj),
                unit=unit,
            )
        )
    exits = _challenge_exits(scope_obj, restrict)
    not_selected = (
        decisions.filter(selected=False).order_by().values_list("reason_category").annotate(n=Count("pk"))
    )
    reason_labels = dict(OutcomeReason.choices)
    for reason, n in sorted(not_selected):
        exits.append(Exit("applications", reason, reason_labels.get(reason, reason), n))
    if pilots["stopped"]:
        exits.append(Exit("piloted", PILOT_STOPPED, _("Pilot stopped"), pilots["stopped"]))
    return Funnel(stages=stages, exits=exits)


def _procured(scope_obj, kind, restrict) -> int:
    process = c._model("procurement.ProcurementProcess")
    if process is None:
        return 0
    paths = {
        "lab": "lab",
        "campaign": "challenge__campaign",
        "call": "challenge__calls",
        "challenge": "challenge",
    }
    rows = c._scoped(process.objects.filter(status="awarded"), scope_obj, paths)
    return restrict(rows, "challenge").count()


def _challenge_exits(scope_obj, restrict) -> list[Exit]:
    """Declined challenges by reason category; withdrawn and abandoned ones by the stage they left."""
    challenge_paths = {"lab": "lab", "campaign": "campaign", "call": "calls", "challenge": "pk"}
    declined = restrict(
        c._scoped(Challenge.objects.filter(status=S.DECLINED), scope_obj, challenge_paths), "pk"
    )
    reason_labels = dict(DeclineReason.choices)
    exits = [
        Exit("submitted", reason or "other", reason_labels.get(reason or "other", reason), n)
        for reason, n in sorted(
            declined.order_by().values_list("decline_reason").annotate(n=Count("pk")),
            key=lambda r: r[0] or "",
        )
    ]
    left = restrict(
        c._scoped(
            ChallengeTransition.objects.filter(to_status__in=(S.WITHDRAWN, S.ABANDONED)),
            scope_obj,
            c.CHALLENGE_PATHS,
        ),
        "challenge",
    )
    rows = (
        left.order_by().values_list("to_status", "from_status").annotate(n=Count("challenge", distinct=True))
    )
    merged: dict[tuple[str, str], int] = {}
    for to_status, from_status, n in rows:
        stage = STAGE_OF_STATE.get(from_status, "submitted")
        merged[(stage, to_status)] = merged.get((stage, to_status), 0) + n
    order = {key: index for index, (key, *_rest) in enumerate(STAGES)}
    for (stage, to_status), n in sorted(merged.items(), key=lambda item: (order[item[0][0]], item[0][1])):
        exits.append(Exit(stage, to_status, STATUS_LABELS[to_status], n))
    return exits


def _records_url(key: str, state, scope_obj) -> str | None:
    if state is not None:
        return c._board_url("" if state == S.SUBMITTED else state)(scope_obj, None)
    if key == "applications":
        return c._applications_url(scope_obj, None)
    if key in ("preselected", "piloted") and c.scope_kind(scope_obj) == "call":
        return c._pilots_url(scope_obj, None)
    if key == "selected":
        return c._demoday_url(scope_obj, None)
    return None
