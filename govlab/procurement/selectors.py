"""Reads for procurement: which routes a challenge may take (and why not the others), the processes a
person may see, and a process with everything its page shows — each in a fixed number of queries.

``route_options`` is data-driven: the lab's procedure types and their thresholds decide, and every reason
names the rule's source. It is not legal advice, and the pages say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govlab.labs.selectors import user_lab_roles
from govlab.organisations.selectors import user_organisation_roles

from .enums import AwardStatus, ProcessStatus
from .models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold

LAB_TEAM = {"manager", "staff"}


def lab_today(lab) -> dt.date:
    """Today in the lab's time zone."""
    return timezone.localdate(timezone=ZoneInfo(lab.time_zone or "UTC"))


def money(value, currency: str) -> str:
    """250000 → "250,000 COP"; 1234.5 → "1,234.50 EUR"."""
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{text} {currency}".strip()


def parse_amount(raw) -> Decimal | None:
    """A typed amount ("180000", "1250.50") → Decimal; None when empty; ValueError if not a finite amount."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


def _source(rule) -> str:
    return rule.source_label or rule.source_url or _("no source given")


def _period(threshold: Threshold) -> str:
    if threshold.valid_until:
        return _("valid from %(start)s to %(end)s") % {
            "start": _day(threshold.valid_from),
            "end": _day(threshold.valid_until),
        }
    return _("valid from %(start)s, with no end") % {"start": _day(threshold.valid_from)}


# --- Routes ------------------------------------------------------------------------------------------


@dataclass
class RouteOption:
    procedure: ProcedureType
    available: bool
    threshold: Threshold | None = None
    reasons: list[str] = field(default_factory=list)
    # Every threshold of the procedure under the challenge's regime: the rules the page shows.
    rules: list[Threshold] = field(default_factory=list)


def challenge_for_routes(user, reference: str):
    """The challenge (with what the route options read) if this person manages its purchase, else None."""
    from govlab.challenges.models import Challenge

    challenge = (
        Challenge.objects.select_related("lab", "owner", "legal_regime").filter(reference=reference).first()
    )
    if challenge is None or not user.has_perm("procurement.manage", challenge):
        return None
    return challenge


def challenge_value(challenge) -> tuple[Decimal | None, str]:
    """The value a route is judged on by default: the confirmed budget, else the estimated cost."""
    if challenge.budget_amount is not None:
        return challenge.budget_amount, challenge.budget_currency or challenge.lab.currency
    if challenge.estimated_cost is not None:
        return challenge.estimated_cost, challenge.estimated_cost_currency or challenge.lab.currency
    return None, challenge.budget_currency or challenge.estimated_cost_currency or challenge.lab.currency


def judge_route(
    procedure: ProcedureType, thresholds, *, regime, value, currency: str, on: dt.date
) -> RouteOption:
    """Whether ``procedure`` is available for ``value`` in ``currency`` on ``on`` under ``regime``."""
    option = RouteOption(procedure=procedure, available=False)
    if regime is None:
        option.reasons.append(_("The challenge has no legal regime — set it in the characterisation."))
        return option
    regime_name = str(regime)
    under = [t for t in thresholds if t.legal_regime_id == regime.pk]
    option.rules = under
    if not under:
        option.reasons.append(
            _("Not available under %(regime)s: no threshold for this regime (source: %(source)s).")
            % {"regime": regime_name, "source": _source(procedure)}
        )
        return option
    in_currency = [t for t in under if t.currency == currency]
    if not in_currency:
        currencies = ", ".join(sorted({t.currency for t in under}))
        option.reasons.append(
            _(
                "Not available under %(regime)s: no threshold in %(currency)s (thresholds exist in "
                "%(currencies)s; source: %(source)s)."
            )
            % {
                "regime": regime_name,
                "currency": currency,
                "currencies": currencies,
                "source": "; ".join(sorted({_source(t) for t in under})),
            }
        )
        return option
    valid = [t for t in in_currency if t.valid_from <= on and (t.valid_until is None or on <= t.valid_until)]
    if not valid:
        for threshold in in_currency:
            option.reasons.append(
                _("The threshold of %(source)s is not valid on %(day)s: %(period)s.")
                % {"source": _source(threshold), "day": _day(on), "period": _period(threshold)}
            )
        return option
    if value is None:
        option.reasons.append(
            _("The challenge has no estimated value or budget: give the value the purchase is judged on.")
        )
        return option
    value = Decimal(value)
    for threshold in valid:
        below = threshold.min_value is not None and value < threshold.min_value
        above = threshold.max_value is not None and value >= threshold.max_value
        if not below and not above:
            option.available = True
            option.threshold = threshold
            option.reasons = []
            return option
        if below:
            option.reasons.append(
                _("The estimated value %(value)s is below the minimum %(min)s of %(source)s.")
                % {
                    "value": money(value, currency),
                    "min": money(threshold.min_value, currency),
                    "source": _source(threshold),
                }
            )
        else:
            option.reasons.append(
                _("The estimated value %(value)s is at or above the maximum %(max)s of %(source)s.")
                % {
                    "value": money(value, currency),
                    "max": money(threshold.max_value, currency),
                    "source": _source(threshold),
                }
            )
    return option


def procedures_with_thresholds(lab, *, active_only: bool = True):
    queryset = ProcedureType.objects.filter(lab=lab)
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.prefetch_related(
        Prefetch(
            "thresholds",
            queryset=Threshold.objects.select_related("legal_regime").order_by(
                "legal_regime_id", "currency", "valid_from", "pk"
            ),
        )
    ).order_by("jurisdiction", "pk")


def route_options(challenge, *, value=None, currency=None, on=None) -> list[RouteOption]:
    """For every active procedure type of the challenge's lab: available or not, and why.

    ``value``/``currency`` default to the challenge's confirmed budget (else its estimated cost); ``on``
    to the lab's today. Available routes come first, each group in the lab's order.
    """
    lab = challenge.lab
    default_value, default_currency = challenge_value(challenge)
    if value is None:
        value = default_value
        currency = currency or default_currency
    currency = currency or default_currency
    on = on or lab_today(lab)
    regime = challenge.legal_regime if challenge.legal_regime_id else None
    options = [
        judge_route(
            procedure, list(procedure.thresholds.all()), regime=regime, value=value, currency=currency, on=on
        )
        for procedure in procedures_with_thresholds(lab)
    ]
    return sorted(options, key=lambda option: not option.available)


def route_for(challenge, procedure, *, value, currency, on=None) -> RouteOption:
    """The judgement of one procedure (fresh from the database) for a challenge."""
    on = on or lab_today(challenge.lab)
    regime = challenge.legal_regime if challenge.legal_regime_id else None
    thresholds = list(Threshold.objects.filter(procedure=procedure).select_related("legal_regime"))
    return judge_route(procedure, thresholds, regime=regime, value=value, currency=currency, on=on)


# --- Processes ----------------------------------------------------------------------------------


def effective_status(process, *, today: dt.date | None = None) -> str:
    """The process's status, where a standstill whose end date has passed counts as awarded."""
    if process.status == ProcessStatus.STANDSTILL and process.standstill_ends_on is not None:
        today = today or lab_today(process.lab)
        if process.standstill_ends_on < today:
            return ProcessStatus.AWARDED
    return process.status


