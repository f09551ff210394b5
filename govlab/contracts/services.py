"""Writes for contracts: the contract (from an award or a pilot), its signature and amendments, documents,
milestones, the payment schedule, invoices and payments, implementation (status, progress reports,
issues and risks), lessons learned and the close of the case. The UI and the API call these, and only
these.

Every function checks who asks (``rules``), validates, writes and audits in one transaction, and raises a
ValidationError (by field where it can; ``error.code`` names the refusal) without changing anything when
it refuses. Every write that touches money (amendments of the value, the schedule, invoices, approvals,
payments) locks the contract's row first, so two people at once cannot together exceed its value.

Rules:
- a contract is signed once (version 1, a snapshot of its terms); never during the procurement's
  standstill period (the day it ends included), never for a cancelled award; the first signed purchase
  contract moves the challenge from procuring to implementing;
- an amendment is a new version with its reason and the changes (field → [before, after]); it cannot
  lower the value below what was already paid (nor below what was invoiced, nor the schedule's total);
- invoices (not cancelled) never add up to more than the contract's value; an invoice number is used
  once per contract; approval and payment are dated on or after the invoice, payment on or after the
  approval, and never in the future (the lab's local date);
- the payment schedule's total never exceeds the contract's value;
- progress reports fall due every ``report_every_days`` from the signature to the end; the supplier's
  members submit them, the lab and the buyer review them;
- the case closes with lessons learned written and every purchase contract finished or cancelled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from govlab.challenges.services import challenge_transition
from govlab.core.refusals import coded, refuse
from govlab.core.uploads import document_upload as document_policy
from govlab.notifications.services import notify
from govlab.ocds import publish
from govlab.organisations.models import OrganisationMembership
from govlab.organisations.selectors import organisation_people

from . import payments as pay
from .enums import (
    ContractKind,
    ContractStatus,
    ImplementationStatus,
    IpTerms,
    IssueKind,
    IssueStatus,
    MilestoneStatus,
    ReportStatus,
    Severity,
)
from .models import (
    Contract,
    ContractDocument,
    ContractMilestone,
    ContractVersion,
    ImplementationIssue,
    LessonsLearned,
    Payment,
    ProgressReport,
    ScheduledPayment,
)
from .rules import require

UNCHANGED = object()
MAX_VALUE = Decimal("1e14")
# The fields of a contract's terms: what a version snapshots and an amendment may change.
TERM_FIELDS = (
    "title",
    "scope",
    "value",
    "currency",
    "starts_on",
    "ends_on",
    "ip_terms",
    "ip_details",
    "payment_terms_days",
    "report_every_days",
)
# An amendment changes any term but the currency and the report frequency (that one changes at any time).
AMENDABLE = tuple(name for name in TERM_FIELDS if name not in ("currency", "report_every_days"))
EDITABLE = (
    "title",
    "scope",
    "starts_on",
    "ends_on",
    "ip_terms",
    "ip_details",
    "payment_terms_days",
    "finance_contact",
    "report_every_days",
    "confidential_notes",
)
LIVE = (ContractStatus.PENDING, ContractStatus.ACTIVE)


# --- Small helpers ---------------------------------------------------------------------------------


def _text(value) -> str:
    return str(value or "").strip()


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return "invalid"


def _money(value):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return "invalid"
    if not number.is_finite():
        return "invalid"
    return number


def _int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return "invalid"


def _check_date(errors: dict, name: str, value, *, required: bool = True, message: str = ""):
    parsed = _date(value)
    if parsed == "invalid":
        errors[name] = [_("Give a date as YYYY-MM-DD.")]
        return None
    if parsed is None and required:
        errors[name] = [message or _("Give the date.")]
    return parsed


def _not_future(errors: dict, name: str, day, lab) -> None:
    if day and name not in errors and day > pay.lab_today(lab):
        errors[name] = [
            _("This date is in the future (the lab's today is %(today)s).") % {"today": pay.lab_today(lab)}
        ]


def _plain(value):
    """A JSON-friendly value for versions and audit changes."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("lab", "challenge", "supplier", "buyer", "award__process")
        .get(pk=contract.pk)
    )


def _live(contract: Contract, *, active_only: bool = False) -> None:
    if active_only and contract.status != ContractStatus.ACTIVE:
        if contract.status == ContractStatus.PENDING:
            raise refuse(_("The contract is not signed yet."), "not_signed")
        raise refuse(_("This contract has ended: it is kept as it was."), "ended")
    if contract.status not in LIVE:
        raise refuse(_("This contract has ended: it is kept as it was."), "ended")


def _refresh(challenge_id: int) -> None:
    publish.refresh_later(challenge_id)


