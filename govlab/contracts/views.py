"""Contract pages.

- ``lab_list`` and ``lab_payments`` (with the on-time statistics) and the exports: the lab's team only
  (404 otherwise).
- ``mine``: the contracts a signed-in person takes part in (lab team, buyer, supplier).
- Each contract's pages: seen by the lab's team, the buyer's members and the supplier's members (anyone
  else: 404). The lab and the buyer manage (sign, amend, pay, finish, cancel, close the case); the
  supplier submits progress reports. An action a person sees but may not take answers 403.
- ``lessons``: a challenge's lessons learned and the close of its case.

Writes go through ``services``; a refusal comes back on the form that caused it, at the field, with
everything typed kept. Pages keep a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.challenges.models import Challenge
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff
from govlab.organisations.models import OrganisationMembership
from govlab.pilots.models import Pilot
from govlab.procurement.models import Award

from . import exports, payments, selectors, services
from .enums import ContractKind, ContractStatus
from .forms import (
    DUE_RULE,
    AmendForm,
    ApproveForm,
    CancelPaymentForm,
    CloseForm,
    ContractForm,
    DocumentForm,
    EndForm,
    InvoiceForm,
    IssueForm,
    LessonsForm,
    MilestoneForm,
    PayForm,
    ReportForm,
    ReviewForm,
    ScheduleForm,
    SignForm,
    StatusForm,
    apply_errors,
)
from .models import (
    Contract,
    ContractDocument,
    ContractMilestone,
    ImplementationIssue,
    LessonsLearned,
    Payment,
    ProgressReport,
    ScheduledPayment,
)


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _contract(request, pk: int, perm: str = "view") -> Contract:
    contract = selectors.contract_for(request.user, pk)
    if perm != "view" and not request.user.has_perm(f"contracts.{perm}", contract):
        raise PermissionDenied
    return contract


def _roles(user, contract) -> dict:
    return {
        "can_manage": user.has_perm("contracts.manage", contract),
        "can_report": user.has_perm("contracts.report", contract),
        "is_team": is_lab_staff(user, contract.lab) or user.is_superuser,
    }


def _row(model, contract, pk, fields=()):
    """This contract's row ``pk`` (404 if not one of its own) and its values as a form's initial data;
    ``(None, None)`` for a new row. ``<name>_id`` fields give the form's ``<name>``."""
    if pk is None:
        return None, None
    row = model.objects.filter(contract=contract, pk=pk).first()
    if row is None:
        raise Http404
    row.contract = contract
    return row, {name.removesuffix("_id"): getattr(row, name) for name in fields}


def _url(contract, anchor: str = "") -> str:
    return reverse("contracts:detail", args=[contract.pk]) + (f"#{anchor}" if anchor else "")


def _lab_for_team(request, lab_slug) -> Lab:
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not (is_lab_staff(request.user, lab) or request.user.is_superuser):
        raise Http404
    return lab


