"""Writes for pilots: the pilot and its experiment (hypotheses, metrics, participants), its units and their
randomisation, observations (one by one, in bulk, from CSV), the start and the decision. The UI and the
API call these, and only these.

Every function checks who asks (``rules``), validates, writes and audits in one transaction, and raises a
ValidationError (by field where it can; ``error.code`` names the refusal) without changing anything when
it refuses. A pilot is never deleted: a stopped pilot stays, with the analysis it was decided on.

Rules of the experiment:
- a pilot needs at least one hypothesis and one metric (with baseline, target and how it is measured)
  before it starts;
- before/after designs: "before" observations are dated in [baseline_starts_on, starts_on), "after" ones
  in [starts_on, ends_on]; A/B and randomised designs: every observation in [starts_on, ends_on];
- A/B: arms are set by hand on the units (or given on unit-less observations); randomised: the platform
  draws the arms from a seed it records (``pilot_randomise``), once — never again after an observation;
- a rate metric's observations are 0 or 1 (the rate is their share);
- one value per metric, unit, day and group (without a unit: per metric, day and group);
- nothing is recorded on a decided pilot.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record
from govlab.calls.models import Application
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.services import challenge_transition
from govlab.core.i18n import clean_translations
from govlab.core.refusals import coded, refuse
from govlab.evaluation.models import PreselectionDecision
from govlab.notifications.services import notify
from govlab.organisations.enums import HelixSector
from govlab.organisations.selectors import organisation_people

from . import randomisation
from .enums import (
    DESIGN_GROUPS,
    RECORDING,
    Arm,
    Decision,
    Design,
    Direction,
    Group,
    MetricKind,
    PilotStatus,
    Source,
)
from .models import (
    Hypothesis,
    Metric,
    Observation,
    ObservationImport,
    Pilot,
    PilotParticipants,
    PilotUnit,
)
from .parsing import parse_date, parse_decimal
from .rules import require

UNCHANGED = object()
PILOTING_FROM = (ChallengeStatus.PRESELECTED, ChallengeStatus.STRENGTHENING)
MAX_HYPOTHESES = 10
MAX_METRICS = 20
MAX_UNITS = 2000
MAX_BULK = 5000


# --- The pilot ------------------------------------------------------------------------------------


def _text(value, max_length: int) -> str:
    return str(value or "").strip()[:max_length]


def _clean_hypotheses(raw, errors: dict) -> list[dict]:
    cleaned = []
    if raw is None:
        return cleaned
    if len(raw) > MAX_HYPOTHESES:
        errors["hypotheses"] = [_("Keep to %(max)d hypotheses.") % {"max": MAX_HYPOTHESES}]
        return cleaned
    for index, item in enumerate(raw):
        item = item if isinstance(item, dict) else {"statement": item}
        statement = str(item.get("statement") or "").strip()
        if not statement:
            errors[f"hypotheses.{index}.statement"] = [_("State the hypothesis.")]
        elif len(statement) > 2000:
            errors[f"hypotheses.{index}.statement"] = [_("Keep the hypothesis to 2,000 characters.")]
        cleaned.append({"id": item.get("id"), "statement": statement})
    return cleaned


def _clean_metrics(raw, hypotheses_count: int, errors: dict) -> list[dict]:
    cleaned = []
    if raw is None:
        return cleaned
    if len(raw) > MAX_METRICS:
        errors["metrics"] = [_("Keep to %(max)d metrics.") % {"max": MAX_METRICS}]
        return cleaned
    codes = set()
    for index, item in enumerate(raw):
        item = dict(item or {})
        key = f"metrics.{index}."
        row = {"id": item.get("id")}
        code = str(item.get("code") or "").strip().lower()
        if not code:
            errors[key + "code"] = [_("Give the metric a short code (letters, digits, hyphens).")]
        elif not all(c.isalnum() or c in "-_" for c in code) or len(code) > 50:
            errors[key + "code"] = [_("Use up to 50 letters, digits, hyphens or underscores.")]
        elif code in codes:
            errors[key + "code"] = [_("Another metric of this pilot has this code.")]
        codes.add(code)
        row["code"] = code
        for name, limit, message in (
            ("name", 200, _("Name the metric.")),
            ("unit", 40, _("Give the unit of measure (e.g. minutes, calls, share).")),
            ("how_measured", 2000, _("Say how it is measured: source, instrument, frequency.")),
        ):
            text = str(item.get(name) or "").strip()
            if not text:
                errors[key + name] = [message]
            elif len(text) > limit:
                errors[key + name] = [_("Keep this to %(max)d characters.") % {"max": limit}]
            row[name] = text
        row["kind"] = item.get("kind") or MetricKind.MEAN
        if row["kind"] not in MetricKind.values:
            errors[key + "kind"] = [_("Choose a mean or a rate.")]
        row["direction"] = item.get("direction")
        if row["direction"] not in Direction.values:
            errors[key + "direction"] = [_("Say whether higher or lower is better.")]
        for name in ("baseline", "target"):
            number = parse_decimal(item.get(name))
            if number is None:
                errors[key + name] = [
                    _("Give the baseline as a number.")
                    if name == "baseline"
                    else _("Give the target as a number.")
                ]
            elif row["kind"] == MetricKind.RATE and not Decimal(0) <= number <= Decimal(1):
                errors[key + name] = [_("A rate is a share from 0 to 1 (e.g. 0.45 for 45%).")]
            elif abs(number) >= Decimal("1e12"):
                errors[key + name] = [_("This number is too large.")]
            row[name] = number
        if (
            row["direction"] in Direction.values
            and row.get("baseline") is not None
            and row.get("target") is not None
            and key + "baseline" not in errors
            and key + "target" not in errors
        ):
            if row["direction"] == Direction.INCREASE and row["target"] <= row["baseline"]:
                errors.setdefault(key + "target", []).append(
                    _("Higher is better: the target must be above the baseline.")
                )
            if row["direction"] == Direction.DECREASE and row["target"] >= row["baseline"]:
                errors.setdefault(key + "target", []).append(
                    _("Lower is better: the target must be below the baseline.")
                )
        hypothesis = item.get("hypothesis")
        if hypothesis in ("", None):
            row["hypothesis"] = None
        else:
            try:
                hypothesis = int(hypothesis)
            except (TypeError, ValueError):
                hypothesis = 0
            if not 1 <= hypothesis <= hypotheses_count:
                errors[key + "hypothesis"] = [_("Choose one of the pilot's hypotheses (by number).")]
            row["hypothesis"] = hypothesis
        cleaned.append(row)
    return cleaned


def _clean_participants(raw, errors: dict) -> dict[str, tuple[int, str]]:
    cleaned = {}
    for sector, value in (raw or {}).items():
        if sector not in HelixSector.values:
            errors["participants"] = [_("“%(sector)s” is not a quadruple-helix sector.") % {"sector": sector}]
            continue
        if isinstance(value, dict):
            count, description = value.get("count"), str(value.get("description") or "").strip()[:300]
        else:
            count, description = value, ""
        try:
            count = int(count or 0)
        except (TypeError, ValueError):
            count = -1
        if count < 0 or count > 10_000_000:
            errors[f"participants.{sector}"] = [_("Give a whole number of people, 0 or more.")]
            continue
        cleaned[sector] = (count, description)
    return cleaned


def _clean_fields(data: dict, pilot: Pilot | None, errors: dict) -> dict:
    """The pilot's own fields, checked together (dates against the design)."""
    out = {}
    title = _text(data.get("title"), 300)
    if not title:
        errors["title"] = [_("Give the pilot a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    out["title"] = title
    try:
        out["objective"] = clean_translations(data.get("objective"), max_length=5000)
    except ValidationError as error:
        errors["objective"] = error.messages
    design = data.get("design")
    if design not in Design.values:
        errors["design"] = [_("Choose how the pilot compares: before/after, A/B or randomised.")]
    out["design"] = design
    for name in ("starts_on", "ends_on", "baseline_starts_on"):
        value = data.get(name)
        parsed = parse_date(value) if value not in (None, "") else None
        if value not in (None, "") and parsed is None:
            errors[name] = [_("Give a date as YYYY-MM-DD.")]
        out[name] = parsed
    if out["starts_on"] is None and "starts_on" not in errors:
        errors["starts_on"] = [_("Say when the pilot starts.")]
    if out["ends_on"] is None and "ends_on" not in errors:
        errors["ends_on"] = [_("Say when the pilot ends.")]
    if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
        errors["ends_on"] = [_("The pilot must end on or after the day it starts.")]
    if design == Design.BEFORE_AFTER:
        if out["baseline_starts_on"] is None and "baseline_starts_on" not in errors:
            errors["baseline_starts_on"] = [
                _("A before/after pilot measures a baseline first: say from which day.")
            ]
        elif out["baseline_starts_on"] and out["starts_on"] and out["baseline_starts_on"] >= out["starts_on"]:
            errors["baseline_starts_on"] = [_("The baseline is measured before the pilot starts.")]
    else:
        out["baseline_starts_on"] = None
    budget = data.get("budget")
    if budget in (None, ""):
        out["budget"] = None
    else:
        number = parse_decimal(budget)
        if number is None or number < 0 or number >= Decimal("1e12"):
            errors["budget"] = [_("Give the budget as an amount of 0 or more.")]
        out["budget"] = number
    out["sites"] = _text(data.get("sites"), 5000)
    out["risks"] = _text(data.get("risks"), 5000)
    out["consent_ethics"] = _text(data.get("consent_ethics"), 5000)
    if pilot is not None and pilot.pk:
        if design != pilot.design and (
            pilot.status != PilotStatus.DRAFT
            or pilot.observations.exists()
            or pilot.seed is not None
            or pilot.units.exclude(arm="").exists()
        ):
            errors["design"] = [
                _("The design cannot change once the pilot has started, arms or observations.")
            ]
        elif not errors.get("starts_on") and not errors.get("ends_on"):
            outside = _observations_outside(pilot, out)
            if outside:
                errors["starts_on"] = [
                    _("%(count)d recorded observations would fall outside these dates.") % {"count": outside}
                ]
    return out


def _observations_outside(pilot: Pilot, window: dict) -> int:
    if not window["starts_on"] or not window["ends_on"]:
        return 0
    count = 0
    for group, observed_on in pilot.observations.values_list("group", "observed_on"):
        if not _date_allowed(window, group, observed_on):
            count += 1
    return count


def _date_allowed(window, group: str, observed_on) -> bool:
    get = window.get if isinstance(window, dict) else lambda name: getattr(window, name)
    if group == Group.BEFORE:
        start = get("baseline_starts_on")
        return start is not None and start <= observed_on < get("starts_on")
    return get("starts_on") <= observed_on <= get("ends_on")


def _write_experiment(pilot: Pilot, hypotheses: list[dict] | None, metrics: list[dict] | None) -> None:
    """Replace the hypotheses and metrics with these lists (rows named by id are updated in place)."""
    by_order: list[Hypothesis] = list(pilot.hypotheses.all())
    if hypotheses is not None:
        existing = {h.pk: h for h in by_order}
        kept = []
        for order, item in enumerate(hypotheses, start=1):
            row = existing.pop(_int(item.get("id")), None) or Hypothesis(pilot=pilot)
            row.statement = item["statement"]
            row.order = order
            row.save()
            kept.append(row)
        Hypothesis.objects.filter(pk__in=list(existing)).delete()
        by_order = kept
    if metrics is not None:
        existing = {m.pk: m for m in pilot.metrics.all()}
        wanted = {_int(item.get("id")) for item in metrics} & set(existing)
        # Codes move between rows (two swapped, a removed one reused by a new row): remove the rows that
        # go (they have no observations, _check_metric_changes made sure) and free the kept rows' codes
        # first, so the one-code-per-pilot constraint holds at every save.
        Metric.objects.filter(pilot=pilot).exclude(pk__in=wanted).delete()
        Metric.objects.filter(pk__in=wanted).update(code=Concat(Value("~"), Cast("pk", CharField())))
        for order, item in enumerate(metrics, start=1):
            row = existing.get(_int(item.get("id"))) or Metric(pilot=pilot)
            for name in ("code", "name", "unit", "kind", "direction", "baseline", "target", "how_measured"):
                setattr(row, name, item[name])
            row.order = order
            row.hypothesis = by_order[item["hypothesis"] - 1] if item.get("hypothesis") else None
            row.save()


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_metric_changes(pilot: Pilot, metrics: list[dict] | None, errors: dict) -> None:
    """A metric with observations stays (same kind, same unit); ids must be the pilot's own."""
    if metrics is None or pilot.pk is None:
        return
    existing = {m.pk: m for m in pilot.metrics.annotate(n=Count("observations"))}
    named = set()
    for index, item in enumerate(metrics):
        pk = _int(item.get("id"))
        if item.get("id") not in (None, "") and pk not in existing:
            errors[f"metrics.{index}.id"] = [_("This is not one of the pilot's metrics.")]
            continue
        if pk is None:
            continue
        named.add(pk)
        metric = existing[pk]
        if metric.n and (item.get("kind") != metric.kind or item.get("unit") != metric.unit):
            errors[f"metrics.{index}.unit"] = [
                _("This metric has observations: its kind and unit of measure cannot change.")
            ]
        if metric.n and item.get("code") != metric.code:
            errors[f"metrics.{index}.code"] = [_("This metric has observations: its code cannot change.")]
    for pk, metric in existing.items():
        if pk not in named and metric.n:
            errors["metrics"] = [
                _("“%(name)s” has observations: it cannot be removed.") % {"name": metric.name}
            ]


def _write_participants(pilot: Pilot, participants: dict | None) -> None:
    if participants is None:
        return
    PilotParticipants.objects.filter(pilot=pilot).exclude(sector__in=list(participants)).delete()
    for sector, (count, description) in participants.items():
        PilotParticipants.objects.update_or_create(
            pilot=pilot, sector=sector, defaults={"count": count, "description": description}
        )


def _snapshot(pilot: Pilot) -> dict:
    return {
        "title": pilot.title,
        "design": pilot.design,
        "starts_on": pilot.starts_on.isoformat() if pilot.starts_on else None,
        "ends_on": pilot.ends_on.isoformat() if pilot.ends_on else None,
        "baseline_starts_on": pilot.baseline_starts_on.isoformat() if pilot.baseline_starts_on else None,
        "budget": str(pilot.budget) if pilot.budget is not None else None,
        "hypotheses": list(pilot.hypotheses.values_list("statement", flat=True)),
        "metrics": [
            f"{code}:{kind}:{unit}:{baseline}→{target}"
            for code, kind, unit, baseline, target in pilot.metrics.values_list(
                "code", "kind", "unit", "baseline", "target"
            )
        ],
        "participants": dict(pilot.participants.values_list("sector", "count")),
    }


def is_preselected(application: Application) -> bool:
    return PreselectionDecision.objects.filter(application=application, selected=True).exists()


@transaction.atomic
def pilot_create(
    *,
    application: Application,
    by,
    title: str,
    objective,
    design: str,
    starts_on,
    ends_on,
    baseline_starts_on=None,
    sites: str = "",
    budget=None,
    risks: str = "",
    consent_ethics: str = "",
    participants: dict | None = None,
    hypotheses: list | None = None,
    metrics: list | None = None,
) -> Pilot:
    """A pilot for a preselected application (one per application), in draft."""
    require(by, "manage", application)
    locked = (
        Application.objects.select_for_update()
        .select_related("call__lab", "challenge")
        .get(pk=application.pk)
    )
    if not is_preselected(locked):
        raise refuse(_("Only a preselected solution can be piloted."), "not_preselected")
    if Pilot.objects.filter(application=locked).exists():
        raise refuse(_("This solution already has a pilot."), "exists")
    errors: dict = {}
    fields = _clean_fields(
        {
            "title": title,
            "objective": objective,
            "design": design,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "baseline_starts_on": baseline_starts_on,
            "sites": sites,
            "budget": budget,
            "risks": risks,
            "consent_ethics": consent_ethics,
        },
        None,
        errors,
    )
    clean_hypotheses = _clean_hypotheses(hypotheses or [], errors)
    clean_metrics = _clean_metrics(metrics or [], len(clean_hypotheses), errors)
    clean_participants = _clean_participants(participants, errors)
    if errors:
        raise coded(errors, "invalid")
    for item in clean_hypotheses:
        item["id"] = None
    for item in clean_metrics:
        item["id"] = None
    pilot = Pilot.objects.create(
        application=locked,
        lab=locked.call.lab,
        call=locked.call,
        challenge=locked.challenge,
        currency=locked.call.lab.currency,
        created_by=by,
        **fields,
    )
    _write_experiment(pilot, clean_hypotheses, clean_metrics)
    _write_participants(pilot, clean_participants)
    audit_record(
        actor=by,
        action="pilot.create",
        target=pilot,
        lab=pilot.lab,
        changes={key: [None, value] for key, value in _snapshot(pilot).items()},
    )
    return pilot


@transaction.atomic
def pilot_update(
    *,
    pilot: Pilot,
    by,
    hypotheses=UNCHANGED,
    metrics=UNCHANGED,
    participants=UNCHANGED,
    **fields,
) -> Pilot:
    """Change what is given (the others stay). Hypotheses and metrics, when given, replace the lists."""
    require(by, "manage", pilot)
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if locked.status == PilotStatus.DECIDED:
        raise refuse(_("A decided pilot is kept as it was decided."), "decided")
    allowed = {
        "title",
        "objective",
        "design",
        "starts_on",
        "ends_on",
        "baseline_starts_on",
        "sites",
        "budget",
        "risks",
        "consent_ethics",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"pilot_update() got unexpected fields: {sorted(unknown)}")
    current = {name: getattr(locked, name) for name in allowed}
    errors: dict = {}
    clean = _clean_fields({**current, **fields}, locked, errors)
    clean_hypotheses = None if hypotheses is UNCHANGED else _clean_hypotheses(hypotheses or [], errors)
    count = len(clean_hypotheses) if clean_hypotheses is not None else locked.hypotheses.count()
    clean_metrics = None if metrics is UNCHANGED else _clean_metrics(metrics or [], count, errors)
    clean_participants = None if participants is UNCHANGED else _clean_participants(participants, errors)
    if clean_hypotheses is not None:
        ids = set(locked.hypotheses.values_list("pk", flat=True))
        for index, item in enumerate(clean_hypotheses):
            if item.get("id") not in (None, "") and _int(item["id"]) not in ids:
                errors[f"hypotheses.{index}.id"] = [_("This is not one of the pilot's hypotheses.")]
    if locked.status != PilotStatus.DRAFT:
        if clean_hypotheses is not None and not clean_hypotheses:
            errors["hypotheses"] = [_("A running pilot keeps at least one hypothesis.")]
        if clean_metrics is not None and not clean_metrics:
            errors["metrics"] = [_("A running pilot keeps at least one metric.")]
    _check_metric_changes(locked, clean_metrics, errors)
    if errors:
        raise coded(errors, "invalid")
    before = _snapshot(locked)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    _write_experiment(locked, clean_hypotheses, clean_metrics)
    _write_participants(locked, clean_participants)
    after = _snapshot(locked)
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit_record(actor=by, action="pilot.update", target=locked, lab=locked.lab, changes=changes)
    return locked


def start_gaps(pilot: Pilot) -> list[str]:
    """What the pilot lacks before it can start."""
    gaps = []
    if not pilot.hypotheses.exists():
        gaps.append(str(_("at least one hypothesis")))
    if not pilot.metrics.exists():
        gaps.append(str(_("at least one metric with a baseline and a target")))
    return gaps


@transaction.atomic
def pilot_start(*, pilot: Pilot, by) -> Pilot:
    """Start the pilot; the challenge moves to "piloting" (if it is not there yet)."""
    require(by, "start", pilot)
    locked = Pilot.objects.select_for_update().select_related("challenge", "lab").get(pk=pilot.pk)
    if locked.status != PilotStatus.DRAFT:
        raise refuse(_("This pilot has already started."), "state")
    gaps = start_gaps(locked)
    if gaps:
        raise refuse(
            _(
                "A pilot without a hypothesis, a metric and an analysis is not a pilot: add %(missing)s "
                "before starting."
            )
            % {"missing": _(" and ").join(gaps)},
            "not_ready",
        )
    challenge = locked.challenge
    if challenge.status in PILOTING_FROM:
        challenge_transition(
            challenge=challenge,
            target=ChallengeStatus.PILOTING,
            actor=by,
            via_call=True,
            reason=_("Pilot “%(title)s” started.") % {"title": locked.title},
        )
    elif challenge.status != ChallengeStatus.PILOTING:
        raise refuse(
            _("The challenge is %(status)s: pilots start after preselection.")
            % {"status": ChallengeStatus(challenge.status).label.lower()},
            "challenge_state",
        )
    locked.status = PilotStatus.RUNNING
    locked.started_at = timezone.now()
    locked.save(update_fields=["status", "started_at", "updated_at"])
    audit_record(
        actor=by,
        action="pilot.start",
        target=locked,
        lab=locked.lab,
        changes={"status": [PilotStatus.DRAFT, PilotStatus.RUNNING]},
    )
    notify(
        recipients=[p for p in organisation_people(locked.application.organisation_id) if p.pk != by.pk],
        kind="pilots.started",
        subject=gettext_lazy("Your pilot has started"),
        body=gettext_lazy("Record the observations of each metric as the pilot runs."),
        url=reverse("pilots:detail", args=[locked.pk]),
        lab=locked.lab,
    )
    return locked


@transaction.atomic
def pilot_end(*, pilot: Pilot, by) -> Pilot:
    """Observation ends: the pilot is analysed (observations may still be corrected until the decision)."""
    require(by, "manage", pilot)
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if locked.status != PilotStatus.RUNNING:
        raise refuse(_("Only a running pilot can move to its analysis."), "state")
    locked.status = PilotStatus.ANALYSING
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=by,
        action="pilot.end",
        target=locked,
        lab=locked.lab,
        changes={"status": [PilotStatus.RUNNING, PilotStatus.ANALYSING]},
    )
    return locked


@transaction.atomic
def pilot_decide(*, pilot: Pilot, by, decision: str, rationale: str, lessons: str = "") -> Pilot:
    """Scale, iterate or stop, with the rationale, on the analysis as it is now (kept with the pilot).

    A stopped pilot is kept and shown as learning: nothing is deleted or hidden.
    """
    from . import analysis

    require(by, "manage", pilot)
    locked = Pilot.objects.select_for_update().select_related("lab", "challenge").get(pk=pilot.pk)
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Choose: scale, iterate or stop.")]
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = [_("Explain the decision: it is the pilot's lesson, kept for everyone.")]
    elif len(rationale) > 10000:
        errors["rationale"] = [_("Keep the rationale to 10,000 characters.")]
    lessons = (lessons or "").strip()[:10000]
    if errors:
        raise coded(errors, "invalid")
    if locked.status not in (PilotStatus.RUNNING, PilotStatus.ANALYSING):
        if locked.status == PilotStatus.DECIDED:
            raise refuse(_("This pilot has already been decided."), "decided")
        raise refuse(_("Start the pilot and record its observations before deciding."), "state")
    result = analysis.analyse(locked)
    missing = [m.metric.name for m in result.metrics if not m.has_data]
    if missing:
        raise refuse(
            _("There is no analysis yet: record observations of %(metrics)s before deciding.")
            % {"metrics": ", ".join(f"“{name}”" for name in missing)},
            "no_analysis",
        )
    previous = locked.status
    locked.status = PilotStatus.DECIDED
    locked.decision = decision
    locked.decision_rationale = rationale
    locked.lessons = lessons
    locked.decision_analysis = analysis.snapshot(result)
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "decision",
            "decision_rationale",
            "lessons",
            "decision_analysis",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=by,
        action="pilot.decide",
        target=locked,
        lab=locked.lab,
        changes={"status": [previous, PilotStatus.DECIDED], "decision": ["", decision]},
        reason=rationale,
    )
    notify(
        recipients=[p for p in organisation_people(locked.application.organisation_id) if p.pk != by.pk],
        kind="pilots.decided",
        subject=gettext_lazy("A decision was taken on your pilot"),
        body=gettext_lazy("Read the decision and its rationale on the pilot's page."),
        url=reverse("pilots:detail", args=[locked.pk]),
        lab=locked.lab,
    )
    return locked