def _url(contract: Contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def invoiced_total(contract: Contract, exclude=None) -> Decimal:
    rows = Payment.objects.filter(contract=contract, cancelled_at__isnull=True)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def paid_total(contract: Contract) -> Decimal:
    rows = Payment.objects.filter(contract=contract, cancelled_at__isnull=True, paid_on__isnull=False)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def scheduled_total(contract: Contract, exclude=None) -> Decimal:
    rows = ScheduledPayment.objects.filter(contract=contract)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def terms_of(contract: Contract) -> dict:
    return {name: _plain(getattr(contract, name)) for name in TERM_FIELDS}


# --- The contract --------------------------------------------------------------------------------


def _clean_terms(data: dict, contract: Contract, errors: dict) -> dict:
    """Check the terms given (a subset, for updates) against the contract being written."""
    out = {}
    if "title" in data:
        title = _text(data["title"])
        if not title:
            errors["title"] = [_("Give the contract a title.")]
        elif len(title) > 200:
            errors["title"] = [_("Keep the title to 200 characters.")]
        out["title"] = title
    if "scope" in data:
        scope = _text(data["scope"])
        if not scope:
            errors["scope"] = [_("Describe what the supplier delivers.")]
        elif len(scope) > 10000:
            errors["scope"] = [_("Keep the scope to 10,000 characters.")]
        out["scope"] = scope
    for name in ("starts_on", "ends_on"):
        if name in data:
            out[name] = _check_date(
                errors,
                name,
                data[name],
                message=_("Say when the contract starts.") if name == "starts_on" else _("Say when it ends."),
            )
    starts = out.get("starts_on", contract.starts_on)
    ends = out.get("ends_on", contract.ends_on)
    if starts and ends and ends < starts and "ends_on" not in errors and "starts_on" not in errors:
        errors["ends_on"] = [_("The contract must end on or after the day it starts.")]
    if "ip_terms" in data:
        if data["ip_terms"] not in IpTerms.values:
            errors["ip_terms"] = [_("Choose the intellectual property terms.")]
        out["ip_terms"] = data["ip_terms"]
    if "ip_details" in data:
        out["ip_details"] = _text(data["ip_details"])
        if len(out["ip_details"]) > 5000:
            errors["ip_details"] = [_("Keep the details to 5,000 characters.")]
    ip_terms = out.get("ip_terms", contract.ip_terms)
    ip_details = out.get("ip_details", contract.ip_details)
    if ip_terms == IpTerms.OTHER and not ip_details and "ip_terms" not in errors:
        errors["ip_details"] = [_("Other terms: describe them.")]
    if "payment_terms_days" in data:
        days = _int(data["payment_terms_days"])
        if days is None or days == "invalid" or not 1 <= days <= 120:
            errors["payment_terms_days"] = [_("Give the payment terms as 1 to 120 days.")]
        out["payment_terms_days"] = days
    if "report_every_days" in data:
        days = _int(data["report_every_days"])
        if days == "invalid" or (days is not None and not 1 <= days <= 366):
            errors["report_every_days"] = [_("Give a number of days from 1 to 366, or leave it empty.")]
        out["report_every_days"] = days
    if "confidential_notes" in data:
        out["confidential_notes"] = _text(data["confidential_notes"])
        if len(out["confidential_notes"]) > 10000:
            errors["confidential_notes"] = [_("Keep the notes to 10,000 characters.")]
    if "finance_contact" in data:
        person = data["finance_contact"]
        if person not in (None, ""):
            person_id = getattr(person, "pk", person)
            if not OrganisationMembership.objects.filter(
                organisation_id=contract.buyer_id, user_id=person_id
            ).exists():
                errors["finance_contact"] = [_("The finance contact must be a member of the buyer.")]
            out["finance_contact_id"] = _int(person_id)
        else:
            out["finance_contact_id"] = None
    if "value" in data:
        value = _money(data["value"])
        if value is None or value == "invalid" or value < 0 or value >= MAX_VALUE:
            errors["value"] = [_("Give the value as an amount of 0 or more.")]
        out["value"] = value
    return out


@transaction.atomic
def contract_create(*, by, award=None, pilot=None, **terms) -> Contract:
    """A contract, pending signature: from an award (a purchase) or a phase-4 pilot (a pilot agreement)."""
    if (award is None) == (pilot is None):
        raise refuse(_("A contract comes from one award or one pilot."), "invalid")
    if award is not None:
        award = type(award).objects.select_related("process__challenge__lab", "process__lab").get(pk=award.pk)
        challenge = award.process.challenge
    else:
        pilot = type(pilot).objects.select_related("challenge__lab", "application", "lab").get(pk=pilot.pk)
        challenge = pilot.challenge
    challenge = (
        Challenge.objects.select_for_update(of=("self",)).select_related("lab", "owner").get(pk=challenge.pk)
    )
    require(by, "manage", challenge)
    contract = Contract(challenge=challenge, lab=challenge.lab, buyer=challenge.owner, created_by=by)
    if award is not None:
        if Contract.objects.filter(award=award).exists():
            raise refuse(_("This award already has its contract."), "exists")
        if award.status != "active" or award.process.status == "cancelled":
            raise refuse(_("This award was cancelled: no contract can follow it."), "award_cancelled")
        if award.process.status not in ("standstill", "awarded"):
            raise refuse(_("The procurement has not awarded this contract yet."), "not_awarded")
        contract.kind = ContractKind.PURCHASE
        contract.award = award
        contract.supplier_id = award.supplier_id
        contract.value = award.value
        contract.currency = award.currency
        terms.setdefault("title", award.title)
        terms.pop("value", None)
    else:
        if Contract.objects.filter(pilot=pilot).exists():
            raise refuse(_("This pilot already has its agreement."), "exists")
        contract.kind = ContractKind.PILOT_AGREEMENT
        contract.pilot = pilot
        contract.supplier_id = pilot.application.organisation_id
        contract.currency = pilot.currency
        if terms.get("value") in (None, ""):
            terms["value"] = pilot.budget
        terms.setdefault("title", pilot.title)
        terms.setdefault("starts_on", pilot.starts_on)
        terms.setdefault("ends_on", pilot.ends_on)
    defaults = {
        "scope": "",
        "starts_on": None,
        "ends_on": None,
        "ip_terms": None,
        "ip_details": "",
        "payment_terms_days": 30,
        "report_every_days": None,
        "confidential_notes": "",
        "finance_contact": None,
    }
    data = {**defaults, **{k: v for k, v in terms.items() if k in (*EDITABLE, "value")}}
    unknown = set(terms) - set(EDITABLE) - {"value"}
    if unknown:
        raise refuse(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}, "invalid")
    errors: dict = {}
    contract.starts_on = contract.ends_on = None
    contract.ip_terms = ""
    cleaned = _clean_terms(data, contract, errors)
    if errors:
        raise coded(errors, "invalid")
    for name, value in cleaned.items():
        setattr(contract, name, value)
    number = Contract.objects.filter(challenge=challenge).count() + 1
    reference = f"{challenge.reference}-C{number}"
    while Contract.objects.filter(reference=reference).exists():
        number += 1
        reference = f"{challenge.reference}-C{number}"
    contract.reference = reference
    contract.save()
    audit_record(
        actor=by,
        action="contract.create",
        target=contract,
        lab=contract.lab,
        changes={"kind": [None, contract.kind], **{k: [None, v] for k, v in terms_of(contract).items()}},
    )
    _refresh(challenge.pk)
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, by, **terms) -> Contract:
    """Change the terms of a contract before it is signed (after: ``contract_amend``).

    The value of a purchase is the award's; a pilot agreement's value may change while pending. The
    finance contact, the report frequency and the confidential notes may change at any time.
    """
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked)
    allowed = set(EDITABLE) | ({"value"} if locked.kind == ContractKind.PILOT_AGREEMENT else set())
    if locked.status != ContractStatus.PENDING:
        allowed = {"finance_contact", "report_every_days", "confidential_notes"}
    refused = set(terms) - allowed
    if refused:
        raise refuse(
            _("These terms cannot change here: %(names)s. Amend the signed contract instead.")
            % {"names": ", ".join(sorted(refused))},
            "signed",
        )
    errors: dict = {}
    cleaned = _clean_terms(terms, locked, errors)
    if errors:
        raise coded(errors, "invalid")
    changes = {}
    for name, value in cleaned.items():
        before = getattr(locked, name)
        if before != value:
            changes[name.removesuffix("_id")] = [_plain(before), _plain(value)]
            setattr(locked, name, value)
    if not changes:
        return locked
    locked.save()
    audit_record(actor=by, action="contract.update", target=locked, lab=locked.lab, changes=changes)
    if locked.status == ContractStatus.ACTIVE and "report_every_days" in changes:
        reports_schedule(locked)
    _refresh(locked.challenge_id)
    return locked


