"""Reads for pilots: lists in a fixed number of queries, what a person may see, the public learning, and
the check that a randomised assignment is the one its recorded seed gives."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from govlab.calls.models import Application
from govlab.challenges.models import Challenge
from govlab.evaluation.selectors import preselected_applications
from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.selectors import user_organisation_roles

from . import randomisation
from .enums import Arm, Design, PilotStatus
from .models import Hypothesis, Metric, Observation, Pilot, PilotUnit

BASE_RELATED = (
    "application",
    "application__organisation",
    "application__call",
    "application__call__lab",
    "challenge",
    "lab",
    "call",
)


def _count(model) -> Coalesce:
    """How many rows of ``model`` belong to the pilot, as a subquery: four joined counts would multiply
    hypotheses by metrics by units by observations rows before counting."""
    rows = (
        model.objects.filter(pilot=OuterRef("pk"))
        .order_by()
        .values("pilot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def with_counts(queryset: QuerySet[Pilot]) -> QuerySet[Pilot]:
    return queryset.select_related(*BASE_RELATED).annotate(
        n_hypotheses=_count(Hypothesis),
        n_metrics=_count(Metric),
        n_units=_count(PilotUnit),
        n_observations=_count(Observation),
    )


def pilots_for_call(call) -> QuerySet[Pilot]:
    return with_counts(Pilot.objects.filter(call=call)).order_by(
        "challenge__reference", "application__reference"
    )


def cohort_for_call(call) -> list[Application]:
    """The call's preselected applications, each with ``.pilot_or_none``."""
    applications = list(preselected_applications(call).select_related("challenge", "organisation"))
    pilots = {p.application_id: p for p in pilots_for_call(call)}
    for application in applications:
        application.pilot_or_none = pilots.get(application.pk)
    return applications


def visible_pilots(user) -> QuerySet[Pilot]:
    """Every pilot this person may see: their labs' (team), their entities' challenges', their solvers'."""
    if not getattr(user, "is_authenticated", False):
        return Pilot.objects.none()
    if user.is_superuser:
        return with_counts(Pilot.objects.all())
    lab_ids = [lab for lab, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]
    organisation_ids = list(user_organisation_roles(user))
    condition = (
        Q(lab_id__in=lab_ids)
        | Q(application__organisation_id__in=organisation_ids)
        | Q(challenge__owner_id__in=organisation_ids)
        | Q(challenge__co_owners__in=organisation_ids)
    )
    ids = Pilot.objects.filter(condition).values("pk")
    return with_counts(Pilot.objects.filter(pk__in=ids)).order_by("-created_at", "-pk")


def pilotable_for_entity(user) -> QuerySet[Application]:
    """Preselected applications to the challenges of this person's public entities that have no pilot
    yet: what the entity may plan a pilot for (the lab's team finds them on each call's pilots page)."""
    organisation_ids = list(user_organisation_roles(user)) if getattr(user, "is_authenticated", False) else []
    if not organisation_ids:
        return Application.objects.none()
    owned = Q(challenge__owner_id__in=organisation_ids) | Q(challenge__co_owners__in=organisation_ids)
    ids = Application.objects.filter(owned, decision__selected=True, pilot__isnull=True).values("pk")
    return (
        Application.objects.filter(pk__in=ids)
        .select_related("organisation", "challenge", "call__lab")
        .order_by("challenge__reference", "reference")
    )


def pilot_for(user, pk: int, perm: str = "view") -> Pilot:
    """Fetch and authorise in one step: 404 alike for "does not exist" and "may not see"."""
    pilot = Pilot.objects.select_related(*BASE_RELATED).filter(pk=pk).first()
    if pilot is None or not user.has_perm("pilots.view", pilot):
        raise Http404
    return pilot


def public_pilots_for_challenge(challenge: Challenge) -> QuerySet[Pilot]:
    """The challenge's decided pilots — scaled, iterated and stopped alike — for its public page: what was
    tried, the decision, its rationale and the lessons. Failures are shown as learning, never hidden."""
    return (
        Pilot.objects.filter(challenge=challenge, status=PilotStatus.DECIDED)
        .select_related("application__organisation")
        .prefetch_related("hypotheses", "metrics")
        .order_by("decided_at", "pk")
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    seed: int | None
    algorithm: str
    stored_fingerprint: str
    recomputed_fingerprint: str
    mismatched_units: list[str]


def verify_assignment(pilot: Pilot) -> Verification:
    """Redo the draw from the recorded seed and the units: is the stored assignment the one it gives?"""
    units = dict(pilot.units.values_list("code", "arm"))
    if pilot.design != Design.RANDOMISED or pilot.seed is None or not units:
        return Verification(
            False, pilot.seed, pilot.randomisation_algorithm, pilot.assignment_fingerprint, "", []
        )
    if pilot.randomisation_algorithm != randomisation.ALGORITHM:
        return Verification(
            False, pilot.seed, pilot.randomisation_algorithm, pilot.assignment_fingerprint, "", []
        )
    expected = randomisation.assign(list(units), [Arm.A.value, Arm.B.value], pilot.seed)
    mismatched = sorted(code for code, arm in units.items() if expected.get(code) != arm)
    recomputed = randomisation.fingerprint(expected)
    return Verification(
        ok=not mismatched and recomputed == pilot.assignment_fingerprint,
        seed=pilot.seed,
        algorithm=pilot.randomisation_algorithm,
        stored_fingerprint=pilot.assignment_fingerprint,
        recomputed_fingerprint=recomputed,
        mismatched_units=mismatched,
    )
