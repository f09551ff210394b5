"""Writes for evaluation: the panel, conflicts of interest, assignments, reviews, consensus, preselection
and feedback. The UI and the API call these, and only these.

Every function validates, writes and audits in one transaction and raises ValidationError (by field where
it can, ``error.code`` naming the refusal) without changing anything when it refuses.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record
from govlab.calls.enums import ApplicationStatus, Stage
from govlab.calls.models import Application, Call, CallCriterion
from govlab.calls.services import lazy_title
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from govlab.challenges.services import challenge_transition
from govlab.core.i18n import clean_translations, pick
from govlab.core.refusals import coded, refuse
from govlab.labs.rules import require_lab_staff
from govlab.notifications.services import notify
from govlab.organisations.models import OrganisationMembership
from govlab.organisations.selectors import organisation_people

from . import aggregation
from .enums import EvaluatorRole, OutcomeReason, Recommendation, ReviewStatus, SeeOthers
from .models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    EvaluationSettings,
    Evaluator,
    FeedbackLetter,
    FeedbackTemplate,
    PreselectionDecision,
    Review,
    ReviewPhase,
    ReviewRevision,
)

weighted_total = aggregation.weighted_total


# --- Settings and phases ---------------------------------------------------------------------------


UNCHANGED = object()


def settings_for(call: Call) -> EvaluationSettings:
    settings_row, _created = EvaluationSettings.objects.get_or_create(call=call)
    return settings_row


@transaction.atomic
def settings_save(
    *,
    call: Call,
    by,
    reviews_per_application=None,
    prefer_expertise=None,
    disagreement_threshold=None,
    review_deadline=UNCHANGED,
) -> EvaluationSettings:
    """Change what is given; ``review_deadline=None`` clears the deadline, leaving it out keeps it."""
    require_lab_staff(by, call.lab)
    row = EvaluationSettings.objects.select_for_update().get(pk=settings_for(call).pk)
    before = {
        "reviews_per_application": row.reviews_per_application,
        "prefer_expertise": row.prefer_expertise,
        "disagreement_threshold": str(row.disagreement_threshold),
        "review_deadline": row.review_deadline.isoformat() if row.review_deadline else None,
    }
    if reviews_per_application is not None:
        row.reviews_per_application = reviews_per_application
    if prefer_expertise is not None:
        row.prefer_expertise = bool(prefer_expertise)
    if disagreement_threshold is not None:
        row.disagreement_threshold = disagreement_threshold
    if review_deadline is not UNCHANGED:
        row.review_deadline = review_deadline
    row.full_clean(exclude=["call"])
    row.save()
    after = {
        "reviews_per_application": row.reviews_per_application,
        "prefer_expertise": row.prefer_expertise,
        "disagreement_threshold": str(row.disagreement_threshold),
        "review_deadline": row.review_deadline.isoformat() if row.review_deadline else None,
    }
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        audit_record(actor=by, action="evaluation.settings", target=call, lab=call.lab, changes=changes)
    return row


def active_phase(call: Call) -> ReviewPhase | None:
    cached = getattr(call, "_active_phase", False)
    if cached is not False:
        return cached
    phase = ReviewPhase.objects.filter(call=call, is_active=True).first()
    call._active_phase = phase
    return phase


@transaction.atomic
def phase_save(
    *,
    call: Call,
    by,
    phase: ReviewPhase | None = None,
    name,
    can_review: bool = True,
    see_others: str = SeeOthers.NEVER,
    identities_visible: bool = False,
    position: int | None = None,
) -> ReviewPhase:
    require_lab_staff(by, call.lab)
    errors = {}
    try:
        name = clean_translations(name, max_length=200)
    except ValidationError as error:
        errors["name"] = error.messages
    if see_others not in SeeOthers.values:
        errors["see_others"] = [_("Choose when evaluators see the other reviews.")]
    if errors:
        raise ValidationError(errors)
    if phase is None:
        phase = ReviewPhase(
            call=call, position=position if position is not None else call.review_phases.count() + 1
        )
        action = "evaluation.phase.add"
    else:
        action = "evaluation.phase.change"
        if position is not None:
            phase.position = position
    phase.name = name
    phase.can_review = bool(can_review)
    phase.see_others = see_others
    phase.identities_visible = bool(identities_visible)
    phase.save()
    audit_record(
        actor=by,
        action=action,
        target=call,
        lab=call.lab,
        changes={
            "phase": [None, pick(name).text],
            "can_review": [None, phase.can_review],
            "see_others": [None, see_others],
            "identities_visible": [None, phase.identities_visible],
        },
    )
    return phase


@transaction.atomic
def phase_activate(*, phase: ReviewPhase, by) -> ReviewPhase:
    call = phase.call
    require_lab_staff(by, call.lab)
    Call.objects.select_for_update().filter(pk=call.pk).first()
    was = ReviewPhase.objects.filter(call=call, is_active=True).first()
    ReviewPhase.objects.filter(call=call, is_active=True).update(is_active=False)
    ReviewPhase.objects.filter(pk=phase.pk).update(is_active=True)
    audit_record(
        actor=by,
        action="evaluation.phase.activate",
        target=call,
        lab=call.lab,
        changes={"phase": [pick(was.name).text if was else None, pick(phase.name).text]},
    )
    phase.refresh_from_db()
    return phase


# --- The panel -------------------------------------------------------------------------------------


@transaction.atomic
def evaluator_add(*, call: Call, user, role: str, expertise=(), added_by) -> Evaluator:
    require_lab_staff(added_by, call.lab)
    if role not in EvaluatorRole.values:
        raise ValidationError({"role": _("Choose the evaluator's role.")})
    if not getattr(user, "is_active", False):
        raise ValidationError({"user": _("This person's account is not active.")})
    expertise = list(expertise)
    if any(term.vocabulary not in ("sector", "technology") for term in expertise):
        raise ValidationError({"expertise": _("Choose sectors and technologies.")})
    evaluator = Evaluator.objects.filter(call=call, user=user).first()
    if evaluator is not None and evaluator.removed_at is None:
        raise ValidationError({"user": _("This person is already on the panel.")})
    if evaluator is None:
        evaluator = Evaluator.objects.create(call=call, user=user, role=role, added_by=added_by)
        action = "evaluation.evaluator.add"
    else:
        evaluator.removed_at = None
        evaluator.role = role
        evaluator.save(update_fields=["removed_at", "role"])
        action = "evaluation.evaluator.readd"
    evaluator.expertise.set(expertise)
    audit_record(
        actor=added_by,
        action=action,
        target=call,
        lab=call.lab,
        changes={"evaluator": [None, user.pk], "role": [None, role]},
    )
    notify(
        recipients=[user],
        kind="evaluation.invited",
        subject=format_lazy(
            gettext_lazy("You are on the evaluation panel of “{title}”"), title=lazy_title(call)
        ),
        body=gettext_lazy("Declare any conflict of interest for each application before you read it."),
        url=reverse("evaluation:queue"),
        lab=call.lab,
    )
    return evaluator


@transaction.atomic
def evaluator_remove(*, evaluator: Evaluator, removed_by) -> Evaluator:
    call = evaluator.call
    require_lab_staff(removed_by, call.lab)
    locked = Evaluator.objects.select_for_update().get(pk=evaluator.pk)
    if locked.removed_at is not None:
        return locked
    now = timezone.now()
    locked.removed_at = now
    locked.save(update_fields=["removed_at"])
    withdrawn = (
        Assignment.objects.filter(evaluator=locked, withdrawn_at__isnull=True)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .update(withdrawn_at=now)
    )
    audit_record(
        actor=removed_by,
        action="evaluation.evaluator.remove",
        target=call,
        lab=call.lab,
        changes={"evaluator": [locked.user_id, None], "assignments_withdrawn": [0, withdrawn]},
    )
    return locked


# --- Conflicts of interest -------------------------------------------------------------------------


def declaration_for(evaluator: Evaluator, application: Application) -> ConflictDeclaration | None:
    return ConflictDeclaration.objects.filter(evaluator=evaluator, application=application).first()


@transaction.atomic
def conflict_declare(
    *, evaluator: Evaluator, application: Application, has_conflict: bool, reason: str = "", by
) -> ConflictDeclaration:
    """The evaluator's own declaration, once per application, before they may read it."""
    if evaluator.user_id != getattr(by, "pk", None):
        raise refuse(_("Only the evaluator can make this declaration."), "not_allowed")
    if evaluator.removed_at is not None:
        raise refuse(_("You are no longer on this panel."), "not_allowed")
    if application.call_id != evaluator.call_id:
        raise refuse(_("This application is not part of your panel's call."), "not_assigned")
    reason = (reason or "").strip()
    if has_conflict and not reason:
        raise ValidationError({"reason": _("Say what the conflict is: the declaration is kept as a record.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason to 2,000 characters.")})
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(
                evaluator=evaluator, application=application, has_conflict=bool(has_conflict), reason=reason
            )
    except IntegrityError:
        raise refuse(_("You have already declared for this application."), "invalid") from None
    if has_conflict:
        Assignment.objects.filter(
            evaluator=evaluator, application=application, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
    audit_record(
        actor=by,
        action="evaluation.conflict.declare",
        target=application,
        lab=application.call.lab,
        changes={"has_conflict": [None, bool(has_conflict)]},
        reason=reason,
    )
    return declaration


# --- Assignment ------------------------------------------------------------------------------------


def _conflicted(evaluator_ids, application_ids) -> set[tuple[int, int]]:
    return set(
        ConflictDeclaration.objects.filter(
            evaluator_id__in=evaluator_ids, application_id__in=application_ids, has_conflict=True
        ).values_list("evaluator_id", "application_id")
    )


@transaction.atomic
def assign(*, application: Application, evaluator: Evaluator, by, automatic: bool = False) -> Assignment:
    call = application.call
    require_lab_staff(by, call.lab)
    errors = []
    if evaluator.call_id != call.pk:
        errors.append(_("This evaluator is on another call's panel."))
    if evaluator.removed_at is not None:
        errors.append(_("This evaluator was removed from the panel."))
    if application.status != ApplicationStatus.SUBMITTED:
        errors.append(_("Only submitted applications are evaluated."))
    if ConflictDeclaration.objects.filter(
        evaluator=evaluator, application=application, has_conflict=True
    ).exists():
        raise coded(
            {"evaluator": [_("This evaluator declared a conflict of interest with this application.")]},
            "conflicted",
        )
    if errors:
        raise coded({"evaluator": errors}, "invalid")
    existing = (
        Assignment.objects.select_for_update().filter(evaluator=evaluator, application=application).first()
    )
    if existing is not None:
        if existing.withdrawn_at is not None:
            existing.withdrawn_at = None
            existing.save(update_fields=["withdrawn_at"])
        return existing
    assignment = Assignment.objects.create(
        evaluator=evaluator, application=application, assigned_by=by, automatic=automatic
    )
    audit_record(
        actor=by,
        action="evaluation.assign",
        target=application,
        lab=call.lab,
        changes={"evaluator": [None, evaluator.pk], "automatic": [None, automatic]},
    )
    return assignment


@transaction.atomic
def unassign(*, assignment: Assignment, by) -> None:
    application = assignment.application
    require_lab_staff(by, application.call.lab)
    if Review.objects.filter(assignment=assignment, status=ReviewStatus.SUBMITTED).exists():
        raise refuse(_("This evaluator has submitted a review: it stays on record."), "invalid")
    Assignment.objects.filter(pk=assignment.pk).update(withdrawn_at=timezone.now())
    audit_record(
        actor=by,
        action="evaluation.unassign",
        target=application,
        lab=application.call.lab,
        changes={"evaluator": [assignment.evaluator_id, None]},
    )


def assignment_gaps(call: Call) -> dict[int, int]:
    """{application id: how many more evaluators it needs} for every submitted application short of N."""
    needed = settings_for(call).reviews_per_application
    counts = Counter(
        Assignment.objects.filter(
            application__call=call, withdrawn_at__isnull=True, evaluator__removed_at__isnull=True
        ).values_list("application_id", flat=True)
    )
    submitted = Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED).values_list(
        "pk", flat=True
    )
    return {pk: needed - counts.get(pk, 0) for pk in submitted if counts.get(pk, 0) < needed}