@transaction.atomic
def contract_sign(*, contract: Contract, by, signed_on) -> Contract:
    """Record the signature: the contract becomes active with its version 1 (its terms as signed)."""
    locked = _lock(contract)
    require(by, "manage", locked)
    if locked.status != ContractStatus.PENDING:
        raise refuse(_("This contract is already signed."), "signed")
    errors: dict = {}
    day = _check_date(errors, "signed_on", signed_on, message=_("Say when it was signed."))
    _not_future(errors, "signed_on", day, locked.lab)
    if errors:
        raise coded(errors, "invalid")
    award = locked.award
    if award is not None:
        process = award.process
        if award.status != "active" or process.status == "cancelled":
            raise refuse(_("The award was cancelled: this contract cannot be signed."), "award_cancelled")
        if process.standstill_ends_on and process.standstill_ends_on >= day:
            raise coded(
                {
                    "signed_on": [
                        _(
                            "The standstill period runs until %(day)s: the contract can be signed from the "
                            "day after."
                        )
                        % {"day": process.standstill_ends_on.isoformat()}
                    ]
                },
                "standstill",
            )
    locked.status = ContractStatus.ACTIVE
    locked.signed_on = day
    locked.version = 1
    locked.save()
    ContractVersion.objects.create(
        contract=locked,
        number=1,
        reason=_("Signed."),
        value=locked.value,
        ends_on=locked.ends_on,
        terms=terms_of(locked),
        changes={},
        created_by=by,
    )
    audit_record(
        actor=by,
        action="contract.sign",
        target=locked,
        lab=locked.lab,
        changes={
            "status": [ContractStatus.PENDING, ContractStatus.ACTIVE],
            "signed_on": [None, day.isoformat()],
        },
    )
    challenge = locked.challenge
    if locked.kind == ContractKind.PURCHASE and challenge.status == ChallengeStatus.PROCURING:
        challenge_transition(
            challenge=challenge,
            target=ChallengeStatus.IMPLEMENTING,
            actor=by,
            via_call=True,
            reason=_("Contract %(reference)s signed.") % {"reference": locked.reference},
        )
    reports_schedule(locked)
    notify(
        recipients=[p for p in organisation_people(locked.supplier_id) if p.pk != by.pk],
        kind="contracts.signed",
        subject=format_lazy(gettext_lazy("Contract {reference} is signed"), reference=locked.reference),
        body=gettext_lazy("Read its terms, milestones and payment schedule on the contract's page."),
        url=_url(locked),
        lab=locked.lab,
    )
    _refresh(challenge.pk)
    return locked


