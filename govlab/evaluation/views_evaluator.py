"""The evaluator's pages — the queue, the conflict-of-interest declaration, the review page and its file
downloads — and the solver's feedback page.

Fetch and authorise in one step: an application the person is not (or no longer) assigned to, or one they
declared a conflict with, answers 404 exactly like a reference that does not exist. The review page shows
the latest submitted revision; while the active review phase is blind, nothing that identifies the
applicant is shown: not the organisation, its people, consortium partners, answers to identifying
questions, nor the original names of attached files (links read "File 1", downloads are named
``<reference>-<question key>.<ext>``). Writes go through ``services``; a refusal comes back at the field
with every typed value kept. Writing while the phase does not allow it is refused with 403 and a page
that says why.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govlab.calls.enums import ApplicationStatus, QuestionKind
from govlab.calls.exports import file_answer, format_answer
from govlab.calls.models import ApplicationFile
from govlab.calls.rules import is_application_member
from govlab.calls.services import local_time_label
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.i18n import pick

from . import selectors, services
from .enums import OutcomeReason, ReviewStatus
from .forms_evaluator import DeclarationForm, ReviewForm
from .models import Assignment, ConflictDeclaration, FeedbackLetter, Review

K = QuestionKind


# --- Fetch and authorise -----------------------------------------------------------------------


def _assignment(request, reference: str) -> Assignment:
    """The signed-in person's current assignment to this application, as an active evaluator of its call.

    404 alike for a reference that does not exist, an application not assigned to them, an assignment
    withdrawn (a declared conflict, a removal) and an evaluator removed from the panel.
    """
    assignment = (
        Assignment.objects.filter(
            application__reference=reference,
            evaluator__user=request.user,
            evaluator__removed_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related(
            "evaluator",
            "application",
            "application__call",
            "application__call__lab",
            "application__challenge",
            "application__organisation",
        )
        .first()
    )
    if assignment is None or assignment.application.call_id != assignment.evaluator.call_id:
        raise Http404
    application = assignment.application
    if application.status != ApplicationStatus.SUBMITTED:
        raise Http404
    request.lab = application.call.lab
    return assignment


def _content_assignment(request, reference: str) -> tuple[Assignment, ConflictDeclaration | None]:
    """The assignment and its declaration, when this person may read the application's content.

    Not declared yet: ``(assignment, None)`` (the caller sends them to declare). Declared a conflict, or
    the content rules refuse: 404.
    """
    assignment = _assignment(request, reference)
    declaration = services.declaration_for(assignment.evaluator, assignment.application)
    if declaration is None:
        return assignment, None
    if declaration.has_conflict or not selectors.can_see_content(request.user, assignment.application):
        raise Http404
    return assignment, declaration


def _base_context(application, **extra) -> dict:
    call = application.call
    return {
        "application": application,
        "call": call,
        "lab": call.lab,
        "challenge": application.challenge,
        "show_identity": extra.pop("show_identity", False),
        **extra,
    }


# --- Queue -------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    """What the person is assigned to review, across calls, by due date then reference."""
    assignments = list(
        Assignment.objects.filter(
            evaluator__user=request.user,
            evaluator__removed_at__isnull=True,
            withdrawn_at__isnull=True,
            application__status=ApplicationStatus.SUBMITTED,
            application__call_id=F("evaluator__call_id"),
        )
        .select_related(
            "evaluator",
            "review",
            "application",
            "application__challenge",
            "application__organisation",
            "application__call",
            "application__call__lab",
            "application__call__evaluation_settings",
        )
        .order_by(
            F("application__call__evaluation_settings__review_deadline").asc(nulls_last=True),
            "application__reference",
            "pk",
        )
    )
    declared = {
        (declaration.evaluator_id, declaration.application_id): declaration
        for declaration in ConflictDeclaration.objects.filter(
            evaluator_id__in={assignment.evaluator_id for assignment in assignments},
            application_id__in=[assignment.application_id for assignment in assignments],
        )
    }
    # One call object per call, so that whatever the visibility rules remember about a call (its active
    # phase) is looked up once per call, not once per row.
    calls = {}
    for assignment in assignments:
        application = assignment.application
        application.call = calls.setdefault(application.call_id, application.call)
    rows = []
    for assignment in assignments:
        application = assignment.application
        call = application.call
        settings_ = getattr(call, "evaluation_settings", None)
        due = settings_.review_deadline if settings_ is not None else None
        review = getattr(assignment, "review", None)
        rows.append(
            {
                "assignment": assignment,
                "application": application,
                "call": call,
                "lab": call.lab,
                "challenge": application.challenge,
                # No query per row: the active phase is remembered on the (shared) call, roles on the user.
                "show_identity": selectors.can_see_identity(request.user, application),
                "declaration": declared.get((assignment.evaluator_id, application.pk)),
                "review": review,
                "review_status": _review_status_label(review),
                "due": due,
                "due_label": local_time_label(due, call) if due else "",
            }
        )
    return render(request, "evaluation/evaluator/queue.html", {"rows": rows})


def _review_status_label(review) -> str:
    if review is None:
        return _("Not started")
    if review.status == ReviewStatus.SUBMITTED:
        return _("Submitted")
    return _("Draft")


# --- Declaration -------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def declare(request, reference):
    """Declare a conflict of interest, or none, before seeing anything of the application."""
    assignment = _assignment(request, reference)
    application = assignment.application
    declaration = services.declaration_for(assignment.evaluator, application)
    show_identity = selectors.can_see_identity(request.user, application)
    if declaration is not None:
        # Declared once; a conflict withdraws the assignment (so _assignment answers 404 before this).
        return render(
            request,
            "evaluation/evaluator/declare.html",
            _base_context(application, declaration=declaration, form=None, show_identity=show_identity),
        )
    data = request.POST if request.method == "POST" else restore_kept_input(request)
    form = DeclarationForm(data or None, blind=not show_identity)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                evaluator=assignment.evaluator,
                application=application,
                has_conflict=form.has_conflict,
                reason=form.cleaned_data["reason"].strip() if form.has_conflict else "",
                by=request.user,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            if form.has_conflict:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest is recorded. You no longer evaluate %(reference)s; "
                        "the lab will assign it to someone else."
                    )
                    % {"reference": application.reference},
                )
                return redirect("evaluation:queue")
            messages.success(request, _("Your declaration is recorded. You may now read the application."))
            return redirect("evaluation:review", reference=application.reference)
    return render(
        request,
        "evaluation/evaluator/declare.html",
        _base_context(
            application,
            declaration=None,
            form=form,
            show_identity=show_identity,
            # Blind: who applied cannot be shown for this application, but a conflict must still be
            # declarable. Every organisation (and consortium partner) that applied to the challenge is
            # listed, in alphabetical order; a conflict with any of them recuses (ADR 0011).
            applicants=None if show_identity else selectors.applicants_to_declare_against(application),
        ),
    )


# --- Review ------------------------------------------------------------------------------------


def _latest_revision(application):
    return application.revisions.select_related("submitted_by").order_by("-number").first()


def _answer_items(application, questions, answers, files, *, blind: bool) -> list[dict]:
    """The answers as the page shows them; when blind, without identifying questions or file names."""
    languages = application.call.lab.languages
    items = []
    file_number = 0
    for question in questions:
        if blind and question.identifying:
            continue
        value = (answers or {}).get(question.key)
        config = question.config or {}
        item = {
            "question": question,
            "label": pick(question.label, preferred=languages).text or question.key,
            "text": "",
            "file": None,
            "file_label": "",
            "file_size": None,
            "columns": [],
            "rows": [],
        }
        if question.kind == K.FILE:
            file_id, given = file_answer(value) if isinstance(value, dict) else (None, None)
            if file_id is not None and given is not None:
                file_number += 1
                stored = files.get(file_id)
                item["file"] = stored
                item["file_label"] = (
                    _("File %(number)s") % {"number": file_number}
                    if blind
                    else (given.get("name") or (stored.original_name if stored is not None else ""))
                )
                item["file_size"] = given.get("size")
        elif question.kind == K.GROUP and isinstance(value, list):
            fields = config.get("fields", [])
            item["columns"] = [pick(field.get("label"), preferred=languages).text for field in fields]
            item["rows"] = [
                [
                    format_answer(
                        field["kind"], field.get("config", {}), row.get(field["key"]), languages=languages
                    )
                    for field in fields
                ]
                for row in value
                if isinstance(row, dict)
            ]
        else:
            item["text"] = format_answer(question.kind, config, value, languages=languages)
        items.append(item)
    return items


def _application_content(request, application) -> dict:
    """What the review page shows of the application: its latest submitted revision, blinded as needed."""
    show_identity = selectors.can_see_identity(request.user, application)
    revision = _latest_revision(application)
    questions = list(application.call.questions.filter(stage=application.stage).order_by("position", "pk"))
    answers = revision.answers if revision is not None else {}
    if not show_identity:
        answers = selectors.blind_answers(answers, questions)
    files = {file.pk: file for file in application.files.all()} if revision is not None else {}
    return {
        "revision": revision,
        "items": _answer_items(application, questions, answers, files, blind=not show_identity)
        if revision is not None
        else [],
        "partners": (revision.partners or []) if revision is not None and show_identity else [],
        "show_identity": show_identity,
    }


def _criteria(call):
    return list(call.criteria.order_by("position", "pk"))


def _other_reviews(request, application, own: Review | None, criteria) -> list[dict]:
    """The other evaluators' reviews the phase lets this person read, without who wrote them."""
    shown = []
    languages = application.call.lab.languages
    for review in selectors.visible_reviews(request.user, application):
        if own is not None and review.pk == own.pk:
            continue
        scores = review.scores or {}
        comments = review.comments or {}
        shown.append(
            {
                "review": review,
                "number": len(shown) + 1,
                "criteria": [
                    {
                        "name": pick(criterion.name, preferred=languages).text,
                        "score": _level_text(criterion, scores, languages),
                        "comment": comments.get(str(criterion.pk), ""),
                    }
                    for criterion in criteria
                ],
            }
        )
    return shown