@transaction.atomic
def assign_automatically(*, call: Call, by, applications=None) -> int:
    """Fill each application's gap to N evaluators: never a conflicted or removed one, the least loaded
    first, and (when the settings ask) those whose expertise matches the challenge first. One application
    or all: the same service."""
    require_lab_staff(by, call.lab)
    Call.objects.select_for_update().filter(pk=call.pk).first()  # one automatic run per call at a time
    settings_row = settings_for(call)
    needed = settings_row.reviews_per_application
    evaluators = list(
        Evaluator.objects.filter(call=call, removed_at__isnull=True).prefetch_related("expertise")
    )
    if not evaluators:
        return 0
    targets = Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED).select_related(
        "challenge"
    )
    if applications is not None:
        targets = targets.filter(pk__in=[a.pk for a in applications])
    targets = list(
        targets.prefetch_related("challenge__sectors", "challenge__technologies").order_by("reference")
    )
    current = list(
        Assignment.objects.filter(application__call=call).values_list(
            "evaluator_id", "application_id", "withdrawn_at"
        )
    )
    active_pairs = {(e, a) for e, a, withdrawn in current if withdrawn is None}
    any_pairs = {(e, a) for e, a, _withdrawn in current}
    load = Counter(e for e, _a in active_pairs)
    conflicted = _conflicted([e.pk for e in evaluators], [a.pk for a in targets])
    active_ids = {e.pk for e in evaluators}
    created = 0
    for application in targets:
        have = sum(1 for e in active_ids if (e, application.pk) in active_pairs)
        missing = needed - have
        if missing <= 0:
            continue
        topics = {t.pk for t in application.challenge.sectors.all()} | {
            t.pk for t in application.challenge.technologies.all()
        }
        candidates = [
            e
            for e in evaluators
            if (e.pk, application.pk) not in active_pairs and (e.pk, application.pk) not in conflicted
        ]

        def key(evaluator, topics=topics):
            match = (
                len(topics & {t.pk for t in evaluator.expertise.all()})
                if settings_row.prefer_expertise
                else 0
            )
            return (-min(match, 1), load[evaluator.pk], -match, evaluator.pk)

        for evaluator in sorted(candidates, key=key)[:missing]:
            if (evaluator.pk, application.pk) in any_pairs:
                Assignment.objects.filter(evaluator=evaluator, application=application).update(
                    withdrawn_at=None
                )
            else:
                Assignment.objects.create(
                    evaluator=evaluator, application=application, assigned_by=by, automatic=True
                )
            active_pairs.add((evaluator.pk, application.pk))
            load[evaluator.pk] += 1
            created += 1
    audit_record(
        actor=by,
        action="evaluation.assign.automatic",
        target=call,
        lab=call.lab,
        changes={"assignments": [0, created]},
    )
    return created


