"""Writes for procurement: the lab's reference data (procedure types and their thresholds) and the
purchase of a challenge's selected solution(s) — the process, its steps, the award decision, the
cancellation. The pages and the API call these, and only these.

Every function checks who asks (``rules``), locks what it changes, validates, writes and audits in one
transaction, and raises a ValidationError (by field where it can; ``error.code`` names the refusal)
without changing anything when it refuses. Every change to a process asks the OCDS publication to
refresh the challenge's releases (``govlab.ocds.publish.refresh_later``).

Rules:
- two thresholds of the same procedure, legal regime and currency never overlap in time; a threshold's
  minimum is below its maximum; it ends on or after the day it starts; its regime is the lab's;
- a process starts only for a challenge whose solution is selected, through a route that is available
  (``selectors.route_options``) for its value, currency and regime; one live process per challenge;
- an award names each supplier once, with a positive value; the total stays below the maximum of the
  threshold the route was chosen under; with a standstill period the process is "in standstill" until
  ``standstill_ends_on`` (award day in the lab's time zone + the procedure's days), then awarded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, LegalRegime
from govlab.challenges.services import challenge_transition
from govlab.core.i18n import clean_translations, pick
from govlab.core.refusals import coded, refuse
from govlab.core.uploads import document_upload
from govlab.labs.models import CURRENCY_CHOICES
from govlab.labs.selectors import lab_team_users
from govlab.notifications.services import notify
from govlab.ocds import publish
from govlab.organisations.enums import OrganisationKind
from govlab.organisations.models import Organisation
from govlab.organisations.selectors import organisation_people

from . import selectors
from .enums import AwardStatus, OcdsMethod, ProcedureKind, ProcessStatus, StepKind
from .models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold
from .rules import require

CURRENCIES = {code for code, _label in CURRENCY_CHOICES}
PROCEDURE_FIELDS = (
    "jurisdiction",
    "code",
    "kind",
    "name",
    "description",
    "ocds_method",
    "ocds_method_details",
    "steps",
    "standstill_days",
    "source_label",
    "source_url",
    "is_active",
)
THRESHOLD_FIELDS = (
    "legal_regime",
    "currency",
    "min_value",
    "max_value",
    "valid_from",
    "valid_until",
    "source_label",
    "source_url",
    "note",
)
PROCESS_FIELDS = ("title", "description", "tender_starts_on", "tender_ends_on")
MAX_AWARDS = 50


def _text(value, max_length: int) -> str:
    return str(value or "").strip()[:max_length]


def _decimal(value):
    try:
        return selectors.parse_amount(value)
    except ValueError:
        return "invalid"


def _model_errors(instance, errors: dict, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)


# --- Reference data: procedure types --------------------------------------------------------------


@transaction.atomic
def procedure_save(
    *,
    lab,
    by,
    procedure: ProcedureType | None = None,
    jurisdiction: str,
    code: str,
    kind: str,
    name,
    description=None,
    ocds_method: str,
    ocds_method_details: str = "",
    steps=(),
    standstill_days: int = 0,
    source_label: str,
    source_url: str = "",
    is_active: bool = True,
) -> ProcedureType:
    """Add or change one of the lab's procedure types (the lab's manager)."""
    require(by, "manage_reference", lab)
    if procedure is not None:
        procedure = ProcedureType.objects.select_for_update().get(pk=procedure.pk)
        if procedure.lab_id != lab.pk:
            raise refuse(_("This procedure belongs to another lab."), "not_allowed")
    errors: dict[str, list] = {}
    try:
        name = clean_translations(name, required=True, max_length=200)
    except ValidationError as error:
        errors["name"] = error.messages
    try:
        description = clean_translations(description, required=False, max_length=5000)
    except ValidationError as error:
        errors["description"] = error.messages
    code = _text(code, 60).lower()
    if kind not in ProcedureKind.values:
        errors["kind"] = [_("Choose the kind of procedure.")]
    if ocds_method not in OcdsMethod.values:
        errors["ocds_method"] = [_("Choose the OCDS procurement method: open, selective, limited or direct.")]
    steps = list(steps or [])
    unknown = [str(step) for step in steps if step not in StepKind.values]
    if unknown:
        errors["steps"] = [_("Unknown steps: %(steps)s.") % {"steps": ", ".join(unknown)}]
    elif len(set(steps)) != len(steps):
        errors["steps"] = [_("Each step may appear once.")]
    try:
        standstill_days = int(standstill_days or 0)
    except (TypeError, ValueError):
        errors["standstill_days"] = [_("Give a whole number of days.")]
        standstill_days = 0
    if not 0 <= standstill_days <= 365:
        errors["standstill_days"] = [_("Give between 0 and 365 days.")]
    if standstill_days and StepKind.STANDSTILL not in steps and "steps" not in errors:
        steps.append(StepKind.STANDSTILL)
    if (
        code
        and ProcedureType.objects.filter(lab=lab, code=code)
        .exclude(pk=getattr(procedure, "pk", None))
        .exists()
    ):
        errors["code"] = [_("Another procedure of this lab has this code.")]
    target = procedure or ProcedureType(lab=lab)
    before = snapshot(target, PROCEDURE_FIELDS) if target.pk else {}
    values = {
        "jurisdiction": _text(jurisdiction, 80),
        "code": code,
        "kind": kind,
        "name": name if "name" not in errors else {},
        "description": description if "description" not in errors else {},
        "ocds_method": ocds_method,
        "ocds_method_details": _text(ocds_method_details, 300),
        "steps": [str(step) for step in steps],
        "standstill_days": standstill_days,
        "source_label": _text(source_label, 300),
        "source_url": _text(source_url, 200),
        "is_active": bool(is_active),
    }
    for key, value in values.items():
        setattr(target, key, value)
    _model_errors(
        target, errors, exclude=[k for k in ("name", "kind", "ocds_method", "steps") if k in errors]
    )
    if errors:
        raise coded(errors, "invalid")
    target.save()
    audit_record(
        actor=by,
        action="procurement.procedure.create" if not before else "procurement.procedure.update",
        target=target,
        lab=lab,
        changes=diff_fields(target, before, PROCEDURE_FIELDS),
    )
    return target


# --- Reference data: thresholds -------------------------------------------------------------------


def _describe(threshold: Threshold) -> str:
    period = selectors._period(threshold)
    low = selectors.money(threshold.min_value, threshold.currency) if threshold.min_value is not None else "0"
    high = (
        selectors.money(threshold.max_value, threshold.currency)
        if threshold.max_value is not None
        else _("no limit")
    )
    return _("%(low)s to %(high)s, %(period)s (%(source)s)") % {
        "low": low,
        "high": high,
        "period": period,
        "source": threshold.source_label,
    }


@transaction.atomic
def threshold_save(
    *,
    procedure: ProcedureType,
    by,
    threshold: Threshold | None = None,
    legal_regime,
    currency: str,
    min_value=None,
    max_value=None,
    valid_from,
    valid_until=None,
    source_label: str,
    source_url: str = "",
    note: str = "",
) -> Threshold:
    """Add or change a threshold of a procedure (the lab's manager); overlapping periods are refused.

    The procedure's row is locked first, so two overlapping saves of its thresholds run one after the
    other and the second sees the first.
    """
    require(by, "manage_reference", procedure.lab)
    procedure = ProcedureType.objects.select_for_update().select_related("lab").get(pk=procedure.pk)
    if threshold is not None:
        threshold = Threshold.objects.select_for_update().filter(pk=threshold.pk, procedure=procedure).first()
        if threshold is None:
            raise refuse(_("This threshold belongs to another procedure."), "not_found")
    errors: dict[str, list] = {}
    regime_id = getattr(legal_regime, "pk", legal_regime)
    regime = LegalRegime.objects.filter(pk=regime_id, lab_id=procedure.lab_id).first() if regime_id else None
    if regime is None:
        errors["legal_regime"] = [_("Choose one of this lab's legal regimes.")]
    if currency not in CURRENCIES:
        errors["currency"] = [_("Choose a currency.")]
    min_value, max_value = _decimal(min_value), _decimal(max_value)
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if value == "invalid":
            errors[name] = [_("Give an amount, e.g. 200000 or 1250.50.")]
        elif value is not None and value < 0:
            errors[name] = [_("Give an amount of 0 or more.")]
    if (
        "min_value" not in errors
        and "max_value" not in errors
        and min_value is not None
        and max_value is not None
        and min_value >= max_value
    ):
        errors["max_value"] = [_("The maximum (exclusive) must be above the minimum.")]
    if not isinstance(valid_from, dt.date):
        errors["valid_from"] = [_("Give the first day the threshold applies.")]
    if valid_until is not None and not isinstance(valid_until, dt.date):
        errors["valid_until"] = [_("Give a date.")]
    elif isinstance(valid_from, dt.date) and valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = [_("The last day cannot be before the first.")]
    source_label = _text(source_label, 300)
    if not source_label:
        errors["source_label"] = [_("Name the source: the law, article or manual.")]
    if not errors:
        others = Threshold.objects.filter(
            procedure=procedure, legal_regime=regime, currency=currency
        ).exclude(pk=getattr(threshold, "pk", None))
        others = others.filter(valid_until__isnull=True) | others.filter(valid_until__gte=valid_from)
        if valid_until is not None:
            others = others.filter(valid_from__lte=valid_until)
        other = others.order_by("valid_from", "pk").first()
        if other is not None:
            errors["valid_from"] = [
                _(
                    "This period overlaps another threshold of the same procedure, regime and "
                    "currency: %(other)s."
                )
                % {"other": _describe(other)}
            ]
    if errors:
        raise coded(errors, "invalid")
    target = threshold or Threshold(procedure=procedure)
    before = snapshot(target, THRESHOLD_FIELDS) if target.pk else {}
    target.legal_regime = regime
    target.currency = currency
    target.min_value, target.max_value = min_value, max_value
    target.valid_from, target.valid_until = valid_from, valid_until
    target.source_label, target.source_url, target.note = (
        source_label,
        _text(source_url, 200),
        _text(note, 2000),
    )
    errors = {}
    _model_errors(target, errors, exclude=["procedure", "legal_regime"])
    if errors:
        raise coded(errors, "invalid")
    target.save()
    audit_record(
        actor=by,
        action="procurement.threshold.create" if not before else "procurement.threshold.update",
        target=target,
        lab=procedure.lab,
        changes=diff_fields(target, before, THRESHOLD_FIELDS),
    )
    return target


@transaction.atomic
def threshold_delete(*, threshold: Threshold, by) -> None:
    """Remove a threshold no process was chosen under (the lab's manager)."""
    procedure = ProcedureType.objects.select_for_update().select_related("lab").get(pk=threshold.procedure_id)
    require(by, "manage_reference", procedure.lab)
    threshold = Threshold.objects.filter(pk=threshold.pk).first()
    if threshold is None:
        raise refuse(_("This threshold no longer exists."), "not_found")
    if ProcurementProcess.objects.filter(threshold=threshold).exists():
        raise refuse(
            _("A procurement process was chosen under this threshold: change its end date instead."), "in_use"
        )
    before = snapshot(threshold, THRESHOLD_FIELDS)
    audit_record(
        actor=by,
        action="procurement.threshold.delete",
        target=threshold,
        lab=procedure.lab,
        changes={name: [value, None] for name, value in before.items()},
    )
    threshold.delete()


# --- The process ----------------------------------------------------------------------------------


def _process_url(process) -> str:
    return reverse("procurement:detail", args=[process.pk])


def _selected_applications(challenge):
    from govlab.calls.models import Application
    from govlab.demoday.models import Selection

    ids = Selection.objects.filter(challenge=challenge).values("application_id")
    return Application.objects.filter(pk__in=ids).select_related("organisation")


def _co_buyer_candidates(challenge):
    return (
        Organisation.objects.filter(labs=challenge.lab, kind=OrganisationKind.PUBLIC_ENTITY)
        .exclude(pk=challenge.owner_id)
        .distinct()
    )


def _ids(items) -> list[int]:
    return [getattr(item, "pk", item) for item in items or ()]


def _clean_co_buyers(challenge, co_buyers, errors: dict) -> list:
    wanted = set(_ids(co_buyers))
    found = list(_co_buyer_candidates(challenge).filter(pk__in=wanted))
    if len(found) != len(wanted):
        errors["co_buyers"] = [_("Joint buyers must be other public entities of the lab.")]
    return found


def _challenge_title(challenge) -> str:
    return pick(challenge.title, preferred=challenge.lab.languages).text or challenge.reference


def _notify_suppliers(process, organisation_ids, *, kind: str, subject, body="", url=None) -> None:
    recipients = organisation_people(list(organisation_ids)) if organisation_ids else []
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            subject=subject,
            body=body,
            url=_process_url(process) if url is None else url,
            lab=process.lab,
        )


@transaction.atomic
def process_create(
    *,
    challenge,
    procedure,
    by,
    estimated_value,
    currency: str,
    route_justification: str,
    applications=None,
    co_buyers=(),
    title: str = "",
    description: str = "",
    tender_starts_on=None,
    tender_ends_on=None,
) -> ProcurementProcess:
    """Start the purchase of a challenge's selected solution(s) through an available route.

    The challenge moves to "procuring"; the process copies the route's steps; the selected solutions'
    organisations are told.
    """
    require(by, "manage", challenge)
    locked = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("lab", "owner", "legal_regime")
        .get(pk=challenge.pk)
    )
    if locked.status != ChallengeStatus.SOLUTION_SELECTED:
        raise refuse(
            _("A procurement starts when the challenge's solution is selected (it is now: %(status)s).")
            % {"status": ChallengeStatus(locked.status).label.lower()},
            "not_selected",
        )
    if ProcurementProcess.objects.filter(challenge=locked).exclude(status=ProcessStatus.CANCELLED).exists():
        raise refuse(_("This challenge already has a procurement process."), "exists")
    errors: dict[str, list] = {}
    procedure_id = getattr(procedure, "pk", procedure)
    procedure = ProcedureType.objects.filter(pk=procedure_id, lab_id=locked.lab_id, is_active=True).first()
    if procedure is None:
        errors["procedure"] = [_("Choose one of the lab's active procedures.")]
    value = _decimal(estimated_value)
    if value is None or value == "invalid":
        errors["estimated_value"] = [_("Give the estimated value, e.g. 180000.")]
    elif value <= 0:
        errors["estimated_value"] = [_("The estimated value must be above 0.")]
    if currency not in CURRENCIES:
        errors["currency"] = [_("Choose a currency.")]
    route_justification = _text(route_justification, 5000)
    if not route_justification:
        errors["route_justification"] = [_("Say why this route: the audit trail and the public need it.")]
    if tender_starts_on and tender_ends_on and tender_ends_on < tender_starts_on:
        errors["tender_ends_on"] = [_("The tender cannot close before it opens.")]
    selected = list(_selected_applications(locked))
    if applications is None:
        chosen = selected
    else:
        wanted = set(_ids(applications))
        chosen = [application for application in selected if application.pk in wanted]
        if len(chosen) != len(wanted):
            errors["applications"] = [_("Choose among the solutions selected at the Demo Day.")]
    if not chosen and "applications" not in errors:
        errors["applications"] = [_("The purchase needs at least one selected solution.")]
    buyers = _clean_co_buyers(locked, co_buyers, errors)
    option = None
    if procedure is not None and not errors:
        option = selectors.route_for(locked, procedure, value=value, currency=currency)
        if not option.available:
            raise coded({"procedure": option.reasons}, "route_unavailable")
    if errors:
        raise coded(errors, "invalid")
    process = ProcurementProcess(
        lab=locked.lab,
        challenge=locked,
        title=_text(title, 200) or _("Purchase: %(title)s") % {"title": _challenge_title(locked)[:180]},
        description=_text(description, 5000),
        procedure=procedure,
        legal_regime=locked.legal_regime,
        threshold=option.threshold,
        estimated_value=value,
        currency=currency,
        route_justification=route_justification,
        tender_starts_on=tender_starts_on,
        tender_ends_on=tender_ends_on,
        status=ProcessStatus.TENDERING if tender_starts_on else ProcessStatus.PLANNING,
        chosen_by=by,
    )
    try:
        with transaction.atomic():
            process.save()
    except IntegrityError as error:
        raise refuse(_("This challenge already has a procurement process."), "exists") from error
    process.applications.set(chosen)
    process.co_buyers.set(buyers)
    ProcessStep.objects.bulk_create(
        ProcessStep(process=process, kind=kind, position=position)
        for position, kind in enumerate(procedure.steps, start=1)
        if kind in StepKind.values
    )
    challenge_transition(
        challenge=locked,
        target=ChallengeStatus.PROCURING,
        actor=by,
        via_call=True,
        reason=_("Procurement started: %(procedure)s.") % {"procedure": str(procedure)},
    )
    audit_record(
        actor=by,
        action="procurement.process.create",
        target=process,
        lab=locked.lab,
        changes={
            "procedure": [None, procedure.code],
            "legal_regime": [None, locked.legal_regime_id],
            "threshold": [None, getattr(option.threshold, "pk", None)],
            "estimated_value": [None, str(value)],
            "currency": [None, currency],
            "applications": [None, sorted(a.pk for a in chosen)],
            "co_buyers": [None, sorted(b.pk for b in buyers)],
        },
        reason=route_justification,
    )
    _notify_suppliers(
        process,
        {application.organisation_id for application in chosen},
        kind="procurement.started",
        subject=format_lazy(
            gettext_lazy("The purchase of your solution for “{title}” has started"),
            title=_challenge_title(locked),
        ),
        body=format_lazy(gettext_lazy("Route: {procedure}."), procedure=str(procedure)),
        url="",
    )
    publish.refresh_later(locked.pk)
    challenge.refresh_from_db()
    return process


def _lock(process) -> ProcurementProcess:
    return (
        ProcurementProcess.objects.select_for_update(of=("self",))
        .select_related("lab", "challenge__lab", "procedure", "threshold")
        .get(pk=process.pk)
    )


def _refuse_cancelled(process) -> None:
    if process.status == ProcessStatus.CANCELLED:
        raise refuse(_("This procurement process is cancelled."), "cancelled")


@transaction.atomic
def process_update(
    *,
    process,
    by,
    version: int | None = None,
    title=None,
    description=None,
    tender_starts_on=None,
    tender_ends_on=None,
    co_buyers=None,
) -> ProcurementProcess:
    """Change the process's title, description, tender dates or joint buyers (optimistic ``version``)."""
    require(by, "manage", process)
    locked = _lock(process)
    _refuse_cancelled(locked)
    if version is not None and int(version) != locked.version:
        raise refuse(
            _("Someone else changed this process since you opened it. Reload it and make your change again."),
            "conflict",
        )
    errors: dict[str, list] = {}
    before = snapshot(locked, PROCESS_FIELDS)
    before_buyers = sorted(locked.co_buyers.values_list("pk", flat=True))
    if title is not None:
        locked.title = _text(title, 200)
        if not locked.title:
            errors["title"] = [_("Give the process a title.")]
    if description is not None:
        locked.description = _text(description, 5000)
    locked.tender_starts_on = tender_starts_on
    locked.tender_ends_on = tender_ends_on
    if tender_starts_on and tender_ends_on and tender_ends_on < tender_starts_on:
        errors["tender_ends_on"] = [_("The tender cannot close before it opens.")]
    buyers = None
    if co_buyers is not None:
        buyers = _clean_co_buyers(locked.challenge, co_buyers, errors)
    if errors:
        raise coded(errors, "invalid")
    if locked.status == ProcessStatus.PLANNING and tender_starts_on:
        locked.status = ProcessStatus.TENDERING
    locked.version += 1
    locked.save()
    changes = diff_fields(locked, before, PROCESS_FIELDS)
    if buyers is not None:
        locked.co_buyers.set(buyers)
        after = sorted(b.pk for b in buyers)
        if after != before_buyers:
            changes["co_buyers"] = [before_buyers, after]
    audit_record(
        actor=by, action="procurement.process.update", target=locked, lab=locked.lab, changes=changes
    )
    publish.refresh_later(locked.challenge_id)
    return locked


