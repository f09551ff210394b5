"""Reads for the Demo Day: a juror's days and pitches, the declarations overview, the public results and a
solver's own outcome. Lists stay at a fixed number of queries whatever their length."""

from __future__ import annotations

from django.db.models import QuerySet

from .aggregation import solution_title
from .enums import DemoDayStatus
from .models import DemoDay, JuryDeclaration, JuryMember, JuryScore, Outcome, Pitch, Selection


def juror_of(user, demo_day) -> JuryMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return JuryMember.objects.filter(demo_day=demo_day, user=user, removed_at__isnull=True).first()


def my_jury_days(user) -> QuerySet[JuryMember]:
    return (
        JuryMember.objects.filter(user=user, removed_at__isnull=True)
        .select_related("demo_day", "demo_day__call", "demo_day__call__lab")
        .order_by("-demo_day__starts_at")
    )


def pitches(demo_day) -> QuerySet[Pitch]:
    return (
        Pitch.objects.filter(demo_day=demo_day)
        .select_related("application", "application__organisation", "application__challenge")
        .order_by("order", "pk")
    )


def juror_agenda(member: JuryMember) -> list[Pitch]:
    """The pitches with the juror's declaration (``declaration``) and how many criteria they scored
    (``scored``). Three queries."""
    items = list(pitches(member.demo_day))
    declarations = {d.application_id: d for d in JuryDeclaration.objects.filter(member=member)}
    scored: dict[int, int] = {}
    for application_id in JuryScore.objects.filter(member=member).values_list("application_id", flat=True):
        scored[application_id] = scored.get(application_id, 0) + 1
    for pitch in items:
        pitch.declaration = declarations.get(pitch.application_id)
        pitch.scored = scored.get(pitch.application_id, 0)
        pitch.recused = bool(pitch.declaration and pitch.declaration.has_conflict)
    return items


def declarations_matrix(demo_day) -> tuple[list[JuryMember], list[dict]]:
    """Active jurors, and per pitch a row of each juror's declaration (None: a gap). Three queries."""
    members = list(
        JuryMember.objects.filter(demo_day=demo_day, removed_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )
    declared = {
        (d.member_id, d.application_id): d
        for d in JuryDeclaration.objects.filter(member__demo_day=demo_day, member__removed_at__isnull=True)
    }
    rows = []
    for pitch in pitches(demo_day):
        cells = [declared.get((m.pk, pitch.application_id)) for m in members]
        rows.append({"pitch": pitch, "cells": cells, "gaps": sum(1 for c in cells if c is None)})
    return members, rows


def public_results(lab) -> list[dict]:
    """The lab's decided Demo Days with their winners per challenge, newest first. Two queries."""
    days = list(
        DemoDay.objects.filter(call__lab=lab, status=DemoDayStatus.DECIDED)
        .select_related("call")
        .order_by("-starts_at", "pk")
    )
    winners: dict[int, list[Selection]] = {}
    for selection in (
        Selection.objects.filter(demo_day__in=days)
        .select_related("challenge", "application", "application__organisation")
        .order_by("challenge__reference", "pk")
    ):
        selection.solution = solution_title(selection.application)
        winners.setdefault(selection.demo_day_id, []).append(selection)
    return [{"demo_day": day, "selections": winners.get(day.pk, [])} for day in days]


def outcome_for(application) -> Outcome | None:
    """The Demo Day's outcome for this application, once its challenge is decided."""
    return (
        Outcome.objects.filter(application=application)
        .select_related("demo_day", "demo_day__call", "demo_day__call__lab")
        .first()
    )


def public_selections_for_challenge(challenge) -> list[Selection]:
    """The solution(s) a decided Demo Day selected for this challenge, for its public page. One query."""
    selections = list(
        Selection.objects.filter(challenge=challenge, demo_day__status=DemoDayStatus.DECIDED)
        .select_related("demo_day", "application", "application__organisation")
        .order_by("decided_at", "pk")
    )
    for selection in selections:
        selection.solution = solution_title(selection.application)
    return selections