# --- Reviews ---------------------------------------------------------------------------------------


def _criteria(call: Call) -> list[CallCriterion]:
    cached = getattr(call, "_criteria_list", None)
    if cached is None:
        cached = list(call.criteria.all())
        call._criteria_list = cached
    return cached


def _require_reviewer(review_or_assignment, by) -> None:
    assignment = getattr(review_or_assignment, "assignment", review_or_assignment)
    evaluator = assignment.evaluator
    if evaluator.user_id != getattr(by, "pk", None) or evaluator.removed_at is not None:
        raise refuse(_("Only the assigned evaluator can do this."), "not_assigned")
    if assignment.withdrawn_at is not None:
        raise refuse(_("This assignment was withdrawn."), "not_assigned")


def _require_phase(call: Call) -> None:
    phase = active_phase(call)
    if phase is None or not phase.can_review:
        raise refuse(_("Reviews cannot be written or changed in the current phase."), "phase_closed")


def review_for(assignment: Assignment, by) -> Review:
    """The evaluator's review of this assignment (a new draft the first time). Needs a "none" declaration."""
    _require_reviewer(assignment, by)
    declaration = declaration_for(assignment.evaluator, assignment.application)
    if declaration is None:
        raise refuse(_("Declare whether you have a conflict of interest first."), "not_declared")
    if declaration.has_conflict:
        raise refuse(_("You declared a conflict of interest with this application."), "conflicted")
    review = Review.objects.filter(assignment=assignment).first()
    if review is None:
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    assignment=assignment, evaluator=assignment.evaluator, application=assignment.application
                )
        except IntegrityError:
            review = Review.objects.get(assignment=assignment)
    return review