@transaction.atomic
def step_save(
    *,
    step: ProcessStep,
    by,
    planned_on=None,
    done_on=None,
    notes: str = "",
    document=None,
    document_is_public: bool = True,
    remove_document: bool = False,
) -> ProcessStep:
    """Date a step, note it, attach (or remove) its document and say whether the document is public."""
    process = step.process
    require(by, "manage", process)
    locked_process = _lock(process)
    _refuse_cancelled(locked_process)
    locked = ProcessStep.objects.select_for_update().get(pk=step.pk)
    errors: dict[str, list] = {}
    today = selectors.lab_today(locked_process.lab)
    if done_on is not None and done_on > today:
        errors["done_on"] = [_("A step cannot be done after today; plan it instead.")]
    if document:
        try:
            document_upload(document)
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise coded(errors, "invalid")
    fields = ["planned_on", "done_on", "notes", "document_name", "document_is_public"]
    before = snapshot(locked, fields)
    locked.planned_on, locked.done_on = planned_on, done_on
    locked.notes = _text(notes, 5000)
    locked.document_is_public = bool(document_is_public)
    if remove_document and locked.document:
        locked.document.delete(save=False)
        locked.document = ""
        locked.document_name = ""
    if document:
        locked.document = document
        locked.document_name = str(getattr(document, "name", "") or "").rsplit("/", 1)[-1][:200]
    locked.updated_by = by
    locked.save()
    audit_record(
        actor=by,
        action="procurement.step.save",
        target=locked,
        lab=locked_process.lab,
        changes=diff_fields(locked, before, fields),
    )
    publish.refresh_later(locked_process.challenge_id)
    return locked


