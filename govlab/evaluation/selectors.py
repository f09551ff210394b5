"""Reads for evaluation, and what each person may see of an application while it is evaluated.

Blind evaluation: while the active phase hides identities, an evaluator (who is not on the lab's team)
sees no organisation, no people, no consortium partners, no answers to questions the form marks as
identifying, and files only under neutral names. Every surface that shows an application to an evaluator
(pages, API, exports, notifications) goes through ``can_see_identity`` and ``blind_answers``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application
from govlab.labs.rules import is_lab_staff

from .enums import ReviewStatus, SeeOthers
from .models import Assignment, ConflictDeclaration, Evaluator, Review
from .services import active_phase


def evaluator_of(user, call) -> Evaluator | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Evaluator.objects.filter(call=call, user=user, removed_at__isnull=True).first()


def can_see_identity(user, application) -> bool:
    """Whether this person may know who applied."""
    call = application.call
    if is_lab_staff(user, call.lab) or getattr(user, "is_superuser", False):
        return True
    from govlab.organisations.selectors import user_organisation_roles

    if application.organisation_id in user_organisation_roles(user):
        return True
    phase = active_phase(call)
    return bool(phase and phase.identities_visible)


def can_see_content(user, application) -> bool:
    """Lab staff; or an active evaluator assigned to it who declared no conflict."""
    if is_lab_staff(user, application.call.lab) or getattr(user, "is_superuser", False):
        return True
    evaluator = evaluator_of(user, application.call)
    if evaluator is None:
        return False
    assigned = Assignment.objects.filter(
        evaluator=evaluator, application=application, withdrawn_at__isnull=True
    ).exists()
    declared_none = ConflictDeclaration.objects.filter(
        evaluator=evaluator, application=application, has_conflict=False
    ).exists()
    return assigned and declared_none


def visible_reviews(user, application) -> list[Review]:
    """The other evaluators' submitted reviews this person may read, as the active phase allows."""
    submitted = list(
        Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED).select_related(
            "evaluator", "evaluator__user"
        )
    )
    if is_lab_staff(user, application.call.lab):
        return submitted
    evaluator = evaluator_of(user, application.call)
    if evaluator is None:
        return []
    if ConflictDeclaration.objects.filter(
        evaluator=evaluator, application=application, has_conflict=True
    ).exists():
        return []
    phase = active_phase(application.call)
    rule = phase.see_others if phase else SeeOthers.NEVER
    own = [r for r in submitted if r.evaluator_id == evaluator.pk]
    others = [r for r in submitted if r.evaluator_id != evaluator.pk]
    if rule == SeeOthers.ALWAYS or (rule == SeeOthers.AFTER_OWN and own):
        return others
    return []


def blind_answers(answers: dict, questions) -> dict:
    """The answers without those of questions marked as identifying, and files without their names."""
    identifying = {q.key for q in questions if q.identifying}
    shown = {}
    for key, value in (answers or {}).items():
        if key in identifying:
            continue
        if isinstance(value, dict) and isinstance(value.get("file"), dict):
            value = {"file": {k: v for k, v in value["file"].items() if k != "name"}}
        shown[key] = value
    return shown


def queue(user) -> QuerySet[Assignment]:
    """The person's active assignments across calls, due first."""
    return (
        Assignment.objects.filter(
            evaluator__user=user, evaluator__removed_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related(
            "evaluator",
            "application",
            "application__call",
            "application__call__lab",
            "application__challenge",
            "application__call__evaluation_settings",
        )
        .order_by("application__call__evaluation_settings__review_deadline", "application__reference")
    )


def applicants_to_declare_against(application) -> list[str]:
    """While blind, who an evaluator declares conflicts against: every organisation and consortium
    partner that applied to the application's challenge (the whole call's when fewer than three),
    alphabetically and unlinked to any application (ADR 0011)."""

    def names_of(applications) -> set[str]:
        names = set()
        for name, partners in applications.values_list("organisation__name", "partners"):
            names.add(name)
            names.update(p.get("name") for p in partners or [] if isinstance(p, dict) and p.get("name"))
        return names

    submitted = Application.objects.filter(call_id=application.call_id, status=ApplicationStatus.SUBMITTED)
    names = names_of(submitted.filter(challenge_id=application.challenge_id))
    if len(names) < 3:  # too few to hide among: list the whole call's applicants
        names = names_of(submitted)
    return sorted(names, key=str.casefold)


def preselected_applications(call) -> QuerySet[Application]:
    """The call's cohort: the applications preselected for its challenges (what phase 4 works with)."""
    return (
        Application.objects.filter(call=call, decision__selected=True)
        .select_related("organisation", "challenge", "call__lab")
        .order_by("challenge_id", "decision__rank", "pk")
    )