def _clean_scores(scores, criteria) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, int | None] = {}
    by_id = {str(c.pk): c for c in criteria}
    if not isinstance(scores, dict):
        return {}, {"scores": [_("Give the scores as an object of criterion to level.")]}
    for key, value in scores.items():
        criterion = by_id.get(str(key))
        if criterion is None:
            errors[f"scores.{key}"] = [_("There is no such criterion in this call.")]
            continue
        if value in (None, "", "na"):
            cleaned[str(key)] = None
            continue
        allowed = [level["value"] for level in criterion.scale]
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or number not in allowed or isinstance(value, bool):
            errors[f"scores.{key}"] = [
                _("Choose one of the levels of this criterion's scale: %(levels)s.")
                % {"levels": ", ".join(str(v) for v in allowed)}
            ]
            continue
        cleaned[str(key)] = number
    return cleaned, errors


@transaction.atomic
def review_save(
    *,
    review: Review,
    by,
    scores: dict | None = None,
    comments: dict | None = None,
    strengths: str | None = None,
    weaknesses: str | None = None,
    recommendation: str | None = None,
    confidence=None,
    expected_version=None,
) -> Review:
    locked = (
        Review.objects.select_for_update()
        .select_related("assignment", "assignment__evaluator", "application", "application__call")
        .get(pk=review.pk)
    )
    _require_reviewer(locked, by)
    call = locked.application.call
    _require_phase(call)
    if expected_version is not None and str(expected_version) != str(locked.version):
        raise refuse(_("This review was saved in another tab since you opened it. Reload it."), "conflict")
    criteria = _criteria(call)
    errors: dict[str, list[str]] = {}
    if scores is not None:
        cleaned, score_errors = _clean_scores(scores, criteria)
        errors.update(score_errors)
        locked.scores = {**locked.scores, **cleaned}
    if comments is not None:
        if not isinstance(comments, dict):
            errors["comments"] = [_("Give the comments as an object of criterion to text.")]
        else:
            ids = {str(c.pk) for c in criteria}
            for key, text in comments.items():
                if str(key) not in ids:
                    errors[f"comments.{key}"] = [_("There is no such criterion in this call.")]
                elif len(str(text or "")) > 5000:
                    errors[f"comments.{key}"] = [_("Keep each comment to 5,000 characters.")]
            if not any(key.startswith("comments.") for key in errors):
                locked.comments = {
                    **locked.comments,
                    **{str(k): str(v or "").strip() for k, v in comments.items()},
                }
    for name, value in (("strengths", strengths), ("weaknesses", weaknesses)):
        if value is not None:
            if len(value) > 5000:
                errors[name] = [_("Keep this to 5,000 characters.")]
            else:
                setattr(locked, name, value.strip())
    if recommendation is not None:
        if recommendation not in ("", *Recommendation.values):
            errors["recommendation"] = [_("Choose a recommendation.")]
        else:
            locked.recommendation = recommendation
    if confidence is not None:
        try:
            confidence = int(confidence) if confidence != "" else None
        except (TypeError, ValueError):
            confidence = 0
        if confidence is not None and not 1 <= confidence <= 5:
            errors["confidence"] = [_("Give your confidence from 1 (low) to 5 (high).")]
        else:
            locked.confidence = confidence
    if errors:
        raise coded(errors, "invalid")
    locked.version += 1
    locked.save()
    review.refresh_from_db()
    return review


