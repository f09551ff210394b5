"""The lab's evaluation pages: the panel, assignment, the dashboard, the ranking board, consensus,
preselection, feedback letters and the score exports.

Every page is for the lab's team (manager or staff) of the call's lab. The lab and the call are fetched and
authorised in one step: another lab's call, a call that does not exist, or a lab the person does not run
all answer 404 alike; anonymous people are sent to sign in. Writes go through ``services``; a service's
refusal is shown on the form that caused it, at the field, with everything typed kept.

Lab staff always see who applied. Even so, the ranking board only sorts by what blind mode may show
(rank, reference, number of reviews, spread), never by organisation, so the orders are the same the
evaluators could see. Lists stay at a fixed number of queries whatever the number of applications.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.calls.enums import ApplicationStatus, Stage
from govlab.calls.models import Application, Call
from govlab.calls.services import local_time_label
from govlab.challenges.enums import ChallengeStatus
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.core.i18n import pick
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff

from . import aggregation, services
from .enums import ReviewStatus
from .exports import ranking_csv, ranking_xlsx, scores_csv, scores_xlsx
from .forms_lab import (
    SORTS,
    ConsensusForm,
    EvaluatorAddForm,
    FeedbackPrepareForm,
    FeedbackTemplateForm,
    PhaseForm,
    PreselectionForm,
    RankingFilterForm,
    SettingsForm,
    apply_errors,
)
from .models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    Evaluator,
    FeedbackLetter,
    FeedbackTemplate,
    PreselectionDecision,
    Review,
    ReviewPhase,
)

PAGE_SIZE = 50
RANKING_PAGE_SIZE = 100  # rows of one challenge per page of the ranking board
SORT_KEYS = {value for value, _label in SORTS}


# --- Fetch and authorise -----------------------------------------------------------------------


def _staff_call(request, lab_slug: str, pk: int) -> Call:
    """The call, if this person runs its lab; 404 otherwise, as if it did not exist."""
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not is_lab_staff(request.user, lab):
        raise Http404
    request.lab = lab
    call = Call.objects.filter(lab=lab, pk=pk).first()
    if call is None:
        raise Http404
    call.lab = lab
    if not request.user.has_perm("evaluation.manage", call):
        raise Http404
    return call


def _application(call, reference: str) -> Application:
    application = (
        Application.objects.filter(call=call, reference=reference, status=ApplicationStatus.SUBMITTED)
        .select_related("organisation", "challenge")
        .first()
    )
    if application is None:
        raise Http404
    application.call = call
    return application


def _context(call, tab: str, **extra) -> dict:
    return {
        "lab": call.lab,
        "current_lab": call.lab,
        "lab_section": "calls",
        "call": call,
        "tab": tab,
        "deadline_label": local_time_label(call.deadline, call),
        **extra,
    }


def _url(call, name: str, *args) -> str:
    return reverse(f"evaluation:{name}", args=[call.lab.slug, call.pk, *args])


def _data(request):
    """What the form is bound to: the POST (even empty), or the input kept across a sign-in, or nothing."""
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _evaluator_name(evaluator) -> str:
    return getattr(evaluator.user, "full_name", "") or evaluator.user.email


def _challenges(call):
    return call.challenges.order_by("reference")


def _evaluation_stage(call) -> str:
    """The stage the lab evaluates and preselects: the expression of interest in a two-stage call."""
    return Stage.EXPRESSION_OF_INTEREST if call.two_stage else Stage.PROPOSAL


# --- The panel ---------------------------------------------------------------------------------


def _panel_page(request, call, settings_form):
    lab = call.lab
    settings_row = services.settings_for(call)
    phases = list(ReviewPhase.objects.filter(call=call).order_by("position", "pk"))
    evaluators = list(
        Evaluator.objects.filter(call=call)
        .select_related("user")
        .prefetch_related("expertise")
        .order_by("removed_at", "user__full_name", "user__email", "pk")
    )
    load = Counter(
        Assignment.objects.filter(evaluator__call=call, withdrawn_at__isnull=True).values_list(
            "evaluator_id", flat=True
        )
    )
    declared, conflicts = Counter(), Counter()
    for evaluator_id, has_conflict in ConflictDeclaration.objects.filter(evaluator__call=call).values_list(
        "evaluator_id", "has_conflict"
    ):
        declared[evaluator_id] += 1
        conflicts[evaluator_id] += bool(has_conflict)
    for evaluator in evaluators:
        evaluator.name = _evaluator_name(evaluator)
        evaluator.load = load.get(evaluator.pk, 0)
        evaluator.declared = declared.get(evaluator.pk, 0)
        evaluator.conflicts = conflicts.get(evaluator.pk, 0)
        evaluator.expertise_names = [
            pick(t.name, preferred=lab.languages).text or t.code for t in evaluator.expertise.all()
        ]
    return render(
        request,
        "evaluation/lab/panel.html",
        _context(
            call,
            "panel",
            settings_form=settings_form,
            settings_row=settings_row,
            review_deadline_label=(
                local_time_label(settings_row.review_deadline, call) if settings_row.review_deadline else ""
            ),
            phases=phases,
            evaluators=[e for e in evaluators if e.removed_at is None],
            removed=[e for e in evaluators if e.removed_at is not None],
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def panel(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    settings_row = services.settings_for(call)
    data = _data(request)
    form = SettingsForm(data, call=call, settings=settings_row, prefix="settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(
                call=call,
                by=request.user,
                reviews_per_application=form.cleaned_data["reviews_per_application"],
                prefer_expertise=form.cleaned_data["prefer_expertise"],
                disagreement_threshold=form.cleaned_data["disagreement_threshold"],
                review_deadline=form.cleaned_data["review_deadline"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The evaluation settings are saved."))
            return redirect(_url(call, "lab_panel"))
    return _panel_page(request, call, form)


def _phase_page(request, call, form, phase=None):
    return render(request, "evaluation/lab/phase_form.html", _context(call, "panel", form=form, phase=phase))


def _save_phase(request, call, form, phase=None):
    try:
        return services.phase_save(
            call=call,
            by=request.user,
            phase=phase,
            name=form.cleaned_data["name"],
            can_review=form.cleaned_data["can_review"],
            see_others=form.cleaned_data["see_others"],
            identities_visible=form.cleaned_data["identities_visible"],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def phase_create(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    data = _data(request)
    form = PhaseForm(data, lab=call.lab, prefix="phase")
    if request.method == "POST" and form.is_valid() and _save_phase(request, call, form) is not None:
        messages.success(request, _("The review phase is added. Activate it when it starts."))
        return redirect(_url(call, "lab_panel") + "#phases-title")
    return _phase_page(request, call, form)


def _phase(request, lab_slug, pk, phase_pk):
    call = _staff_call(request, lab_slug, pk)
    phase = ReviewPhase.objects.filter(call=call, pk=phase_pk).first()
    if phase is None:
        raise Http404
    phase.call = call
    return call, phase


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def phase_edit(request, lab_slug, pk, phase_pk):
    call, phase = _phase(request, lab_slug, pk, phase_pk)
    data = _data(request)
    form = PhaseForm(data, lab=call.lab, phase=phase, prefix="phase")
    if request.method == "POST" and form.is_valid():
        if _save_phase(request, call, form, phase) is not None:
            messages.success(request, _("The review phase is saved."))
            return redirect(_url(call, "lab_panel") + "#phases-title")
        phase.refresh_from_db()
    return _phase_page(request, call, form, phase)


@login_required
@require_POST
def phase_activate(request, lab_slug, pk, phase_pk):
    call, phase = _phase(request, lab_slug, pk, phase_pk)
    try:
        services.phase_activate(phase=phase, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("“%(phase)s” is now the active review phase.")
            % {"phase": pick(phase.name, preferred=call.lab.languages).text},
        )
    return redirect(_url(call, "lab_panel") + "#phases-title")


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def evaluator_add(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    data = _data(request)
    form = EvaluatorAddForm(data, call=call, prefix="evaluator")
    if request.method == "POST" and form.is_valid():
        try:
            evaluator = services.evaluator_add(
                call=call,
                user=form.cleaned_data["member"],
                role=form.cleaned_data["role"],
                expertise=form.expertise(),
                added_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error, field_map={"user": "member", "expertise": "sectors"})
        else:
            messages.success(
                request,
                _("%(name)s is on the panel and is told.") % {"name": _evaluator_name(evaluator)},
            )
            return redirect(_url(call, "lab_panel") + "#evaluators-title")
    return render(request, "evaluation/lab/evaluator_add.html", _context(call, "panel", form=form))


@login_required
@require_http_methods(["GET", "POST"])
def evaluator_remove(request, lab_slug, pk, evaluator_pk):
    call = _staff_call(request, lab_slug, pk)
    evaluator = (
        Evaluator.objects.filter(call=call, pk=evaluator_pk, removed_at__isnull=True)
        .select_related("user")
        .first()
    )
    if evaluator is None:
        raise Http404
    evaluator.call = call
    if request.method == "POST":
        try:
            services.evaluator_remove(evaluator=evaluator, removed_by=request.user)
        except ValidationError as error:
            _refusal(request, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is removed from the panel. Their unfinished assignments are withdrawn; "
                    "their submitted reviews are kept."
                )
                % {"name": _evaluator_name(evaluator)},
            )
        return redirect(_url(call, "lab_panel") + "#evaluators-title")
    active = Assignment.objects.filter(evaluator=evaluator, withdrawn_at__isnull=True)
    return render(
        request,
        "evaluation/lab/evaluator_remove.html",
        _context(
            call,
            "panel",
            evaluator=evaluator,
            name=_evaluator_name(evaluator),
            open_assignments=active.exclude(review__status=ReviewStatus.SUBMITTED).count(),
            submitted=active.filter(review__status=ReviewStatus.SUBMITTED).count(),
        ),
    )


# --- Assignment --------------------------------------------------------------------------------


def _submitted_applications(call):
    return (
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("organisation", "challenge")
        .order_by("challenge__reference", "reference")
    )


@login_required
@require_GET
def assignments(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    needed = services.settings_for(call).reviews_per_application
    evaluators = list(
        Evaluator.objects.filter(call=call, removed_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    for evaluator in evaluators:
        evaluator.name = _evaluator_name(evaluator)
    names = {e.pk: e.name for e in evaluators}
    page = Paginator(_submitted_applications(call), PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [application.pk for application in page]
    by_application = defaultdict(list)
    for assignment in (
        Assignment.objects.filter(
            application_id__in=ids, withdrawn_at__isnull=True, evaluator__removed_at__isnull=True
        )
        .select_related("review")
        .order_by("pk")
    ):
        by_application[assignment.application_id].append(assignment)
    conflicted = defaultdict(set)
    for evaluator_id, application_id in ConflictDeclaration.objects.filter(
        application_id__in=ids, has_conflict=True
    ).values_list("evaluator_id", "application_id"):
        conflicted[application_id].add(evaluator_id)
    rows = []
    for application in page:
        current = by_application.get(application.pk, [])
        for assignment in current:
            assignment.name = names.get(assignment.evaluator_id, "")
            review = getattr(assignment, "review", None)
            assignment.submitted = review is not None and review.status == ReviewStatus.SUBMITTED
        mine = {a.evaluator_id: a for a in current}
        refused = conflicted.get(application.pk, set())
        gap = max(needed - len(current), 0)
        rows.append(
            {
                "application": application,
                "gap": gap,
                "cells": [
                    {"evaluator": e, "assignment": mine.get(e.pk), "conflict": e.pk in refused}
                    for e in evaluators
                ],
                "choices": [e for e in evaluators if e.pk not in mine and e.pk not in refused],
            }
        )
    gaps = services.assignment_gaps(call)
    return render(
        request,
        "evaluation/lab/assignments.html",
        _context(
            call,
            "assignments",
            needed=needed,
            evaluators=evaluators,
            rows=rows,
            page=page,
            gap_applications=len(gaps),
            gap_total=sum(gaps.values()),
        ),
    )


@login_required
@require_POST
def assign(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    application_id, evaluator_id = request.POST.get("application", ""), request.POST.get("evaluator", "")
    application = (
        Application.objects.filter(call=call, pk=application_id).first() if application_id.isdigit() else None
    )
    evaluator = (
        Evaluator.objects.filter(call=call, pk=evaluator_id).select_related("user").first()
        if evaluator_id.isdigit()
        else None
    )
    back = _url(call, "lab_assignments")
    if application is None:
        raise Http404
    application.call = call
    if evaluator is None:
        messages.error(
            request, _("Choose an evaluator for %(reference)s.") % {"reference": application.reference}
        )
        return redirect(back + f"#application-{application.pk}")
    try:
        services.assign(application=application, evaluator=evaluator, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is assigned to %(reference)s.")
            % {"name": _evaluator_name(evaluator), "reference": application.reference},
        )
    return redirect(back + f"#application-{application.pk}")


@login_required
@require_POST
def unassign(request, lab_slug, pk, assignment_pk):
    call = _staff_call(request, lab_slug, pk)
    assignment = (
        Assignment.objects.filter(application__call=call, pk=assignment_pk, withdrawn_at__isnull=True)
        .select_related("application", "evaluator", "evaluator__user")
        .first()
    )
    if assignment is None:
        raise Http404
    assignment.application.call = call
    try:
        services.unassign(assignment=assignment, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is no longer assigned to %(reference)s.")
            % {"name": _evaluator_name(assignment.evaluator), "reference": assignment.application.reference},
        )
    return redirect(_url(call, "lab_assignments") + f"#application-{assignment.application_id}")


@login_required
@require_POST
def assign_automatically(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    try:
        created = services.assign_automatically(call=call, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        left = services.assignment_gaps(call)
        if created:
            text = _("%(count)d assignments were created.") % {"count": created}
        else:
            text = _("No assignment was created.")
        if left:
            text += " " + _(
                "%(applications)d applications still lack evaluators: add evaluators to the panel."
            ) % {"applications": len(left)}
            messages.warning(request, text)
        else:
            messages.success(request, text)
    return redirect(_url(call, "lab_assignments"))


# --- The dashboard -----------------------------------------------------------------------------


@login_required
@require_GET
def dashboard(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    settings_row = services.settings_for(call)
    needed = settings_row.reviews_per_application
    phase = services.active_phase(call)
    evaluators = list(
        Evaluator.objects.filter(call=call, removed_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    names = {}
    for evaluator in evaluators:
        evaluator.name = names[evaluator.pk] = _evaluator_name(evaluator)
    # Per evaluator, in three grouped queries.
    assigned = Counter(
        Assignment.objects.filter(evaluator__call=call, withdrawn_at__isnull=True).values_list(
            "evaluator_id", flat=True
        )
    )
    declared = {
        row["evaluator_id"]: row["n"]
        for row in ConflictDeclaration.objects.filter(evaluator__call=call)
        .values("evaluator_id")
        .annotate(n=Count("pk"))
    }
    by_status = {
        (row["evaluator_id"], row["status"]): row["n"]
        for row in Review.objects.filter(evaluator__call=call, assignment__withdrawn_at__isnull=True)
        .values("evaluator_id", "status")
        .annotate(n=Count("pk"))
    }
    for evaluator in evaluators:
        evaluator.assigned = assigned.get(evaluator.pk, 0)
        evaluator.declared = declared.get(evaluator.pk, 0)
        evaluator.drafts = by_status.get((evaluator.pk, ReviewStatus.DRAFT), 0)
        evaluator.submitted = by_status.get((evaluator.pk, ReviewStatus.SUBMITTED), 0)
        evaluator.missing = max(evaluator.assigned - evaluator.submitted, 0)
    # The ranking gives the disagreement flags of every application in a fixed number of queries.
    flags = {row.application_id: row for row in aggregation.ranking(call)}
    applications = _submitted_applications(call)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [application.pk for application in page]
    active_ids = set(names)
    open_assignments = defaultdict(list)
    for evaluator_id, application_id in Assignment.objects.filter(
        application_id__in=ids, withdrawn_at__isnull=True
    ).values_list("evaluator_id", "application_id"):
        if evaluator_id in active_ids:
            open_assignments[application_id].append(evaluator_id)
    submitted = defaultdict(set)
    drafts = defaultdict(set)
    for evaluator_id, application_id, status in Review.objects.filter(application_id__in=ids).values_list(
        "evaluator_id", "application_id", "status"
    ):
        (submitted if status == ReviewStatus.SUBMITTED else drafts)[application_id].add(evaluator_id)
    declarations = defaultdict(dict)
    for evaluator_id, application_id, has_conflict in ConflictDeclaration.objects.filter(
        application_id__in=ids
    ).values_list("evaluator_id", "application_id", "has_conflict"):
        declarations[application_id][evaluator_id] = has_conflict
    rows = []
    for application in page:
        missing = []
        for evaluator_id in open_assignments.get(application.pk, []):
            if evaluator_id in submitted[application.pk]:
                continue
            declared_here = declarations[application.pk].get(evaluator_id)
            if evaluator_id in drafts[application.pk]:
                state = _("draft")
            elif declared_here is None:
                state = _("conflict of interest not declared")
            else:
                state = _("not started")
            missing.append({"name": names.get(evaluator_id, ""), "state": state})
        row = flags.get(application.pk)
        rows.append(
            {
                "application": application,
                "submitted": len(submitted[application.pk]),
                "needed": needed,
                "assigned": len(open_assignments.get(application.pk, [])),
                "conflicts": sum(1 for value in declarations[application.pk].values() if value),
                "disagreement": bool(row and row.disagreement),
                "stdev": row.stdev if row else None,
                "missing": missing,
            }
        )
    gaps = services.assignment_gaps(call)
    total_missing = sum(e.missing for e in evaluators)
    return render(
        request,
        "evaluation/lab/dashboard.html",
        _context(
            call,
            "dashboard",
            settings_row=settings_row,
            phase=phase,
            review_deadline_label=(
                local_time_label(settings_row.review_deadline, call) if settings_row.review_deadline else ""
            ),
            evaluators=evaluators,
            rows=rows,
            page=page,
            summary={
                "applications": len(flags),
                "gap_applications": len(gaps),
                "gap_total": sum(gaps.values()),
                "missing": total_missing,
                "disagreements": sum(1 for row in flags.values() if row.disagreement),
                "conflicts": ConflictDeclaration.objects.filter(
                    application__call=call, has_conflict=True
                ).count(),
            },
        ),
    )


# --- The ranking board -------------------------------------------------------------------------


def ranked_by_challenge(call, challenges) -> list[dict]:
    """[{"challenge", "rows"}] with ranks within each challenge, from one ranking of the whole call."""
    rows = aggregation.ranking(call)
    by_challenge = defaultdict(list)
    for row in rows:
        by_challenge[row.challenge_id].append(row)
    result = []
    for challenge in challenges:
        mine = by_challenge.get(challenge.pk, [])
        rank = 0
        for row in mine:  # already sorted by final score, then reference
            if row.final is not None:
                rank += 1
                row.rank = rank
            else:
                row.rank = None
        result.append({"challenge": challenge, "rows": mine})
    return result


def _sorted(rows, sort: str):
    if sort == "reference":
        return sorted(rows, key=lambda row: row.reference)
    if sort == "reviews":
        return sorted(rows, key=lambda row: (row.n_reviews, row.reference))
    if sort == "spread":
        return sorted(rows, key=lambda row: (row.stdev is None, -(row.stdev or 0), row.reference))
    return rows


@login_required
@require_GET
def ranking(request, lab_slug, pk):
    """One challenge at a time (the first by default), its rows paginated; ranks are within the challenge."""
    call = _staff_call(request, lab_slug, pk)
    challenges = list(_challenges(call))
    first = challenges[0] if challenges else None
    filters = RankingFilterForm(
        request.GET or None, challenges=_challenges(call), initial={"challenge": first and first.pk}
    )
    cleaned = {}
    if filters.is_bound:
        filters.is_valid()
        cleaned = filters.cleaned_data
    # Each field stands alone: an unknown order falls back to the rank, an unknown challenge to the first.
    chosen = cleaned.get("challenge") or first
    sort = cleaned.get("sort") or "rank"
    groups = ranked_by_challenge(call, [c for c in challenges if chosen is not None and c.pk == chosen.pk])
    for group in groups:
        page = Paginator(_sorted(group["rows"], sort), RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = [row.application_id for row in page.object_list]
        organisations = dict(Application.objects.filter(pk__in=shown).values_list("pk", "organisation__name"))
        decided = set(
            PreselectionDecision.objects.filter(application_id__in=shown, selected=True).values_list(
                "application_id", flat=True
            )
        )
        for row in page.object_list:
            row.organisation = organisations.get(row.application_id, "")
            row.preselected = row.application_id in decided
        group["page"] = page
        group["rows"] = page.object_list
        group["decidable"] = group["challenge"].status == ChallengeStatus.IN_CALL
    query = urlencode({"challenge": chosen.pk, "sort": sort}) if chosen is not None else ""
    return render(
        request,
        "evaluation/lab/ranking.html",
        _context(
            call,
            "ranking",
            groups=groups,
            filters=filters,
            sort=sort,
            query=query,
            threshold=services.settings_for(call).disagreement_threshold,
        ),
    )


# --- Consensus ---------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def consensus(request, lab_slug, pk, reference):
    call = _staff_call(request, lab_slug, pk)
    application = _application(call, reference)
    languages = call.lab.languages
    criteria = list(call.criteria.order_by("position", "pk"))
    existing = {
        score.criterion_id: score
        for score in ConsensusScore.objects.filter(application=application).select_related("set_by")
    }
    data = _data(request)
    form = ConsensusForm(data, criteria=criteria, existing=existing, languages=languages, prefix="consensus")
    if request.method == "POST" and form.is_valid():
        saved = 0
        with transaction.atomic():  # all the criteria or none
            for criterion in form.cleared():
                if criterion.pk in existing:
                    services.consensus_clear(application=application, criterion=criterion, by=request.user)
                    saved += 1
            for criterion, score, rationale in form.changed_scores(existing):
                try:
                    services.consensus_set(
                        application=application,
                        criterion=criterion,
                        score=score,
                        rationale=rationale,
                        by=request.user,
                    )
                except ValidationError as error:
                    apply_errors(
                        form,
                        error,
                        field_map={
                            "score": f"score_{criterion.pk}",
                            "rationale": f"rationale_{criterion.pk}",
                        },
                    )
                else:
                    saved += 1
            if form.errors:
                transaction.set_rollback(True)
        if not form.errors:
            if saved:
                messages.success(request, _("The consensus scores are saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(_url(call, "lab_ranking") + f"?challenge={application.challenge_id}")
    reviews = list(
        Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED)
        .select_related("evaluator", "evaluator__user")
        .order_by("pk")
    )
    table = []
    for criterion, score_field, rationale_field, clear_field in form.rows():
        values = [r.scores.get(str(criterion.pk)) for r in reviews]
        given = [v for v in values if v is not None]
        table.append(
            {
                "criterion": criterion,
                "name": pick(criterion.name, preferred=languages).text,
                "weight": criterion.weight,
                "values": [_("n/a") if v is None else v for v in values],
                "mean": (Decimal(sum(given)) / len(given)).quantize(Decimal("0.01")) if given else None,
                "consensus": existing.get(criterion.pk),
                "score_field": score_field,
                "rationale_field": rationale_field,
                "clear_field": clear_field,
            }
        )
    row = next(
        (r for r in aggregation.ranking(call, application.challenge) if r.application_id == application.pk),
        None,
    )
    return render(
        request,
        "evaluation/lab/consensus.html",
        _context(
            call,
            "ranking",
            application=application,
            form=form,
            table=table,
            reviewers=[_evaluator_name(r.evaluator) for r in reviews],
            row=row,
        ),
    )


# --- Preselection ------------------------------------------------------------------------------


@login_required
@require_GET
def preselection_index(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    stage = _evaluation_stage(call)
    counts = Counter(
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED, stage=stage).values_list(
            "challenge_id", flat=True
        )
    )
    chosen = Counter(
        PreselectionDecision.objects.filter(application__call=call, selected=True).values_list(
            "application__challenge_id", flat=True
        )
    )
    decided = set(
        PreselectionDecision.objects.filter(application__call=call).values_list(
            "application__challenge_id", flat=True
        )
    )
    items = [
        {
            "challenge": challenge,
            "applications": counts.get(challenge.pk, 0),
            "selected": chosen.get(challenge.pk, 0),
            "decided": challenge.pk in decided,
        }
        for challenge in _challenges(call)
    ]
    return render(
        request,
        "evaluation/lab/preselection_index.html",
        _context(call, "preselection", items=items, outcomes=_outcome_counts(call)),
    )


def _outcome_counts(call) -> list[dict]:
    from .enums import OutcomeReason

    counts = services.outcome_counts(call)
    return [
        {"label": label, "count": counts.get(value, 0)}
        for value, label in OutcomeReason.choices
        if counts.get(value)
    ]


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def preselection(request, lab_slug, pk, challenge_pk):
    call = _staff_call(request, lab_slug, pk)
    challenge = call.challenges.filter(pk=challenge_pk).first()
    if challenge is None:
        raise Http404
    stage = _evaluation_stage(call)
    groups = ranked_by_challenge(call, [challenge])
    ranked = {row.application_id: row for row in groups[0]["rows"]}
    applications = list(
        Application.objects.filter(
            call=call, challenge=challenge, status=ApplicationStatus.SUBMITTED, stage=stage
        ).select_related("organisation")
    )
    order = {row.application_id: index for index, row in enumerate(groups[0]["rows"])}
    applications.sort(key=lambda a: (order.get(a.pk, len(order)), a.reference))
    for application in applications:
        application.row = ranked.get(application.pk)
    existing = {
        d.application_id: d
        for d in PreselectionDecision.objects.filter(application__in=applications).select_related(
            "decided_by"
        )
    }
    decided = bool(existing) or challenge.status != ChallengeStatus.IN_CALL
    data = _data(request) if not decided else (restore_kept_input(request) or None)
    form = PreselectionForm(
        data,
        applications=applications,
        max_selected=call.max_preselected,
        existing=existing,
        prefix="preselect",
    )
    if request.method == "POST" and not decided and applications and form.is_valid():
        try:
            services.preselect(call=call, challenge=challenge, decisions=form.decisions(), by=request.user)
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            selected = sum(1 for d in form.decisions().values() if d["selected"])
            messages.success(
                request,
                _("The decision is recorded: %(count)d of %(total)d applications preselected.")
                % {"count": selected, "total": len(applications)},
            )
            return redirect(_url(call, "lab_preselection", challenge.pk))
    return render(
        request,
        "evaluation/lab/preselection.html",
        _context(
            call,
            "preselection",
            challenge=challenge,
            form=form,
            rows=[
                {
                    "application": application,
                    "row": application.row,
                    "decision": existing.get(application.pk),
                    "fields": fields,
                }
                for application, *fields in form.rows()
            ],
            decided=decided,
            already=challenge.status != ChallengeStatus.IN_CALL and not existing,
            max_selected=call.max_preselected,
        ),
    )


# --- Feedback ----------------------------------------------------------------------------------


def _letters(call):
    return (
        FeedbackLetter.objects.filter(application__call=call)
        .select_related("application", "application__organisation", "application__challenge")
        .order_by("application__challenge__reference", "application__reference")
    )


@login_required
@require_GET
def feedback(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    lab = call.lab
    templates = {t.language: t for t in FeedbackTemplate.objects.filter(lab=lab)}
    letters = list(_letters(call))
    for letter in letters:
        letter.sent_label = local_time_label(letter.sent_at, call) if letter.sent_at else ""
    return render(
        request,
        "evaluation/lab/feedback.html",
        _context(
            call,
            "feedback",
            languages=[{"code": code, "template": templates.get(code)} for code in lab.languages],
            letters=letters,
            unsent=[letter for letter in letters if letter.sent_at is None],
            decided=PreselectionDecision.objects.filter(application__call=call).count(),
            outcomes=_outcome_counts(call),
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def feedback_template(request, lab_slug, pk, language):
    call = _staff_call(request, lab_slug, pk)
    lab = call.lab
    if language not in (lab.languages or []):
        raise Http404
    template = FeedbackTemplate.objects.filter(lab=lab, language=language).first()
    initial = (
        {"subject": template.subject, "body": template.body}
        if template
        else {"subject": str(services.DEFAULT_SUBJECT), "body": str(services.DEFAULT_BODY)}
    )
    data = _data(request)
    form = FeedbackTemplateForm(
        data, placeholders=services.FEEDBACK_PLACEHOLDERS, initial=initial, prefix="template"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_template_save(
                lab=lab,
                language=language,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The letter template is saved."))
            return redirect(_url(call, "lab_feedback"))
    return render(
        request,
        "evaluation/lab/feedback_template.html",
        _context(
            call,
            "feedback",
            form=form,
            language=language,
            template=template,
            placeholders=["{" + name + "}" for name in services.FEEDBACK_PLACEHOLDERS],
        ),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def feedback_prepare(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    decided_ids = list(
        PreselectionDecision.objects.filter(application__call=call).values_list("application_id", flat=True)
    )
    sent = set(
        FeedbackLetter.objects.filter(application_id__in=decided_ids, sent_at__isnull=False).values_list(
            "application_id", flat=True
        )
    )
    applications = list(
        Application.objects.filter(pk__in=[pk_ for pk_ in decided_ids if pk_ not in sent])
        .select_related("organisation", "challenge")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(status=ReviewStatus.SUBMITTED)
                .select_related("evaluator__user")
                .order_by("pk"),
                to_attr="submitted_reviews",
            )
        )
        .order_by("challenge__reference", "reference")
    )
    reviews = [review for application in applications for review in application.submitted_reviews]
    letters = {
        letter.application_id: letter
        for letter in FeedbackLetter.objects.filter(application_id__in=[a.pk for a in applications])
    }
    initial = {
        "released": [
            str(review_id) for letter in letters.values() for review_id in (letter.released_review_ids or [])
        ]
    }
    data = _data(request)
    form = FeedbackPrepareForm(
        data, challenges=_challenges(call), reviews=reviews, initial=initial, prefix="prepare"
    )
    if request.method == "POST" and form.is_valid():
        try:
            prepared = services.feedback_prepare(
                call=call,
                by=request.user,
                challenge=form.cleaned_data["challenge"],
                released_review_ids=form.released_ids(),
            )
        except ValidationError as error:
            apply_errors(form, error, field_map={"released_review_ids": "released"})
        else:
            messages.success(
                request,
                _("%(count)d letters are ready. Read them before you send them.") % {"count": len(prepared)},
            )
            return redirect(_url(call, "lab_feedback"))
    chosen = set(form["released"].value() or [])
    languages = call.lab.languages
    criteria = list(call.criteria.order_by("position", "pk"))
    groups = []
    for application in applications:
        items = []
        for number, review in enumerate(application.submitted_reviews, start=1):
            items.append(
                {
                    "review": review,
                    "label": _("Evaluator %(number)d") % {"number": number},
                    "name": _evaluator_name(review.evaluator),
                    "checked": str(review.pk) in chosen,
                    "comments": [
                        {
                            "criterion": pick(criterion.name, preferred=languages).text,
                            "text": (review.comments or {}).get(str(criterion.pk)),
                        }
                        for criterion in criteria
                        if (review.comments or {}).get(str(criterion.pk))
                    ],
                }
            )
        groups.append({"application": application, "reviews": items, "letter": letters.get(application.pk)})
    return render(
        request,
        "evaluation/lab/feedback_prepare.html",
        _context(call, "feedback", form=form, groups=groups, sent_count=len(sent)),
    )


@login_required
@require_GET
def feedback_letter(request, lab_slug, pk, letter_pk):
    call = _staff_call(request, lab_slug, pk)
    letter = _letters(call).filter(pk=letter_pk).first()
    if letter is None:
        raise Http404
    return render(
        request,
        "evaluation/lab/feedback_letter.html",
        _context(
            call,
            "feedback",
            letter=letter,
            sent_label=local_time_label(letter.sent_at, call) if letter.sent_at else "",
        ),
    )


@login_required
@require_POST
def feedback_send(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    wanted = [value for value in request.POST.getlist("letters") if value.isdigit()]
    letters = list(FeedbackLetter.objects.filter(application__call=call, sent_at__isnull=True, pk__in=wanted))
    if not letters:
        messages.error(request, _("Choose the letters to send."))
        return redirect(_url(call, "lab_feedback"))
    try:
        sent = services.feedback_send(letters=letters, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(count)d letters are sent; the applicants are told.") % {"count": sent},
        )
    return redirect(_url(call, "lab_feedback"))


# --- Exports -----------------------------------------------------------------------------------


def _download(content, call, name: str, extension: str) -> HttpResponse:
    return download(content, f"{call.lab.slug}-{call.slug}-{name}", extension)


@login_required
@require_GET
def export_scores_csv(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    return _download(scores_csv(call), call, "scores", "csv")


@login_required
@require_GET
def export_scores_xlsx(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    return _download(scores_xlsx(call), call, "scores", "xlsx")


@login_required
@require_GET
def export_ranking_csv(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    return _download(ranking_csv(call), call, "ranking", "csv")


@login_required
@require_GET
def export_ranking_xlsx(request, lab_slug, pk):
    call = _staff_call(request, lab_slug, pk)
    return _download(ranking_xlsx(call), call, "ranking", "xlsx")