def _level_text(criterion, scores, languages) -> str:
    key = str(criterion.pk)
    if key not in scores:
        return ""
    value = scores[key]
    if value is None:
        return _("Not applicable")
    for level in criterion.scale or []:
        if level.get("value") == value:
            label = pick(level.get("label"), preferred=languages).text
            return f"{value} — {label}" if label else str(value)
    return str(value)


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def review(request, reference):
    """The application beside the review form."""
    assignment, declaration = _content_assignment(request, reference)
    if declaration is None:
        return redirect("evaluation:declare", reference=reference)
    application = assignment.application
    call = application.call
    phase = services.active_phase(call)
    can_write = phase is not None and phase.can_review
    own = Review.objects.filter(assignment=assignment).first()
    if request.method == "POST" and not can_write:
        return _phase_closed(request, application, phase)
    criteria = _criteria(call)
    languages = call.lab.languages
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria, languages=languages)
        if form.is_valid():
            outcome = _save_review(request, assignment, form, submit="submit" in request.POST)
            if outcome is not None:
                if outcome.status == ReviewStatus.SUBMITTED and "submit" in request.POST:
                    messages.success(request, _("Your review is submitted."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect("evaluation:review", reference=reference)
            own = Review.objects.filter(assignment=assignment).first()
    else:
        kept = restore_kept_input(request)
        if kept:
            form = ReviewForm(kept, criteria=criteria, languages=languages)
            form.is_valid()
        else:
            form = ReviewForm(criteria=criteria, languages=languages, review=own)
    context = _base_context(
        application,
        assignment=assignment,
        phase=phase,
        can_write=can_write,
        own=own,
        form=form,
        criteria=criteria,
        others=_other_reviews(request, application, own, criteria),
        own_scores=_own_scores(own, criteria, languages) if own is not None else [],
        **_application_content(request, application),
    )
    return render(request, "evaluation/evaluator/review.html", context)


def _own_scores(own, criteria, languages) -> list[dict]:
    scores = own.scores or {}
    comments = own.comments or {}
    return [
        {
            "name": pick(criterion.name, preferred=languages).text,
            "score": _level_text(criterion, scores, languages),
            "comment": comments.get(str(criterion.pk), ""),
        }
        for criterion in criteria
    ]


def _save_review(request, assignment, form, *, submit: bool):
    """Save (and submit) through the services, all or nothing; the review, or None with form errors."""
    values = form.service_values()
    try:
        with transaction.atomic():
            current = services.review_for(assignment, request.user)
            saved = services.review_save(review=current, by=request.user, **values)
            if submit:
                saved = services.review_submit(review=saved, by=request.user)
    except ValidationError as error:
        form.apply_errors(error)
        return None
    return saved


def _phase_closed(request, application, phase):
    return render(
        request,
        "evaluation/evaluator/phase_closed.html",
        _base_context(application, phase=phase, show_identity=False),
        status=403,
    )


@login_required
@require_GET
def review_file(request, reference, key):
    """A file of the latest submitted revision, under a neutral name: ``<reference>-<question key>.<ext>``."""
    assignment, declaration = _content_assignment(request, reference)
    if declaration is None:
        raise Http404
    application = assignment.application
    question = application.call.questions.filter(stage=application.stage, key=key, kind=K.FILE).first()
    if question is None:
        raise Http404
    if question.identifying and not selectors.can_see_identity(request.user, application):
        raise Http404
    revision = _latest_revision(application)
    value = (revision.answers or {}).get(key) if revision is not None else None
    file_id, given = file_answer(value) if isinstance(value, dict) else (None, None)
    if file_id is None or given is None:
        raise Http404
    stored = ApplicationFile.objects.filter(application=application, pk=file_id).first()
    if stored is None or not stored.file:
        raise Http404
    extension = os.path.splitext(stored.original_name or "")[1].lower()
    if not extension[1:].isalnum():
        extension = ""
    response = FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=f"{application.reference}-{key}{extension}"
    )
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The solver's feedback ---------------------------------------------------------------------


@login_required
@require_GET
def feedback(request, reference):
    """The feedback letter sent to the applying organisation: to its members only, once sent."""
    letter = (
        FeedbackLetter.objects.filter(application__reference=reference, sent_at__isnull=False)
        .select_related(
            "application",
            "application__call",
            "application__call__lab",
            "application__challenge",
            "application__organisation",
        )
        .first()
    )
    if letter is None or not is_application_member(request.user, letter.application):
        raise Http404
    application = letter.application
    request.lab = application.call.lab
    data = letter.data or {}
    languages = application.call.lab.languages
    scores = [
        {
            "name": _criterion_name(row.get("criterion"), languages),
            "score": row.get("mean", row.get("score")),
            "max": row.get("max"),
        }
        for row in data.get("scores") or []
        if isinstance(row, dict)
    ]
    comments = [
        {"criterion": _criterion_name(comment.get("criterion"), languages), "text": comment.get("text") or ""}
        if isinstance(comment, dict)
        else {"criterion": "", "text": str(comment)}
        for comment in data.get("comments") or []
    ]
    return render(
        request,
        "evaluation/solver/feedback.html",
        {
            "letter": letter,
            "application": application,
            "call": application.call,
            "lab": application.call.lab,
            "scores": scores,
            "comments": [comment for comment in comments if comment["text"]],
            "rank_band": data.get("rank_band") or "",
            "selected": data.get("decision"),
            "reason_category": _reason_label(data.get("reason_category")),
        },
    )


def _criterion_name(value, languages) -> str:
    """A criterion's name as the letter recorded it: a translations mapping (or a plain text)."""
    if isinstance(value, dict):
        return pick(value, preferred=languages).text
    return str(value or "")


def _reason_label(value) -> str:
    try:
        return str(OutcomeReason(value).label)
    except ValueError:
        return ""