def review_gaps(review: Review, criteria) -> dict[str, list[str]]:
    gaps: dict[str, list[str]] = {}
    for criterion in criteria:
        if str(criterion.pk) not in review.scores:
            gaps[f"scores.{criterion.pk}"] = [_("Score this criterion, or mark it not applicable.")]
    if criteria and all(review.scores.get(str(c.pk)) is None for c in criteria):
        gaps.setdefault("scores", []).append(_("Score at least one criterion."))
    if not review.recommendation:
        gaps["recommendation"] = [_("Give your recommendation.")]
    if not review.confidence:
        gaps["confidence"] = [_("Say how confident you are.")]
    return gaps


@transaction.atomic
def review_submit(*, review: Review, by) -> Review:
    locked = (
        Review.objects.select_for_update()
        .select_related(
            "assignment",
            "assignment__evaluator",
            "application",
            "application__call",
            "application__call__lab",
        )
        .get(pk=review.pk)
    )
    _require_reviewer(locked, by)
    call = locked.application.call
    _require_phase(call)
    criteria = _criteria(call)
    gaps = review_gaps(locked, criteria)
    if gaps:
        raise coded(gaps, "incomplete")
    now = timezone.now()
    total = aggregation.weighted_total(locked.scores, criteria)
    was = locked.status
    locked.status = ReviewStatus.SUBMITTED
    locked.weighted_total = total
    locked.submitted_at = now
    locked.version += 1
    locked.save()
    number = locked.revisions.count() + 1
    ReviewRevision.objects.create(
        review=locked,
        number=number,
        content={
            "scores": locked.scores,
            "comments": locked.comments,
            "strengths": locked.strengths,
            "weaknesses": locked.weaknesses,
            "recommendation": locked.recommendation,
            "confidence": locked.confidence,
        },
        weighted_total=total,
        submitted_at=now,
    )
    # The audit entry names the review, not the applicant: the audit view must not unblind.
    audit_record(
        actor=by,
        action="evaluation.review.submit",
        target=locked,
        lab=call.lab,
        changes={
            "status": [was, ReviewStatus.SUBMITTED],
            "revision": [number - 1 or None, number],
            "weighted_total": [None, str(total)],
        },
    )
    review.refresh_from_db()
    return review


# --- Consensus -------------------------------------------------------------------------------------


