"""Procurement pages.

- The lab's pages (team only; 404 otherwise): its processes (with CSV/XLSX exports), and its reference
  data — procedure types and their thresholds (the manager edits; the staff read).
- A challenge whose solution is selected: the route options (available first; each other one with its
  reasons and every rule's source — data, not legal advice), then the form that starts the process.
  The lab's team and the challenge's entity only.
- Each process: seen by the lab's team, the challenge's entity and the awarded suppliers' members
  (anyone else: 404). The lab and the entity manage it (edit, steps, award, cancel); an action a person
  sees but may not take answers 403.

Writes go through ``services``; a refusal comes back on the form that caused it, at the field, with
everything typed kept. Pages keep a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, LegalRegime
from govlab.labs.models import CURRENCY_CHOICES, Lab
from govlab.labs.rules import is_lab_staff

from . import exports, selectors, services
from .enums import ProcessStatus
from .forms import (
    AwardForm,
    CancelForm,
    ProcedureForm,
    ProcessCreateForm,
    ProcessEditForm,
    StepForm,
    ThresholdForm,
    apply_errors,
)
from .models import ProcedureType, ProcessStep, Threshold

PROCEDURE_FIELDS = (
    "name",
    "description",
    "code",
    "jurisdiction",
    "kind",
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
CURRENCIES = {code for code, _label in CURRENCY_CHOICES}
STATUS_LABELS = dict(ProcessStatus.choices)


# --- Fetch and authorise ----------------------------------------------------------------------------


def _staff_lab(request, lab_slug: str) -> Lab:
    """The lab, if this person runs it (manager or staff, or a superuser); 404 otherwise."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not (is_lab_staff(request.user, lab) or request.user.is_superuser):
        raise Http404
    return lab


def _lab_context(lab, section: str, **extra) -> dict:
    return {
        "lab": lab,
        "current_lab": lab,
        "lab_section": section,
        "can_edit_reference": None,
        **extra,
    }


def _process(request, pk: int, perm: str = "view"):
    process = selectors.process_for(request.user, pk)
    if perm != "view" and not request.user.has_perm(f"procurement.{perm}", process):
        raise PermissionDenied
    return process


def _challenge(request, reference: str):
    challenge = (
        Challenge.objects.select_related("lab", "owner", "legal_regime").filter(reference=reference).first()
    )
    if challenge is None or not request.user.has_perm("procurement.manage", challenge):
        raise Http404
    return challenge


def _process_context(request, process, **extra) -> dict:
    today = selectors.lab_today(process.lab)
    status = selectors.effective_status(process, today=today)
    return {
        "process": process,
        "challenge": process.challenge,
        "lab": process.lab,
        "can_manage": request.user.has_perm("procurement.manage", process),
        "is_team": is_lab_staff(request.user, process.lab) or request.user.is_superuser,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "today": today,
        **extra,
    }


# --- The lab's processes ----------------------------------------------------------------------------