@transaction.atomic
def contract_amend(*, contract: Contract, by, reason: str, **changes) -> ContractVersion:
    """Amend a signed contract: a new version (number + 1) with its reason and what changed."""
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked, active_only=True)
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise refuse(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))}, "invalid")
    given = {name: value for name, value in changes.items() if value is not UNCHANGED}
    errors: dict = {}
    reason = _text(reason)
    if not reason:
        errors["reason"] = [_("Say why the contract is amended.")]
    elif len(reason) > 5000:
        errors["reason"] = [_("Keep the reason to 5,000 characters.")]
    cleaned = _clean_terms(given, locked, errors)
    diff = {}
    for name, value in cleaned.items():
        before = getattr(locked, name)
        if before != value and name not in errors:
            diff[name] = [_plain(before), _plain(value)]
    if not errors and not diff:
        raise refuse(_("Nothing changes: an amendment changes at least one term."), "no_change")
    if "value" in diff and "value" not in errors:
        value = cleaned["value"]
        paid = paid_total(locked)
        invoiced = invoiced_total(locked)
        scheduled = scheduled_total(locked)
        if value < paid:
            errors["value"] = [
                _("%(paid)s %(currency)s is already paid: the value cannot be lower.")
                % {"paid": f"{paid:,.2f}", "currency": locked.currency}
            ]
            code = "below_paid"
        elif value < invoiced:
            errors["value"] = [
                _("Invoices of %(total)s %(currency)s are recorded: the value cannot be lower.")
                % {"total": f"{invoiced:,.2f}", "currency": locked.currency}
            ]
            code = "below_invoiced"
        elif value < scheduled:
            errors["value"] = [
                _("The payment schedule adds up to %(total)s %(currency)s: the value cannot be lower.")
                % {"total": f"{scheduled:,.2f}", "currency": locked.currency}
            ]
            code = "below_schedule"
        if errors.get("value") and len(errors) == 1:
            raise coded(errors, code)
    if errors:
        raise coded(errors, "invalid")
    for name in diff:
        setattr(locked, name, cleaned[name])
    locked.version += 1
    locked.save()
    version = ContractVersion.objects.create(
        contract=locked,
        number=locked.version,
        reason=reason,
        value=locked.value,
        ends_on=locked.ends_on,
        terms=terms_of(locked),
        changes=diff,
        created_by=by,
    )
    audit_record(
        actor=by, action="contract.amend", target=locked, lab=locked.lab, changes=diff, reason=reason
    )
    if "ends_on" in diff or "starts_on" in diff:
        reports_schedule(locked)
    notify(
        recipients=[p for p in organisation_people(locked.supplier_id) if p.pk != by.pk],
        kind="contracts.amended",
        subject=format_lazy(
            gettext_lazy("Contract {reference} is amended (version {number})"),
            reference=locked.reference,
            number=version.number,
        ),
        body=reason,
        url=_url(locked),
        lab=locked.lab,
    )
    _refresh(locked.challenge_id)
    return version


def _end(contract, by, ended_on, reason, *, reason_required) -> tuple[Contract, dt.date, str]:
    locked = _lock(contract)
    require(by, "manage", locked)
    errors: dict = {}
    day = _check_date(errors, "ended_on", ended_on or pay.lab_today(locked.lab))
    _not_future(errors, "ended_on", day, locked.lab)
    reason = _text(reason)
    if reason_required and not reason:
        errors["reason"] = [_("Say why.")]
    if errors:
        raise coded(errors, "invalid")
    return locked, day, reason


@transaction.atomic
def contract_finish(*, contract: Contract, by, ended_on=None, reason: str = "") -> Contract:
    """The contract is finished (OCDS ``terminated``): delivered, or ended early (say why)."""
    locked, day, reason = _end(contract, by, ended_on, reason, reason_required=False)
    _live(locked, active_only=True)
    if locked.signed_on and day < locked.signed_on:
        raise coded({"ended_on": [_("A contract ends on or after the day it was signed.")]}, "invalid")
    open_payments = Payment.objects.filter(contract=locked, cancelled_at__isnull=True, paid_on__isnull=True)
    if open_payments.exists():
        raise refuse(
            _("%(count)d invoices are not paid yet: pay or cancel them first.")
            % {"count": open_payments.count()},
            "unpaid",
        )
    locked.status = ContractStatus.TERMINATED
    locked.ended_on = day
    locked.end_reason = reason
    locked.implementation_status = ImplementationStatus.COMPLETED
    locked.save()
    ProgressReport.objects.filter(contract=locked, status=ReportStatus.DUE, due_on__gt=day).delete()
    audit_record(
        actor=by,
        action="contract.finish",
        target=locked,
        lab=locked.lab,
        changes={
            "status": [ContractStatus.ACTIVE, ContractStatus.TERMINATED],
            "ended_on": [None, day.isoformat()],
        },
        reason=reason,
    )
    _refresh(locked.challenge_id)
    return locked


@transaction.atomic
def contract_cancel(*, contract: Contract, by, reason: str, ended_on=None) -> Contract:
    """Cancel a contract: before it is signed, or a signed one on which nothing was paid (say why)."""
    locked, day, reason = _end(contract, by, ended_on, reason, reason_required=True)
    _live(locked)
    if paid_total(locked) > 0:
        raise refuse(_("Payments were made on this contract: finish it instead."), "paid")
    before = locked.status
    locked.status = ContractStatus.CANCELLED
    locked.ended_on = day
    locked.end_reason = reason
    locked.save()
    Payment.objects.filter(contract=locked, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), cancel_reason=reason
    )
    ProgressReport.objects.filter(contract=locked, status=ReportStatus.DUE).delete()
    audit_record(
        actor=by,
        action="contract.cancel",
        target=locked,
        lab=locked.lab,
        changes={"status": [before, ContractStatus.CANCELLED]},
        reason=reason,
    )
    _refresh(locked.challenge_id)
    return locked


@transaction.atomic
def implementation_status_set(*, contract: Contract, by, implementation_status: str) -> Contract:
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked, active_only=True)
    if implementation_status not in ImplementationStatus.values:
        raise coded({"implementation_status": [_("Choose a status.")]}, "invalid")
    if locked.implementation_status == implementation_status:
        return locked
    before = locked.implementation_status
    locked.implementation_status = implementation_status
    locked.save(update_fields=["implementation_status", "updated_at"])
    audit_record(
        actor=by,
        action="contract.implementation_status",
        target=locked,
        lab=locked.lab,
        changes={"implementation_status": [before, implementation_status]},
    )
    _refresh(locked.challenge_id)
    return locked