@transaction.atomic
def consensus_set(
    *, application: Application, criterion: CallCriterion, score, rationale: str, by
) -> ConsensusScore:
    call = application.call
    require_lab_staff(by, call.lab)
    errors = {}
    if criterion.call_id != call.pk:
        errors["criterion"] = [_("There is no such criterion in this call.")]
    allowed = [level["value"] for level in criterion.scale]
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = None
    if score is None or score not in allowed:
        errors["score"] = [
            _("Choose one of the levels of this criterion's scale: %(levels)s.")
            % {"levels": ", ".join(str(v) for v in allowed)}
        ]
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = [_("Give the rationale: the consensus overrides the evaluators' scores.")]
    if errors:
        raise ValidationError(errors)
    existing = (
        ConsensusScore.objects.select_for_update()
        .filter(application=application, criterion=criterion)
        .first()
    )
    before = existing.score if existing else None
    if existing:
        existing.score, existing.rationale, existing.set_by = score, rationale, by
        existing.save()
        row = existing
    else:
        row = ConsensusScore.objects.create(
            application=application, criterion=criterion, score=score, rationale=rationale, set_by=by
        )
    audit_record(
        actor=by,
        action="evaluation.consensus",
        target=application,
        lab=call.lab,
        changes={"criterion": [None, criterion.pk], "score": [before, score]},
        reason=rationale,
    )
    return row


@transaction.atomic
def consensus_clear(*, application: Application, criterion: CallCriterion, by) -> None:
    """Remove the lab's score for one criterion: the evaluators' mean counts again (audited)."""
    require_lab_staff(by, application.call.lab)
    row = (
        ConsensusScore.objects.select_for_update()
        .filter(application=application, criterion=criterion)
        .first()
    )
    if row is None:
        return
    before = row.score
    row.delete()
    audit_record(
        actor=by,
        action="evaluation.consensus.clear",
        target=application,
        lab=application.call.lab,
        changes={"criterion": [criterion.pk, None], "score": [before, None]},
    )


# --- Preselection ----------------------------------------------------------------------------------


@transaction.atomic
def preselect(*, call: Call, challenge: Challenge, decisions: dict, by) -> list[PreselectionDecision]:
    """Decide on every submitted application of one challenge: at most the call's maximum selected."""
    require_lab_staff(by, call.lab)
    # The challenge's row is the lock: two decisions at once cannot both pass the limit.
    locked_challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not call.challenges.filter(pk=challenge.pk).exists():
        raise coded({"challenge": [_("This challenge is not part of the call.")]}, "invalid")
    if locked_challenge.status != ChallengeStatus.IN_CALL:
        raise refuse(_("The applications to this challenge have already been decided."), "decided")
    stage = Stage.EXPRESSION_OF_INTEREST if call.two_stage else Stage.PROPOSAL
    applications = {
        a.pk: a
        for a in Application.objects.filter(
            call=call, challenge=challenge, status=ApplicationStatus.SUBMITTED, stage=stage
        ).select_related("organisation")
    }
    errors: dict[str, list[str]] = {}
    decisions = {int(k): v for k, v in (decisions or {}).items()}
    for pk in applications:
        if pk not in decisions:
            errors[f"decisions.{pk}"] = [_("Decide on this application and say why.")]
    for pk, decision in decisions.items():
        if pk not in applications:
            errors[f"decisions.{pk}"] = [_("This is not a submitted application to this challenge.")]
            continue
        category = decision.get("reason_category")
        if category not in OutcomeReason.values:
            errors[f"decisions.{pk}.reason_category"] = [_("Choose a reason.")]
        if not (decision.get("reason") or "").strip():
            errors[f"decisions.{pk}.reason"] = [_("Explain the decision: the applicant will read it.")]
    selected = [pk for pk, d in decisions.items() if d.get("selected") and pk in applications]
    if len(selected) > call.max_preselected:
        errors["__all__"] = [
            _(
                "At most %(max)d applications per challenge can be preselected in this call; "
                "%(count)d are chosen."
            )
            % {"max": call.max_preselected, "count": len(selected)}
        ]
    if errors:
        raise coded(errors, "limit" if "__all__" in errors else "invalid")
    if PreselectionDecision.objects.filter(application_id__in=list(applications)).exists():
        raise refuse(_("The applications to this challenge have already been decided."), "decided")
    rows = {row.application_id: row for row in aggregation.ranking(call, challenge)}
    now = timezone.now()
    made = []
    for pk, application in applications.items():
        decision = decisions[pk]
        row = rows.get(pk)
        made.append(
            PreselectionDecision(
                application=application,
                selected=bool(decision.get("selected")),
                reason_category=decision["reason_category"],
                reason=decision["reason"].strip()[:5000],
                final_score=row.final if row else None,
                rank=row.rank if row else None,
                decided_by=by,
                decided_at=now,
            )
        )
    PreselectionDecision.objects.bulk_create(made)
    challenge_transition(
        challenge=locked_challenge,
        target=ChallengeStatus.PRESELECTED,
        actor=by,
        via_call=True,
        reason=_("%(count)d of %(total)d applications preselected.")
        % {"count": len(selected), "total": len(applications)},
    )
    audit_record(
        actor=by,
        action="evaluation.preselect",
        target=call,
        lab=call.lab,
        changes={
            "challenge": [None, challenge.reference],
            "selected": [[], sorted(applications[pk].reference for pk in selected)],
        },
    )
    if call.two_stage:
        from govlab.calls.services import application_invite_full

        for pk in selected:
            application_invite_full(application=applications[pk], invited_by=by)
    return made