def _buyer_people(contract_or_challenge):
    buyer_id = getattr(contract_or_challenge, "buyer_id", None) or contract_or_challenge.owner_id
    return [
        m.user
        for m in OrganisationMembership.objects.filter(organisation_id=buyer_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def _form_page(request, contract, form, *, title, submit, intro="", anchor="", action=None, extra=None):
    return render(
        request,
        "contracts/form.html",
        {
            "contract": contract,
            "lab": contract.lab if contract else None,
            "form": form,
            "page_title": title,
            "submit": submit,
            "intro": intro,
            "back": _url(contract, anchor) if contract else None,
            "multipart": any(getattr(f.field.widget, "needs_multipart_form", False) for f in form),
            **(extra or {}),
        },
    )


def _handle(request, contract, form, call, *, success: str, anchor: str, **page) -> HttpResponse:
    """Bind, call the service, and come back to the contract or to the form with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(_url(contract, anchor))
    return _form_page(request, contract, form, anchor=anchor, **page)


# --- Lists ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def lab_list(request, lab_slug):
    lab = _lab_for_team(request, lab_slug)
    contracts = list(selectors.contracts_for_lab(lab))
    return render(
        request,
        "contracts/list.html",
        {
            "lab": lab,
            "current_lab": lab,
            "lab_section": "contracts",
            "contracts": contracts,
            "heading": _("Contracts"),
            "caption": _("The lab's contracts: purchases and pilot agreements"),
        },
    )


@login_required
@require_GET
def mine(request):
    contracts = list(selectors.visible_contracts(request.user)[:300])
    return render(
        request,
        "contracts/list.html",
        {
            "contracts": contracts,
            "heading": _("My contracts"),
            "caption": _("The contracts you buy, supply or run"),
        },
    )


@login_required
@require_GET
def lab_payments(request, lab_slug):
    lab = _lab_for_team(request, lab_slug)
    rows, stats, today = selectors.lab_payments(lab)
    return render(
        request,
        "contracts/payments.html",
        {
            "lab": lab,
            "current_lab": lab,
            "lab_section": "payments",
            "payments": rows,
            "stats": stats,
            "today": today,
            "due_rule": DUE_RULE,
        },
    )


@login_required
@require_GET
def export(request, lab_slug, what, extension):
    lab = _lab_for_team(request, lab_slug)
    if what not in ("contracts", "payments") or extension not in ("csv", "xlsx"):
        raise Http404
    table = exports.contracts_table(lab) if what == "contracts" else exports.payments_table(lab)
    if extension == "csv":
        return download(exports.as_csv(table), f"{lab.slug}-{what}", "csv")
    title = _("Contracts") if what == "contracts" else _("Payments")
    return download(exports.as_xlsx(title, table), f"{lab.slug}-{what}", "xlsx")


# --- Creating and editing a contract ---------------------------------------------------------------------


def _create(request, *, challenge, award=None, pilot=None, initial=None):
    if not request.user.has_perm("contracts.manage", challenge):
        raise Http404
    existing = (
        Contract.objects.filter(award=award).first()
        if award
        else Contract.objects.filter(pilot=pilot).first()
    )
    if existing is not None:
        return redirect(_url(existing))
    form = ContractForm(
        _data(request),
        initial=initial,
        people=_buyer_people(challenge),
        with_value=pilot is not None,
        prefix="contract",
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(by=request.user, award=award, pilot=pilot, **form.terms())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The contract is created. Add its milestones and schedule, then sign it.")
            )
            return redirect(_url(contract))
    return render(
        request,
        "contracts/form.html",
        {
            "contract": None,
            "lab": challenge.lab,
            "form": form,
            "page_title": _("New contract for %(reference)s") % {"reference": challenge.reference},
            "submit": _("Create the contract"),
            "intro": _("Supplier: %(supplier)s.")
            % {"supplier": (award.supplier if award else pilot.application.organisation).name},
            "back": reverse("contracts:mine"),
        },
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def create_from_award(request, award_pk):
    award = Award.objects.select_related("process__challenge__lab", "supplier").filter(pk=award_pk).first()
    if award is None:
        raise Http404
    return _create(
        request,
        challenge=award.process.challenge,
        award=award,
        initial={"title": award.title, "payment_terms_days": 30, "ip_terms": "supplier_licence"},
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def create_from_pilot(request, pilot_pk):
    pilot = (
        Pilot.objects.select_related("challenge__lab", "application__organisation")
        .filter(pk=pilot_pk)
        .first()
    )
    if pilot is None:
        raise Http404
    return _create(
        request,
        challenge=pilot.challenge,
        pilot=pilot,
        initial={
            "title": pilot.title,
            "value": pilot.budget,
            "starts_on": pilot.starts_on,
            "ends_on": pilot.ends_on,
            "payment_terms_days": 30,
        },
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    contract = _contract(request, pk, "manage")
    if contract.status != ContractStatus.PENDING:
        messages.error(request, _("A signed contract changes by amendment."))
        return redirect(_url(contract))
    initial = {name: getattr(contract, name) for name in services.EDITABLE if name != "finance_contact"}
    initial["finance_contact"] = contract.finance_contact_id
    initial["value"] = contract.value
    with_value = contract.kind == ContractKind.PILOT_AGREEMENT
    form = ContractForm(
        _data(request),
        initial=initial,
        people=_buyer_people(contract),
        with_value=with_value,
        prefix="contract",
    )
    return _handle(
        request,
        contract,
        form,
        lambda data: services.contract_update(contract=contract, by=request.user, **form.terms()),
        success=_("The contract is saved."),
        anchor="terms-title",
        title=_("Edit the contract"),
        submit=_("Save"),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def sign(request, pk):
    contract = _contract(request, pk, "manage")
    form = SignForm(_data(request), initial={"signed_on": payments.lab_today(contract.lab)}, prefix="sign")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.contract_sign(contract=contract, by=request.user, signed_on=data["signed_on"]),
        success=_("The contract is signed: version 1 keeps its terms."),
        anchor="terms-title",
        title=_("Record the signature"),
        submit=_("Record the signature"),
        intro=_(
            "The terms as they are now become version 1. A purchase cannot be signed during the "
            "standstill period."
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def amend(request, pk):
    contract = _contract(request, pk, "manage")
    initial = {name: getattr(contract, name) for name in services.AMENDABLE}
    form = AmendForm(_data(request), initial=initial, prefix="amend")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.contract_amend(
            contract=contract, by=request.user, reason=data["reason"], **form.changes(contract)
        ),
        success=_("The amendment is recorded as a new version."),
        anchor="versions-title",
        title=_("Amend the contract"),
        submit=_("Record the amendment"),
        intro=_("Change the terms that the amendment changes and say why: it becomes a new version."),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def end(request, pk, how):
    contract = _contract(request, pk, "manage")
    if how not in ("finish", "cancel"):
        raise Http404
    form = EndForm(_data(request), initial={"ended_on": payments.lab_today(contract.lab)}, prefix="end")
    service = services.contract_finish if how == "finish" else services.contract_cancel
    return _handle(
        request,
        contract,
        form,
        lambda data: service(
            contract=contract, by=request.user, ended_on=data["ended_on"], reason=data["reason"]
        ),
        success=_("The contract is finished.") if how == "finish" else _("The contract is cancelled."),
        anchor="terms-title",
        title=_("Finish the contract") if how == "finish" else _("Cancel the contract"),
        submit=_("Finish") if how == "finish" else _("Cancel the contract"),
        intro=_(
            "Finished: delivered, or ended early (say why). Its invoices must be paid or cancelled first."
        )
        if how == "finish"
        else _("Cancel a contract before it is signed, or one on which nothing was paid. Say why."),
    )


@login_required
@require_POST
def status(request, pk):
    contract = _contract(request, pk, "manage")
    form = StatusForm(request.POST, prefix="status")
    if form.is_valid():
        try:
            services.implementation_status_set(
                contract=contract,
                by=request.user,
                implementation_status=form.cleaned_data["implementation_status"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The implementation status is saved."))
    return redirect(_url(contract, "implementation-title"))


# --- The contract's page --------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request, pk):
    contract = _contract(request, pk)
    page = selectors.contract_page(contract)
    lessons = LessonsLearned.objects.filter(challenge_id=contract.challenge_id).first()
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "lab": contract.lab,
            "page": page,
            "lessons": lessons,
            "status_form": StatusForm(
                initial={"implementation_status": contract.implementation_status}, prefix="status"
            ),
            "due_rule": DUE_RULE,
            **_roles(request.user, contract),
        },
    )


@login_required
@require_GET
def document(request, pk, document_pk):
    contract = _contract(request, pk)
    row = ContractDocument.objects.filter(contract=contract, pk=document_pk).first()
    if row is None:
        raise Http404
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, pk):
    contract = _contract(request, pk, "manage")
    form = DocumentForm(request.POST or None, request.FILES or None, prefix="document")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.document_upload(
            contract=contract,
            by=request.user,
            title=data["title"],
            file=data["file"],
            is_public=data["is_public"],
        ),
        success=_("The document is attached."),
        anchor="documents-title",
        title=_("Attach a document"),
        submit=_("Upload"),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def milestone(request, pk, milestone_pk=None):
    contract = _contract(request, pk, "manage")
    row, initial = _row(
        ContractMilestone, contract, milestone_pk, ("title", "deliverables", "due_on", "status", "met_on")
    )
    form = MilestoneForm(_data(request), initial=initial, prefix="milestone")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.milestone_save(contract=contract, by=request.user, milestone=row, **data),
        success=_("The milestone is saved."),
        anchor="milestones-title",
        title=_("Milestone"),
        submit=_("Save the milestone"),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def schedule(request, pk, line_pk=None):
    contract = _contract(request, pk, "manage")
    line, initial = _row(ScheduledPayment, contract, line_pk, ("label", "amount", "due_on", "milestone_id"))
    form = ScheduleForm(
        _data(request),
        initial=initial,
        milestones=ContractMilestone.objects.filter(contract=contract),
        prefix="line",
    )
    return _handle(
        request,
        contract,
        form,
        lambda data: services.schedule_save(contract=contract, by=request.user, line=line, **data),
        success=_("The payment schedule is saved."),
        anchor="schedule-title",
        title=_("Payment schedule"),
        submit=_("Save the line"),
        intro=_("The schedule's total may not exceed the contract's value (%(value)s %(currency)s).")
        % {"value": contract.value, "currency": contract.currency},
    )


@login_required
@require_POST
def schedule_delete(request, pk, line_pk):
    contract = _contract(request, pk, "manage")
    line, _initial = _row(ScheduledPayment, contract, line_pk)
    try:
        services.schedule_delete(line=line, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": line.label})
    return redirect(_url(contract, "schedule-title"))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def invoice(request, pk):
    contract = _contract(request, pk, "manage")
    form = InvoiceForm(
        _data(request), lines=ScheduledPayment.objects.filter(contract=contract), prefix="invoice"
    )
    return _handle(
        request,
        contract,
        form,
        lambda data: services.invoice_record(contract=contract, by=request.user, **data),
        success=_("The invoice is recorded."),
        anchor="payments-title",
        title=_("Record an invoice"),
        submit=_("Record the invoice"),
        intro=DUE_RULE,
    )


# Lazy: translated in each request's language, not the language at import.
PAYMENT_STEPS = {
    "approve": (
        ApproveForm,
        "approved_on",
        gettext_lazy("Approve the invoice"),
        gettext_lazy("The invoice is approved."),
        services.payment_approve,
    ),
    "pay": (
        PayForm,
        "paid_on",
        gettext_lazy("Record the payment"),
        gettext_lazy("The payment is recorded."),
        services.payment_pay,
    ),
    "cancel": (
        CancelPaymentForm,
        "reason",
        gettext_lazy("Cancel the invoice"),
        gettext_lazy("The invoice is cancelled."),
        services.payment_cancel,
    ),
}


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def payment_step(request, pk, payment_pk, step):
    contract = _contract(request, pk, "manage")
    if step not in PAYMENT_STEPS:
        raise Http404
    row, _initial = _row(Payment, contract, payment_pk)
    form_class, field, title, success, service = PAYMENT_STEPS[step]
    initial = {field: payments.lab_today(contract.lab)} if field != "reason" else None
    form = form_class(_data(request), initial=initial, prefix="payment")
    return _handle(
        request,
        contract,
        form,
        lambda data: service(payment=row, by=request.user, **data),
        success=success,
        anchor="payments-title",
        title=f"{title} · {row.invoice_number}",
        submit=title,
        intro=_(
            "Invoice %(number)s: %(amount)s %(currency)s, received on %(received)s, to be paid by %(due)s."
        )
        % {
            "number": row.invoice_number,
            "amount": row.amount,
            "currency": contract.currency,
            "received": row.invoice_received_on,
            "due": row.due_on,
        },
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def report(request, pk, report_pk):
    contract = _contract(request, pk)
    row, _initial = _row(ProgressReport, contract, report_pk)
    user = request.user
    if row.status == "submitted" and user.has_perm("contracts.manage", contract):
        form = ReviewForm(_data(request), prefix="review")
        return _handle(
            request,
            contract,
            form,
            lambda data: services.report_review(report=row, by=user, **data),
            success=_("The report is reviewed."),
            anchor="reports-title",
            title=_("Review the progress report of %(period)s") % {"period": row.period},
            submit=_("Mark reviewed"),
            extra={"report": row},
        )
    if not user.has_perm("contracts.report", contract) or row.status == "reviewed":
        raise PermissionDenied
    initial = {"summary": row.summary, "percent_complete": row.percent_complete} if row.summary else None
    form = ReportForm(_data(request), initial=initial, prefix="report")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.report_submit(report=row, by=user, **data),
        success=_("The progress report is submitted."),
        anchor="reports-title",
        title=_("Progress report of %(period)s") % {"period": row.period},
        submit=_("Submit the report"),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def issue(request, pk, issue_pk=None):
    contract = _contract(request, pk, "manage")
    row, initial = _row(
        ImplementationIssue,
        contract,
        issue_pk,
        ("kind", "title", "description", "severity", "status", "mitigation"),
    )
    form = IssueForm(_data(request), initial=initial, prefix="issue")
    return _handle(
        request,
        contract,
        form,
        lambda data: services.issue_save(contract=contract, by=request.user, issue=row, **data),
        success=_("The issue or risk is saved."),
        anchor="issues-title",
        title=_("Issue or risk"),
        submit=_("Save"),
    )


# --- Lessons learned and the close of the case -----------------------------------------------------------


def _challenge(request, reference) -> Challenge:
    challenge = Challenge.objects.select_related("lab", "owner").filter(reference=reference).first()
    if challenge is None or not request.user.has_perm("contracts.manage", challenge):
        raise Http404
    return challenge


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def lessons(request, reference):
    challenge = _challenge(request, reference)
    row = LessonsLearned.objects.filter(challenge=challenge).first()
    initial = None
    if row is not None:
        initial = {
            n: getattr(row, n)
            for n in ("successes", "failures", "entity_would_change", "solver_would_change", "is_public")
        }
    form = LessonsForm(_data(request), initial=initial, prefix="lessons")
    if request.method == "POST" and form.is_valid():
        try:
            services.lessons_save(challenge=challenge, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The lessons learned are saved."))
            return redirect(reverse("contracts:lessons", args=[challenge.reference]))
    contracts = list(
        Contract.objects.filter(challenge=challenge).select_related("supplier").order_by("reference")
    )
    return render(
        request,
        "contracts/lessons.html",
        {
            "challenge": challenge,
            "lab": challenge.lab,
            "form": form,
            "contracts": contracts,
            "gaps": services.close_gaps(challenge),
            "close_form": CloseForm(prefix="close"),
        },
    )


@login_required
@require_POST
def close(request, reference):
    challenge = _challenge(request, reference)
    form = CloseForm(request.POST, prefix="close")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.case_close(challenge=challenge, by=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is closed."))
    return redirect(reverse("contracts:lessons", args=[challenge.reference]))
