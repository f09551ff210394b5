"""Who may do what in a strengthening programme. Named predicates, used alike by views, templates and the
API. Objects are cohort members (``CohortMember``) unless the name says otherwise.

- the lab's team: everything in its lab's programmes;
- a mentor: only the members they are currently assigned to;
- the solver (a member of the applying organisation): their own member's things;
- the entity (a member of the challenge's owner or co-owners): progress, work sessions, milestones.
"""

import rules

from govlab.calls.rules import is_application_member
from govlab.challenges.rules import is_challenge_entity_member
from govlab.labs.rules import is_lab_staff


@rules.predicate
def is_programme_lab_staff(user, programme) -> bool:
    return programme is not None and is_lab_staff(user, programme.call.lab)


@rules.predicate
def is_member_lab_staff(user, member) -> bool:
    return member is not None and is_lab_staff(user, member.programme.call.lab)


@rules.predicate
def is_member_solver(user, member) -> bool:
    return member is not None and is_application_member(user, member.application)


@rules.predicate
def is_member_entity(user, member) -> bool:
    return member is not None and is_challenge_entity_member(user, member.application.challenge)


def mentored_member_ids(user) -> set[int]:
    """The cohort members this person mentors now (one query, cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_govlab_mentored_members", None)
    if cached is None:
        from .models import MentorAssignment

        cached = set(
            MentorAssignment.objects.filter(
                mentor__user=user, mentor__is_active=True, ended_at__isnull=True
            ).values_list("member_id", flat=True)
        )
        user._govlab_mentored_members = cached
    return cached


def forget_mentored(user) -> None:
    if hasattr(user, "_govlab_mentored_members"):
        delattr(user, "_govlab_mentored_members")


@rules.predicate
def is_assigned_mentor(user, member) -> bool:
    return member is not None and member.pk in mentored_member_ids(user)


can_view_member = (
    is_member_lab_staff | is_assigned_mentor | is_member_solver | is_member_entity | rules.is_superuser
)

rules.add_perm("strengthening.manage", is_programme_lab_staff | rules.is_superuser)
rules.add_perm("strengthening.view_member", can_view_member)
rules.add_perm("strengthening.manage_member", is_member_lab_staff | rules.is_superuser)
rules.add_perm("strengthening.self_assess", is_member_solver)
rules.add_perm("strengthening.expert_assess", is_member_lab_staff | is_assigned_mentor | rules.is_superuser)
rules.add_perm("strengthening.mentor", is_member_lab_staff | is_assigned_mentor | rules.is_superuser)
rules.add_perm("strengthening.view_mentoring", is_member_lab_staff | is_assigned_mentor | is_member_solver)
rules.add_perm("strengthening.register", is_member_solver | is_member_lab_staff | rules.is_superuser)
rules.add_perm("strengthening.submit_milestone", is_member_solver)
rules.add_perm("strengthening.review_milestone", is_member_lab_staff | is_member_entity | rules.is_superuser)
rules.add_perm(
    "strengthening.record_work_session", is_member_lab_staff | is_member_entity | rules.is_superuser
)
rules.add_perm("strengthening.record_hours", is_member_lab_staff | is_member_solver | rules.is_superuser)
rules.add_perm(
    "strengthening.update_action",
    is_member_lab_staff | is_assigned_mentor | is_member_solver | rules.is_superuser,
)