# --- Units and randomisation ----------------------------------------------------------------------


def _clean_units(pilot: Pilot, units, errors: dict) -> list[dict]:
    cleaned, codes = [], set()
    if len(units) > MAX_UNITS:
        errors["units"] = [_("Keep to %(max)d units.") % {"max": MAX_UNITS}]
        return cleaned
    for index, item in enumerate(units):
        item = dict(item or {})
        code = str(item.get("code") or "").strip()
        label = str(item.get("label") or "").strip()
        arm = str(item.get("arm") or "").strip().upper()
        key = f"units.{index}."
        if not code:
            errors[key + "code"] = [_("Give each unit a code.")]
        elif len(code) > 50 or "," in code or ";" in code:
            errors[key + "code"] = [_("Keep a unit's code to 50 characters, without commas or semicolons.")]
        elif code.casefold() in codes:
            errors[key + "code"] = [_("“%(code)s” appears twice.") % {"code": code}]
        codes.add(code.casefold())
        if len(label) > 200:
            errors[key + "label"] = [_("Keep the label to 200 characters.")]
        if arm and arm not in Arm.values:
            errors[key + "arm"] = [_("The arm is A or B.")]
        elif arm and pilot.design == Design.BEFORE_AFTER:
            errors[key + "arm"] = [_("A before/after pilot has no arms.")]
        elif arm and pilot.design == Design.RANDOMISED:
            errors[key + "arm"] = [_("In a randomised pilot the platform draws the arms: leave them empty.")]
        cleaned.append({"code": code, "label": label, "arm": arm})
    return cleaned