@login_required
@require_GET
def lab_list(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    processes = list(selectors.processes_for_lab(lab)[:500])
    today = selectors.lab_today(lab)
    for process in processes:
        process.effective = selectors.effective_status(process, today=today)
        process.effective_label = STATUS_LABELS[process.effective]
    ready = list(
        Challenge.objects.filter(lab=lab, status=ChallengeStatus.SOLUTION_SELECTED)
        .select_related("owner")
        .order_by("reference")[:200]
    )
    return render(
        request,
        "procurement/lab_list.html",
        _lab_context(lab, "procurement", processes=processes, ready=ready),
    )


@login_required
@require_GET
def mine(request):
    processes = list(selectors.visible_processes(request.user)[:200])
    return render(request, "procurement/mine.html", {"processes": processes})


def _download(content, lab, extension: str) -> HttpResponse:
    content_type = (
        "text/csv; charset=utf-8"
        if extension == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="procurement-{lab.slug}-{stamp}.{extension}"'
    return response


def _export_rows(lab):
    return selectors.processes_for_lab(lab).prefetch_related("awards__supplier")


@login_required
@require_GET
def lab_export_csv(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    return _download(exports.processes_csv(lab, _export_rows(lab)), lab, "csv")


@login_required
@require_GET
def lab_export_xlsx(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    return _download(exports.processes_xlsx(lab, _export_rows(lab)), lab, "xlsx")


# --- Reference data ---------------------------------------------------------------------------------


def _procedure_form(request, lab, procedure=None):
    initial = None
    if procedure is not None:
        initial = {name: getattr(procedure, name) for name in PROCEDURE_FIELDS}
    return ProcedureForm(
        request.POST if request.method == "POST" else None,
        languages=lab.languages,
        prefix="procedure",
        instance=procedure,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedures(request, lab_slug):
    lab = _staff_lab(request, lab_slug)
    can_edit = request.user.has_perm("procurement.manage_reference", lab)
    form = _procedure_form(request, lab) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                procedure = services.procedure_save(lab=lab, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The procedure is added."))
                return redirect("procurement:procedure", lab_slug=lab.slug, pk=procedure.pk)
    rows = list(selectors.procedures_with_thresholds(lab, active_only=False))
    return render(
        request,
        "procurement/procedures.html",
        _lab_context(lab, "procurement", procedures=rows, form=form, can_edit=can_edit),
    )


def _threshold_form(request, lab, threshold=None, *, bound: bool):
    initial = None
    if threshold is not None:
        initial = {name: getattr(threshold, name) for name in THRESHOLD_FIELDS}
    return ThresholdForm(
        request.POST if bound else None,
        prefix="threshold",
        regimes=LegalRegime.objects.filter(lab=lab).order_by("pk"),
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure(request, lab_slug, pk):
    """A procedure: its form (the manager), its thresholds and the form that adds one."""
    lab = _staff_lab(request, lab_slug)
    item = ProcedureType.objects.filter(lab=lab, pk=pk).first()
    if item is None:
        raise Http404
    can_edit = request.user.has_perm("procurement.manage_reference", lab)
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = threshold_form = None
    if can_edit:
        form = _procedure_form(request, lab, item) if which == "procedure" else None
        form = form or ProcedureForm(
            languages=lab.languages,
            prefix="procedure",
            instance=item,
            initial={name: getattr(item, name) for name in PROCEDURE_FIELDS},
        )
        threshold_form = _threshold_form(request, lab, bound=which == "threshold")
    if which == "procedure" and form.is_valid():
        try:
            services.procedure_save(lab=lab, by=request.user, procedure=item, **form.cleaned_data)
        except ValidationError as error:
            item.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("The procedure is saved."))
            return redirect("procurement:procedure", lab_slug=lab.slug, pk=item.pk)
    if which == "threshold" and threshold_form.is_valid():
        try:
            services.threshold_save(procedure=item, by=request.user, **threshold_form.cleaned_data)
        except ValidationError as error:
            apply_errors(threshold_form, error)
        else:
            messages.success(request, _("The threshold is added."))
            return redirect("procurement:procedure", lab_slug=lab.slug, pk=item.pk)
    thresholds = Threshold.objects.filter(procedure=item).select_related("legal_regime")
    return render(
        request,
        "procurement/procedure.html",
        _lab_context(
            lab,
            "procurement",
            procedure=item,
            thresholds=thresholds,
            form=form,
            threshold_form=threshold_form,
            can_edit=can_edit,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def threshold(request, lab_slug, pk, threshold_pk):
    lab = _staff_lab(request, lab_slug)
    item = (
        Threshold.objects.filter(procedure__lab=lab, procedure_id=pk, pk=threshold_pk)
        .select_related("procedure", "legal_regime")
        .first()
    )
    if item is None:
        raise Http404
    if not request.user.has_perm("procurement.manage_reference", lab):
        raise PermissionDenied
    form = _threshold_form(request, lab, item, bound=request.method == "POST")
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_save(
                procedure=item.procedure, by=request.user, threshold=item, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The threshold is saved."))
            return redirect("procurement:procedure", lab_slug=lab.slug, pk=item.procedure_id)
    return render(
        request,
        "procurement/threshold.html",
        _lab_context(lab, "procurement", threshold=item, procedure=item.procedure, form=form),
    )


@login_required
@require_POST
def threshold_delete(request, lab_slug, pk, threshold_pk):
    lab = _staff_lab(request, lab_slug)
    item = Threshold.objects.filter(procedure__lab=lab, procedure_id=pk, pk=threshold_pk).first()
    if item is None:
        raise Http404
    if not request.user.has_perm("procurement.manage_reference", lab):
        raise PermissionDenied
    try:
        services.threshold_delete(threshold=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The threshold is removed."))
    return redirect("procurement:procedure", lab_slug=lab.slug, pk=pk)


# --- Routes and the start of a process ----------------------------------------------------------------


def _value_and_currency(request, challenge):
    default_value, default_currency = selectors.challenge_value(challenge)
    raw = (request.GET.get("value") or "").strip()
    currency = request.GET.get("currency") or default_currency
    if currency not in CURRENCIES:
        currency = default_currency
    if raw:
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            value = default_value
    else:
        value = default_value
    return value, currency


@login_required
@require_GET
def routes(request, reference):
    challenge = _challenge(request, reference)
    value, currency = _value_and_currency(request, challenge)
    options = selectors.route_options(challenge, value=value, currency=currency)
    live = selectors.live_process_for_challenge(challenge)
    return render(
        request,
        "procurement/routes.html",
        {
            "challenge": challenge,
            "lab": challenge.lab,
            "options": options,
            "value": value,
            "currency": currency,
            "currencies": CURRENCY_CHOICES,
            "can_start": challenge.status == ChallengeStatus.SOLUTION_SELECTED and live is None,
            "live": live,
            "today": selectors.lab_today(challenge.lab),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request, reference, procedure_pk):
    challenge = _challenge(request, reference)
    item = ProcedureType.objects.filter(lab=challenge.lab, pk=procedure_pk, is_active=True).first()
    if item is None:
        raise Http404
    value, currency = _value_and_currency(request, challenge)
    applications = services._selected_applications(challenge)
    co_buyers = services._co_buyer_candidates(challenge).order_by("name")
    form = ProcessCreateForm(
        request.POST if request.method == "POST" else None,
        applications=applications,
        co_buyers=co_buyers,
        initial={"estimated_value": value, "currency": currency, "applications": list(applications)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            process = services.process_create(
                challenge=challenge,
                procedure=item,
                by=request.user,
                estimated_value=data["estimated_value"],
                currency=data["currency"],
                route_justification=data["route_justification"],
                applications=list(data["applications"]),
                co_buyers=list(data.get("co_buyers") or []),
                title=data["title"],
                description=data["description"],
                tender_starts_on=data["tender_starts_on"],
                tender_ends_on=data["tender_ends_on"],
            )
        except ValidationError as error:
            apply_errors(form, error, {"procedure": "__all__"})
        else:
            messages.success(request, _("The procurement process is started."))
            return redirect("procurement:detail", pk=process.pk)
    if form.is_bound:
        value = _decimal_or(form.data.get("estimated_value"), value)
        currency = form.data.get("currency") if form.data.get("currency") in CURRENCIES else currency
    option = selectors.route_for(challenge, item, value=value, currency=currency)
    return render(
        request,
        "procurement/create.html",
        {"challenge": challenge, "lab": challenge.lab, "procedure": item, "form": form, "option": option},
    )


def _decimal_or(raw, default):
    try:
        return Decimal(str(raw).replace(",", "")) if raw not in (None, "") else default
    except InvalidOperation:
        return default


# --- A process ---------------------------------------------------------------------------------------


def _award_form(process, data=None):
    return AwardForm(data, applications=process.applications.all(), currency=process.currency, prefix="award")


@login_required
@require_GET
def detail(request, pk):
    process = _process(request, pk)
    awards = list(process.awards.all())
    contracts = selectors.contracts_by_award(awards)
    for award in awards:
        award.contract_found = contracts.get(award.pk)
    context = _process_context(request, process, awards=awards)
    if context["can_manage"] and process.status in ("planning", "tendering"):
        context["award_form"] = _award_form(process)
    return render(request, "procurement/detail.html", context)


@login_required
@require_POST
def award(request, pk):
    process = _process(request, pk, "manage")
    form = _award_form(process, request.POST)
    if form.is_valid():
        try:
            services.process_award(
                process=process,
                by=request.user,
                reasons=form.cleaned_data["reasons"],
                awards=form.awards(),
            )
        except ValidationError as error:
            apply_errors(form, error, {"awards": "__all__", **form.field_map()})
        else:
            messages.success(request, _("The award decision is recorded."))
            return redirect("procurement:detail", pk=process.pk)
    awards = list(process.awards.all())
    context = _process_context(request, process, awards=awards, award_form=form)
    return render(request, "procurement/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    process = _process(request, pk, "manage")
    co_buyers = services._co_buyer_candidates(process.challenge).order_by("name")
    form = ProcessEditForm(
        request.POST if request.method == "POST" else None,
        co_buyers=co_buyers,
        initial={
            "version": process.version,
            "title": process.title,
            "description": process.description,
            "tender_starts_on": process.tender_starts_on,
            "tender_ends_on": process.tender_ends_on,
            "co_buyers": list(process.co_buyers.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(process=process, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The process is saved."))
            return redirect("procurement:detail", pk=process.pk)
    return render(request, "procurement/edit.html", _process_context(request, process, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def step(request, pk, step_pk):
    process = _process(request, pk, "manage")
    item = ProcessStep.objects.filter(process=process, pk=step_pk).first()
    if item is None:
        raise Http404
    form = StepForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={
            "planned_on": item.planned_on,
            "done_on": item.done_on,
            "notes": item.notes,
            "document_is_public": item.document_is_public,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_save(step=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The step is saved."))
            return redirect(reverse("procurement:detail", args=[process.pk]) + f"#step-{item.pk}")
    return render(request, "procurement/step.html", _process_context(request, process, step=item, form=form))


@login_required
@require_GET
def step_document(request, pk, step_pk):
    """A step's document, for the people who see the process (public or not)."""
    process = _process(request, pk)
    item = ProcessStep.objects.filter(process=process, pk=step_pk).first()
    if item is None or not item.document:
        raise Http404
    return FileResponse(item.document.open("rb"), as_attachment=True, filename=item.document_name or None)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    process = _process(request, pk, "manage")
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.process_cancel(process=process, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The process is cancelled; the challenge is back to its selected solution.")
            )
            return redirect("procurement:detail", pk=process.pk)
    return render(request, "procurement/cancel.html", _process_context(request, process, form=form))