def outcome_counts(call: Call) -> dict[str, int]:
    """How many applications were decided for each reason (for the lab's reports)."""
    return dict(
        Counter(
            PreselectionDecision.objects.filter(application__call=call).values_list(
                "reason_category", flat=True
            )
        )
    )


# --- Feedback --------------------------------------------------------------------------------------

FEEDBACK_PLACEHOLDERS = (
    "organisation",
    "call",
    "challenge",
    "decision",
    "scores",
    "rank_band",
    "reason",
    "comments",
)


def _check_template(text: str) -> list[str]:
    import string

    problems = []
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return [_("Braces must come in pairs: write {{ and }} for a brace itself.")]
    unknown = sorted(names - set(FEEDBACK_PLACEHOLDERS))
    if unknown:
        problems.append(
            _("Unknown placeholder(s): %(names)s. Use: %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(f"{{{p}}}" for p in FEEDBACK_PLACEHOLDERS)}
        )
    return problems


@transaction.atomic
def feedback_template_save(*, lab, language: str, subject: str, body: str, by) -> FeedbackTemplate:
    require_lab_staff(by, lab)
    errors = {}
    if language not in (lab.languages or []):
        errors["language"] = [_("Choose one of the lab's languages.")]
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        errors["subject"] = [_("Give the letter a subject.")]
    elif _check_template(subject):
        errors["subject"] = _check_template(subject)
    if not body:
        errors["body"] = [_("Write the letter.")]
    elif _check_template(body):
        errors["body"] = _check_template(body)
    if errors:
        raise ValidationError(errors)
    template, _created = FeedbackTemplate.objects.update_or_create(
        lab=lab, language=language, defaults={"subject": subject[:300], "body": body}
    )
    audit_record(
        actor=by,
        action="evaluation.feedback.template",
        target=lab,
        lab=lab,
        changes={"language": [None, language]},
    )
    return template


def _rank_band(rank: int | None, total: int) -> str:
    if rank is None or not total:
        return _("not ranked")
    share = (rank - 1) / total  # the share of applications ranked above this one
    if share < 0.25:
        return _("top quarter")
    if share < 0.5:
        return _("second quarter")
    if share < 0.75:
        return _("third quarter")
    return _("bottom quarter")


DEFAULT_SUBJECT = gettext_lazy("Result of your application to “{call}”")
DEFAULT_BODY = gettext_lazy(
    "Dear {organisation},\n\nThank you for applying to “{call}” for the challenge “{challenge}”.\n\n"
    "Decision: {decision}\nReason: {reason}\nYour position: {rank_band}\n\nYour scores:\n{scores}\n\n"
    "What the evaluators said:\n{comments}\n"
)


@transaction.atomic
def feedback_prepare(*, call: Call, by, challenge=None, released_review_ids=()) -> list[FeedbackLetter]:
    """Write (or rewrite, until sent) the letter of every decided application: in a language of the
    applicant organisation's people when the lab has a template in it, else in the lab's main language."""
    require_lab_staff(by, call.lab)
    released = {int(pk) for pk in released_review_ids}
    decisions = PreselectionDecision.objects.filter(application__call=call).select_related(
        "application", "application__organisation", "application__challenge"
    )
    if challenge is not None:
        decisions = decisions.filter(application__challenge=challenge)
    decisions = list(decisions)
    if not decisions:
        raise refuse(_("Decide on the applications before preparing the feedback."), "invalid")
    templates = {t.language: t for t in FeedbackTemplate.objects.filter(lab=call.lab)}
    criteria = _criteria(call)
    application_ids = [d.application_id for d in decisions]
    reviews = list(
        Review.objects.filter(application_id__in=application_ids, status=ReviewStatus.SUBMITTED).order_by(
            "pk"
        )
    )
    totals_per_challenge = Counter(d.application.challenge_id for d in decisions)
    sent = set(
        FeedbackLetter.objects.filter(application_id__in=application_ids, sent_at__isnull=False).values_list(
            "application_id", flat=True
        )
    )
    preferred_languages: dict[int, list[str]] = {}
    for organisation_id, language in OrganisationMembership.objects.filter(
        organisation_id__in={d.application.organisation_id for d in decisions}
    ).values_list("organisation_id", "user__preferred_language"):
        if language:
            preferred_languages.setdefault(organisation_id, []).append(language.split("-")[0])
    letters = []
    for decision in decisions:
        application = decision.application
        if application.pk in sent:
            continue
        language = call.lab.main_language
        for preferred in preferred_languages.get(application.organisation_id, []):
            if preferred in templates:
                language = preferred
                break
        template = templates.get(language)
        mine = [r for r in reviews if r.application_id == application.pk]
        score_lines, scores_data = [], []
        for criterion in criteria:
            values = [
                r.scores.get(str(criterion.pk)) for r in mine if r.scores.get(str(criterion.pk)) is not None
            ]
            high = max(level["value"] for level in criterion.scale) if criterion.scale else 0
            mean = round(sum(values) / len(values), 1) if values else None
            scores_data.append(
                {"criterion": criterion.name, "mean": mean, "max": high, "weight": str(criterion.weight)}
            )
            score_lines.append(
                f"- {pick(criterion.name, language).text}: {mean if mean is not None else '—'} / {high}"
            )
        comments = []
        for review in mine:
            if review.pk not in released:
                continue
            for criterion in criteria:
                text = review.comments.get(str(criterion.pk))
                if text:
                    comments.append({"criterion": criterion.name, "text": text})
            for text in (review.strengths, review.weaknesses):
                if text:
                    comments.append({"criterion": None, "text": text})
        with translation.override(language):
            decision_text = str(_("Preselected") if decision.selected else _("Not preselected"))
            reason_text = f"{OutcomeReason(decision.reason_category).label}. {decision.reason}"
            band = _rank_band(decision.rank, totals_per_challenge[application.challenge_id])
            values = {
                "organisation": application.organisation.name,
                "call": pick(call.title, language).text,
                "challenge": pick(application.challenge.title, language).text,
                "decision": decision_text,
                "scores": "\n".join(score_lines),
                "rank_band": str(band),
                "reason": str(reason_text),
                "comments": "\n".join(f"- {c['text']}" for c in comments) or str(_("(none released)")),
            }
            subject = (template.subject if template else str(DEFAULT_SUBJECT)).format(**values)
            body = (template.body if template else str(DEFAULT_BODY)).format(**values)
        letter, _created = FeedbackLetter.objects.update_or_create(
            application=application,
            defaults={
                "language": language,
                "subject": subject[:300],
                "body": body,
                "data": {
                    "scores": scores_data,
                    "comments": comments,
                    "rank_band": str(band),
                    "decision": decision.selected,
                    "reason_category": decision.reason_category,
                },
                "released_review_ids": sorted(released & {r.pk for r in mine}),
            },
        )
        letters.append(letter)
    audit_record(
        actor=by,
        action="evaluation.feedback.prepare",
        target=call,
        lab=call.lab,
        changes={"letters": [0, len(letters)]},
    )
    return letters


@transaction.atomic
def feedback_send(*, letters, by) -> int:
    sent = 0
    for letter in letters:
        locked = (
            FeedbackLetter.objects.select_for_update()
            .select_related("application", "application__call", "application__call__lab")
            .get(pk=letter.pk)
        )
        call = locked.application.call
        require_lab_staff(by, call.lab)
        if locked.sent_at is not None:
            continue
        locked.sent_at = timezone.now()
        locked.save(update_fields=["sent_at"])
        people = organisation_people(locked.application.organisation_id)
        notify(
            recipients=people,
            kind="evaluation.feedback",
            subject=locked.subject,
            body=locked.body,
            url=reverse("evaluation:feedback", kwargs={"reference": locked.application.reference}),
            lab=call.lab,
        )
        audit_record(actor=by, action="evaluation.feedback.send", target=locked.application, lab=call.lab)
        sent += 1
    return sent