@transaction.atomic
def units_set(*, pilot: Pilot, by, units: list[dict]) -> list[PilotUnit]:
    """Replace the pilot's units (code, label, arm for A/B). Units with observations stay as they are;
    a randomised pilot's units are fixed once drawn."""
    require(by, "manage", pilot)
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if locked.status == PilotStatus.DECIDED:
        raise refuse(_("A decided pilot is kept as it was decided."), "decided")
    if locked.design == Design.RANDOMISED and locked.seed is not None:
        raise refuse(_("The units were randomised: they cannot change any more."), "randomised")
    errors: dict = {}
    cleaned = _clean_units(locked, units or [], errors)
    existing = {u.code: u for u in locked.units.annotate(n=Count("observations"))}
    wanted = {item["code"]: item for item in cleaned}
    for code, unit in existing.items():
        if unit.n and (code not in wanted or wanted[code]["arm"] != unit.arm):
            errors.setdefault("units", []).append(
                _("“%(code)s” has observations: it stays, in its arm.") % {"code": code}
            )
    if errors:
        raise coded(errors, "invalid")
    before = sorted(f"{u.code}:{u.arm}" for u in existing.values())
    PilotUnit.objects.filter(pilot=locked).exclude(code__in=list(wanted)).delete()
    for code, item in wanted.items():
        unit = existing.get(code)
        if unit is None:
            PilotUnit.objects.create(pilot=locked, **item)
        elif (unit.label, unit.arm) != (item["label"], item["arm"]):
            unit.label, unit.arm = item["label"], item["arm"]
            unit.save(update_fields=["label", "arm"])
    after = sorted(f"{code}:{item['arm']}" for code, item in wanted.items())
    if before != after:
        audit_record(
            actor=by, action="pilot.units", target=locked, lab=locked.lab, changes={"units": [before, after]}
        )
    return list(locked.units.all())