@transaction.atomic
def process_award(
    *, process, by, reasons: str, awards, decided_on: dt.date | None = None
) -> ProcurementProcess:
    """Record the award decision: the supplier(s), each with a value.

    With a standstill period the process stays "in standstill" until ``standstill_ends_on``; contracts
    are signed after it. The suppliers, the entity and the lab's team are told.
    """
    require(by, "manage", process)
    locked = _lock(process)
    _refuse_cancelled(locked)
    if locked.status in (ProcessStatus.STANDSTILL, ProcessStatus.AWARDED):
        raise refuse(_("This process is already awarded."), "awarded")
    errors: dict[str, list] = {}
    reasons = _text(reasons, 5000)
    if not reasons:
        errors["reasons"] = [_("Give the reasons for the award decision.")]
    awards = list(awards or [])
    if not awards:
        errors["awards"] = [_("Name at least one supplier.")]
    elif len(awards) > MAX_AWARDS:
        errors["awards"] = [_("Keep to %(max)d suppliers.") % {"max": MAX_AWARDS}]
    applications = {a.pk: a for a in locked.applications.all()}
    suppliers_seen: set[int] = set()
    rows = []
    total = Decimal(0)
    supplier_ids = {getattr(item.get("supplier"), "pk", item.get("supplier")) for item in awards if item}
    organisations = Organisation.objects.in_bulk([pk for pk in supplier_ids if pk])
    for index, item in enumerate(awards[:MAX_AWARDS]):
        item = dict(item or {})
        key = f"awards.{index}."
        supplier_id = getattr(item.get("supplier"), "pk", item.get("supplier"))
        supplier = organisations.get(supplier_id) if supplier_id else None
        if supplier is None:
            errors[key + "supplier"] = [_("Choose the supplier.")]
        elif supplier.pk in suppliers_seen:
            errors[key + "supplier"] = [_("This supplier is already awarded in this decision.")]
        else:
            suppliers_seen.add(supplier.pk)
        application_id = getattr(item.get("application"), "pk", item.get("application"))
        application = None
        if application_id:
            application = applications.get(application_id)
            if application is None:
                errors[key + "application"] = [_("Choose one of the process's selected solutions.")]
            elif supplier is not None and application.organisation_id != supplier.pk:
                errors[key + "application"] = [_("This solution is not the supplier's.")]
        value = _decimal(item.get("value"))
        if value is None or value == "invalid":
            errors[key + "value"] = [_("Give the awarded value.")]
        elif value <= 0:
            errors[key + "value"] = [_("The awarded value must be above 0.")]
        else:
            total += value
        award_title = _text(item.get("title"), 200) or (
            _("Award to %(supplier)s") % {"supplier": supplier.name} if supplier else ""
        )
        rows.append((supplier, application, value, award_title))
    if decided_on is not None and decided_on > selectors.lab_today(locked.lab):
        errors["decided_on"] = [_("The award decision cannot be dated after today.")]
    threshold = locked.threshold
    if (
        not errors
        and threshold is not None
        and threshold.max_value is not None
        and total >= threshold.max_value
    ):
        errors["awards"] = [
            _(
                "The total awarded %(total)s is at or above the maximum %(max)s of %(source)s: "
                "the route does not allow it."
            )
            % {
                "total": selectors.money(total, locked.currency),
                "max": selectors.money(threshold.max_value, locked.currency),
                "source": threshold.source_label,
            }
        ]
    if errors:
        raise coded(errors, "invalid")
    now = timezone.now()
    day = decided_on or selectors.lab_today(locked.lab)
    if decided_on is not None and decided_on != selectors.lab_today(locked.lab):
        # A decision recorded afterwards (e.g. imported): dated at noon of its day in the lab's time zone.
        now = dt.datetime.combine(decided_on, dt.time(12), tzinfo=ZoneInfo(locked.lab.time_zone or "UTC"))
    created = Award.objects.bulk_create(
        Award(
            process=locked,
            supplier=supplier,
            application=application,
            title=award_title,
            value=value,
            currency=locked.currency,
            status=AwardStatus.ACTIVE,
            decided_at=now,
            decided_by=by,
        )
        for supplier, application, value, award_title in rows
    )
    days = locked.procedure.standstill_days
    before_status = locked.status
    locked.award_reasons = reasons
    locked.awarded_at = now
    if days:
        locked.status = ProcessStatus.STANDSTILL
        locked.standstill_ends_on = day + dt.timedelta(days=days)
    else:
        locked.status = ProcessStatus.AWARDED
        locked.standstill_ends_on = None
    locked.version += 1
    locked.save()
    ProcessStep.objects.filter(process=locked, kind=StepKind.AWARD_DECISION, done_on__isnull=True).update(
        done_on=day, updated_by=by
    )
    if days:
        ProcessStep.objects.filter(process=locked, kind=StepKind.STANDSTILL, planned_on__isnull=True).update(
            planned_on=locked.standstill_ends_on, updated_by=by
        )
    audit_record(
        actor=by,
        action="procurement.process.award",
        target=locked,
        lab=locked.lab,
        changes={
            "status": [before_status, locked.status],
            "standstill_ends_on": [None, locked.standstill_ends_on.isoformat() if days else None],
            "awards": [
                None,
                [
                    {"supplier": a.supplier_id, "value": str(a.value), "application": a.application_id}
                    for a in created
                ],
            ],
        },
        reason=reasons,
    )
    title = _challenge_title(locked.challenge)
    _notify_suppliers(
        locked,
        {a.supplier_id for a in created},
        kind="procurement.awarded",
        subject=format_lazy(gettext_lazy("You are awarded the purchase for “{title}”"), title=title),
        body=reasons,
    )
    others = [
        person
        for person in organisation_people(locked.challenge.owner_id) + lab_team_users(locked.lab)
        if person.pk != by.pk
    ]
    if others:
        notify(
            recipients=others,
            kind="procurement.awarded",
            subject=format_lazy(gettext_lazy("The purchase for “{title}” is awarded"), title=title),
            body=reasons,
            url=_process_url(locked),
            lab=locked.lab,
        )
    publish.refresh_later(locked.challenge_id)
    return locked


