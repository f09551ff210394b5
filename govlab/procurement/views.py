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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, LegalRegime
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.labs.models import CURRENCY_CHOICES
from govlab.labs.rules import runs_lab, team_lab_or_404

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

STATUS_LABELS = dict(ProcessStatus.choices)


# --- Fetch and authorise ----------------------------------------------------------------------------


def _data(request):
    """What the form is bound to: the post, or what was typed before the session ended (on the GET after
    signing in again, ``login_required_keeping_input``), or nothing."""
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _lab_context(lab, section: str, **extra) -> dict:
    return {"lab": lab, "current_lab": lab, "lab_section": section, **extra}


def _process(request, pk: int, perm: str = "view"):
    process = selectors.process_for(request.user, pk)
    if perm != "view" and not request.user.has_perm(f"procurement.{perm}", process):
        raise PermissionDenied
    return process


def _challenge(request, reference: str):
    challenge = selectors.challenge_for_routes(request.user, reference)
    if challenge is None:
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
        "is_team": runs_lab(request.user, process.lab),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "today": today,
        **extra,
    }


# --- The lab's processes ----------------------------------------------------------------------------


@login_required
@require_GET
def lab_list(request, lab_slug):
    lab = team_lab_or_404(request, lab_slug)
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
    return download(content, f"procurement-{lab.slug}", extension)


def _export_rows(lab):
    return selectors.processes_for_lab(lab).prefetch_related("awards__supplier")


@login_required
@require_GET
def lab_export_csv(request, lab_slug):
    lab = team_lab_or_404(request, lab_slug)
    return _download(exports.processes_csv(lab, _export_rows(lab)), lab, "csv")


@login_required
@require_GET
def lab_export_xlsx(request, lab_slug):
    lab = team_lab_or_404(request, lab_slug)
    return _download(exports.processes_xlsx(lab, _export_rows(lab)), lab, "xlsx")


# --- Reference data ---------------------------------------------------------------------------------


def _procedure_form(data, lab, procedure=None):
    initial = None
    if procedure is not None:
        initial = {name: getattr(procedure, name) for name in services.PROCEDURE_FIELDS}
    return ProcedureForm(
        data,
        languages=lab.languages,
        prefix="procedure",
        instance=procedure,
        initial=initial,
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def procedures(request, lab_slug):
    lab = team_lab_or_404(request, lab_slug)
    can_edit = request.user.has_perm("procurement.manage_reference", lab)
    form = _procedure_form(_data(request), lab) if can_edit else None
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


def _threshold_form(data, lab, threshold=None):
    initial = None
    if threshold is not None:
        initial = {name: getattr(threshold, name) for name in services.THRESHOLD_FIELDS}
    return ThresholdForm(
        data,
        prefix="threshold",
        regimes=LegalRegime.objects.filter(lab=lab).order_by("pk"),
        initial=initial,
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def procedure(request, lab_slug, pk):
    """A procedure: its form (the manager), its thresholds and the form that adds one."""
    lab = team_lab_or_404(request, lab_slug)
    item = ProcedureType.objects.filter(lab=lab, pk=pk).first()
    if item is None:
        raise Http404
    can_edit = request.user.has_perm("procurement.manage_reference", lab)
    posted = request.method == "POST"
    if posted and not can_edit:
        raise PermissionDenied
    data = _data(request) if can_edit else None
    which = data.get("form") if data else None
    form = threshold_form = None
    if can_edit:
        form = _procedure_form(data, lab, item) if which == "procedure" else None
        form = form or ProcedureForm(
            languages=lab.languages,
            prefix="procedure",
            instance=item,
            initial={name: getattr(item, name) for name in services.PROCEDURE_FIELDS},
        )
        threshold_form = _threshold_form(data if which == "threshold" else None, lab)
    if posted and which == "procedure" and form.is_valid():
        try:
            services.procedure_save(lab=lab, by=request.user, procedure=item, **form.cleaned_data)
        except ValidationError as error:
            item.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, _("The procedure is saved."))
            return redirect("procurement:procedure", lab_slug=lab.slug, pk=item.pk)
    if posted and which == "threshold" and threshold_form.is_valid():
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


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def threshold(request, lab_slug, pk, threshold_pk):
    lab = team_lab_or_404(request, lab_slug)
    item = (
        Threshold.objects.filter(procedure__lab=lab, procedure_id=pk, pk=threshold_pk)
        .select_related("procedure", "legal_regime")
        .first()
    )
    if item is None:
        raise Http404
    if not request.user.has_perm("procurement.manage_reference", lab):
        raise PermissionDenied
    form = _threshold_form(_data(request), lab, item)
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


@login_required_keeping_input(
    return_to=lambda request, lab_slug, pk, threshold_pk: reverse(
        "procurement:procedure", args=[lab_slug, pk]
    )
)
@require_POST
def threshold_delete(request, lab_slug, pk, threshold_pk):
    lab = team_lab_or_404(request, lab_slug)
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


def _amount_or(raw, default):
    """A typed amount ("180,000" too), or ``default`` when it is empty or not an amount."""
    try:
        value = selectors.parse_amount(str(raw or "").replace(",", ""))
    except ValueError:
        return default
    return default if value is None else value


def _value_and_currency(data, challenge):
    """The value and currency a route is judged on: as asked in ``data``, else the challenge's."""
    default_value, default_currency = selectors.challenge_value(challenge)
    currency = data.get("currency")
    return (
        _amount_or(data.get("value"), default_value),
        currency if currency in services.CURRENCIES else default_currency,
    )


@login_required
@require_GET
def routes(request, reference):
    challenge = _challenge(request, reference)
    value, currency = _value_and_currency(request.GET, challenge)
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


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def create(request, reference, procedure_pk):
    challenge = _challenge(request, reference)
    item = ProcedureType.objects.filter(lab=challenge.lab, pk=procedure_pk, is_active=True).first()
    if item is None:
        raise Http404
    value, currency = _value_and_currency(request.GET, challenge)
    applications = services._selected_applications(challenge)
    co_buyers = services._co_buyer_candidates(challenge).order_by("name")
    form = ProcessCreateForm(
        _data(request),
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
        value = _amount_or(form.data.get("estimated_value"), value)
        typed = form.data.get("currency")
        currency = typed if typed in services.CURRENCIES else currency
    option = selectors.route_for(challenge, item, value=value, currency=currency)
    return render(
        request,
        "procurement/create.html",
        {"challenge": challenge, "lab": challenge.lab, "procedure": item, "form": form, "option": option},
    )


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
        kept = restore_kept_input(request, posted_to=reverse("procurement:award", args=[process.pk]))
        context["award_form"] = _award_form(process, kept)
    return render(request, "procurement/detail.html", context)


@login_required_keeping_input(return_to="procurement:detail")
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


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    process = _process(request, pk, "manage")
    co_buyers = services._co_buyer_candidates(process.challenge).order_by("name")
    form = ProcessEditForm(
        _data(request),
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


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def step(request, pk, step_pk):
    process = _process(request, pk, "manage")
    item = ProcessStep.objects.filter(process=process, pk=step_pk).first()
    if item is None:
        raise Http404
    form = StepForm(
        _data(request),
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


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    process = _process(request, pk, "manage")
    form = CancelForm(_data(request))
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