def in_standstill(process, *, today: dt.date | None = None) -> bool:
    return effective_status(process, today=today) == ProcessStatus.STANDSTILL


BASE_RELATED = ("lab", "challenge__lab", "challenge__owner", "procedure", "legal_regime", "threshold")


def processes_for_lab(lab):
    return (
        ProcurementProcess.objects.filter(lab=lab)
        .select_related(*BASE_RELATED)
        .annotate(
            award_count=Count("awards", filter=Q(awards__status=AwardStatus.ACTIVE), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def visible_processes(user):
    """The processes a person may see: their labs' (team), their entities' challenges', their awards'."""
    queryset = ProcurementProcess.objects.select_related(*BASE_RELATED)
    if getattr(user, "is_superuser", False):
        return queryset.order_by("-created_at", "-pk")
    lab_ids = [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & LAB_TEAM]
    organisation_ids = list(user_organisation_roles(user))
    condition = Q(lab_id__in=lab_ids)
    if organisation_ids:
        awarded = Award.objects.filter(supplier_id__in=organisation_ids, status=AwardStatus.ACTIVE).values(
            "process_id"
        )
        condition |= (
            Q(challenge__owner_id__in=organisation_ids)
            | Q(challenge__co_owners__in=organisation_ids)
            | Q(pk__in=awarded)
        )
    ids = ProcurementProcess.objects.filter(condition).values("pk")
    return queryset.filter(pk__in=ids).order_by("-created_at", "-pk")


def process_detail(pk):
    """A process with its steps, awards, selected solutions and co-buyers (or None)."""
    return (
        ProcurementProcess.objects.select_related(*BASE_RELATED, "chosen_by")
        .prefetch_related(
            Prefetch("steps", queryset=ProcessStep.objects.order_by("position", "pk")),
            Prefetch(
                "awards", queryset=Award.objects.select_related("supplier", "application").order_by("pk")
            ),
            Prefetch("applications", queryset=_applications_queryset()),
            "co_buyers",
        )
        .filter(pk=pk)
        .first()
    )


def _applications_queryset():
    from govlab.calls.models import Application

    return Application.objects.select_related("organisation").order_by("pk")


def process_for(user, pk):
    """The process if this person may see it; Http404 otherwise."""
    from django.http import Http404

    process = process_detail(pk)
    if process is None or not user.has_perm("procurement.view", process):
        raise Http404
    return process


def contract_of(award):
    """The contract signed for an award, or None (the contracts app may not have one yet)."""
    try:
        return award.contract
    except (ObjectDoesNotExist, AttributeError):
        return None


def contracts_by_award(awards) -> dict[int, object]:
    """{award id: contract} for these awards, in one query."""
    ids = [award.pk for award in awards]
    if not ids:
        return {}
    try:
        from govlab.contracts.models import Contract
    except ImportError:  # pragma: no cover
        return {}
    return {contract.award_id: contract for contract in Contract.objects.filter(award_id__in=ids)}


def live_process_for_challenge(challenge):
    return (
        ProcurementProcess.objects.filter(challenge=challenge)
        .exclude(status=ProcessStatus.CANCELLED)
        .select_related(*BASE_RELATED)
        .first()
    )


def public_processes_for_challenge(challenge):
    """What the challenge's page shows of its purchase: the processes (not cancelled) and their awards."""
    return list(
        ProcurementProcess.objects.filter(challenge=challenge)
        .exclude(status=ProcessStatus.CANCELLED)
        .select_related("procedure", "legal_regime", "lab")
        .prefetch_related(
            Prefetch(
                "awards",
                queryset=Award.objects.filter(status=AwardStatus.ACTIVE)
                .select_related("supplier")
                .order_by("pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )
