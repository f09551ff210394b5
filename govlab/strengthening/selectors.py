"""Reads for the strengthening programme: who sees which cohort member, progress (done, late, missing),
hours by activity, and the entry and exit TRL.

Progress and hours are computed for many members at once in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govlab.challenges.models import Challenge
from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.selectors import user_organisation_roles

from .enums import ActionStatus, ActivityKind, AssessmentKind, MilestoneStatus
from .models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)
from .rules import mentored_member_ids
from .services import lab_today

ZERO = Decimal("0.00")


def _members() -> QuerySet[CohortMember]:
    return CohortMember.objects.select_related(
        "programme",
        "programme__call",
        "programme__call__lab",
        "application",
        "application__organisation",
        "application__challenge",
    )


def _team_lab_ids(user) -> list[int]:
    return [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]


def visible_members(user, programme: Programme | None = None) -> QuerySet[CohortMember]:
    """The cohort members this person may see: the lab's team all of its lab's; a mentor those assigned
    to them; a solver its own; the entity those of its challenges."""
    members = _members()
    if programme is not None:
        members = members.filter(programme=programme)
    if not getattr(user, "is_authenticated", False):
        return members.none()
    if user.is_superuser:
        return members
    organisation_ids = list(user_organisation_roles(user))
    entity_challenges = Challenge.objects.filter(
        Q(owner_id__in=organisation_ids) | Q(co_owners__in=organisation_ids)
    ).values("pk")
    return members.filter(
        Q(programme__call__lab_id__in=_team_lab_ids(user))
        | Q(pk__in=mentored_member_ids(user))
        | Q(application__organisation_id__in=organisation_ids)
        | Q(application__challenge_id__in=entity_challenges)
    )


def member_for(user, pk) -> CohortMember | None:
    """Fetch and authorise in one step: None alike for "does not exist" and "not yours"."""
    return visible_members(user).filter(pk=pk).first()


def my_members(user) -> QuerySet[CohortMember]:
    """The cohort members of the person's own organisations (the solver's "my programme")."""
    if not getattr(user, "is_authenticated", False):
        return _members().none()
    return _members().filter(application__organisation_id__in=list(user_organisation_roles(user)))


def mentored_members(user) -> QuerySet[CohortMember]:
    return _members().filter(pk__in=mentored_member_ids(user))


def trl_entry_exit(
    member: CohortMember, assessments=None
) -> tuple[TrlAssessment | None, TrlAssessment | None]:
    """Entry TRL: the first assessment; exit TRL: the latest expert assessment, else the latest."""
    if assessments is None:
        assessments = list(member.trl_assessments.order_by("assessed_on", "created_at", "pk"))
    else:
        assessments = sorted(assessments, key=lambda a: (a.assessed_on, a.created_at, a.pk))
    if not assessments:
        return None, None
    experts = [a for a in assessments if a.kind == AssessmentKind.EXPERT]
    return assessments[0], (experts or assessments)[-1]


# --- Hours -------------------------------------------------------------------------------------------


def hours_by_member(members) -> tuple[dict[int, dict[str, Decimal]], dict[str, Decimal]]:
    """({member id: {activity: hours}}, {activity: hours of the programmes' own, not of one member}).

    Bootcamps count the attended hours; mentoring and work sessions their hours; the rest the entries.
    """
    ids = [m.pk for m in members]
    programme_ids = {m.programme_id for m in members}
    per_member: dict[int, dict[str, Decimal]] = {pk: defaultdict(lambda: ZERO) for pk in ids}
    shared: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for member_id, hours in (
        BootcampRegistration.objects.filter(member_id__in=ids, attended=True)
        .values("member_id")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "h")
    ):
        per_member[member_id][ActivityKind.BOOTCAMP] += hours or ZERO
    for member_id, hours in (
        MentoringSession.objects.filter(member_id__in=ids)
        .values("member_id")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "h")
    ):
        per_member[member_id][ActivityKind.MENTORING] += hours or ZERO
    for member_id, hours in (
        WorkSession.objects.filter(programme_id__in=programme_ids)
        .values("member_id")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "h")
    ):
        if member_id is None:
            shared[ActivityKind.WORK_SESSION] += hours or ZERO
        elif member_id in per_member:
            per_member[member_id][ActivityKind.WORK_SESSION] += hours or ZERO
    for member_id, kind, hours in (
        HoursEntry.objects.filter(programme_id__in=programme_ids)
        .values("member_id", "kind")
        .annotate(h=Sum("hours"))
        .values_list("member_id", "kind", "h")
    ):
        if member_id is None:
            shared[kind] += hours or ZERO
        elif member_id in per_member:
            per_member[member_id][kind] += hours or ZERO
    return {pk: dict(v) for pk, v in per_member.items()}, dict(shared)


def hours_totals(programme: Programme) -> dict:
    """The programme's hours: per member and for the cohort, by activity, with totals."""
    members = list(_members().filter(programme=programme))
    per_member, shared = hours_by_member(members)
    cohort: dict[str, Decimal] = dict.fromkeys(ActivityKind.values, ZERO)
    for hours in [*per_member.values(), shared]:
        for kind, value in hours.items():
            cohort[kind] += value
    return {
        "members": [
            {
                "member": m,
                "by_kind": {k: per_member[m.pk].get(k, ZERO) for k in ActivityKind.values},
                "cells": [per_member[m.pk].get(k, ZERO) for k in ActivityKind.values],
                "total": sum(per_member[m.pk].values(), ZERO),
            }
            for m in members
        ],
        "shared": {k: shared.get(k, ZERO) for k in ActivityKind.values},
        "shared_cells": [shared.get(k, ZERO) for k in ActivityKind.values],
        "shared_total": sum(shared.values(), ZERO),
        "cohort": cohort,
        "cohort_cells": [cohort[k] for k in ActivityKind.values],
        "total": sum(cohort.values(), ZERO),
    }


# --- Progress ----------------------------------------------------------------------------------------


@dataclass
class Counts:
    done: int = 0
    late: int = 0
    open: int = 0

    @property
    def total(self) -> int:
        return self.done + self.late + self.open


@dataclass
class Progress:
    member: CohortMember
    milestones: Counts = field(default_factory=Counts)
    actions: Counts = field(default_factory=Counts)
    bootcamps_attended: int = 0
    bootcamps_missed: int = 0
    bootcamps_unrecorded: int = 0
    trl_entry: TrlAssessment | None = None
    trl_exit: TrlAssessment | None = None
    has_self_assessment: bool = False
    has_expert_assessment: bool = False
    mentors: list = field(default_factory=list)
    hours: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def hours_total(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def hours_rows(self) -> list[tuple[str, Decimal]]:
        return [(ActivityKind(kind).label, hours) for kind, hours in self.hours.items()]

    @property
    def late(self) -> int:
        return self.milestones.late + self.actions.late


def progress_for(members) -> list[Progress]:
    """Each member's progress: what is done, late and missing, and the hours (a fixed number of queries)."""
    members = list(members)
    if not members:
        return []
    ids = [m.pk for m in members]
    by_id = {m.pk: Progress(member=m) for m in members}
    today = {m.pk: lab_today(m.programme.call.lab) for m in members}
    now = timezone.now()
    for member_id, status, due_on in Milestone.objects.filter(member_id__in=ids).values_list(
        "member_id", "status", "due_on"
    ):
        counts = by_id[member_id].milestones
        if status == MilestoneStatus.ACCEPTED:
            counts.done += 1
        elif status != MilestoneStatus.SUBMITTED and due_on < today[member_id]:
            counts.late += 1
        else:
            counts.open += 1
    for member_id, status, due_on in AgreedAction.objects.filter(member_id__in=ids).values_list(
        "member_id", "status", "due_on"
    ):
        counts = by_id[member_id].actions
        if status == ActionStatus.DONE:
            counts.done += 1
        elif status == ActionStatus.OPEN and due_on < today[member_id]:
            counts.late += 1
        elif status == ActionStatus.OPEN:
            counts.open += 1
    past = defaultdict(set)
    for pk, programme_id in Bootcamp.objects.filter(
        programme_id__in={m.programme_id for m in members}, ends_at__lte=now
    ).values_list("pk", "programme_id"):
        past[programme_id].add(pk)
    attended = defaultdict(set)
    unrecorded = defaultdict(set)
    for member_id, bootcamp_id, was_there in BootcampRegistration.objects.filter(
        member_id__in=ids, bootcamp__ends_at__lte=now
    ).values_list("member_id", "bootcamp_id", "attended"):
        if was_there:
            attended[member_id].add(bootcamp_id)
        elif was_there is None:
            unrecorded[member_id].add(bootcamp_id)
    assessments = defaultdict(list)
    for assessment in TrlAssessment.objects.filter(member_id__in=ids):
        assessments[assessment.member_id].append(assessment)
    for assignment in MentorAssignment.objects.filter(
        member_id__in=ids, ended_at__isnull=True
    ).select_related("mentor__user"):
        by_id[assignment.member_id].mentors.append(assignment.mentor)
    hours, _shared = hours_by_member(members)
    for member in members:
        row = by_id[member.pk]
        row.bootcamps_attended = len(attended[member.pk])
        row.bootcamps_unrecorded = len(unrecorded[member.pk] - attended[member.pk])
        row.bootcamps_missed = (
            len(past[member.programme_id]) - row.bootcamps_attended - row.bootcamps_unrecorded
        )
        row.trl_entry, row.trl_exit = trl_entry_exit(member, assessments[member.pk])
        row.has_self_assessment = any(a.kind == AssessmentKind.SELF for a in assessments[member.pk])
        row.has_expert_assessment = any(a.kind == AssessmentKind.EXPERT for a in assessments[member.pk])
        row.hours = {k: hours[member.pk].get(k, ZERO) for k in ActivityKind.values}
        if not row.has_self_assessment:
            row.missing.append(_("TRL self-assessment"))
        if not row.has_expert_assessment:
            row.missing.append(_("TRL expert assessment"))
        if not row.mentors:
            row.missing.append(_("a mentor"))
        if not row.milestones.total:
            row.missing.append(_("MVP milestones"))
        if row.bootcamps_missed:
            row.missing.append(
                ngettext(
                    "attendance at %(count)d past bootcamp",
                    "attendance at %(count)d past bootcamps",
                    row.bootcamps_missed,
                )
                % {"count": row.bootcamps_missed}
            )
    return [by_id[pk] for pk in ids]


def cohort_progress(programme: Programme, user=None) -> list[Progress]:
    members = visible_members(user, programme) if user is not None else _members().filter(programme=programme)
    return progress_for(members.order_by("application__challenge__reference", "application__reference"))