@transaction.atomic
def process_cancel(*, process, by, reason: str) -> ProcurementProcess:
    """Cancel the process; the challenge returns to "solution selected" so that another may start."""
    require(by, "manage", process)
    locked = _lock(process)
    _refuse_cancelled(locked)
    reason = _text(reason, 5000)
    if not reason:
        raise coded({"reason": [_("Say why the process is cancelled.")]}, "invalid")
    from govlab.contracts.models import Contract

    if Contract.objects.filter(award__process=locked).exclude(status="cancelled").exists():
        raise refuse(
            _("A contract was made for this process's award: cancel or terminate the contract first."),
            "has_contract",
        )
    before_status = locked.status
    locked.status = ProcessStatus.CANCELLED
    locked.cancelled_reason = reason
    locked.version += 1
    locked.save()
    awarded = list(locked.awards.filter(status=AwardStatus.ACTIVE).values_list("supplier_id", flat=True))
    locked.awards.filter(status=AwardStatus.ACTIVE).update(status=AwardStatus.CANCELLED)
    challenge = locked.challenge
    if Challenge.objects.filter(pk=challenge.pk, status=ChallengeStatus.PROCURING).exists():
        challenge_transition(
            challenge=challenge,
            target=ChallengeStatus.SOLUTION_SELECTED,
            actor=by,
            via_call=True,
            reason=reason,
        )
    audit_record(
        actor=by,
        action="procurement.process.cancel",
        target=locked,
        lab=locked.lab,
        changes={"status": [before_status, ProcessStatus.CANCELLED]},
        reason=reason,
    )
    organisation_ids = set(awarded) | set(locked.applications.values_list("organisation_id", flat=True))
    _notify_suppliers(
        locked,
        organisation_ids,
        kind="procurement.cancelled",
        subject=format_lazy(
            gettext_lazy("The purchase for “{title}” is cancelled"), title=_challenge_title(challenge)
        ),
        body=reason,
        url="",
    )
    publish.refresh_later(challenge.pk)
    return locked