@transaction.atomic
def pilot_randomise(*, pilot: Pilot, by) -> Pilot:
    """Draw the arms of a randomised pilot's units from a seed the platform draws and records.

    Drawn once: the same seed, units and algorithm give the same assignment (``selectors.verify_assignment``).
    A new draw is refused once any observation exists; before that, a redraw keeps the recorded seed.
    """
    require(by, "manage", pilot)
    locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if locked.design != Design.RANDOMISED:
        raise refuse(_("Only a pilot with a randomised design is randomised."), "not_randomised")
    if locked.status == PilotStatus.DECIDED:
        raise refuse(_("A decided pilot is kept as it was decided."), "decided")
    if Observation.objects.filter(pilot=locked).exists():
        raise refuse(_("Observations are recorded: the units cannot be randomised now."), "has_observations")
    if locked.seed is not None:
        raise refuse(
            _("The units were already randomised with seed %(seed)d: the draw is kept.")
            % {"seed": locked.seed},
            "already_randomised",
        )
    units = list(locked.units.order_by("code"))
    if len(units) < 2:
        raise refuse(_("Add at least two units to randomise."), "invalid")
    seed = randomisation.draw_seed()
    try:
        assignment = randomisation.assign([u.code for u in units], [Arm.A, Arm.B], seed)
    except ValueError as error:
        raise refuse(str(error), "invalid") from error
    for unit in units:
        unit.arm = assignment[unit.code]
    PilotUnit.objects.bulk_update(units, ["arm"])
    locked.seed = seed
    locked.randomisation_algorithm = randomisation.ALGORITHM
    locked.assignment_fingerprint = randomisation.fingerprint(assignment)
    locked.randomised_at = timezone.now()
    locked.randomised_by = by
    locked.save(
        update_fields=[
            "seed",
            "randomisation_algorithm",
            "assignment_fingerprint",
            "randomised_at",
            "randomised_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=by,
        action="pilot.randomise",
        target=locked,
        lab=locked.lab,
        changes={
            "seed": [None, seed],
            "algorithm": [None, locked.randomisation_algorithm],
            "fingerprint": [None, locked.assignment_fingerprint],
            "units": [None, len(units)],
        },
    )
    return locked


# --- Observations ---------------------------------------------------------------------------------


class Context:
    """What checking observations of one pilot needs, fetched once (metrics and units by id and code)."""

    def __init__(self, pilot: Pilot):
        self.pilot = pilot
        self.metrics = list(Metric.objects.filter(pilot=pilot))
        self.units = list(PilotUnit.objects.filter(pilot=pilot))
        self.metric_by_code = {m.code.casefold(): m for m in self.metrics}
        self.unit_by_code = {u.code.casefold(): u for u in self.units}
        self.metric_ids = {m.pk for m in self.metrics}
        self.unit_ids = {u.pk for u in self.units}


def check_observation(context: Context, *, metric, unit, group, value, observed_on) -> tuple[dict, dict]:
    """(errors by field, the clean observation). Shared by the single, bulk, API and CSV paths."""
    pilot = context.pilot
    errors: dict[str, list] = {}
    if metric is None:
        errors["metric"] = [_("Choose the metric.")]
    elif metric.pilot_id != pilot.pk:
        errors["metric"] = [_("This metric belongs to another pilot.")]
    if unit is not None and unit.pilot_id != pilot.pk:
        errors["unit"] = [_("This unit belongs to another pilot.")]
        unit = None
    group = str(group or "").strip()
    allowed = DESIGN_GROUPS.get(pilot.design, ())
    lowered = {g.lower(): g for g in allowed}
    group = lowered.get(group.lower(), group)
    if pilot.design == Design.RANDOMISED:
        if unit is None and "unit" not in errors:
            errors["unit"] = [_("In a randomised pilot every observation is of a unit.")]
        elif unit is not None and not unit.arm:
            errors["unit"] = [_("The units are not randomised yet.")]
        elif unit is not None:
            if group and group != unit.arm:
                errors["group"] = [_("This unit is in arm %(arm)s.") % {"arm": unit.arm}]
            group = unit.arm
    elif pilot.design == Design.AB:
        if unit is not None and unit.arm:
            if group and group != unit.arm:
                errors["group"] = [_("This unit is in arm %(arm)s.") % {"arm": unit.arm}]
            group = unit.arm
        elif unit is not None:
            # A unit without an arm could feed both arms, one day in each: it gets its arm first.
            errors["unit"] = [_("Put this unit in an arm first (on the pilot's units page).")]
    if "group" not in errors and group not in allowed and not (unit is None and "unit" in errors):
        errors["group"] = [
            _("Give the period: before or after.")
            if pilot.design == Design.BEFORE_AFTER
            else _("Give the arm: A or B.")
        ]
    number = parse_decimal(value) if not isinstance(value, Decimal) else value
    if number is None:
        errors["value"] = [_("Give the value as a number.")]
    elif abs(number) >= Decimal("1e12"):
        errors["value"] = [_("This number is too large.")]
    elif metric is not None and metric.kind == MetricKind.RATE and number not in (Decimal(0), Decimal(1)):
        errors["value"] = [_("“%(metric)s” is a rate: each observation is 0 or 1.") % {"metric": metric.name}]
    elif number.as_tuple().exponent < -6:
        errors["value"] = [_("Give at most 6 decimals.")]
    day = parse_date(observed_on) if not hasattr(observed_on, "isoformat") else observed_on
    if day is None:
        errors["observed_on"] = [_("Give the date as YYYY-MM-DD.")]
    elif group in allowed and not _date_allowed(pilot, group, day):
        if group == Group.BEFORE:
            errors["observed_on"] = [
                _(
                    "A “before” observation is dated from %(start)s to the day before the pilot "
                    "starts (%(end)s)."
                )
                % {"start": pilot.baseline_starts_on, "end": pilot.starts_on}
            ]
        else:
            errors["observed_on"] = [
                _("This date is outside the pilot (%(start)s to %(end)s).")
                % {"start": pilot.starts_on, "end": pilot.ends_on}
            ]
    return errors, {"metric": metric, "unit": unit, "group": group, "value": number, "observed_on": day}


def _duplicates(pilot: Pilot, rows: list[dict]) -> set[tuple]:
    """Keys (metric id, unit id, day, group) of these rows already stored."""
    if not rows:
        return set()
    days = {row["observed_on"] for row in rows}
    return set(
        Observation.objects.filter(
            pilot=pilot, metric_id__in={row["metric"].pk for row in rows}, observed_on__in=days
        ).values_list("metric_id", "unit_id", "observed_on", "group")
    )


def _key(row: dict) -> tuple:
    return (row["metric"].pk, row["unit"].pk if row["unit"] else None, row["observed_on"], row["group"])


def _lock_recording(pilot: Pilot, by) -> Pilot:
    require(by, "record", pilot)
    locked = Pilot.objects.select_for_update().select_related("lab").get(pk=pilot.pk)
    if locked.status not in RECORDING:
        raise refuse(_("This pilot is decided: its observations are kept as they were."), "decided")
    return locked


def _create(locked: Pilot, rows: list[dict], by, source: str, batch=None) -> list[Observation]:
    made = Observation.objects.bulk_create(
        [
            Observation(
                pilot=locked,
                metric=row["metric"],
                unit=row["unit"],
                group=row["group"],
                value=row["value"],
                observed_on=row["observed_on"],
                note=str(row.get("note") or "").strip()[:500],
                source=source,
                batch=batch,
                recorded_by=by,
            )
            for row in rows
        ]
    )
    return made


@transaction.atomic
def observation_record(
    *,
    pilot: Pilot,
    by,
    metric,
    value,
    observed_on,
    unit=None,
    group: str = "",
    note: str = "",
    source=Source.UI,
) -> Observation:
    """Record one observation (see the module's rules)."""
    return observations_record(
        pilot=pilot,
        by=by,
        rows=[
            {
                "metric": metric,
                "unit": unit,
                "group": group,
                "value": value,
                "observed_on": observed_on,
                "note": note,
            }
        ],
        source=source,
        _single=True,
    )[0]


@transaction.atomic
def observations_record(
    *, pilot: Pilot, by, rows: list[dict], source=Source.API, _single=False
) -> list[Observation]:
    """Record several observations, all or none; errors are keyed ``<row index>.<field>`` (or by field
    for a single one). Metrics and units are given as objects or as codes (``metric``/``unit``)."""
    locked = _lock_recording(pilot, by)
    if len(rows) > MAX_BULK:
        raise refuse(_("Send at most %(max)d observations at once.") % {"max": MAX_BULK}, "invalid")
    context = Context(locked)
    errors: dict[str, list] = {}
    duplicates_only = True
    clean_rows, seen = [], {}
    for index, row in enumerate(rows):
        prefix = "" if _single else f"{index}."
        metric, unit = row.get("metric"), row.get("unit")
        row_errors = {}
        if isinstance(metric, str):
            found = context.metric_by_code.get(metric.strip().casefold())
            if found is None:
                row_errors["metric"] = [
                    _("No metric of this pilot has the code “%(code)s”.") % {"code": metric}
                ]
            metric = found
        if isinstance(unit, str):
            if unit.strip():
                found = context.unit_by_code.get(unit.strip().casefold())
                if found is None:
                    row_errors["unit"] = [
                        _("No unit of this pilot has the code “%(code)s”.") % {"code": unit}
                    ]
                unit = found
            else:
                unit = None
        note = str(row.get("note") or "")
        if len(note) > 500:
            row_errors["note"] = [_("Keep the note to 500 characters.")]
        checked, clean = check_observation(
            context,
            metric=metric,
            unit=unit,
            group=row.get("group", ""),
            value=row.get("value"),
            observed_on=row.get("observed_on"),
        )
        row_errors = {**checked, **row_errors}
        if not row_errors:
            key = _key(clean)
            if key in seen:
                row_errors["observed_on"] = [
                    _("The same metric, unit, day and period as row %(row)d.") % {"row": seen[key] + 1}
                ]
            seen.setdefault(key, index)
        clean["note"] = note
        if row_errors:
            duplicates_only = False
        for field, messages in row_errors.items():
            errors[prefix + field] = messages
        clean_rows.append(clean)
    if not errors:
        stored = _duplicates(locked, clean_rows)
        for index, row in enumerate(clean_rows):
            if _key(row) in stored:
                errors[("" if _single else f"{index}.") + "observed_on"] = [
                    _("An observation of this metric, unit, day and period is already recorded.")
                ]
    if errors:
        raise coded(errors, "duplicate" if duplicates_only else "invalid")
    made = _create(locked, clean_rows, by, source)
    audit_record(
        actor=by,
        action="pilot.observations",
        target=locked,
        lab=locked.lab,
        changes={"observations": [None, len(made)], "source": [None, source]},
    )
    return made


@transaction.atomic
def observation_delete(*, observation: Observation, by) -> None:
    """Remove a wrong observation before the decision (kept in the audit log)."""
    locked = _lock_recording(observation.pilot, by)
    if observation.pilot_id != locked.pk:
        raise refuse(_("This observation belongs to another pilot."), "invalid")
    # The solver may take back what they recorded; what the lab or the entity recorded, only they remove.
    if observation.recorded_by_id != getattr(by, "pk", None) and not by.has_perm("pilots.manage", locked):
        raise refuse(
            _("Only the lab or the entity can remove an observation someone else recorded."), "not_allowed"
        )
    audit_record(
        actor=by,
        action="pilot.observation.delete",
        target=locked,
        lab=locked.lab,
        changes={
            "observation": [
                f"{observation.metric_id}:{observation.unit_id}:{observation.observed_on}:"
                f"{observation.group}={observation.value}",
                None,
            ]
        },
    )
    Observation.objects.filter(pk=observation.pk).delete()


# --- CSV import -----------------------------------------------------------------------------------


class ImportRefused(ValidationError):
    """A CSV file with errors: ``rows`` lists (row number, column, message) for every error found."""

    def __init__(self, rows: list[tuple[int, str, str]], message: str):
        super().__init__({"file": [message]})
        self.code = "csv"
        self.rows = rows


@transaction.atomic
def observation_import_csv(*, pilot: Pilot, by, content: bytes, file_name: str) -> ObservationImport:
    """Import a CSV file of observations: all its rows, or none when any row is wrong.

    See ``csv_import`` for the columns, the units of measure and the duplicates. Every error is reported
    at once, by row number (the header is row 1) and column (``ImportRefused.rows``).
    """
    from . import csv_import

    locked = _lock_recording(pilot, by)
    context = Context(locked)
    digest = hashlib.sha256(content).hexdigest()
    rows, problems = csv_import.read(content, context)
    if not problems:
        stored = _duplicates(locked, [row for _number, row in rows])
        for number, row in rows:
            if _key(row) in stored:
                problems.append(
                    (
                        number,
                        row["_date_column"],
                        str(_("An observation of this metric, unit, day and period is already recorded.")),
                    )
                )
    if problems:
        problems.sort(key=lambda p: (p[0], p[1]))
        raise ImportRefused(
            problems,
            _("Nothing was imported: the file has %(count)d errors. Correct them and upload it again.")
            % {"count": len(problems)},
        )
    batch = ObservationImport.objects.create(
        pilot=locked,
        file_name=(file_name or "observations.csv")[:255],
        sha256=digest,
        rows=len(rows),
        imported_by=by,
    )
    _create(locked, [row for _number, row in rows], by, Source.CSV, batch=batch)
    audit_record(
        actor=by,
        action="pilot.observations.import",
        target=locked,
        lab=locked.lab,
        changes={
            "observations": [None, len(rows)],
            "file": [None, batch.file_name],
            "sha256": [None, digest],
        },
    )
    return batch