@transaction.atomic
def document_upload(*, contract: Contract, by, title: str, file, is_public: bool = False) -> ContractDocument:
    """Attach a document (checked like every upload: type by content, size). Public ones are published."""
    locked = _lock(contract)
    require(by, "manage", locked)
    errors: dict = {}
    title = _text(title)
    if not title:
        errors["title"] = [_("Give the document a title.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    if file is None:
        errors["file"] = [_("Choose a file.")]
    else:
        try:
            document_policy(file)
        except ValidationError as error:
            errors["file"] = list(getattr(error, "messages", [str(error)]))
    if errors:
        raise coded(errors, "invalid")
    document = ContractDocument.objects.create(
        contract=locked, title=title, file=file, is_public=bool(is_public), uploaded_by=by
    )
    audit_record(
        actor=by,
        action="contract.document",
        target=locked,
        lab=locked.lab,
        changes={"document": [None, title], "is_public": [None, bool(is_public)]},
    )
    if document.is_public:
        _refresh(locked.challenge_id)
    return document


# --- Milestones and the payment schedule ----------------------------------------------------------


@transaction.atomic
def milestone_save(
    *,
    contract: Contract,
    by,
    milestone: ContractMilestone | None = None,
    title: str,
    due_on,
    deliverables: str = "",
    status: str = MilestoneStatus.SCHEDULED,
    met_on=None,
) -> ContractMilestone:
    """Add or change a milestone. Met or partially met: the day it was met (not in the future)."""
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked)
    if milestone is not None and milestone.contract_id != locked.pk:
        raise refuse(_("This milestone belongs to another contract."), "not_found")
    errors: dict = {}
    title = _text(title)
    if not title:
        errors["title"] = [_("Name the milestone.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    deliverables = _text(deliverables)
    if len(deliverables) > 5000:
        errors["deliverables"] = [_("Keep the deliverables to 5,000 characters.")]
    due = _check_date(errors, "due_on", due_on, message=_("Say when it is due."))
    if status not in MilestoneStatus.values:
        errors["status"] = [_("Choose a status.")]
    met = _check_date(errors, "met_on", met_on, required=False)
    if status in (MilestoneStatus.MET, MilestoneStatus.PARTIALLY_MET):
        if met is None and "met_on" not in errors:
            errors["met_on"] = [_("Say when it was met.")]
        if locked.status != ContractStatus.ACTIVE:
            errors["status"] = [_("A milestone is met once the contract is signed.")]
        _not_future(errors, "met_on", met, locked.lab)
    else:
        met = None
    if errors:
        raise coded(errors, "invalid")
    before = None
    if milestone is None:
        milestone = ContractMilestone(contract=locked)
    else:
        milestone = ContractMilestone.objects.select_for_update().get(pk=milestone.pk)
        before = {
            "title": milestone.title,
            "due_on": milestone.due_on,
            "status": milestone.status,
            "met_on": milestone.met_on,
        }
    milestone.title, milestone.deliverables, milestone.due_on = title, deliverables, due
    milestone.status, milestone.met_on = status, met
    milestone.save()
    after = {"title": title, "due_on": due, "status": status, "met_on": met}
    changes = {
        name: [_plain((before or {}).get(name)), _plain(value)]
        for name, value in after.items()
        if before is None or before[name] != value
    }
    audit_record(actor=by, action="contract.milestone", target=locked, lab=locked.lab, changes=changes)
    if locked.status == ContractStatus.ACTIVE:
        _refresh(locked.challenge_id)
    return milestone


@transaction.atomic
def schedule_save(
    *,
    contract: Contract,
    by,
    line: ScheduledPayment | None = None,
    label: str,
    amount,
    due_on,
    milestone=None,
) -> ScheduledPayment:
    """Add or change a line of the payment schedule; the schedule's total never exceeds the value."""
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked)
    if line is not None and line.contract_id != locked.pk:
        raise refuse(_("This line belongs to another contract."), "not_found")
    errors: dict = {}
    label = _text(label)
    if not label:
        errors["label"] = [_("Say what the payment is for.")]
    elif len(label) > 200:
        errors["label"] = [_("Keep the label to 200 characters.")]
    value = _money(amount)
    if value is None or value == "invalid" or value <= 0 or value >= MAX_VALUE:
        errors["amount"] = [_("Give an amount above 0.")]
    due = _check_date(errors, "due_on", due_on, message=_("Say when it is due."))
    milestone_id = getattr(milestone, "pk", milestone) if milestone not in (None, "") else None
    if (
        milestone_id is not None
        and not ContractMilestone.objects.filter(pk=milestone_id, contract=locked).exists()
    ):
        errors["milestone"] = [_("Choose one of this contract's milestones.")]
    if "amount" not in errors:
        total = scheduled_total(locked, exclude=line) + value
        if total > locked.value:
            errors["amount"] = [
                _("The schedule would add up to %(total)s %(currency)s, more than the contract's %(value)s.")
                % {"total": f"{total:,.2f}", "value": f"{locked.value:,.2f}", "currency": locked.currency}
            ]
            if len(errors) == 1:
                raise coded(errors, "over_value")
    if errors:
        raise coded(errors, "invalid")
    line = line or ScheduledPayment(contract=locked)
    line.label, line.amount, line.due_on, line.milestone_id = label, value, due, milestone_id
    line.save()
    audit_record(
        actor=by,
        action="contract.schedule",
        target=locked,
        lab=locked.lab,
        changes={"label": [None, label], "amount": [None, _plain(value)], "due_on": [None, _plain(due)]},
    )
    return line


@transaction.atomic
def schedule_delete(*, line: ScheduledPayment, by) -> None:
    locked = _lock(line.contract)
    require(by, "manage", locked)
    _live(locked)
    if Payment.objects.filter(scheduled_id=line.pk, cancelled_at__isnull=True).exists():
        raise refuse(_("An invoice is recorded against this line: it stays."), "invoiced")
    audit_record(
        actor=by,
        action="contract.schedule_delete",
        target=locked,
        lab=locked.lab,
        changes={"label": [line.label, None], "amount": [_plain(line.amount), None]},
    )
    ScheduledPayment.objects.filter(pk=line.pk).delete()


# --- Invoices and payments -----------------------------------------------------------------------


@transaction.atomic
def invoice_record(
    *, contract: Contract, by, invoice_number: str, amount, invoice_received_on, scheduled=None
) -> Payment:
    """Record an invoice received: it falls due ``payments.due_date(received, terms)``."""
    locked = _lock(contract)
    require(by, "manage", locked)
    _live(locked, active_only=True)
    errors: dict = {}
    number = _text(invoice_number)
    if not number:
        errors["invoice_number"] = [_("Give the invoice's number.")]
    elif len(number) > 60:
        errors["invoice_number"] = [_("Keep the number to 60 characters.")]
    elif Payment.objects.filter(contract=locked, invoice_number=number).exists():
        errors["invoice_number"] = [_("An invoice with this number is already recorded on this contract.")]
    value = _money(amount)
    if value is None or value == "invalid" or value <= 0 or value >= MAX_VALUE:
        errors["amount"] = [_("Give an amount above 0.")]
    received = _check_date(
        errors, "invoice_received_on", invoice_received_on, message=_("Say when it was received.")
    )
    _not_future(errors, "invoice_received_on", received, locked.lab)
    scheduled_id = getattr(scheduled, "pk", scheduled) if scheduled not in (None, "") else None
    if (
        scheduled_id is not None
        and not ScheduledPayment.objects.filter(pk=scheduled_id, contract=locked).exists()
    ):
        errors["scheduled"] = [_("Choose a line of this contract's payment schedule.")]
    code = "invalid"
    if "amount" not in errors:
        invoiced = invoiced_total(locked)
        if invoiced + value > locked.value:
            errors["amount"] = [
                _(
                    "A payment larger than the contract: with this invoice, %(total)s %(currency)s would be "
                    "invoiced, above the contract's value of %(value)s."
                )
                % {
                    "total": f"{invoiced + value:,.2f}",
                    "value": f"{locked.value:,.2f}",
                    "currency": locked.currency,
                }
            ]
            code = "over_value" if len(errors) == 1 else "invalid"
    if errors:
        raise coded(errors, "invalid" if len(errors) > 1 else code)
    payment = Payment.objects.create(
        contract=locked,
        scheduled_id=scheduled_id,
        invoice_number=number,
        amount=value,
        invoice_received_on=received,
        due_on=pay.due_date(received, locked.payment_terms_days),
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="contract.invoice",
        target=locked,
        lab=locked.lab,
        changes={
            "invoice_number": [None, number],
            "amount": [None, _plain(value)],
            "invoice_received_on": [None, received.isoformat()],
            "due_on": [None, payment.due_on.isoformat()],
        },
    )
    return payment


def _payment_for_update(payment: Payment, by, perm: str = "manage") -> tuple[Contract, Payment]:
    locked = _lock(payment.contract)
    require(by, perm, locked)
    row = Payment.objects.select_for_update().get(pk=payment.pk)
    row.contract = locked
    if row.cancelled_at:
        raise refuse(_("This invoice is cancelled."), "cancelled")
    return locked, row


@transaction.atomic
def payment_approve(*, payment: Payment, by, approved_on) -> Payment:
    """The buyer approved the invoice for payment (on or after the day it was received)."""
    locked, row = _payment_for_update(payment, by)
    if row.approved_on is not None:
        raise refuse(_("This invoice is already approved."), "approved")
    errors: dict = {}
    day = _check_date(errors, "approved_on", approved_on, message=_("Say when it was approved."))
    if day and "approved_on" not in errors and day < row.invoice_received_on:
        errors["approved_on"] = [
            _("A payment before the invoice: the invoice was received on %(day)s.")
            % {"day": row.invoice_received_on.isoformat()}
        ]
        raise coded(errors, "before_invoice")
    _not_future(errors, "approved_on", day, locked.lab)
    if errors:
        raise coded(errors, "invalid")
    row.approved_on = day
    row.save(update_fields=["approved_on", "updated_at"])
    audit_record(
        actor=by,
        action="contract.payment_approve",
        target=locked,
        lab=locked.lab,
        changes={
            "invoice_number": [row.invoice_number, row.invoice_number],
            "approved_on": [None, day.isoformat()],
        },
    )
    return row


@transaction.atomic
def payment_pay(*, payment: Payment, by, paid_on) -> Payment:
    """The invoice is paid (on or after its approval). Days to pay and lateness follow from the dates."""
    locked, row = _payment_for_update(payment, by)
    if row.paid_on is not None:
        raise refuse(_("This invoice is already paid."), "paid")
    errors: dict = {}
    day = _check_date(errors, "paid_on", paid_on, message=_("Say when it was paid."))
    if day and "paid_on" not in errors:
        if day < row.invoice_received_on:
            raise coded(
                {
                    "paid_on": [
                        _("A payment before the invoice: the invoice was received on %(day)s.")
                        % {"day": row.invoice_received_on.isoformat()}
                    ]
                },
                "before_invoice",
            )
        if row.approved_on is None:
            raise refuse(_("Approve the invoice before recording its payment."), "not_approved")
        if day < row.approved_on:
            raise coded(
                {
                    "paid_on": [
                        _("Paid before it was approved (%(day)s): check the dates.")
                        % {"day": row.approved_on.isoformat()}
                    ]
                },
                "before_approval",
            )
    _not_future(errors, "paid_on", day, locked.lab)
    if errors:
        raise coded(errors, "invalid")
    row.paid_on = day
    row.save(update_fields=["paid_on", "updated_at"])
    late = pay.is_late(row, day)
    audit_record(
        actor=by,
        action="contract.payment_pay",
        target=locked,
        lab=locked.lab,
        changes={
            "invoice_number": [row.invoice_number, row.invoice_number],
            "paid_on": [None, day.isoformat()],
            "days_to_pay": [None, pay.days_to_pay(row)],
            "late": [None, late],
        },
    )
    notify(
        recipients=[p for p in organisation_people(locked.supplier_id) if p.pk != by.pk],
        kind="contracts.paid",
        subject=format_lazy(
            gettext_lazy("Invoice {number} is paid ({reference})"),
            number=row.invoice_number,
            reference=locked.reference,
        ),
        body=format_lazy(gettext_lazy("Paid on {day}."), day=day.isoformat()),
        url=_url(locked),
        lab=locked.lab,
    )
    _refresh(locked.challenge_id)
    return row


@transaction.atomic
def payment_cancel(*, payment: Payment, by, reason: str) -> Payment:
    """Cancel an unpaid invoice (withdrawn or credited): it no longer counts towards the value."""
    locked, row = _payment_for_update(payment, by)
    if row.paid_on is not None:
        raise refuse(_("A paid invoice cannot be cancelled."), "paid")
    reason = _text(reason)
    if not reason:
        raise coded({"reason": [_("Say why the invoice is cancelled.")]}, "invalid")
    row.cancelled_at = timezone.now()
    row.cancel_reason = reason[:2000]
    row.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    audit_record(
        actor=by,
        action="contract.payment_cancel",
        target=locked,
        lab=locked.lab,
        changes={"invoice_number": [row.invoice_number, None]},
        reason=reason,
    )
    return row


# --- Implementation --------------------------------------------------------------------------------


def reports_schedule(contract: Contract) -> list[ProgressReport]:
    """Make the progress reports due every ``report_every_days`` from the signature to the end (and one
    at the end). Idempotent: reports already there stay; due (unsubmitted) ones beyond the end go."""
    if contract.status != ContractStatus.ACTIVE or not contract.report_every_days or not contract.signed_on:
        return []
    step = dt.timedelta(days=contract.report_every_days)
    days = []
    start = max(contract.signed_on, contract.starts_on)
    day = start + step
    while day <= contract.ends_on:
        days.append(day)
        day += step
    if not days or days[-1] < contract.ends_on:
        days.append(contract.ends_on)
    existing = set(ProgressReport.objects.filter(contract=contract).values_list("due_on", flat=True))
    ProgressReport.objects.filter(
        contract=contract, status=ReportStatus.DUE, due_on__gt=contract.ends_on
    ).delete()
    made = []
    previous = start
    for due in days:
        if due not in existing:
            made.append(
                ProgressReport(
                    contract=contract,
                    due_on=due,
                    period=f"{previous.isoformat()} – {due.isoformat()}",
                )
            )
        previous = due
    ProgressReport.objects.bulk_create(made, ignore_conflicts=True)
    return made


def is_overdue(report: ProgressReport, today: dt.date) -> bool:
    return report.status == ReportStatus.DUE and report.due_on < today


@transaction.atomic
def report_submit(*, report: ProgressReport, by, summary: str, percent_complete) -> ProgressReport:
    """The supplier's progress report: what was done, and how far along (per cent)."""
    contract = _lock(report.contract)
    require(by, "report", contract)
    _live(contract, active_only=True)
    row = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if row.contract_id != contract.pk:
        raise refuse(_("This report belongs to another contract."), "not_found")
    if row.status == ReportStatus.REVIEWED:
        raise refuse(_("This report is reviewed: it is kept as it was."), "reviewed")
    errors: dict = {}
    summary = _text(summary)
    if not summary:
        errors["summary"] = [_("Say what progress was made.")]
    elif len(summary) > 10000:
        errors["summary"] = [_("Keep the report to 10,000 characters.")]
    percent = _int(percent_complete)
    if percent is None or percent == "invalid" or not 0 <= percent <= 100:
        errors["percent_complete"] = [_("Give a whole per cent from 0 to 100.")]
    if errors:
        raise coded(errors, "invalid")
    row.summary, row.percent_complete = summary, percent
    row.status = ReportStatus.SUBMITTED
    row.submitted_at, row.submitted_by = timezone.now(), by
    row.save()
    row.contract = contract
    audit_record(
        actor=by,
        action="contract.report_submit",
        target=contract,
        lab=contract.lab,
        changes={"report": [None, row.due_on.isoformat()], "percent_complete": [None, percent]},
    )
    from govlab.labs.selectors import lab_team_users

    notify(
        recipients=[p for p in lab_team_users(contract.lab) if p.pk != by.pk],
        kind="contracts.report_submitted",
        subject=format_lazy(
            gettext_lazy("A progress report was submitted on {reference}"), reference=contract.reference
        ),
        body=gettext_lazy("Review it on the contract's page."),
        url=_url(contract),
        lab=contract.lab,
        email=False,
    )
    return row


@transaction.atomic
def report_review(*, report: ProgressReport, by, review_notes: str = "") -> ProgressReport:
    contract = _lock(report.contract)
    require(by, "manage", contract)
    row = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if row.status != ReportStatus.SUBMITTED:
        raise refuse(_("Only a submitted report can be reviewed."), "not_submitted")
    notes = _text(review_notes)
    if len(notes) > 5000:
        raise coded({"review_notes": [_("Keep the review to 5,000 characters.")]}, "invalid")
    row.status, row.review_notes = ReportStatus.REVIEWED, notes
    row.reviewed_at, row.reviewed_by = timezone.now(), by
    row.save()
    row.contract = contract
    audit_record(
        actor=by,
        action="contract.report_review",
        target=contract,
        lab=contract.lab,
        changes={"report": [row.due_on.isoformat(), "reviewed"]},
    )
    return row


@transaction.atomic
def issue_save(
    *,
    contract: Contract,
    by,
    issue: ImplementationIssue | None = None,
    kind: str,
    title: str,
    description: str = "",
    severity: str = Severity.MEDIUM,
    status: str = IssueStatus.OPEN,
    mitigation: str = "",
) -> ImplementationIssue:
    """Record or update an issue (it happened) or a risk (it may happen), its severity and mitigation."""
    locked = _lock(contract)
    require(by, "manage", locked)
    if issue is not None and issue.contract_id != locked.pk:
        raise refuse(_("This issue belongs to another contract."), "not_found")
    errors: dict = {}
    if kind not in IssueKind.values:
        errors["kind"] = [_("Choose an issue or a risk.")]
    title = _text(title)
    if not title:
        errors["title"] = [_("Name the issue or risk.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    if severity not in Severity.values:
        errors["severity"] = [_("Choose a severity.")]
    if status not in IssueStatus.values:
        errors["status"] = [_("Choose a status.")]
    description, mitigation = _text(description), _text(mitigation)
    for name, text in (("description", description), ("mitigation", mitigation)):
        if len(text) > 5000:
            errors[name] = [_("Keep this to 5,000 characters.")]
    if status == IssueStatus.MITIGATED and not mitigation and "status" not in errors:
        errors["mitigation"] = [_("Say how it was mitigated.")]
    if errors:
        raise coded(errors, "invalid")
    row = issue or ImplementationIssue(contract=locked, raised_by=by)
    before = None if issue is None else {"title": row.title, "status": row.status, "severity": row.severity}
    row.kind, row.title, row.description = kind, title, description
    row.severity, row.status, row.mitigation = severity, status, mitigation
    row.save()
    audit_record(
        actor=by,
        action="contract.issue",
        target=locked,
        lab=locked.lab,
        changes={
            "issue": [before and before["title"], row.title],
            "status": [before and before["status"], status],
            "severity": [before and before["severity"], severity],
        },
    )
    return row


# --- Lessons learned and the close of the case ------------------------------------------------------


@transaction.atomic
def lessons_save(
    *,
    challenge: Challenge,
    by,
    successes: str,
    failures: str = "",
    entity_would_change: str = "",
    solver_would_change: str = "",
    is_public: bool = False,
) -> LessonsLearned:
    """Write (or rewrite) the challenge's lessons learned; published when the lab chooses."""
    locked = Challenge.objects.select_for_update(of=("self",)).select_related("lab").get(pk=challenge.pk)
    require(by, "manage", locked)
    if not Contract.objects.filter(challenge=locked).exclude(signed_on=None).exists():
        raise refuse(_("Lessons learned are written once a contract is signed."), "no_contract")
    errors: dict = {}
    texts = {
        "successes": _text(successes),
        "failures": _text(failures),
        "entity_would_change": _text(entity_would_change),
        "solver_would_change": _text(solver_would_change),
    }
    if not texts["successes"]:
        errors["successes"] = [_("Say what worked.")]
    for name, text in texts.items():
        if len(text) > 10000:
            errors[name] = [_("Keep this to 10,000 characters.")]
    if errors:
        raise coded(errors, "invalid")
    lessons = LessonsLearned.objects.select_for_update().filter(challenge=locked).first()
    was_public = bool(lessons and lessons.is_public)
    if lessons is None:
        lessons = LessonsLearned(challenge=locked, written_by=by)
    changes = {
        name: [getattr(lessons, name, "") or "", value]
        for name, value in texts.items()
        if (getattr(lessons, name, "") or "") != value
    }
    if lessons.is_public != bool(is_public) or lessons.pk is None:
        changes["is_public"] = [lessons.is_public if lessons.pk else None, bool(is_public)]
    for name, value in texts.items():
        setattr(lessons, name, value)
    lessons.is_public = bool(is_public)
    lessons.written_by = by
    lessons.save()
    audit_record(actor=by, action="contract.lessons", target=locked, lab=locked.lab, changes=changes)
    if lessons.is_public or was_public:
        _refresh(locked.pk)
    return lessons


def close_gaps(challenge: Challenge) -> list[str]:
    """What the case still needs before it closes."""
    gaps = []
    if not LessonsLearned.objects.filter(challenge=challenge).exists():
        gaps.append(_("Write the lessons learned."))
    open_contracts = Contract.objects.filter(
        challenge=challenge, kind=ContractKind.PURCHASE, status__in=LIVE
    ).values_list("reference", flat=True)
    if open_contracts:
        gaps.append(
            _("Finish or cancel the purchase contracts: %(references)s.")
            % {"references": ", ".join(open_contracts)}
        )
    if challenge.status != ChallengeStatus.IMPLEMENTING:
        gaps.append(_("The challenge is not being implemented."))
    return gaps


@transaction.atomic
def case_close(*, challenge: Challenge, by, reason: str = "") -> Challenge:
    """Close the case: lessons learned written, every purchase contract finished or cancelled."""
    locked = (
        Challenge.objects.select_for_update(of=("self",)).select_related("lab", "owner").get(pk=challenge.pk)
    )
    require(by, "manage", locked)
    gaps = close_gaps(locked)
    if gaps:
        raise refuse(" ".join(str(g) for g in gaps), "not_ready")
    challenge_transition(
        challenge=locked,
        target=ChallengeStatus.CLOSED,
        actor=by,
        via_call=True,
        reason=_text(reason) or _("The case is closed with its lessons learned."),
    )
    _refresh(locked.pk)
    locked.refresh_from_db()
    return locked
