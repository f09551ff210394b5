"""The registry of computed KPIs: each a well-named count, sum, share or mean over govlab's own data.

``COMPUTATIONS[key].compute(scope_obj, period)`` answers for one scope (a Lab, an IntakeCampaign, a Call or
a Challenge — the computation's ``scopes`` say which) and one period (or ``None``: all time). Each is one
or two aggregate queries (COUNT/SUM/MIN … GROUP BY, no window functions), whatever the size of the data;
``records_url`` links to the records counted where a page lists them.

What counts, and when (the period is read in the lab's time zone):

- challenges_identified / _accepted / _connected: challenges whose *first* move into submitted / accepted /
  in a call (or any later state) falls in the period, from ChallengeTransition — a challenge sent back for
  more information and submitted again is counted once, at its first submission.
- calls_published: calls published in the period and not cancelled since.
- applications_received: applications submitted in the period and not withdrawn; a two-stage call's full
  proposal is the same applicant's second step, so only its expression of interest counts.
- solvers_mapped: the lab's active solver organisations (not public entities, partners or labs) known at
  the end of the period (a stock, not a flow).
- solutions_strengthened: cohort members who joined a strengthening programme in the period.
- pilots_run: pilots started in the period; pilot_success_rate: of the pilots decided in the period, the
  share (%) decided "scale".
- solutions_selected: Demo Day selections decided in the period.
- solutions_procured: procurement processes awarded in the period; contract_value: the value of purchase
  contracts signed in the period (lab currency only; cancelled ones excluded).
- milestones_paid_on_time_share: of the contract payments due in the period (and already due), the share
  (%) paid by their due day.
- trl_gain_mean: for cohort members with two TRL assessments or more whose latest is in the period, the
  mean of latest level minus first level.
- attendees_by_helix (a breakdown): bootcamp attendances and work-session attendees in the period, by the
  quadruple-helix sector of the person's organisation ("unspecified" without one).
- evaluation_hours: reviews do not record the time spent, so None (nothing to show) until they do.
- cycle_time_median_days: the median days from a challenge's first submission to its solution's selection,
  over the challenges whose solution was selected in the period (``cycle_times``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from govlab.calls.enums import ApplicationStatus, CallStatus, Stage
from govlab.calls.models import Application, Call
from govlab.challenges.enums import ChallengeStatus as S
from govlab.challenges.models import Challenge, ChallengeTransition, IntakeCampaign
from govlab.labs.models import Lab
from govlab.organisations.enums import HelixSector, OrganisationKind

from .enums import Category, Direction, Scope
from .periods import Period

# States at or after a stage of the pipeline: "reached in_call" means in_call or any later state.
LATER = {
    S.SUBMITTED: [
        S.SUBMITTED,
        S.IN_SCREENING,
        S.MORE_INFO_REQUESTED,
        S.ACCEPTED,
        S.CHARACTERISING,
        S.READY_FOR_CALL,
        S.IN_CALL,
        S.PRESELECTED,
        S.STRENGTHENING,
        S.PILOTING,
        S.SOLUTION_SELECTED,
        S.PROCURING,
        S.IMPLEMENTING,
        S.CLOSED,
    ],
}
_PIPELINE = LATER[S.SUBMITTED]
for _state in (S.ACCEPTED, S.READY_FOR_CALL, S.IN_CALL, S.PRESELECTED, S.SOLUTION_SELECTED, S.IMPLEMENTING):
    LATER[_state] = _PIPELINE[_PIPELINE.index(_state) :]

NOT_SOLVERS = (OrganisationKind.PUBLIC_ENTITY, OrganisationKind.PARTNER, OrganisationKind.LAB)
UNSPECIFIED = "unspecified"
HELIX_KEYS = (*HelixSector.values, UNSPECIFIED)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Computation:
    key: str
    label: Any  # lazy
    unit: str
    category: str
    scopes: frozenset
    compute: Callable[[Any, Period | None], Any]
    records_url: Callable[[Any, Period | None], str | None] = field(default=lambda scope_obj, period: None)
    description: Any = ""
    breakdown: bool = False
    direction: str = Direction.UP

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


# --- Scope helpers --------------------------------------------------------------------------------------


def scope_kind(scope_obj) -> str:
    if isinstance(scope_obj, Lab):
        return Scope.LAB
    if isinstance(scope_obj, IntakeCampaign):
        return Scope.CAMPAIGN
    if isinstance(scope_obj, Call):
        return Scope.CALL
    if isinstance(scope_obj, Challenge):
        return Scope.CHALLENGE
    raise TypeError(f"Not a monitoring scope: {scope_obj!r}")


def lab_of(scope_obj) -> Lab:
    return scope_obj if isinstance(scope_obj, Lab) else scope_obj.lab


def scope_object(kpi):
    """The object a KPI is about: its lab, campaign, call or challenge."""
    return {
        Scope.LAB: kpi.lab,
        Scope.CAMPAIGN: kpi.campaign,
        Scope.CALL: kpi.call,
        Scope.CHALLENGE: kpi.challenge,
    }.get(kpi.scope) or kpi.lab


def _scoped(queryset, scope_obj, paths: dict[str, str]):
    """``queryset`` filtered to the scope through ``paths[scope kind]`` (a lookup to the scope object)."""
    return queryset.filter(**{paths[scope_kind(scope_obj)]: scope_obj})


def _in(period: Period | None, lookup: str, scope_obj) -> Q:
    """The rows whose datetime ``lookup`` falls in the period (in the lab's time zone)."""
    if period is None:
        return Q()
    start, end = period.bounds(lab_of(scope_obj).time_zone)
    return Q(**{f"{lookup}__gte": start, f"{lookup}__lt": end})


def _on(period: Period | None, lookup: str) -> Q:
    """The rows whose date ``lookup`` falls in the period."""
    if period is None:
        return Q()
    return Q(**{f"{lookup}__gte": period.start, f"{lookup}__lte": period.end})


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _url(name: str, query: dict | None = None, **kwargs) -> str | None:
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
    query = {key: value for key, value in (query or {}).items() if value not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _model(label: str):
    """A model of an app that may not be installed (procurement, contracts): None then."""
    app_label, name = label.split(".")
    if not apps.is_installed(f"govlab.{app_label}"):
        return None
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


# --- Challenges: first arrival in a state -----------------------------------------------------------------

CHALLENGE_PATHS = {
    Scope.LAB: "challenge__lab",
    Scope.CAMPAIGN: "challenge__campaign",
    Scope.CALL: "challenge__calls",
    Scope.CHALLENGE: "challenge",
}


def reached(scope_obj, state: str, period: Period | None) -> int:
    """How many challenges of the scope first reached ``state`` (or a later one) in the period."""
    rows = _scoped(ChallengeTransition.objects.filter(to_status__in=LATER[state]), scope_obj, CHALLENGE_PATHS)
    if period is None:
        return rows.aggregate(n=Count("challenge", distinct=True))["n"]
    start, end = period.bounds(lab_of(scope_obj).time_zone)
    return (
        rows.order_by()
        .values("challenge")
        .annotate(first=Min("created_at"))
        .filter(first__gte=start, first__lt=end)
        .count()
    )


def _board_url(state: str):
    def records(scope_obj, period):
        if isinstance(scope_obj, Challenge):
            return _url("challenges:detail", reference=scope_obj.reference)
        campaign = scope_obj.pk if isinstance(scope_obj, IntakeCampaign) else None
        return _url(
            "challenges:lab_board", {"campaign": campaign, "status": state}, lab_slug=lab_of(scope_obj).slug
        )

    return records


# --- Calls and applications ---------------------------------------------------------------------------------


def calls_published(scope_obj, period):
    calls = Call.objects.filter(lab=scope_obj, status=CallStatus.PUBLISHED).filter(
        _in(period, "published_at", scope_obj)
    )
    return Decimal(calls.count())


def _calls_url(scope_obj, period):
    return _url("calls:lab_calls", lab_slug=scope_obj.slug)


APPLICATION_PATHS = {
    Scope.LAB: "call__lab",
    Scope.CAMPAIGN: "challenge__campaign",
    Scope.CALL: "call",
    Scope.CHALLENGE: "challenge",
}


def received_applications(scope_obj, period=None):
    """Submitted (not withdrawn) applications of the scope; a two-stage call counts its first stage."""
    rows = Application.objects.filter(status=ApplicationStatus.SUBMITTED).exclude(
        call__two_stage=True, stage=Stage.PROPOSAL
    )
    return _scoped(rows, scope_obj, APPLICATION_PATHS).filter(_in(period, "submitted_at", scope_obj))


def applications_received(scope_obj, period):
    return Decimal(received_applications(scope_obj, period).count())


def _applications_url(scope_obj, period):
    if isinstance(scope_obj, Call):
        return _url("calls:lab_call", lab_slug=lab_of(scope_obj).slug, pk=scope_obj.pk)
    return _url("calls:lab_calls", lab_slug=lab_of(scope_obj).slug)


# --- Ecosystem ---------------------------------------------------------------------------------------------


def solvers_mapped(scope_obj, period):
    from govlab.organisations.models import Organisation

    rows = Organisation.objects.filter(labs=scope_obj, is_active=True).exclude(kind__in=NOT_SOLVERS)
    if period is not None:
        rows = rows.filter(created_at__lt=period.bounds(scope_obj.time_zone)[1])
    return Decimal(rows.count())


def _solvers_url(scope_obj, period):
    return _url("organisations:list")


# --- Strengthening, pilots, Demo Day ----------------------------------------------------------------------

MEMBER_PATHS = {
    Scope.LAB: "programme__call__lab",
    Scope.CALL: "programme__call",
    Scope.CHALLENGE: "application__challenge",
}


def solutions_strengthened(scope_obj, period):
    from govlab.strengthening.models import CohortMember

    rows = _scoped(CohortMember.objects.all(), scope_obj, MEMBER_PATHS)
    return Decimal(rows.filter(_in(period, "joined_at", scope_obj)).count())


PILOT_PATHS = {Scope.LAB: "lab", Scope.CALL: "call", Scope.CHALLENGE: "challenge"}


def pilots_run(scope_obj, period):
    from govlab.pilots.models import Pilot

    rows = _scoped(Pilot.objects.filter(started_at__isnull=False), scope_obj, PILOT_PATHS)
    return Decimal(rows.filter(_in(period, "started_at", scope_obj)).count())


def pilot_success_rate(scope_obj, period):
    from govlab.pilots.enums import Decision, PilotStatus
    from govlab.pilots.models import Pilot

    rows = _scoped(Pilot.objects.filter(status=PilotStatus.DECIDED), scope_obj, PILOT_PATHS)
    counts = rows.filter(_in(period, "decided_at", scope_obj)).aggregate(
        decided=Count("pk"), scaled=Count("pk", filter=Q(decision=Decision.SCALE))
    )
    return _share(counts["scaled"], counts["decided"])


def _pilots_url(scope_obj, period):
    if isinstance(scope_obj, Call):
        return _url("pilots:lab_call", lab_slug=lab_of(scope_obj).slug, call_pk=scope_obj.pk)
    return None


SELECTION_PATHS = {
    Scope.LAB: "demo_day__call__lab",
    Scope.CALL: "demo_day__call",
    Scope.CHALLENGE: "challenge",
}


def solutions_selected(scope_obj, period):
    from govlab.demoday.models import Selection

    rows = _scoped(Selection.objects.all(), scope_obj, SELECTION_PATHS)
    return Decimal(rows.filter(_in(period, "decided_at", scope_obj)).count())


def _demoday_url(scope_obj, period):
    return _url("demoday:lab_index", lab_slug=lab_of(scope_obj).slug)


# --- Procurement and contracts ------------------------------------------------------------------------------

LAB_OR_CHALLENGE = {Scope.LAB: "lab", Scope.CHALLENGE: "challenge"}


def procured_processes(scope_obj, period=None):
    """Awarded procurement processes of the scope (None when the procurement app is absent)."""
    process = _model("procurement.ProcurementProcess")
    if process is None:
        return None
    rows = _scoped(process.objects.filter(status="awarded"), scope_obj, LAB_OR_CHALLENGE)
    return rows.filter(_in(period, "awarded_at", scope_obj))


def solutions_procured(scope_obj, period):
    rows = procured_processes(scope_obj, period)
    return None if rows is None else Decimal(rows.count())


def contract_value(scope_obj, period):
    contract = _model("contracts.Contract")
    if contract is None:
        return None
    rows = _scoped(
        contract.objects.filter(
            kind="purchase", signed_on__isnull=False, currency=lab_of(scope_obj).currency
        ).exclude(status="cancelled"),
        scope_obj,
        LAB_OR_CHALLENGE,
    )
    total = rows.filter(_on(period, "signed_on")).aggregate(total=Sum("value"))["total"]
    return Decimal(total or 0)


def milestones_paid_on_time_share(scope_obj, period):
    payment = _model("contracts.Payment")
    if payment is None:
        return None
    today = timezone.localdate()
    rows = _scoped(
        payment.objects.filter(cancelled_at__isnull=True),
        scope_obj,
        {Scope.LAB: "contract__lab", Scope.CHALLENGE: "contract__challenge"},
    ).filter(_on(period, "due_on"))
    rows = rows.filter(Q(paid_on__isnull=False) | Q(due_on__lt=today))
    counts = rows.aggregate(n=Count("pk"), on_time=Count("pk", filter=Q(paid_on__lte=F("due_on"))))
    return _share(counts["on_time"], counts["n"])


# --- TRL, attendees, hours, cycle time ---------------------------------------------------------------


def trl_gain_mean(scope_obj, period):
    from govlab.strengthening.models import TrlAssessment

    rows = _scoped(
        TrlAssessment.objects.all(),
        scope_obj,
        {key: f"member__{path}" for key, path in MEMBER_PATHS.items()},
    ).values_list("member_id", "assessed_on", "created_at", "pk", "level")
    by_member: dict[int, list] = {}
    for member_id, assessed_on, created_at, pk, level in rows:
        by_member.setdefault(member_id, []).append((assessed_on, created_at, pk, level))
    gains = []
    for assessments in by_member.values():
        if len(assessments) < 2:
            continue
        assessments.sort()
        if period is not None and not period.contains(assessments[-1][0]):
            continue
        gains.append(assessments[-1][3] - assessments[0][3])
    if not gains:
        return None
    return Decimal(str(statistics.fmean(gains))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _person_sector(user_lookup: str) -> Subquery:
    from govlab.organisations.models import OrganisationMembership

    return Subquery(
        OrganisationMembership.objects.filter(user=OuterRef(user_lookup))
        .order_by("pk")
        .values("organisation__helix_sector")[:1]
    )


def _add_by_sector(out: dict, attendances, user_lookup: str) -> None:
    """Add the attendances to ``out`` by their person's sector (one grouped query)."""
    rows = (
        attendances.order_by()
        .values(sector=_person_sector(user_lookup))
        .annotate(n=Count("pk"))
        .values_list("sector", "n")
    )
    for sector, n in rows:
        out[sector or UNSPECIFIED] += n


def attendees_by_helix(scope_obj, period) -> dict[str, Decimal]:
    from govlab.strengthening.models import BootcampRegistration, WorkSession

    out = dict.fromkeys(HELIX_KEYS, Decimal(0))
    bootcamp = _scoped(
        BootcampRegistration.objects.filter(attended=True),
        scope_obj,
        {
            Scope.LAB: "bootcamp__programme__call__lab",
            Scope.CALL: "bootcamp__programme__call",
            Scope.CHALLENGE: "member__application__challenge",
        },
    ).filter(_in(period, "bootcamp__starts_at", scope_obj))
    _add_by_sector(out, bootcamp, "person_id")
    through = WorkSession.attendees.through
    sessions = _scoped(
        through.objects.all(),
        scope_obj,
        {
            Scope.LAB: "worksession__programme__call__lab",
            Scope.CALL: "worksession__programme__call",
            Scope.CHALLENGE: "worksession__challenge",
        },
    ).filter(_in(period, "worksession__held_at", scope_obj))
    _add_by_sector(out, sessions, "user_id")
    return out


def evaluation_hours(scope_obj, period):
    """Reviews do not record the time they took: nothing to count (None) until they do."""
    return None


def cycle_time_median_days(scope_obj, period):
    from .cycle_times import median_total_days

    return median_total_days(scope_obj, period)


# --- The registry ------------------------------------------------------------------------------------------

ALL = frozenset(Scope.values)
LAB = frozenset({Scope.LAB})
LAB_CAMPAIGN = frozenset({Scope.LAB, Scope.CAMPAIGN})
LAB_CAMPAIGN_CALL = frozenset({Scope.LAB, Scope.CAMPAIGN, Scope.CALL})
PROGRAMME = frozenset({Scope.LAB, Scope.CALL, Scope.CHALLENGE})
LAB_CHALLENGE = frozenset({Scope.LAB, Scope.CHALLENGE})


def _count_of(state):
    return lambda scope_obj, period: Decimal(reached(scope_obj, state, period))


_REGISTRY = (
    Computation(
        "challenges_identified",
        _("Challenges identified"),
        "challenges",
        Category.RESULTS,
        LAB_CAMPAIGN,
        _count_of(S.SUBMITTED),
        _board_url(""),
        _("Challenges submitted for the first time in the period (a resubmission is not counted again)."),
    ),
    Computation(
        "challenges_accepted",
        _("Challenges accepted"),
        "challenges",
        Category.RESULTS,
        LAB_CAMPAIGN,
        _count_of(S.ACCEPTED),
        _board_url(S.ACCEPTED),
        _("Challenges accepted by the lab for the first time in the period."),
    ),
    Computation(
        "challenges_connected",
        _("Challenges connected with solvers"),
        "challenges",
        Category.RESULTS,
        LAB_CAMPAIGN_CALL,
        _count_of(S.IN_CALL),
        _board_url(S.IN_CALL),
        _("Challenges that entered a call for solutions for the first time in the period."),
    ),
    Computation(
        "calls_published",
        _("Calls for solutions published"),
        "calls",
        Category.MANAGEMENT,
        LAB,
        calls_published,
        _calls_url,
        _("Calls published in the period and not cancelled."),
    ),
    Computation(
        "applications_received",
        _("Applications received"),
        "applications",
        Category.RESULTS,
        ALL,
        applications_received,
        _applications_url,
        _("Applications submitted in the period and not withdrawn."),
    ),
    Computation(
        "solvers_mapped",
        _("Solvers mapped"),
        "organisations",
        Category.INPUT,
        LAB,
        solvers_mapped,
        _solvers_url,
        _("Active solver organisations in the lab's ecosystem at the end of the period."),
    ),
    Computation(
        "solutions_strengthened",
        _("Solutions strengthened"),
        "solutions",
        Category.RESULTS,
        PROGRAMME,
        solutions_strengthened,
        description=_("Solutions that joined a strengthening programme in the period."),
    ),
    Computation(
        "pilots_run",
        _("Pilots run"),
        "pilots",
        Category.RESULTS,
        PROGRAMME,
        pilots_run,
        _pilots_url,
        _("Pilots started in the period."),
    ),
    Computation(
        "pilot_success_rate",
        _("Pilot success rate"),
        "%",
        Category.IMPACT,
        PROGRAMME,
        pilot_success_rate,
        _pilots_url,
        _("Of the pilots decided in the period, the share decided “scale”."),
    ),
    Computation(
        "solutions_selected",
        _("Solutions selected"),
        "solutions",
        Category.RESULTS,
        PROGRAMME,
        solutions_selected,
        _demoday_url,
        _("Solutions selected at a Demo Day in the period."),
    ),
    Computation(
        "solutions_procured",
        _("Solutions procured"),
        "procurements",
        Category.IMPACT,
        LAB_CHALLENGE,
        solutions_procured,
        description=_("Procurement processes awarded in the period."),
    ),
    Computation(
        "contract_value",
        _("Value of purchase contracts"),
        "currency",
        Category.IMPACT,
        LAB_CHALLENGE,
        contract_value,
        description=_("The value of purchase contracts signed in the period, in the lab's currency."),
    ),
    Computation(
        "milestones_paid_on_time_share",
        _("Payments made on time"),
        "%",
        Category.MANAGEMENT,
        LAB_CHALLENGE,
        milestones_paid_on_time_share,
        description=_("Of the contract payments due in the period, the share paid by the day they were due."),
    ),
    Computation(
        "trl_gain_mean",
        _("Mean TRL gain"),
        "TRL levels",
        Category.RESULTS,
        PROGRAMME,
        trl_gain_mean,
        description=_(
            "The mean gain in technology readiness between a solution's first and last assessment."
        ),
    ),
    Computation(
        "attendees_by_helix",
        _("Attendees by quadruple-helix sector"),
        "people",
        Category.INPUT,
        PROGRAMME,
        attendees_by_helix,
        description=_("Bootcamp and work-session attendances in the period, by the attendee's sector."),
        breakdown=True,
    ),
    Computation(
        "evaluation_hours",
        _("Evaluation hours"),
        "hours",
        Category.MANAGEMENT,
        frozenset({Scope.LAB, Scope.CALL}),
        evaluation_hours,
        description=_("Time spent reviewing applications, when reviews record it."),
        direction=Direction.NEUTRAL,
    ),
    Computation(
        "cycle_time_median_days",
        _("Median innovation cycle"),
        "days",
        Category.MANAGEMENT,
        LAB_CAMPAIGN,
        cycle_time_median_days,
        description=_("Median days from a challenge's first submission to the selection of its solution."),
        direction=Direction.DOWN,
    ),
)

COMPUTATIONS: dict[str, Computation] = {computation.key: computation for computation in _REGISTRY}


def choices(scope: str | None = None) -> list[tuple[str, Any]]:
    """(key, label) of the computations, those allowing ``scope`` only when given."""
    return [(c.key, c.label) for c in _REGISTRY if scope is None or c.allows(scope)]


def compute(key: str, scope_obj, period: Period | None):
    return COMPUTATIONS[key].compute(scope_obj, period)
